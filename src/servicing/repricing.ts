/**
 * Floating-rate loans (浮动利率贷款): the contract rate is the LPR of a tenor plus a spread fixed at
 * signing (the spread is the contract rate minus the LPR in force on the day it was signed, so the
 * first rate is exactly the rate agreed). On each repricing date — the anniversary of the
 * disbursement, or 1 January, as the contract says (人民银行公告〔2019〕第30号: 重定价周期 and
 * 重定价日 agreed in the contract) — the rate becomes the LPR in force on that date plus the spread.
 *
 * End of day runs {@link repriceDueLoans} before it accrues: the loans whose repricing date has
 * come are found by an index (`next_repricing_on <= D`), not by reading the book; each gets its new
 * rate (and the penalty rates that are multiples of it), the interest its remaining installments
 * project at the new rate, its next repricing date, a `loan_repricing` record (old and new rate,
 * the LPR applied, the reason, the effect on the interest to come) and an audit event. Night D's
 * accrual is then at the new rate. Idempotent: a repriced loan's next date is in the future.
 *
 * @example
 * await inTransaction(db, (trx) => makeFloating(trx, loanId, { lprTenor: '1y', repricing: 'anniversary' }, 'officer'));
 * await repriceDueLoans(db, '2026-06-30', 'eod'); // { loans: 12 }
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { addMonths, daysBetween, fromCivil, toCivil, type BusinessDate } from '../calendar/index.js';
import type { Database } from '../db/schema.js';
import { hasCitus, lockLoansOnCitus } from '../db/distribution.js';
import { inTransaction } from '../db/transaction.js';
import { ConflictError, invariant, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { minor, type Minor } from '../money/minor.js';
import { lprOn, noLprOn, type LprRow, type LprTenor } from '../pricing/lpr.js';
import { multiplyRate, rateToUnits, rateUnits, unitsToRate, type RateUnits } from '../pricing/rate-units.js';
import { productById } from '../products/products.js';
import { loanById } from './loans.js';
import { enterMoneyChange, materialiseLoans } from './lazy-accrual.js';

/** When a floating loan reprices. */
export const REPRICING_RULES = ['anniversary', 'january-first'] as const;
export type RepricingRule = (typeof REPRICING_RULES)[number];

/** Loans repriced per transaction: a night with many anniversaries is many short transactions. */
export const REPRICING_BATCH = 500;
/** Bound on batches per night: far above any book (500 × 2,000 = one million loans). */
const MAX_BATCHES = 2000;
/** Rate units are percent × 10^4, so a rate is units ÷ 10^6 per year. */
const UNITS_PER_ONE = 1_000_000n;

/**
 * The first repricing date after `after`: the next anniversary of `disbursedOn` (29 February
 * becomes 28 February in other years, as `addMonths` does), or the next 1 January.
 *
 * @example
 * nextRepricingDate('anniversary', '2025-03-15', '2025-03-15');   // '2026-03-15'
 * nextRepricingDate('january-first', '2025-03-15', '2025-12-31'); // '2026-01-01'
 */
export function nextRepricingDate(rule: RepricingRule, disbursedOn: BusinessDate, after: BusinessDate): BusinessDate {
  if (rule === 'january-first') return fromCivil({ year: toCivil(after).year + 1, month: 1, day: 1 });
  const years = Math.max(1, toCivil(after).year - toCivil(disbursedOn).year);
  // At most two steps: the anniversary in `after`'s year, or the next.
  for (let k = years; k <= years + 1; k++) {
    const date = addMonths(disbursedOn, 12 * k);
    if (date > after) return date;
  }
  return addMonths(disbursedOn, 12 * (years + 2));
}

/** The LPR table as the database holds it. */
export async function loadLprTable(db: Kysely<Database> | Transaction<Database>): Promise<LprRow[]> {
  const rows = await db.selectFrom('lpr_rate').select(['tenor', 'effective_from', 'rate']).execute();
  return rows.map((row) => ({ tenor: row.tenor, effectiveFrom: row.effective_from, rate: row.rate }));
}

/**
 * Makes a just-signed loan floating: the spread is its contract rate minus the LPR of `lprTenor`
 * in force on the disbursement date, fixed for the loan's life; the first repricing date follows.
 *
 * @example
 * await makeFloating(trx, loanId, { lprTenor: '1y', repricing: 'january-first' }, 'officer');
 */
