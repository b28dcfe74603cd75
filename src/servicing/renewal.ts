/**
 * Renewal without repaying principal (无还本续贷): a new loan contract replaces a maturing
 * working-capital loan; the principal does not move in cash. Interest accrued to today is
 * collected; the new loan keeps the old one's classification (a normal loan stays normal — the
 * 2024 notice: a renewal by itself is no reason to downgrade) and its provision; the chain of
 * renewals stays linked by `renewed_from_id` for reporting.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Classification, Database } from '../db/schema.js';
import { postEntry } from '../ledger/post-entry.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import type { BusinessDate } from '../calendar/business-date.js';
import { parseScheduleRequest } from '../schedule/index.js';
import { bookedSchedule } from './booked-schedule.js';
import { getBusinessDate } from '../system/business-date.js';
import { productById } from '../products/products.js';
import { insertNewLoan, interestBasisOf } from './new-loan.js';
import { scheduleRequestFor, type LoanTerm } from './loan-term.js';
import { loanById } from './loans.js';
import { RENEWAL_POLICY_2024, renewalRefusals, type RenewalAttestation, type RenewalRefusal } from './renewal-policy.js';

export interface RenewalRequest extends LoanTerm {
  readonly loanId: string;
  readonly attestation: RenewalAttestation;
}

export type RenewalOutcome =
  | { readonly decision: 'renewed'; readonly oldLoanId: string; readonly newLoanId: string; readonly newNoteNo: string; readonly principal: Minor; readonly interestCollected: Minor; readonly maturityOn: BusinessDate; readonly classification: Classification }
  | { readonly decision: 'refused'; readonly oldLoanId: string; readonly refusals: readonly RenewalRefusal[] };

/**
 * Renews a loan, or says why not. A refusal is a result, not an error: nothing changes.
 *
 * @example
 * const outcome = await renew(trx, { loanId, termDays: 180, attestation: { lawfulOperation: true, … } }, 'credit-approver');
 */
export async function renew(trx: Transaction<Database>, request: RenewalRequest, actor: string): Promise<RenewalOutcome> {
  const old = await loanById(trx, request.loanId, { forUpdate: true });
  const today = await getBusinessDate(trx);
  const enterprise = await trx.selectFrom('enterprise').select('size_class').where('id', '=', old.enterprise_id).executeTakeFirstOrThrow();
  const hold = old.line_id === null ? undefined : await trx.selectFrom('credit_line').select('renewal_hold').where('id', '=', old.line_id).executeTakeFirst();
  const refusals = renewalRefusals(
    RENEWAL_POLICY_2024,
    {
      today,
      loanStatus: old.status,
      maturityOn: old.maturity_on,
      workingCapital: old.working_capital,
      sizeClass: enterprise.size_class,
      overdue: old.principal_due > 0n || old.dpd > 0,
      interestArrears: old.interest_due > 0n || old.penalty_due > 0n,
      earlyWarningHold: hold?.renewal_hold === true,
    },
    request.attestation,
  );
  if (refusals.length > 0) {
    await appendAudit(trx, { actor, action: 'loan.renewal-refused', entityType: 'loan', entityId: old.id, after: { refusals, attestation: request.attestation } });
    return { decision: 'refused', oldLoanId: old.id, refusals };
  }

  const product = await productById(trx, old.product_id);
  const principal = old.principal_not_due;
  const terms = parseScheduleRequest(scheduleRequestFor(request, product.schedule, formatMoney(principal), old.annual_rate, today));
  const schedule = await bookedSchedule(trx, terms, product.schedule);
  await trx
    .updateTable('loan')
    .set({ status: 'renewed', principal_not_due: minor(0n), interest_accrued: minor(0n), interest_remainder: 0n, penalty_remainder: 0n, next_due_on: null, next_due_principal: minor(0n), provision: minor(0n) })
    .where('id', '=', old.id)
    .execute();
  const { loanId: newLoanId, noteNo: newNoteNo, maturityOn } = await insertNewLoan(trx, {
    enterpriseId: old.enterprise_id,
    productId: old.product_id,
    lineId: old.line_id,
    renewedFromId: old.id,
    disbursedOn: today,
    principal,
    annualRate: old.annual_rate,
    rateUnits: old.rate_units,
    penaltyRateUnits: old.penalty_rate_units,
    compoundRateUnits: old.compound_rate_units,
    daysInYear: old.days_in_year,
    workingCapital: old.working_capital,
    allocationOrder: old.allocation_order,
    schedule,
    amortization: terms.method,
    interestBasis: interestBasisOf(terms),
    classification: old.classification,
    provision: old.provision,
    lastEodOn: old.last_eod_on,
  });
  // The principal stays in the same loans account (same classification): no cash, no GL movement
  // for it. The interest accrued to today is paid now (the notice: interest must be serviced).
  await postEntry(trx, {
    enterpriseId: old.enterprise_id,
    businessDate: today,
    kind: 'renewal',
    description: `renewal of loan ${old.id} as ${newLoanId}: principal ${formatMoney(principal)} carried, interest ${formatMoney(old.interest_accrued)} collected`,
    loanId: newLoanId,
    createdBy: actor,
    lines: [
      { purpose: 'settlement', amount: old.interest_accrued },
      { purpose: 'interest-receivable', amount: minor(-old.interest_accrued) },
    ],
  });
  await appendAudit(trx, { actor, action: 'loan.renewal', entityType: 'loan', entityId: old.id, before: { status: old.status, principal, maturityOn: old.maturity_on }, after: { status: 'renewed', newLoanId, maturityOn, attestation: request.attestation } });
  return { decision: 'renewed', oldLoanId: old.id, newLoanId, newNoteNo, principal, interestCollected: old.interest_accrued, maturityOn, classification: old.classification };
}

/** The chain of loans a loan renewed, newest first, ending at the original drawdown. */
export async function renewalChain(trx: Transaction<Database> | Kysely<Database>, loanId: string): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = loanId;
  // Bounded: a loan renewed more than 100 times is a data error, not a chain to follow forever.
  for (let step = 0; current !== null && step < 100; step++) {
    chain.push(current);
    const row: { renewed_from_id: string | null } | undefined = await trx.selectFrom('loan').select('renewed_from_id').where('id', '=', current).executeTakeFirst();
    current = row?.renewed_from_id ?? null;
  }
  return chain;
}
