/**
 * Importing a core enterprise's payables from a CSV file (`sprout receivables import --core ID
 * FILE.csv`): one receivable a row, the whole file or nothing. Every row is first tried in a
 * transaction rolled back at once, so that all the bad rows are reported together, each with its
 * line, the column at fault and the reason; a file with any bad row imports nothing. A file whose
 * rows all pass is then imported in one transaction (with `confirm`, each confirmed by the core
 * enterprise as it is registered): a row refused then (another import took its invoice number
 * between the two passes) rolls the whole file back, and is reported the same way.
 *
 * Columns (a header line is required, in any order): `seller` (the supplier's credit code or
 * enterprise id), `invoice_no`, `amount` ("305.00"), `issued_on`, `due_on`, and optionally
 * `documents`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import { parseCsvTable } from '../csv/parse-csv.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { SproutError, ValidationError } from '../errors.js';
import type { Minor } from '../money/minor.js';
import { confirmReceivables, MAX_RECEIVABLES_PER_BATCH, registerReceivable, NO_PLEDGE_REGISTRY, type PledgeRegistry } from './receivables.js';

const REQUIRED = ['seller', 'invoice_no', 'amount', 'issued_on', 'due_on'] as const;

/** The file's column for a field the registration names (the rest are named alike). */
const COLUMN_OF: Readonly<Record<string, string>> = { sellerId: 'seller', invoiceNo: 'invoice_no', issuedOn: 'issued_on', dueOn: 'due_on' };

/** Why a row was refused: the column at fault (when one is), the error's reason or code, its message. */
export interface RowError {
  readonly field: string | null;
  readonly reason: string;
  readonly message: string;
}

/** What became of one row. */
export interface ImportedRow {
  readonly line: number;
  readonly invoiceNo: string;
  readonly receivableId: string | null;
  readonly certificateId: string | null;
  readonly confirmedAmount: Minor | null;
  readonly error: RowError | null;
}

/** The file's outcome: `imported` false when any row was refused, and then no row was written. */
export interface ReceivableImport {
  readonly imported: boolean;
  readonly rows: readonly ImportedRow[];
}

interface ImportOptions {
  readonly today: BusinessDate;
  readonly by: string;
  readonly confirm: boolean;
  readonly registry?: PledgeRegistry;
}

interface RowInput {
  readonly line: number;
  readonly seller: string;
  readonly invoiceNo: string;
  readonly amount: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly documents: string;
}

/** Thrown to roll back a row's trial. */
class TrialDone extends Error {}

/**
 * Registers every row of `csv` on `coreEnterpriseId` (and confirms them when `confirm`), or none
 * of them when any row is refused.
 */
export async function importReceivables(db: Kysely<Database>, coreEnterpriseId: string, csv: string, options: ImportOptions): Promise<ReceivableImport> {
  const table = parseCsvTable(csv, 'file');
  for (const column of REQUIRED) if (!table.header.includes(column)) throw new ValidationError('file', `the header must name the column "${column}"`, 'required');
  if (table.rows.length === 0 || table.rows.length > MAX_RECEIVABLES_PER_BATCH) throw new ValidationError('file', `must hold 1 to ${MAX_RECEIVABLES_PER_BATCH} rows`, 'too-large', { max: MAX_RECEIVABLES_PER_BATCH });
  const at = (row: readonly string[], column: string) => (row[table.header.indexOf(column)] ?? '').trim();
  const inputs: RowInput[] = table.rows.map((row, index) => ({
    line: index + 2, seller: at(row, 'seller'), invoiceNo: at(row, 'invoice_no'), amount: at(row, 'amount'),
    issuedOn: at(row, 'issued_on'), dueOn: at(row, 'due_on'), documents: table.header.includes('documents') ? at(row, 'documents') : '',
  }));
  const refusals = new Map<number, RowError>();
  const firstLine = new Map<string, number>();
  for (const input of inputs) {
    const key = JSON.stringify([input.seller, input.invoiceNo]);
    const first = firstLine.get(key);
    if (first !== undefined) {
      refusals.set(input.line, { field: 'invoice_no', reason: 'invoice-already-registered', message: `invoice ${input.invoiceNo} of this seller is on line ${first} already` });
      continue;
    }
    firstLine.set(key, input.line);
    try {
      await inTransaction(db, async (trx) => {
        await importRow(trx, coreEnterpriseId, input, options);
        throw new TrialDone();
      });
    } catch (error) {
      if (error instanceof TrialDone) continue;
      refusals.set(input.line, rowError(error));
    }
  }
  if (refusals.size > 0) return refused(inputs, refusals);
  let failed: { readonly line: number; readonly error: RowError } | undefined;
  try {
    const rows = await inTransaction(db, async (trx) => {
      const made: ImportedRow[] = [];
      for (const input of inputs) {
        try {
          made.push(await importRow(trx, coreEnterpriseId, input, options));
        } catch (error) {
          failed = { line: input.line, error: rowError(error) };
          throw error;
        }
      }
      return made;
    });
    return { imported: true, rows };
  } catch (error) {
    if (failed === undefined || !(error instanceof SproutError)) throw error;
    return refused(inputs, new Map([[failed.line, failed.error]]));
  }
}

async function importRow(trx: Transaction<Database>, coreEnterpriseId: string, input: RowInput, options: ImportOptions): Promise<ImportedRow> {
  const sellerId = await sellerOf(trx, input.seller);
  const { id } = await registerReceivable(
    trx, coreEnterpriseId, sellerId,
    { invoiceNo: input.invoiceNo, amount: input.amount, issuedOn: input.issuedOn, dueOn: input.dueOn, documents: input.documents },
    options.today, options.by, options.registry ?? NO_PLEDGE_REGISTRY,
  );
  const [confirmation] = options.confirm ? await confirmReceivables(trx, coreEnterpriseId, [id], options.today, options.by) : [];
  return { line: input.line, invoiceNo: input.invoiceNo, receivableId: id, certificateId: confirmation?.certificateId ?? null, confirmedAmount: confirmation?.confirmedAmount ?? null, error: null };
}

/** A refusal as the row reports it; anything but a SproutError is a fault, not a bad row. */
function rowError(error: unknown): RowError {
  if (!(error instanceof SproutError)) throw error;
  const field = error.field === undefined ? null : (COLUMN_OF[error.field] ?? error.field);
  return { field, reason: error.reason ?? error.code, message: error.message };
}

function refused(inputs: readonly RowInput[], refusals: ReadonlyMap<number, RowError>): ReceivableImport {
  return {
    imported: false,
    rows: inputs.map((input) => ({ line: input.line, invoiceNo: input.invoiceNo, receivableId: null, certificateId: null, confirmedAmount: null, error: refusals.get(input.line) ?? null })),
  };
}

/** The enterprise a `seller` cell names: by credit code (18 characters) or by id. */
async function sellerOf(db: Transaction<Database>, text: string): Promise<string> {
  const byId = /^[0-9a-f-]{36}$/i.test(text);
  const row = await db.selectFrom('enterprise').select('id').where(byId ? 'id' : 'credit_code', '=', text).executeTakeFirst();
  if (!row) throw new ValidationError('seller', `no enterprise with ${byId ? 'id' : 'credit code'} "${text}"`, 'invalid-format');
  return row.id;
}
