/**
 * Reading a loan: the sub-ledger balances and the schedule, in the shape the API and CLI show.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, LoanTable } from '../db/schema.js';
import { invariant, NotFoundError } from '../errors.js';
import { enterpriseOfRow, hasCitus } from '../db/distribution.js';
import { minor, type Minor } from '../money/minor.js';
import type { BusinessDate } from '../calendar/business-date.js';
import { accrualNightInStatementSql, accrualNightSql, accrualNights, enterMoneyChange, materialiseAccrual, materialiseLocked } from './lazy-accrual.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Active until paid off (closed), written off (核销), or replaced by a renewal (无还本续贷). */
export type LoanStatus = 'active' | 'closed' | 'written-off' | 'renewed';

export type LoanRow = Selectable<LoanTable>;

/**
 * The loan with `id` (optionally locked for update), or NOT_FOUND. Its accrued interest is as of
 * the last night closed for it (src/servicing/lazy-accrual.ts); locked, the row is written so, before
 * the caller changes it, after the money-change gate (`enterMoneyChange`), in the caller's
 * transaction. Batched repayments lock their loans in one read instead (`lockLoans`,
 * repayment-batch.ts): what a locked read does here, it must do too.
 */
export async function loanById(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<LoanRow> {
  if (options.forUpdate) {
    // The lock names the borrower: single-shard on Citus (src/db/distribution.ts).
    const enterpriseId = await enterpriseOfRow(db, 'loan', id);
    if (enterpriseId === undefined) throw new NotFoundError(`loan ${id}`);
    invariant(db.isTransaction, 'a loan is locked in a transaction');
    // Before the loan is locked: on a lazy night no chunk locks the loans it does not write (lazy-accrual.ts).
    const nights = await enterMoneyChange(db as Transaction<Database>, [id]);
    const row = await db.selectFrom('loan').selectAll().where('id', '=', id).where('enterprise_id', '=', enterpriseId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError(`loan ${id}`);
    // The skipped nights into the row, so whatever the caller changes starts from them.
    const [loan] = await materialiseLocked(db, [row], nights);
    return loan!;
  }
  const row = await db.selectFrom('loan').selectAll().select((await accrualNightOf(db)).as('accrual_night')).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`loan ${id}`);
  return materialised(row);
}

/**
 * The night a `loan` row's accrual is read as of, as SQL: from `system_state` in the same statement,
 * or on Citus from a statement of its own before it (src/servicing/lazy-accrual.ts). In a
 * transaction too, where whether the database is Citus would be asked again (it is remembered per
 * Kysely, and each transaction is a new one).
 */
async function accrualNightOf(db: Executor) {
  if (db.isTransaction || (await hasCitus<Database>(db))) return accrualNightSql(sql`loan`, await accrualNights(db));
  return accrualNightInStatementSql(sql`loan`);
}

/** A row read with its `accrual_night`, with its skipped nights accrued and that column dropped. */
function materialised(row: LoanRow & { accrual_night: BusinessDate | null }): LoanRow {
  const { accrual_night: night, ...loan } = row;
  return night === null ? loan : materialiseAccrual(loan, night);
}

/** Everything the borrower owes today, by kind, and the total to pay the loan off. */
export interface LoanBalances {
  readonly principalNotDue: Minor;
  readonly principalDue: Minor;
  readonly interestAccrued: Minor;
  readonly interestDue: Minor;
  readonly penaltyDue: Minor;
  /** Due now: penalty + billed interest + billed principal. */
  readonly totalDue: Minor;
  /** Pays the loan off today: all of it, with interest accrued to today. */
  readonly payoff: Minor;
}

export function balancesOf(loan: LoanRow): LoanBalances {
  const totalDue = minor(loan.penalty_due + loan.interest_due + loan.principal_due);
  return {
    principalNotDue: loan.principal_not_due,
    principalDue: loan.principal_due,
    interestAccrued: loan.interest_accrued,
    interestDue: loan.interest_due,
    penaltyDue: loan.penalty_due,
    totalDue,
    payoff: minor(totalDue + loan.interest_accrued + loan.principal_not_due),
  };
}

/** Filters for `listLoans`. */
export interface LoanFilter {
  readonly enterpriseId?: string;
  /** Only these enterprises' loans (a borrower's); an empty list matches nothing. */
  readonly enterpriseIds?: readonly string[];
  readonly status?: LoanRow['status'];
  /** Only loans this many days past due, both ends inclusive (a dashboard's days-past-due bucket). */
  readonly dpd?: { readonly min: number; readonly max: number | null };
  /** At most this many, newest first; the caller bounds it. */
  readonly limit: number;
}

/**
 * Loans, newest disbursement first, optionally of one enterprise and one status.
 *
 * @example
 * await listLoans(db, { enterpriseId, status: 'active', limit: 50 });
 */
export async function listLoans(db: Executor, filter: LoanFilter): Promise<LoanRow[]> {
  let query = db.selectFrom('loan').selectAll().select((await accrualNightOf(db)).as('accrual_night'));
  if (filter.enterpriseId !== undefined) query = query.where('enterprise_id', '=', filter.enterpriseId);
  if (filter.enterpriseIds !== undefined) {
    if (filter.enterpriseIds.length === 0) return [];
    query = query.where('enterprise_id', 'in', filter.enterpriseIds);
  }
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.dpd !== undefined) {
    query = query.where('dpd', '>=', filter.dpd.min);
    if (filter.dpd.max !== null) query = query.where('dpd', '<=', filter.dpd.max);
  }
  return (await query.orderBy('disbursed_on', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map(materialised);
}
