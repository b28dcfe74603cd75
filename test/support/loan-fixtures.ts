/**
 * Loans for database tests, written the way a drawdown leaves them: a borrower, a loan row whose
 * sub-ledger columns are consistent (principal split into not-due and due, nothing accrued), its
 * installments, and the drawdown entry Dr loans-normal / Cr settlement, so the ledger reconciles.
 *
 * @example
 * const enterpriseId = await createEnterprise(db, 'Hangzhou Sprout Tea Co.');
 * const loanId = await createLoan(db, { enterpriseId, principal: 10_000_000n, installments: [{ dueOn: '2025-09-28', principal: 10_000_000n }] });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { uuidv7 } from '../../src/ids.js';
import { nextLoanNoteNo } from '../../src/servicing/loan-note-number.js';
import { postEntry } from '../../src/ledger/post-entry.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { minor } from '../../src/money/minor.js';
import { rateUnits as asRateUnits } from '../../src/pricing/rate-units.js';
import { TEST_BUSINESS_DATE } from './backends.js';

export interface InstallmentFixture {
  readonly dueOn: string;
  readonly principal: bigint;
  readonly interest?: bigint;
}

export interface LoanFixture {
  readonly enterpriseId: string;
  /** Fen. */
  readonly principal: bigint;
  /** Oldest first; the last one's date is the maturity. */
  readonly installments: readonly InstallmentFixture[];
  readonly productCode?: 'MICRO-LINE' | 'SHORT-TERM' | 'TERM-LOAN';
  /** Percent per year × 10^4; default 43500 (4.35%). */
  readonly rateUnits?: bigint;
  /** Default 1.5 × the rate, as the default products' penalty multiplier. */
  readonly penaltyRateUnits?: bigint;
  /** Interest on overdue interest (复利); default the penalty rate. */
  readonly compoundRateUnits?: bigint;
  readonly daysInYear?: 360 | 365;
  readonly disbursedOn?: string;
  /** Default 0. */
  readonly shard?: number;
  /**
   * A loan taken over already overdue: this much principal is billed and unpaid since `since`
   * (installments due on or before `since` are then considered billed).
   */
  readonly overdue?: { readonly principal: bigint; readonly since: string };
}

/** Fixtures take plain strings and bigints; they are branded where they reach the database. */
const day = (text: string) => parseBusinessDate(text, 'fixture');

/** A borrower; `id` default: a new UUIDv7. */
export async function createEnterprise(db: Kysely<Database>, name: string, id: string = uuidv7()): Promise<string> {
  await db.insertInto('enterprise').values({ id, name, credit_code: null, size_class: 'small', created_at: new Date() }).execute();
  return id;
}

/** A loan with its installments and drawdown entry; returns the loan id. */
export async function createLoan(db: Kysely<Database>, fixture: LoanFixture): Promise<string> {
  const productCode = fixture.productCode ?? 'SHORT-TERM';
  const rateUnits = fixture.rateUnits ?? 43_500n;
  const penaltyRateUnits = fixture.penaltyRateUnits ?? (rateUnits * 3n) / 2n;
  const disbursedOn = fixture.disbursedOn ?? TEST_BUSINESS_DATE;
  const installments = fixture.installments;
  const last = installments.at(-1);
  if (last === undefined) throw new Error('a loan needs at least one installment');
  if (installments.reduce((sum, row) => sum + row.principal, 0n) !== fixture.principal) throw new Error('installments must repay the principal');
  const overdue = fixture.overdue;
  const upcoming = installments.find((row) => overdue === undefined || row.dueOn > overdue.since);
  return inTransaction(db, async (trx) => {
    const product = await trx.selectFrom('product').select(['id', 'working_capital', 'allocation_order']).where('code', '=', productCode).executeTakeFirstOrThrow();
    const id = uuidv7();
    const noteNo = await nextLoanNoteNo(trx, day(disbursedOn));
    await trx
      .insertInto('loan')
      .values({
        id,
        enterprise_id: fixture.enterpriseId,
        product_id: product.id,
        line_id: null,
        note_no: noteNo,
        renewed_from_id: null,
        shard: fixture.shard ?? 0,
        status: 'active',
        disbursed_on: day(disbursedOn),
        maturity_on: day(last.dueOn),
        principal: minor(fixture.principal),
        annual_rate: (Number(rateUnits) / 10_000).toFixed(2),
        rate_units: asRateUnits(rateUnits),
        penalty_rate_units: asRateUnits(penaltyRateUnits),
        compound_rate_units: asRateUnits(fixture.compoundRateUnits ?? penaltyRateUnits),
        days_in_year: fixture.daysInYear ?? 360,
        working_capital: product.working_capital,
        allocation_order: product.allocation_order,
        principal_not_due: minor(fixture.principal - (overdue?.principal ?? 0n)),
        principal_due: minor(overdue?.principal ?? 0n),
        interest_accrued: minor(0n),
        interest_due: minor(0n),
        penalty_due: minor(0n),
        interest_remainder: 0n,
        penalty_remainder: 0n,
        next_due_on: upcoming === undefined ? null : day(upcoming.dueOn),
        next_due_principal: minor(upcoming?.principal ?? 0n),
        overdue_since: overdue === undefined ? null : day(overdue.since),
        dpd: 0,
        classification: 'normal',
        provision: minor(0n),
        last_eod_on: null,
        created_at: new Date(),
      })
      .execute();
    await trx
      .insertInto('loan_installment')
      .values(installments.map((row, index) => ({ loan_id: id, enterprise_id: fixture.enterpriseId, number: index + 1, due_on: day(row.dueOn), principal: minor(row.principal), interest: minor(row.interest ?? 0n) })))
      .execute();
    await postEntry(trx, {
      enterpriseId: fixture.enterpriseId,
      businessDate: day(disbursedOn),
      kind: 'drawdown',
      description: `test loan of ${fixture.principal} fen`,
      loanId: id,
      createdBy: 'test',
      lines: [
        { purpose: 'loans-normal', amount: minor(fixture.principal) },
        { purpose: 'settlement', amount: minor(-fixture.principal) },
      ],
    });
    return id;
  });
}

/** A one-repayment loan of `principal` fen maturing on `maturityOn`. */
export function bullet(enterpriseId: string, principal: bigint, maturityOn: string, extra: Partial<LoanFixture> = {}): LoanFixture {
  return { enterpriseId, principal, installments: [{ dueOn: maturityOn, principal }], ...extra };
}
