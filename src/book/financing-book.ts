/**
 * Supply-chain financings in the staff loan book (issue 18): each financing with the supplier that
 * received the money (the borrower the reports count it under), its core enterprise (the obligor)
 * and its invoice, filtered by the loan book's own filters — status, five categories, overdue —
 * searched, sorted and paged on the server with the total, as `loanBook` does for loans.
 */
import { sql, type Kysely } from 'kysely';
import type { Classification, Database } from '../db/schema.js';
import type { FinancingStatus } from '../supply-chain/supply-chain-codes.js';
import { containsPattern, countOf, type Page, type PageRequest } from './paging.js';

/** What the financings list sorts by, a closed list. */
export const FINANCING_SORTS = ['financedOn', 'dueOn', 'outstanding', 'daysPastDue', 'enterpriseName'] as const;
export type FinancingSort = (typeof FINANCING_SORTS)[number];

export interface FinancingBookFilter {
  /** Part of the supplier's or the core enterprise's name, the start of the supplier's credit code, or part of the invoice number. */
  readonly q?: string;
  readonly status?: FinancingStatus;
  readonly classification?: Classification;
  /** true: only financings past due; false: only those not. */
  readonly overdue?: boolean;
  readonly sort?: FinancingSort;
  readonly order?: 'asc' | 'desc';
}

/** A line of the list. Money in fen; `outstanding` is the principal until settled, then 0. */
export interface FinancingBookRow {
  readonly id: string;
  readonly certificateId: string;
  readonly supplierId: string;
  readonly supplierName: string;
  readonly creditCode: string | null;
  readonly coreEnterpriseId: string;
  readonly coreEnterpriseName: string;
  readonly invoiceNo: string;
  readonly principal: bigint;
  readonly outstanding: bigint;
  readonly rateUnits: bigint;
  readonly financedOn: string;
  readonly dueOn: string;
  readonly dpd: number;
  readonly classification: Classification;
  readonly status: FinancingStatus;
}

/**
 * A page of supply-chain financings. The order always ends with the financing id, so pages never overlap.
 *
 * @example
 * const page = await financingBook(db, { overdue: true, sort: 'daysPastDue', order: 'desc' }, { offset: 0, limit: 50 });
 */
export async function financingBook(db: Kysely<Database>, filter: FinancingBookFilter, page: PageRequest): Promise<Page<FinancingBookRow>> {
  const pattern = containsPattern(filter.q);
  let base = db
    .selectFrom('scf_financing as f')
    .innerJoin('enterprise as s', 's.id', 'f.supplier_id')
    .innerJoin('enterprise as c', 'c.id', 'f.core_enterprise_id')
    .innerJoin('scf_certificate as cert', 'cert.id', 'f.certificate_id')
    .innerJoin('scf_receivable as r', 'r.id', 'cert.receivable_id');
  if (pattern !== undefined) {
    const text = filter.q!.trim();
    base = base.where((eb) =>
      eb.or([
        eb('s.name', 'ilike', pattern),
        eb('c.name', 'ilike', pattern),
        eb('s.credit_code', 'like', `${text.toUpperCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`),
        eb('r.invoice_no', 'ilike', pattern),
      ]),
    );
  }
  if (filter.status !== undefined) base = base.where('f.status', '=', filter.status);
  if (filter.classification !== undefined) base = base.where('f.classification', '=', filter.classification);
  if (filter.overdue === true) base = base.where('f.dpd', '>', 0);
  if (filter.overdue === false) base = base.where('f.dpd', '=', 0);

  const total = countOf(await base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst());
  const direction = filter.order ?? (filter.sort === undefined || filter.sort === 'financedOn' ? 'desc' : 'asc');
  let query = base.select([
    'f.id', 'f.certificate_id', 'f.supplier_id', 's.name as supplier_name', 's.credit_code', 'f.core_enterprise_id', 'c.name as core_name', 'r.invoice_no',
    'f.principal', 'f.rate_units', 'f.financed_on', 'f.due_on', 'f.dpd', 'f.classification', 'f.status',
  ]);
  const outstanding = sql`case when f.status = 'settled' then 0 else f.principal end`;
  switch (filter.sort ?? 'financedOn') {
    case 'financedOn':
      query = query.orderBy('f.financed_on', direction);
      break;
    case 'dueOn':
      query = query.orderBy('f.due_on', direction);
      break;
    case 'outstanding':
      query = query.orderBy(outstanding, direction);
      break;
    case 'daysPastDue':
      query = query.orderBy('f.dpd', direction);
      break;
    case 'enterpriseName':
      query = query.orderBy('s.name', direction);
      break;
  }
  const rows = await query.orderBy('f.id', direction).offset(page.offset).limit(page.limit).execute();
  return {
    items: rows.map((row) => ({
      id: row.id, certificateId: row.certificate_id, supplierId: row.supplier_id, supplierName: row.supplier_name, creditCode: row.credit_code,
      coreEnterpriseId: row.core_enterprise_id, coreEnterpriseName: row.core_name, invoiceNo: row.invoice_no,
      principal: row.principal, outstanding: row.status === 'settled' ? 0n : row.principal, rateUnits: row.rate_units,
      financedOn: row.financed_on, dueOn: row.due_on, dpd: row.dpd, classification: row.classification, status: row.status,
    })),
    offset: page.offset,
    limit: page.limit,
    total,
  };
}
