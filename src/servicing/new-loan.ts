/**
 * Writing a new loan and its schedule: the one place a `loan` row is born, for drawdowns and for
 * renewals. A new loan owes exactly its principal, not yet due; end of day does the rest.
 */
import { sql, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Classification } from '../classification/classification.js';
import type { Database } from '../db/schema.js';
import { columnNames, unnestRows } from '../db/unnest-rows.js';
import { invariant } from '../errors.js';
import { shardOf } from '../eod/eod-run.js';
import { uuidv7 } from '../ids.js';
import { minor, type Minor } from '../money/minor.js';
import type { RateUnits } from '../pricing/rate-units.js';
import type { Amortization, Schedule, ScheduleTerms } from '../schedule/index.js';
import { assertBookedLoan } from './loan-bounds.js';
import { nextLoanNoteNo } from './loan-note-number.js';

/** How end of day bills a loan's interest: accrued daily on the balance, or the booked installments' (migration 0057). */
export type InterestBasis = 'daily' | 'scheduled';

/**
 * 'scheduled' for terms whose interest is not the daily accrual on the balance: flat interest, or
 * an interest grace period (its interest is billed with a later installment); else 'daily'.
 *
 * @example
 * interestBasisOf(parseScheduleRequest({ …, interest: 'flat' })); // 'scheduled'
 */
export function interestBasisOf(terms: Pick<ScheduleTerms, 'interest' | 'graceInterest'>): InterestBasis {
  return terms.interest === 'flat' || terms.graceInterest > 0 ? 'scheduled' : 'daily';
}

/**
 * The first installment due after `after` (all when null) that carries interest: what a
 * 'scheduled' loan's end of day accrues towards and bills on its date.
 *
 * @example
 * nextInterest(schedule.installments.map((r) => ({ due_on: r.dueDate, interest: r.interest })), null); // { next_interest_on: '2025-08-31', next_interest: 123456n }
 */
export function nextInterest(rows: readonly { readonly due_on: BusinessDate; readonly interest: Minor }[], after: BusinessDate | null): { next_interest_on: BusinessDate | null; next_interest: Minor } {
  const next = [...rows].sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : 0)).find((row) => (after === null || row.due_on > after) && row.interest > 0n);
  return next === undefined ? { next_interest_on: null, next_interest: minor(0n) } : { next_interest_on: next.due_on, next_interest: next.interest };
}

/** The terms and inherited state of a loan to write. */
export interface NewLoan {
  readonly enterpriseId: string;
  readonly productId: string;
  readonly lineId: string | null;
  readonly renewedFromId: string | null;
  readonly disbursedOn: BusinessDate;
  readonly principal: Minor;
  readonly annualRate: string;
  readonly rateUnits: RateUnits;
  readonly penaltyRateUnits: RateUnits;
  readonly compoundRateUnits: RateUnits;
  readonly daysInYear: number;
  readonly workingCapital: boolean;
  readonly allocationOrder: string;
  readonly schedule: Schedule;
  /** How the schedule amortises the principal, so a prepayment can re-amortise the rest the same way. */
  readonly amortization: Amortization;
  /** 'scheduled' when end of day must bill the schedule's interest ({@link interestBasisOf}); default 'daily'. */
  readonly interestBasis?: InterestBasis | undefined;
  /** The settlement account the principal was paid to (a drawdown's); null for a renewal, which pays nothing out. */
  readonly accountId?: string | null;
  /** A renewal carries these over from the loan it replaces; a drawdown starts normal at zero. */
  readonly classification: Classification;
  readonly provision: Minor;
  readonly lastEodOn: BusinessDate | null;
}

/** The start of a note number not yet taken (never committed: see `insertNewLoan`'s `at-the-end`). */
export const PENDING_NOTE_NO = 'pending-';

/** Most loans written in one call: bounds the statements' parameters (a loan's row ≈ 40, its installments 6 each, at most 60 of them). */
export const MAX_NEW_LOANS = 100;

