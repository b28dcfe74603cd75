/**
 * What a checker reads before confirming (双人复核): the maker's proposal in plain terms — whose it
 * is, the amount proposed against what stands today, and the maker's note — read from the request's
 * payload and the records it names. The checker sees the same thing the maker proposed, not an id.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatMoney } from '../money/format-money.js';
import { minor } from '../money/minor.js';
import { currentAccount, type AccountPurpose } from '../lines/settlement-accounts.js';
import { maskAccountNo } from '../auth/masking.js';
import type { ApprovalRequest } from './maker-checker.js';
import { accrualNights, accruedInterestSql } from '../servicing/lazy-accrual.js';

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
  /** A settlement account change (`line.account-change`): the account in force and the one proposed, numbers masked. */
  readonly account: AccountProposal | null;
}

/** An account as a checker compares it: bank, bank code, number masked to its last four digits. */
export interface ProposedAccount {
  readonly bankName: string;
  readonly bankCode: string;
  readonly accountNoMasked: string;
}

/** What a `line.account-change` request changes: which account of which line, from what to what. */
export interface AccountProposal {
  readonly lineId: string;
  readonly purpose: AccountPurpose;
  /** null when the line had no account of this purpose. */
  readonly before: ProposedAccount | null;
  readonly after: ProposedAccount;
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
            .select(['loan.id', 'loan.principal_not_due', 'loan.principal_due', accruedInterestSql(sql`loan`, await accrualNights(db)).as('interest_accrued'), 'loan.interest_due', 'loan.penalty_due', 'enterprise.id as enterprise_id', 'enterprise.name'])
            .where('loan.id', 'in', loanIds)
            .execute()
        ).map((row) => [row.id, row]),
  );
  const programmeIds = requests.filter((request) => request.kind === 'scf.programme-change').map((request) => String(asRecord(request.payload).programmeId));
  const programmes = new Map(
    programmeIds.length === 0
      ? []
      : (
          await db
            .selectFrom('scf_programme')
            .innerJoin('enterprise', 'enterprise.id', 'scf_programme.core_enterprise_id')
            .select(['scf_programme.id', 'scf_programme.limit_amount', 'enterprise.id as enterprise_id', 'enterprise.name'])
            .where('scf_programme.id', 'in', programmeIds)
            .execute()
        ).map((row) => [row.id, row]),
  );
  const accountChanges = new Map<string, { readonly name: string; readonly enterpriseId: string; readonly before: ProposedAccount | null }>();
  for (const request of requests) {
    if (request.kind !== 'line.account-change') continue;
    const payload = asRecord(request.payload);
    const lineId = String(payload.lineId);
    const purpose = payload.purpose === 'repayment' ? 'repayment' : 'disbursement';
    const line = await db.selectFrom('credit_line').innerJoin('enterprise', 'enterprise.id', 'credit_line.enterprise_id').select(['enterprise.id', 'enterprise.name']).where('credit_line.id', '=', lineId).executeTakeFirst();
    if (line === undefined) continue;
    // The account in force now: what the checker's confirmation would replace.
    const before = await currentAccount(db, lineId, purpose);
    accountChanges.set(request.id, { name: line.name, enterpriseId: line.id, before: before === undefined ? null : { bankName: before.bank_name, bankCode: before.bank_code, accountNoMasked: maskAccountNo(before.account_no) } });
  }
  return requests.map((request) => {
    const payload = asRecord(request.payload);
    const change = accountChanges.get(request.id);
    if (request.kind === 'line.account-change' && change !== undefined) {
      // The request's payload reaches here already masked (maker-checker's toRequest).
      return {
        subjectName: change.name,
        enterpriseId: change.enterpriseId,
        amount: null,
        current: null,
        note: text(payload.reason),
        account: {
          lineId: String(payload.lineId),
          purpose: payload.purpose === 'repayment' ? 'repayment' : 'disbursement',
          before: change.before,
          after: { bankName: String(payload.bankName), bankCode: String(payload.bankCode), accountNoMasked: String(payload.accountNo) },
        },
      };
    }
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
        account: null,
      };
    }
    if (request.kind === 'loan.write-off') {
      const loan = loans.get(String(payload.loanId));
      const outstanding = loan === undefined ? null : formatMoney(minor(loan.principal_not_due + loan.principal_due + loan.interest_accrued + loan.interest_due + loan.penalty_due));
      return { subjectName: loan?.name ?? null, enterpriseId: loan?.enterprise_id ?? null, amount: outstanding, current: outstanding, note: text(payload.reason), account: null };
    }
    if (request.kind === 'scf.programme-change') {
      // The limit proposed against the limit in force; the other terms are in the maker's note.
      const programme = programmes.get(String(payload.programmeId));
      return {
        subjectName: programme?.name ?? null,
        enterpriseId: programme?.enterprise_id ?? null,
        amount: text(payload.limit) ?? (programme ? formatMoney(programme.limit_amount) : null),
        current: programme ? formatMoney(programme.limit_amount) : null,
        note: text(payload.reason),
        account: null,
      };
    }
    return { subjectName: null, enterpriseId: null, amount: text(payload.amount) ?? text(payload.limit), current: null, note: text(payload.note) ?? text(payload.reason) ?? text(payload.memo) ?? text(payload.evidence), account: null };
  });
}
