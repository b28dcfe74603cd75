/**
 * The loan book as an officer works it: every loan with its firm's name, searched, filtered,
 * sorted and paged on the server, with the total — so the 286th line is one page away and the
 * screen says how many there are.
 */
import { sql, type Kysely } from 'kysely';
import type { Classification, Database } from '../db/schema.js';
import type { LoanRow, LoanStatus } from '../servicing/loans.js';
import { containsPattern, countOf, type Page, type PageRequest } from './paging.js';

/** What the loan book sorts by, a closed list. */
export const LOAN_SORTS = ['disbursedOn', 'maturityOn', 'outstanding', 'daysPastDue', 'enterpriseName'] as const;
export type LoanSort = (typeof LOAN_SORTS)[number];

export interface LoanBookFilter {
  /** Part of the firm's name, the start of its credit code, part of the loan note number, or the end of the loan's id. */
  readonly q?: string;
  readonly enterpriseId?: string;
  /** The loans drawn from one credit line (the staff line page). */
  readonly lineId?: string;
  readonly status?: LoanStatus;
  readonly classification?: Classification;
  /** true: only loans with days past due; false: only loans without. */
  readonly overdue?: boolean;
  readonly productCode?: string;
  readonly sort?: LoanSort;
  readonly order?: 'asc' | 'desc';
}

/** A line of the loan book: the loan, its firm and its product. */
export interface LoanBookRow {
  readonly loan: LoanRow;
  readonly enterpriseName: string;
  readonly creditCode: string | null;
  readonly productCode: string;
  /** The product's Chinese name. */
  readonly productName: string;
  /** The product's English name. */
  readonly productNameEn: string;
}

/**
 * A page of the loan book. The order always ends with the loan id, so pages never overlap.
 *
 * @example
 * const page = await loanBook(db, { q: '绿芽', overdue: true, sort: 'daysPastDue', order: 'desc' }, { offset: 0, limit: 50 });
 * page.total; // 3
 */
export async function loanBook(db: Kysely<Database>, filter: LoanBookFilter, page: PageRequest): Promise<Page<LoanBookRow>> {
  const pattern = containsPattern(filter.q);
  let base = db.selectFrom('loan').innerJoin('enterprise', 'enterprise.id', 'loan.enterprise_id').innerJoin('product', 'product.id', 'loan.product_id');
  if (pattern !== undefined) {
    const text = filter.q!.trim();
    base = base.where((eb) =>
      eb.or([
        eb('enterprise.name', 'ilike', pattern),
        eb('enterprise.credit_code', 'like', `${text.toUpperCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`),
        // The id tail officers read aloud ("…3f9a1c2e").
        ...(/^[0-9a-f-]{4,36}$/i.test(text) ? [eb(sql<string>`cast(loan.id as text)`, 'like', `%${text.toLowerCase()}`)] : []),
        // The loan note number (借据号) or part of it ("JJ20260115-00042", "00042").
        ...(/^[0-9a-z-]{4,24}$/i.test(text) ? [eb('loan.note_no', 'like', `%${text.toUpperCase()}%`)] : []),
      ]),
    );
  }
  if (filter.enterpriseId !== undefined) base = base.where('loan.enterprise_id', '=', filter.enterpriseId);
  if (filter.lineId !== undefined) base = base.where('loan.line_id', '=', filter.lineId);
  if (filter.status !== undefined) base = base.where('loan.status', '=', filter.status);
  if (filter.classification !== undefined) base = base.where('loan.classification', '=', filter.classification);
  if (filter.overdue === true) base = base.where('loan.dpd', '>', 0);
  if (filter.overdue === false) base = base.where('loan.dpd', '=', 0);
  if (filter.productCode !== undefined) base = base.where('product.code', '=', filter.productCode);

  const total = countOf(await base.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst());
  const direction = filter.order ?? (filter.sort === undefined || filter.sort === 'disbursedOn' ? 'desc' : 'asc');
  let query = base.selectAll('loan').select(['enterprise.name as enterprise_name', 'enterprise.credit_code as credit_code', 'product.code as product_code', 'product.name as product_name', 'product.name_en as product_name_en']);
  switch (filter.sort ?? 'disbursedOn') {
    case 'disbursedOn':
      query = query.orderBy('loan.disbursed_on', direction);
      break;
    case 'maturityOn':
      query = query.orderBy('loan.maturity_on', direction);
      break;
    case 'outstanding':
      query = query.orderBy(sql`loan.principal_not_due + loan.principal_due`, direction);
      break;
    case 'daysPastDue':
      query = query.orderBy('loan.dpd', direction);
      break;
    case 'enterpriseName':
      query = query.orderBy('enterprise.name', direction);
      break;
  }
  const rows = await query.orderBy('loan.id', direction).offset(page.offset).limit(page.limit).execute();
  return {
    items: rows.map(({ enterprise_name, credit_code, product_code, product_name, product_name_en, ...loan }) => ({ loan, enterpriseName: enterprise_name, creditCode: credit_code, productCode: product_code, productName: product_name, productNameEn: product_name_en })),
    offset: page.offset,
    limit: page.limit,
    total,
  };
}
