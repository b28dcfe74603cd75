/**
 * The loan note number (借据号): what a borrower and an officer call a loan, printed on its receipt,
 * listed in every table and CSV instead of an id tail. "JJ" + the disbursement date + "-" + the
 * loan's place among that date's drawdowns, five digits at least ("JJ20260115-00042").
 *
 * The place is counted in `loan_note_counter`, one row per date, bumped inside the drawdown's own
 * transaction: the row lock serialises that date's drawdowns from the bump to commit (so a
 * drawdown bumps it last: `insertNewLoan`'s `at-the-end`), a rolled-back drawdown gives its number
 * back, and no database sequence is needed (portable SQL).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';

/** "JJ20260115-00042" — the shape every note number has. */
export const LOAN_NOTE_NO = /^JJ[0-9]{8}-[0-9]{5,}$/;

/**
 * The note number of the `place`-th loan disbursed on `disbursedOn`.
 *
 * @example
 * formatLoanNoteNo(parseBusinessDate('2026-01-15', 'date'), 42); // "JJ20260115-00042"
 */
export function formatLoanNoteNo(disbursedOn: BusinessDate, place: number): string {
  invariant(Number.isSafeInteger(place) && place >= 1, 'a loan note place counts from 1');
  return `JJ${disbursedOn.replaceAll('-', '')}-${String(place).padStart(5, '0')}`;
}

/**
 * Takes the next note number for a loan disbursed on `disbursedOn`, in the caller's transaction.
 *
 * @example
 * await nextLoanNoteNo(trx, parseBusinessDate('2026-01-15', 'date')); // "JJ20260115-00001", then "…-00002"
 */
export async function nextLoanNoteNo(trx: Transaction<Database> | Kysely<Database>, disbursedOn: BusinessDate): Promise<string> {
  const [noteNo] = await nextLoanNoteNos(trx, disbursedOn, 1);
  return noteNo!;
}

/**
 * Takes the next `count` note numbers for loans disbursed on `disbursedOn` in one bump of the
 * day's counter (a batch of drawdowns, drawdown-batch.ts), in order.
 *
 * @example
 * await nextLoanNoteNos(trx, parseBusinessDate('2026-01-15', 'date'), 2); // ["JJ20260115-00001", "JJ20260115-00002"]
 */
export async function nextLoanNoteNos(trx: Transaction<Database> | Kysely<Database>, disbursedOn: BusinessDate, count: number): Promise<string[]> {
  invariant(Number.isSafeInteger(count) && count >= 1, `taking ${count} note numbers`);
  const { rows } = await sql<{ last: number }>`insert into loan_note_counter (day, last) values (${disbursedOn}, ${count})
    on conflict (day) do update set last = loan_note_counter.last + ${count} returning last`.execute(trx);
  const last = rows[0]?.last;
  invariant(last !== undefined, 'the counter returns the last place it gave out');
  const first = Number(last) - count + 1;
  return Array.from({ length: count }, (_, at) => formatLoanNoteNo(disbursedOn, first + at));
}
