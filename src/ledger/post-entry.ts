/**
 * Posting a journal entry: the only way money moves in Sprout.
 *
 * Each business event posts one entry, in the same transaction as the event, whose lines sum to
 * zero (debit positive, credit negative). Entries are never updated or deleted; a mistake is
 * undone by `reverseEntry`, which posts the mirror image.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { columnNames, unnestRows } from '../db/unnest-rows.js';
import { invariant, NotFoundError, ConflictError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { minor, type Minor } from '../money/minor.js';
import type { AccountPurpose } from './chart-of-accounts.js';

/** One side of an entry: fen to an account purpose, debit positive, credit negative. */
export interface PostingLine {
  readonly purpose: AccountPurpose;
  readonly amount: Minor;
}

/**
 * The enterprise id of the bank's own entries, those of no one borrower: end of day's per-chunk
 * accrual, reclassification and provision, the general provision, manual entries. The nil UUID;
 * no enterprise has it (docs/scaling.md, "Rows without an enterprise").
 */
export const BANK_ENTERPRISE_ID = '00000000-0000-0000-0000-000000000000';

/** An entry to post. Zero lines are dropped; an entry whose lines are all zero posts nothing. */
export interface NewEntry {
  /** The borrower whose entry it is (its loan's, its account's, its collateral's), or {@link BANK_ENTERPRISE_ID}. */
  readonly enterpriseId: string;
  readonly businessDate: BusinessDate;
  readonly kind: string;
  readonly description: string;
  readonly loanId?: string | null;
  readonly createdBy: string;
  readonly lines: readonly PostingLine[];
  /** The borrower's settlement account the money went through (a drawdown's, a repayment's). */
  readonly accountId?: string | null;
  /** The payment certificate a supply-chain entry posts for (src/supply-chain). */
  readonly certificateId?: string | null;
}

/** Bound on lines per entry: an entry is a business event, not a batch dump. */
const MAX_LINES = 64;

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Posts `entry`; returns its id, or `undefined` when every line was zero.
 *
 * @example
 * await postEntry(trx, { businessDate: '2025-06-30', kind: 'drawdown', description: 'drawdown of loan …',
 *   loanId, enterpriseId, createdBy: 'operator', lines: [{ purpose: 'loans-normal', amount: 100000n }, { purpose: 'settlement', amount: -100000n }] });
 */
export async function postEntry(db: Executor, entry: NewEntry): Promise<string | undefined> {
  return (await postEntries(db, [entry]))[0];
}

/** Bound on entries posted at once: a batch of concurrent requests (repayment-batch.ts), not a bulk load. */
const MAX_ENTRIES_AT_ONCE = 1000;

/**
 * Posts each of `entries`, each its own balanced entry; returns each one's id, or `undefined` where
 * its lines were all zero. One read of the chart, then two statements for all of them (the entries,
 * their lines); one entry, or each entry when `separately` (on Citus), in two of its own (rows of
 * one borrower in VALUES, which Citus routes to that borrower's shard).
 *
 * @example
 * const [first, second] = await postEntries(trx, [repaymentOfA, repaymentOfB]);
 */