export async function makeFloating(trx: Transaction<Database>, loanId: string, terms: { readonly lprTenor: LprTenor; readonly repricing: RepricingRule }, actor: string): Promise<{ spreadUnits: RateUnits; nextRepricingOn: BusinessDate }> {
  if (!REPRICING_RULES.includes(terms.repricing)) throw new ValidationError('repricing', `must be one of ${REPRICING_RULES.join(', ')}`);
  if (terms.lprTenor !== '1y' && terms.lprTenor !== '5y') throw new ValidationError('lprTenor', 'must be 1y or 5y');
  const loan = await loanById(trx, loanId, { forUpdate: true });
  if (loan.rate_basis === 'floating') throw new ConflictError(`loan ${loanId} is already floating`, 'loanId');
  const lpr = rateToUnits(lprOn(await loadLprTable(trx), terms.lprTenor, loan.disbursed_on), 'lpr');
  const spreadUnits = rateUnits(loan.rate_units - lpr);
  const nextRepricingOn = nextRepricingDate(terms.repricing, loan.disbursed_on, loan.disbursed_on);
  await trx.updateTable('loan').set({ rate_basis: 'floating', lpr_tenor: terms.lprTenor, spread_units: spreadUnits, repricing: terms.repricing, next_repricing_on: nextRepricingOn }).where('id', '=', loanId).execute();
  await appendAudit(trx, { actor, action: 'loan.floating-rate', entityType: 'loan', entityId: loanId, before: { rateBasis: 'fixed' }, after: { lprTenor: terms.lprTenor, spread: unitsToRate(spreadUnits), repricing: terms.repricing, nextRepricingOn } });
  return { spreadUnits, nextRepricingOn };
}

/** What one night's repricing did. */
export interface RepricingSummary {
  readonly loans: number;
  /** Sum of the effects on the interest the remaining schedules project, fen. */
  readonly interestEffect: Minor;
}

/**
 * Reprices every active floating loan whose repricing date is on or before `date`, in bounded
 * batches; see the module comment. The LPR applied is the one in force on the loan's repricing
 * date (a fixing published later does not reach back).
 *
 * @example
 * await repriceDueLoans(db, '2027-01-01', 'eod'); // { loans: 3, interestEffect: -1234n }
 */