/**
 * Inserts the loan and its installments; returns the new id, its note number (借据号) and maturity.
 *
 * @example
 * const { loanId } = await insertNewLoan(trx, { …terms, schedule, classification: 'normal', provision: 0n, lastEodOn: null });
 */
export async function insertNewLoan(
  trx: Transaction<Database>,
  loan: NewLoan,
  options: {
    /**
     * `at-the-end`: the loan is inserted under a placeholder unique to it, and the caller takes its
     * note number with `nextLoanNoteNo` and sets it as late in the transaction as it can — the
     * day's counter row stays locked from that bump to commit, and a month end's drawdowns queue on it.
     */
    readonly noteNo?: 'now' | 'at-the-end';
  } = {},
): Promise<{ loanId: string; noteNo: string; maturityOn: BusinessDate }> {
  const noteNo = options.noteNo === 'at-the-end' ? undefined : await nextLoanNoteNo(trx, loan.disbursedOn);
  const [written] = await writeNewLoans(trx, [{ loan, noteNo }]);
  return written!;
}

/**
 * Inserts several loans and their installments in two statements (one multi-row insert each), each
 * under a placeholder note number unique to it (`insertNewLoan`'s `at-the-end`: the caller takes
 * the numbers last and sets them); returns each one's id, placeholder and maturity, in order.
 *
 * @example
 * const written = await insertNewLoans(trx, [first, second]); // [{ loanId, noteNo: 'pending-…', maturityOn }, …]
 */
export async function insertNewLoans(trx: Transaction<Database>, loans: readonly NewLoan[]): Promise<{ loanId: string; noteNo: string; maturityOn: BusinessDate }[]> {
  return writeNewLoans(trx, loans.map((loan) => ({ loan, noteNo: undefined })));
}

