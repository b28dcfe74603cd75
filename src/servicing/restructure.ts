/**
 * Restructuring (重组): a new schedule for a loan in difficulty. The principal billed and unpaid
 * is folded back into the new schedule; billed interest and penalty stay due. The loan is at least
 * special mention (关注) until its observation period ends (商业银行金融资产风险分类办法, 2023:
 * restructured assets are at least 关注 during the observation period), and never upgraded by
 * the restructuring itself.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { addMonths } from '../calendar/add-months.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Classification } from '../classification/classification.js';
import type { Database } from '../db/schema.js';
import { ConflictError, invariant, ValidationError } from '../errors.js';
import { loansAccountPurpose } from '../ledger/chart-of-accounts.js';
import { postEntry } from '../ledger/post-entry.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { productById } from '../products/products.js';
import { buildSchedule, parseScheduleRequest, type Schedule, type ScheduleTerms } from '../schedule/index.js';
import { getBusinessDate } from '../system/business-date.js';
import { scheduleRequestFor, type LoanTerm } from './loan-term.js';
import { assertBookedLoan } from './loan-bounds.js';
import { loanById } from './loans.js';
import { interestBasisOf, nextInterest, type InterestBasis } from './new-loan.js';

/** Default observation period: the regulation sets at least one year for restructured assets to be upgraded; banks watch 6–12 months. */
export const OBSERVATION_MONTHS = 12;

const SEVERITY: readonly Classification[] = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'];

export interface Restructuring {
  readonly loanId: string;
  readonly principal: Minor;
  readonly maturityOn: BusinessDate;
  readonly classification: Classification;
  readonly observationUntil: BusinessDate;
}

/**
 * Gives a loan a new schedule from today.
 *
 * @example
 * await restructure(trx, { loanId, installments: 12 }, 'credit-approver');
 */
export async function restructure(trx: Transaction<Database>, request: LoanTerm & { loanId: string }, actor: string): Promise<Restructuring> {
  const loan = await loanById(trx, request.loanId, { forUpdate: true });
  if (loan.status !== 'active') throw new ConflictError(`loan ${loan.id} is ${loan.status}`, 'loanId');
  const today = await getBusinessDate(trx);
  const principal = minor(loan.principal_not_due + loan.principal_due);
  if (principal === 0n) throw new ValidationError('loanId', 'the loan has no principal left to restructure');
  const product = await productById(trx, loan.product_id);
  const terms = parseScheduleRequest(scheduleRequestFor(request, product.schedule, formatMoney(principal), loan.annual_rate, today));
  const schedule = buildSchedule(terms);
  const classification = SEVERITY[Math.max(SEVERITY.indexOf(loan.classification), 1)]!;
  const observationUntil = addMonths(today, OBSERVATION_MONTHS);
  const maturityOn = schedule.installments.at(-1)!.dueDate;
  const stillDue = loan.interest_due + loan.penalty_due > 0n;
  // The principal was within bounds when booked and has only fallen since; the new term is checked.
  assertBookedLoan({ principal, rateUnits: loan.rate_units, penaltyRateUnits: loan.penalty_rate_units, compoundRateUnits: loan.compound_rate_units, fromDate: today, maturityOn });
  invariant(schedule.totalPrincipal === principal, 'the new schedule repays exactly the principal outstanding');
  const first = schedule.installments[0]!;
  await trx.deleteFrom('loan_installment').where('loan_id', '=', loan.id).execute();
  await trx
    .insertInto('loan_installment')
    .values(schedule.installments.map((row) => ({ loan_id: loan.id, enterprise_id: loan.enterprise_id, number: row.number, due_on: row.dueDate, principal: row.principal, interest: row.interest })))
    .execute();
  await trx
    .updateTable('loan')
    .set({
      principal_not_due: principal,
      principal_due: minor(0n),
      maturity_on: maturityOn,
      next_due_on: first.dueDate,
      next_due_principal: first.principal,
      overdue_since: stillDue ? loan.overdue_since : null,
      dpd: stillDue ? loan.dpd : 0,
      classification,
      restructured_until: observationUntil,
      amortization: terms.method,
      // Flat interest or an interest grace period: end of day bills the new schedule's interest,
      // and the interest accrued before today with the first installment that carries any.
      ...scheduledInterestAfter(terms, schedule, loan.interest_accrued),
    })
    .where('id', '=', loan.id)
    .execute();
  // No cash moves; the principal moves account only if the classification changed.
  await postEntry(trx, {
    enterpriseId: loan.enterprise_id,
    businessDate: today,
    kind: 'restructure',
    description: `restructuring of loan ${loan.id}: ${schedule.installments.length} installments to ${maturityOn}, ${classification} until ${observationUntil}`,
    loanId: loan.id,
    createdBy: actor,
    lines: [
      { purpose: loansAccountPurpose(classification), amount: principal },
      { purpose: loansAccountPurpose(loan.classification), amount: minor(-principal) },
    ],
  });
  await appendAudit(trx, { actor, action: 'loan.restructure', entityType: 'loan', entityId: loan.id, before: { maturityOn: loan.maturity_on, classification: loan.classification, principalDue: loan.principal_due }, after: { maturityOn, classification, observationUntil, installments: schedule.installments.length } });
  return { loanId: loan.id, principal, maturityOn, classification, observationUntil };
}

function scheduledInterestAfter(terms: ScheduleTerms, schedule: Schedule, accrued: Minor): { interest_basis: InterestBasis; next_interest_on?: BusinessDate | null; next_interest?: Minor } {
  if (interestBasisOf(terms) === 'daily') return { interest_basis: 'daily' };
  const next = nextInterest(schedule.installments.map((row) => ({ due_on: row.dueDate, interest: row.interest })), null);
  return { interest_basis: 'scheduled', next_interest_on: next.next_interest_on ?? schedule.installments.at(-1)!.dueDate, next_interest: minor(next.next_interest + accrued) };
}
