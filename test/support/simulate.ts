/**
 * Puts a loan into a state end of day would have reached (overdue, classified, provisioned),
 * with the journal entries end of day would have posted, so servicing tests can start there.
 */
import type { Kysely } from 'kysely';
import type { Classification, Database } from '../../src/db/schema.js';
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
      provision,
      principal_due: principalDue,
      principal_not_due: principal - principalDue,
      interest_accrued: interestAccrued,
      interest_due: interestDue,
      penalty_due: penaltyDue,
      dpd: state.dpd ?? loan.dpd,
      overdue_since: state.overdueSince === undefined ? loan.overdue_since : state.overdueSince,
    })
    .where('id', '=', loanId)
    .execute();
  const interestDelta = interestAccrued + interestDue - loan.interest_accrued - loan.interest_due;
  await postEntry(db, {
    businessDate: await getBusinessDate(db),
    kind: 'test-simulated-eod',
    description: 'simulated end of day',
    loanId,
    createdBy: 'test',
    lines: [
      { purpose: loansAccountPurpose(classification), amount: principal },
      { purpose: loansAccountPurpose(loan.classification), amount: -principal },
      { purpose: 'interest-receivable', amount: interestDelta },
      { purpose: 'interest-income', amount: -interestDelta },
      { purpose: 'penalty-receivable', amount: penaltyDue - loan.penalty_due },
      { purpose: 'penalty-income', amount: loan.penalty_due - penaltyDue },
      { purpose: 'provision-expense', amount: provision - loan.provision },
      { purpose: 'loan-loss-provision', amount: loan.provision - provision },
    ],
  });
}