/** The loans' rows and their installments' in one insert each; a loan without `noteNo` gets its placeholder. */
async function writeNewLoans(trx: Transaction<Database>, loans: readonly { readonly loan: NewLoan; readonly noteNo: string | undefined }[]): Promise<{ loanId: string; noteNo: string; maturityOn: BusinessDate }[]> {
  invariant(loans.length >= 1 && loans.length <= MAX_NEW_LOANS, `${loans.length} new loans at once`);
  const createdAt = new Date();
  const written = loans.map(({ loan, noteNo }) => {
    const first = loan.schedule.installments[0];
    const last = loan.schedule.installments.at(-1);
    invariant(first !== undefined && last !== undefined, 'a loan needs at least one installment');
    invariant(loan.schedule.totalPrincipal === loan.principal, 'the schedule must repay exactly the principal');
    invariant(loan.schedule.installments.every((row) => row.principal >= 0n && row.interest >= 0n), 'no installment has a negative part');
    // The one place a loan row is born: every loan end of day will accrue is inside its int8 bounds.
    assertBookedLoan({ principal: loan.principal, rateUnits: loan.rateUnits, penaltyRateUnits: loan.penaltyRateUnits, compoundRateUnits: loan.compoundRateUnits, fromDate: loan.disbursedOn, maturityOn: last.dueDate });
    const loanId = uuidv7();
    return { loan, loanId, noteNo: noteNo ?? `${PENDING_NOTE_NO}${loanId}`, first, last };
  });
  const loanRows = written.map(({ loan, loanId, noteNo, first, last }) => ({
    id: loanId,
    enterprise_id: loan.enterpriseId,
    product_id: loan.productId,
    line_id: loan.lineId,
    renewed_from_id: loan.renewedFromId,
    shard: shardOf(loanId),
    status: 'active' as const,
    disbursed_on: loan.disbursedOn,
    maturity_on: last.dueDate,
    principal: loan.principal,
    annual_rate: loan.annualRate,
    rate_units: loan.rateUnits,
    penalty_rate_units: loan.penaltyRateUnits,
    compound_rate_units: loan.compoundRateUnits,
    days_in_year: loan.daysInYear,
    working_capital: loan.workingCapital,
    allocation_order: loan.allocationOrder,
    principal_not_due: loan.principal,
    principal_due: minor(0n),
    interest_accrued: minor(0n),
    interest_due: minor(0n),
    penalty_due: minor(0n),
    interest_remainder: 0n,
    penalty_remainder: 0n,
    next_due_on: first.dueDate,
    next_due_principal: first.principal,
    overdue_since: null,
    dpd: 0,
    classification: loan.classification,
    provision: loan.provision,
    last_eod_on: loan.lastEodOn,
    created_at: createdAt,
    amortization: loan.amortization,
    note_no: noteNo,
    // Every row names the same columns (a daily loan: the defaults of migration 0057).
    ...(loan.interestBasis === 'scheduled'
      ? { interest_basis: 'scheduled' as const, ...nextInterest(loan.schedule.installments.map((row) => ({ due_on: row.dueDate, interest: row.interest })), null) }
      : { interest_basis: 'daily' as const, next_interest_on: null, next_interest: minor(0n) }),
  }));
  const installmentRows = written.flatMap(({ loan, loanId }) => loan.schedule.installments.map((row) => ({ loan_id: loanId, enterprise_id: loan.enterpriseId, number: row.number, due_on: row.dueDate, principal: row.principal, interest: row.interest })));
  if (written.length === 1) {
    // One loan (every drawdown but a batch's, and every one on Citus, which batches nothing): one
    // borrower's rows in VALUES, which Citus routes to that borrower's shard.
    await trx.insertInto('loan').values(loanRows).execute();
    await trx.insertInto('loan_installment').values(installmentRows).execute();
  } else {
    // A batch's loans: one array parameter per column, not one per cell (src/db/unnest-rows.ts).
    await trx.insertInto('loan').columns(columnNames(NEW_LOAN_COLUMNS)).expression(sql`select * from ${unnestRows(NEW_LOAN_COLUMNS, loanRows)}`).execute();
    await trx.insertInto('loan_installment').columns(columnNames(INSTALLMENT_COLUMNS)).expression(sql`select * from ${unnestRows(INSTALLMENT_COLUMNS, installmentRows)}`).execute();
  }
  return written.map(({ loanId, noteNo, last }) => ({ loanId, noteNo, maturityOn: last.dueDate }));
}

/** A new loan's columns and their types, in the order {@link writeNewLoans} builds them. */
const NEW_LOAN_COLUMNS = {
  id: 'uuid',
  enterprise_id: 'uuid',
  product_id: 'uuid',
  line_id: 'uuid',
  renewed_from_id: 'uuid',
  shard: 'smallint',
  status: 'text',
  disbursed_on: 'date',
  maturity_on: 'date',
  principal: 'bigint',
  annual_rate: 'text',
  rate_units: 'bigint',
  penalty_rate_units: 'bigint',
  compound_rate_units: 'bigint',
  days_in_year: 'smallint',
  working_capital: 'boolean',
  allocation_order: 'text',
  principal_not_due: 'bigint',
  principal_due: 'bigint',
  interest_accrued: 'bigint',
  interest_due: 'bigint',
  penalty_due: 'bigint',
  interest_remainder: 'bigint',
  penalty_remainder: 'bigint',
  next_due_on: 'date',
  next_due_principal: 'bigint',
  overdue_since: 'date',
  dpd: 'integer',
  classification: 'text',
  provision: 'bigint',
  last_eod_on: 'date',
  created_at: 'timestamptz',
  amortization: 'text',
  note_no: 'text',
  interest_basis: 'text',
  next_interest_on: 'date',
  next_interest: 'bigint',
} as const;

/** An installment's columns and their types. */
const INSTALLMENT_COLUMNS = { loan_id: 'uuid', enterprise_id: 'uuid', number: 'integer', due_on: 'date', principal: 'bigint', interest: 'bigint' } as const;