export async function repriceDueLoans(db: Kysely<Database>, date: BusinessDate, actor: string, now: Date = new Date()): Promise<RepricingSummary> {
  let loans = 0;
  let effect = 0n;
  const citus = await hasCitus(db);
  // Most nights reprice nothing: one read of the index on next_repricing_on says so, where the
  // batch's transaction would cost four round trips on every book (docs/benchmarks.md, s12q).
  const anyDue = await db.selectNoFrom((eb) => eb.exists(eb.selectFrom('loan').select(sql`1`.as('one')).where('rate_basis', '=', 'floating').where('status', '=', 'active').where('next_repricing_on', '<=', date)).as('due')).executeTakeFirstOrThrow();
  if (!anyDue.due) return { loans: 0, interestEffect: minor(0n) };
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const done = await inTransaction(db, async (trx) => {
      // Every batch locks loans by a condition: the money-change gate for every loan first (lazy-accrual.ts).
      const nights = await enterMoneyChange(trx, 'every');
      // The nights end of day did not write into the rows first: the new rate applies from tonight (lazy-accrual.ts).
      if (batch === 0) await materialiseLoans(trx, sql`loan.rate_basis = 'floating' and loan.next_repricing_on <= ${date}`, nights);
      const dueQuery = trx
        .selectFrom('loan')
        .select(['id', 'enterprise_id', 'product_id', 'disbursed_on', 'annual_rate', 'rate_units', 'penalty_rate_units', 'compound_rate_units', 'lpr_tenor', 'spread_units', 'repricing', 'next_repricing_on', 'principal_not_due', 'interest_accrued', 'days_in_year'])
        .where('rate_basis', '=', 'floating')
        .where('status', '=', 'active')
        .where('next_repricing_on', '<=', date)
        .orderBy('id')
        .limit(REPRICING_BATCH);
      // Citus refuses a locking read across shards: there the batch is locked by an UPDATE of its own, then read again.
      let due: Awaited<ReturnType<typeof dueQuery.execute>>;
      if (citus) {
        const ids = (await dueQuery.execute()).map((loan) => loan.id);
        if (ids.length > 0) await lockLoansOnCitus(trx, true, sql`id in (${sql.join(ids)})`);
        due = ids.length === 0 ? [] : await dueQuery.where('id', 'in', ids).execute();
      } else {
        due = await dueQuery.forUpdate().execute();
      }
      if (due.length === 0) return 0;
      const table = await loadLprTable(trx);
      const installments = await trx.selectFrom('loan_installment').select(['loan_id', 'number', 'due_on', 'principal', 'interest']).where('loan_id', 'in', due.map((l) => l.id)).where('due_on', '>=', date).orderBy('loan_id').orderBy('number').execute();
      const byLoan = new Map<string, typeof installments>();
      for (const row of installments) byLoan.set(row.loan_id, [...(byLoan.get(row.loan_id) ?? []), row]);
      const products = new Map<string, Awaited<ReturnType<typeof productById>>>();
      for (const loan of due) {
        invariant(loan.lpr_tenor !== null && loan.spread_units !== null && loan.repricing !== null && loan.next_repricing_on !== null, `floating loan ${loan.id} has its LPR tenor, spread, rule and date`);
        const repricedOn = loan.next_repricing_on;
        let lprText: string;
        try {
          lprText = lprOn(table, loan.lpr_tenor, repricedOn);
        } catch {
          throw noLprOn(loan.lpr_tenor, repricedOn);
        }
        const newUnits = rateUnits(rateToUnits(lprText, 'lpr') + loan.spread_units);
        invariant(newUnits > 0n, `loan ${loan.id}: the repriced rate ${unitsToRate(newUnits)} is positive`);
        if (!products.has(loan.product_id)) products.set(loan.product_id, await productById(trx, loan.product_id));
        const product = products.get(loan.product_id)!;
        const penaltyUnits = multiplyRate(newUnits, product.penaltyMultiplier);
        const compoundUnits = loan.compound_rate_units === 0n ? rateUnits(0n) : penaltyUnits;
        // The schedule rebuilt: the principal parts stand; each remaining installment's interest is
        // projected at the new rate on the balance it runs on (the first keeps what accrued before tonight).
        const rows = byLoan.get(loan.id) ?? [];
        let balance = BigInt(loan.principal_not_due);
        let from = date;
        let oldTotal = 0n;
        let newTotal = 0n;
        const rebuilt: { number: number; interest: Minor }[] = [];
        rows.forEach((row, i) => {
          // Nights from tonight to the due date inclusive: the due night accrues, then bills.
          const nights = BigInt(daysBetween(from, row.due_on) + (i === 0 ? 1 : 0));
          const projected = (balance * newUnits * nights) / (BigInt(loan.days_in_year) * UNITS_PER_ONE) + (i === 0 ? BigInt(loan.interest_accrued) : 0n);
          oldTotal += BigInt(row.interest);
          newTotal += projected;
          rebuilt.push({ number: row.number, interest: minor(projected) });
          balance -= BigInt(row.principal);
          from = row.due_on;
        });
        const interestEffect = minor(newTotal - oldTotal);
        const next = nextRepricingDate(loan.repricing, loan.disbursed_on, repricedOn > date ? repricedOn : date);
        const newRate = unitsToRate(newUnits);
        const reason = `${loan.repricing === 'anniversary' ? 'anniversary' : '1 January'} repricing: ${loan.lpr_tenor} LPR ${lprText}% in force on ${repricedOn} + spread ${unitsToRate(loan.spread_units)}%`;
        // The rebuilt schedule is the daily accrual's: a loan billed its booked interest (flat, interest
        // grace; migration 0057) accrues daily from tonight, as the rebuilt schedule shows.
        await trx.updateTable('loan').set({ annual_rate: newRate, rate_units: newUnits, penalty_rate_units: penaltyUnits, compound_rate_units: compoundUnits, next_repricing_on: next, interest_basis: 'daily' }).where('id', '=', loan.id).execute();
        for (const row of rebuilt) await trx.updateTable('loan_installment').set({ interest: row.interest }).where('loan_id', '=', loan.id).where('number', '=', row.number).execute();
        await trx.insertInto('loan_repricing').values({
          id: uuidv7(), loan_id: loan.id, enterprise_id: loan.enterprise_id, repriced_on: repricedOn, lpr_tenor: loan.lpr_tenor, lpr_rate: lprText, spread_units: loan.spread_units,
          old_annual_rate: loan.annual_rate, new_annual_rate: newRate, old_rate_units: loan.rate_units, new_rate_units: newUnits, reason, interest_effect: interestEffect,
          next_repricing_on: next, created_by: actor, created_at: now,
        }).execute();
        await appendAudit(trx, { actor, action: 'loan.reprice', entityType: 'loan', entityId: loan.id, before: { annualRate: loan.annual_rate }, after: { annualRate: newRate, lpr: lprText, reason, interestEffect: interestEffect.toString(), nextRepricingOn: next } }, now);
        effect += interestEffect;
      }
      return due.length;
    });
    loans += done;
    if (done < REPRICING_BATCH) return { loans, interestEffect: minor(effect) };
  }
  throw new ConflictError(`more than ${MAX_BATCHES * REPRICING_BATCH} loans to reprice on ${date}`);
}

/** The repricings of a loan, oldest first. */
export async function loanRepricings(db: Kysely<Database>, loanId: string) {
  return db.selectFrom('loan_repricing').selectAll().where('loan_id', '=', loanId).orderBy('repriced_on').execute();
}
