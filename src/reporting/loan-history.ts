/**
 * A loan as of any closed business date, from its history (`loan_day`, written by end of day's
 * chunk statement): principal not due and due, accrued and billed interest, penalty, days past
 * due, category and provision at the close of that date. One primary-key read.
 *
 * A loan with no row for a closed date was not on the books at its close: not yet disbursed, or
 * already repaid (closed), renewed (无还本续贷) or written off (核销) on or before it.
 *
 * @example
 * const state = await loanAsOf(db, loanId, '2025-06-30');
 * state.onBooks && state.principalNotDue; // 1000000n
 */
import type { Kysely, Transaction } from 'kysely';
import { parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { Classification } from '../classification/classification.js';
import type { Database } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';
import type { LoanStatus } from '../servicing/loans.js';
import { assertInHistory } from './history-retention.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type LoanAsOf =
  | {
      readonly loanId: string;
      readonly date: BusinessDate;
      readonly onBooks: true;
      readonly principalNotDue: Minor;
      readonly principalDue: Minor;
      readonly interestAccrued: Minor;
      readonly interestDue: Minor;
      readonly penaltyDue: Minor;
      readonly dpd: number;
      readonly classification: Classification;
      readonly provision: Minor;
    }
  | {
      readonly loanId: string;
      readonly date: BusinessDate;
      readonly onBooks: false;
      /** Why: not yet disbursed on the date, or the status it left the books with. */
      readonly reason: 'not-yet-disbursed' | Exclude<LoanStatus, 'active'>;
    };

/**
 * The loan at the close of `date`. `date` must have been closed by end of day and fall within
 * the history (from the first night end of day wrote it).
 */
export async function loanAsOf(db: Executor, loanId: string, dateText: string): Promise<LoanAsOf> {
  const date = parseBusinessDate(dateText, 'date');
  const row = await db.selectFrom('loan_day').selectAll().where('business_date', '=', date).where('loan_id', '=', loanId).executeTakeFirst();
  if (row !== undefined) {
    return {
      loanId,
      date,
      onBooks: true,
      principalNotDue: row.principal_not_due,
      principalDue: row.principal_due,
      interestAccrued: row.interest_accrued,
      interestDue: row.interest_due,
      penaltyDue: row.penalty_due,
      dpd: row.dpd,
      classification: row.classification,
      provision: row.provision,
    };
  }
  const loan = await db.selectFrom('loan').select(['status', 'disbursed_on']).where('id', '=', loanId).executeTakeFirst();
  if (loan === undefined) throw new NotFoundError(`loan ${loanId}`);
  await assertClosed(db, date);
  if (date < loan.disbursed_on) return { loanId, date, onBooks: false, reason: 'not-yet-disbursed' };
  // Active now but without a row on a closed date after its disbursement: the history does not reach back that far.
  if (loan.status === 'active') throw new ValidationError('date', `the loan history does not cover ${date}`);
  return { loanId, date, onBooks: false, reason: loan.status };
}

/** Refuses a date end of day has not closed: its balances are not history yet. */
export async function assertClosed(db: Executor, date: BusinessDate): Promise<void> {
  const run = await db.selectFrom('eod_run').select('status').where('business_date', '=', date).executeTakeFirst();
  if (run?.status !== 'done') throw new ValidationError('date', `end of day has not closed ${date}`);
  await assertInHistory(db, date);
}

/** Sum of a state's principal, 0 when off the books. */
export function principalOf(state: LoanAsOf): Minor {
  return state.onBooks ? minor(state.principalNotDue + state.principalDue) : minor(0n);
}
