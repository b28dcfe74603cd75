/**
 * Puts a loan into a state end of day would have reached (overdue, classified, provisioned),
 * with the journal entries end of day would have posted, so servicing tests can start there.
 */
import type { Kysely } from 'kysely';
import type { Classification } from '../../src/classification/classification.js';
import type { Database } from '../../src/db/schema.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { minor } from '../../src/money/minor.js';
import { loansAccountPurpose } from '../../src/ledger/chart-of-accounts.js';
import { postEntry } from '../../src/ledger/post-entry.js';
import { loanById } from '../../src/servicing/loans.js';
import { getBusinessDate } from '../../src/system/business-date.js';

export interface SimulatedState {
  readonly classification?: Classification;
  readonly provision?: bigint;
  /** Billed principal moved from not-due to due. */
  readonly principalDue?: bigint;
  readonly interestAccrued?: bigint;
  readonly interestDue?: bigint;
  readonly penaltyDue?: bigint;
  readonly dpd?: number;
  readonly overdueSince?: string | null;
}

export async function simulate(db: Kysely<Database>, loanId: string, state: SimulatedState): Promise<void> {
  const loan = await loanById(db, loanId);
  const classification = state.classification ?? loan.classification;
  const principal = loan.principal_not_due + loan.principal_due;
  const principalDue = state.principalDue ?? loan.principal_due;
  const interestAccrued = state.interestAccrued ?? loan.interest_accrued;
  const interestDue = state.interestDue ?? loan.interest_due;
  const penaltyDue = state.penaltyDue ?? loan.penalty_due;
  const provision = state.provision ?? loan.provision;
  await db
    .updateTable('loan')
    .set({
      classification,
      provision: minor(provision),
      principal_due: minor(principalDue),
      principal_not_due: minor(principal - principalDue),
      interest_accrued: minor(interestAccrued),
      interest_due: minor(interestDue),
      penalty_due: minor(penaltyDue),
      dpd: state.dpd ?? loan.dpd,
      overdue_since: state.overdueSince === undefined ? loan.overdue_since : state.overdueSince === null ? null : parseBusinessDate(state.overdueSince, 'overdueSince'),
    })
    .where('id', '=', loanId)
    .execute();
  const interestDelta = interestAccrued + interestDue - loan.interest_accrued - loan.interest_due;
  await postEntry(db, {
    enterpriseId: loan.enterprise_id,
    businessDate: await getBusinessDate(db),
    kind: 'test-simulated-eod',
    description: 'simulated end of day',
    loanId,
    createdBy: 'test',
    lines: [
      { purpose: loansAccountPurpose(classification), amount: minor(principal) },
      { purpose: loansAccountPurpose(loan.classification), amount: minor(-principal) },
      { purpose: 'interest-receivable', amount: minor(interestDelta) },
      { purpose: 'interest-income', amount: minor(-interestDelta) },
      { purpose: 'penalty-receivable', amount: minor(penaltyDue - loan.penalty_due) },
      { purpose: 'penalty-income', amount: minor(loan.penalty_due - penaltyDue) },
      { purpose: 'provision-expense', amount: minor(provision - loan.provision) },
      { purpose: 'loan-loss-provision', amount: minor(loan.provision - provision) },
    ],
  });
}
