/**
 * What a checker reads before confirming (双人复核): the maker's proposal in plain terms — whose it
 * is, the amount proposed against what stands today, and the maker's note — read from the request's
 * payload and the records it names. The checker sees the same thing the maker proposed, not an id.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatMoney } from '../money/format-money.js';
import { minor } from '../money/minor.js';
import type { ApprovalRequest } from './maker-checker.js';

export interface Proposal {
  /** The firm the request is about, when it is about one. */
  readonly subjectName: string | null;
  readonly enterpriseId: string | null;
  /** What the maker proposes, yuan "1234.00": the limit to approve, the amount to write off… */
  readonly amount: string | null;
  /** What stands today, yuan: the limit the decision proposed, the loan's outstanding balance… */
  readonly current: string | null;
  /** The maker's words: the review note, the write-off reason, the entry's memo. */
  readonly note: string | null;
}

const asRecord = (payload: unknown): Record<string, unknown> => (typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/**
 * The proposal of each request, in the same order.
 *
 * @example
 * const [proposal] = await proposalsOf(db, [request]);
 * proposal.amount; // "800000.00" — the maker's limit; proposal.current "600000.00" — the decision's
 */
export async function proposalsOf(db: Kysely<Database>, requests: readonly ApprovalRequest[]): Promise<Proposal[]> {
  const applicationIds = requests.filter((request) => request.kind === 'application.approve').map((request) => String(asRecord(request.payload).applicationId));
  const loanIds = requests.filter((request) => request.kind === 'loan.write-off').map((request) => String(asRecord(request.payload).loanId));
  const applications = new Map(
    applicationIds.length === 0
      ? []
      : (
          await db
            .selectFrom('application')
            .innerJoin('enterprise', 'enterprise.id', 'application.enterprise_id')
            .select(['application.id', 'application.decision', 'enterprise.id as enterprise_id', 'enterprise.name'])
            .where('application.id', 'in', applicationIds)
            .execute()
        ).map((row) => [row.id, row]),
  );
  const loans = new Map(
    loanIds.length === 0
      ? []
      : (
          await db
            .selectFrom('loan')
            .innerJoin('enterprise', 'enterprise.id', 'loan.enterprise_id')
            .select(['loan.id', 'loan.principal_not_due', 'loan.principal_due', 'loan.interest_accrued', 'loan.interest_due', 'loan.penalty_due', 'enterprise.id as enterprise_id', 'enterprise.name'])
            .where('loan.id', 'in', loanIds)
            .execute()
        ).map((row) => [row.id, row]),
  );
  return requests.map((request) => {
    const payload = asRecord(request.payload);
    if (request.kind === 'application.approve') {
      const application = applications.get(String(payload.applicationId));
      // The decision's proposed limit is stored in fen as a decimal string (decision.limit.limit).
      const proposed = asRecord(asRecord(application?.decision).limit).limit;
      return {
        subjectName: application?.name ?? null,
        enterpriseId: application?.enterprise_id ?? null,
        amount: text(payload.limit),
        current: typeof proposed === 'string' && /^[0-9]+$/.test(proposed) ? formatMoney(minor(BigInt(proposed))) : null,
        note: text(payload.note),
      };
    }
    if (request.kind === 'loan.write-off') {
      const loan = loans.get(String(payload.loanId));
      const outstanding = loan === undefined ? null : formatMoney(minor(loan.principal_not_due + loan.principal_due + loan.interest_accrued + loan.interest_due + loan.penalty_due));
      return { subjectName: loan?.name ?? null, enterpriseId: loan?.enterprise_id ?? null, amount: outstanding, current: outstanding, note: text(payload.reason) };
    }
    return { subjectName: null, enterpriseId: null, amount: text(payload.amount) ?? text(payload.limit), current: null, note: text(payload.note) ?? text(payload.reason) ?? text(payload.memo) ?? text(payload.evidence) };
  });
}