export async function postEntries(db: Executor, entries: readonly NewEntry[], separately = false): Promise<(string | undefined)[]> {
  invariant(entries.length <= MAX_ENTRIES_AT_ONCE, `${entries.length} journal entries at once`);
  const merged = entries.map((entry) => {
    const lines = mergeLines(entry.lines);
    invariant(lines.length <= MAX_LINES, `journal entry with ${lines.length} lines`);
    invariant(lines.reduce((sum, line) => sum + line.amount, 0n) === 0n, `journal entry ${entry.kind} does not balance`);
    return { entry, lines, id: lines.length === 0 ? undefined : uuidv7() };
  });
  const posted = merged.filter((item): item is typeof item & { id: string } => item.id !== undefined);
  if (posted.length === 0) return merged.map(() => undefined);
  const now = new Date();
  const entryRows = posted.map(({ entry, id }) => ({
    id,
    enterprise_id: entry.enterpriseId,
    business_date: entry.businessDate,
    kind: entry.kind,
    description: entry.description,
    loan_id: entry.loanId ?? null,
    reverses_id: null,
    created_by: entry.createdBy,
    created_at: now,
    account_id: entry.accountId ?? null,
    certificate_id: entry.certificateId ?? null,
  }));
  // Every line's account before anything is written: a purpose without one posts nothing. Read
  // with each posting, not cached: a bank may renumber an account at any time (chart-of-accounts.ts).
  const codes = await accountCodes(db);
  const lineRows = posted.flatMap(({ entry, lines, id }) =>
    lines.map((line, index) => {
      const code = codes.get(line.purpose);
      invariant(code !== undefined, `no ledger account for purpose ${line.purpose}`);
      return { entry_id: id, enterprise_id: entry.enterpriseId, line_no: index + 1, account_code: code, amount: line.amount };
    }),
  );
  if (posted.length > 1 && !separately) {
    // A batch's entries: one array parameter per column, not one parameter per cell (src/db/unnest-rows.ts).
    // Not one statement with the entries' insert as a CTE and the chart joined in: that cost the
    // servicing burst a sixth of its repayments a second (docs/benchmarks.md, "Session 22 (s22d)").
    await db.insertInto('journal_entry').columns(columnNames(ENTRY_COLUMNS)).expression(sql`select * from ${unnestRows(ENTRY_COLUMNS, entryRows)}`).execute();
    await db.insertInto('journal_line').columns(columnNames(LINE_COLUMNS)).expression(sql`select * from ${unnestRows(LINE_COLUMNS, lineRows)}`).execute();
    return merged.map((item) => item.id);
  }
  // One entry at a time (every posting but a batch's, and every one on Citus): rows of one borrower
  // in VALUES, which Citus routes to that borrower's shard.
  for (const row of entryRows) {
    await db.insertInto('journal_entry').values(row).execute();
    await db.insertInto('journal_line').values(lineRows.filter((line) => line.entry_id === row.id)).execute();
  }
  return merged.map((item) => item.id);
}

/** A journal entry's columns and their types, for a batch's insert from arrays. */
const ENTRY_COLUMNS = {
  id: 'uuid',
  enterprise_id: 'uuid',
  business_date: 'date',
  kind: 'text',
  description: 'text',
  loan_id: 'uuid',
  reverses_id: 'uuid',
  created_by: 'text',
  created_at: 'timestamptz',
  account_id: 'uuid',
  certificate_id: 'uuid',
} as const;

/** A journal line's columns and their types. */
const LINE_COLUMNS = { entry_id: 'uuid', enterprise_id: 'uuid', line_no: 'integer', account_code: 'text', amount: 'bigint' } as const;

/**
 * Reverses a posted entry with its mirror image, dated `businessDate`. An entry can be reversed
 * once; reversing a reversal is refused (post a new entry instead).
 */
export async function reverseEntry(db: Executor, entryId: string, businessDate: BusinessDate, createdBy: string, reason: string): Promise<string> {
  const original = await db.selectFrom('journal_entry').selectAll().where('id', '=', entryId).executeTakeFirst();
  if (!original) throw new NotFoundError(`journal entry ${entryId}`);
  if (original.reverses_id !== null) throw new ConflictError('a reversal cannot itself be reversed', 'entryId');
  const already = await db.selectFrom('journal_entry').select('id').where('reverses_id', '=', entryId).where('enterprise_id', '=', original.enterprise_id).executeTakeFirst();
  if (already) throw new ConflictError(`journal entry ${entryId} is already reversed by ${already.id}`, 'entryId');
  const lines = await db.selectFrom('journal_line').selectAll().where('entry_id', '=', entryId).where('enterprise_id', '=', original.enterprise_id).orderBy('line_no').execute();
  const id = uuidv7();
  await db
    .insertInto('journal_entry')
    .values({
      id,
      enterprise_id: original.enterprise_id,
      business_date: businessDate,
      kind: 'reversal',
      description: `reversal of ${original.kind} ${entryId}: ${reason}`,
      loan_id: original.loan_id,
      reverses_id: entryId,
      created_by: createdBy,
      created_at: new Date(),
    })
    .execute();
  await db
    .insertInto('journal_line')
    .values(lines.map((line) => ({ entry_id: id, enterprise_id: original.enterprise_id, line_no: line.line_no, account_code: line.account_code, amount: minor(-line.amount) })))
    .execute();
  return id;
}

/** Purpose → account code, read from the configured chart. */
export async function accountCodes(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('ledger_account').select(['purpose', 'code']).execute();
  return new Map(rows.map((row) => [row.purpose, row.code]));
}

/** Adds lines to the same purpose together and drops zeros, keeping first-seen order. */
function mergeLines(lines: readonly PostingLine[]): PostingLine[] {
  const totals = new Map<AccountPurpose, Minor>();
  for (const line of lines) totals.set(line.purpose, minor((totals.get(line.purpose) ?? 0n) + line.amount));
  return [...totals].filter(([, amount]) => amount !== 0n).map(([purpose, amount]) => ({ purpose, amount }));
}
