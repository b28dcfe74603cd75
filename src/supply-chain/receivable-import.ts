/**
 * Importing a core enterprise's payables from a CSV file (`sprout receivables import --core ID
 * FILE.csv`): one receivable a row, each registered in its own transaction so that a bad row is
 * reported and the rest go in; with `confirm`, the core enterprise confirms those registered.
 *
 * Columns (a header line is required, in any order): `seller` (the supplier's credit code or
 * enterprise id), `invoice_no`, `amount` ("305.00"), `issued_on`, `due_on`, and optionally
 * `documents`.
 */
import type { Kysely } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import { parseCsvTable } from '../csv/parse-csv.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { SproutError, ValidationError } from '../errors.js';
import type { Minor } from '../money/minor.js';
import { confirmReceivables, MAX_RECEIVABLES_PER_BATCH, registerReceivable, NO_PLEDGE_REGISTRY, type PledgeRegistry } from './receivables.js';

const REQUIRED = ['seller', 'invoice_no', 'amount', 'issued_on', 'due_on'] as const;

/** What became of one row. */
export interface ImportedRow {
  readonly line: number;
  readonly invoiceNo: string;
  readonly receivableId: string | null;
  readonly certificateId: string | null;
  readonly confirmedAmount: Minor | null;
  /** Why the row was refused: the error's reason or code and its message. */
  readonly error: { readonly reason: string; readonly message: string } | null;
}

/**
 * Registers every row of `csv` on `coreEnterpriseId` (and confirms them when `confirm`); a row
 * refused is reported with its reason, the others stand.
 */
export async function importReceivables(
  db: Kysely<Database>,
  coreEnterpriseId: string,
  csv: string,
  options: { readonly today: BusinessDate; readonly by: string; readonly confirm: boolean; readonly registry?: PledgeRegistry },
): Promise<ImportedRow[]> {
  const table = parseCsvTable(csv, 'file');
  for (const column of REQUIRED) if (!table.header.includes(column)) throw new ValidationError('file', `the header must name the column "${column}"`, 'required');
  if (table.rows.length === 0 || table.rows.length > MAX_RECEIVABLES_PER_BATCH) throw new ValidationError('file', `must hold 1 to ${MAX_RECEIVABLES_PER_BATCH} rows`, 'too-large', { max: MAX_RECEIVABLES_PER_BATCH });
  const at = (row: readonly string[], column: string) => (row[table.header.indexOf(column)] ?? '').trim();
  const results: ImportedRow[] = [];
  for (const [index, row] of table.rows.entries()) {
    const invoiceNo = at(row, 'invoice_no');
    try {
      const sellerId = await sellerOf(db, at(row, 'seller'));
      const made = await inTransaction(db, async (trx) => {
        const { id } = await registerReceivable(
          trx, coreEnterpriseId, sellerId,
          { invoiceNo, amount: at(row, 'amount'), issuedOn: at(row, 'issued_on'), dueOn: at(row, 'due_on'), documents: table.header.includes('documents') ? at(row, 'documents') : '' },
          options.today, options.by, options.registry ?? NO_PLEDGE_REGISTRY,
        );
        const [confirmation] = options.confirm ? await confirmReceivables(trx, coreEnterpriseId, [id], options.today, options.by) : [];
        return { id, confirmation };
      });
      results.push({ line: index + 2, invoiceNo, receivableId: made.id, certificateId: made.confirmation?.certificateId ?? null, confirmedAmount: made.confirmation?.confirmedAmount ?? null, error: null });
    } catch (error) {
      if (!(error instanceof SproutError)) throw error;
      results.push({ line: index + 2, invoiceNo, receivableId: null, certificateId: null, confirmedAmount: null, error: { reason: error.reason ?? error.code, message: error.message } });
    }
  }
  return results;
}

/** The enterprise a `seller` cell names: by credit code (18 characters) or by id. */
async function sellerOf(db: Kysely<Database>, text: string): Promise<string> {
  const byId = /^[0-9a-f-]{36}$/i.test(text);
  const row = await db.selectFrom('enterprise').select('id').where(byId ? 'id' : 'credit_code', '=', text).executeTakeFirst();
  if (!row) throw new ValidationError('seller', `no enterprise with ${byId ? 'id' : 'credit code'} "${text}"`, 'invalid-format');
  return row.id;
}
