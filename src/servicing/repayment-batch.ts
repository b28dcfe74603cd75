/**
 * Group commit of concurrent repayments (docs/decisions.md, "Repayments arriving together are
 * committed together"). At month end thousands of borrowers repay at once; one at a time, each
 * repayment is a transaction of a dozen statements, and on a small machine the statements' cost
 * (a round trip, a query to build, a backend waiting on node) is what caps the rate. Here the
 * repayments that arrive together are applied in one transaction of set-based statements: one
 * locking read of all their loans, one update of the loans, one insert of the journal entries and
 * one of their lines, one append of the audit events per stream, one write of the receipts and one
 * of the idempotency records.
 *
 * Every repayment is decided by the same code as one on its own (`decideRepayment` and the entry,
 * receipt, audit event and answer built from it in repayment.ts), so each gets exactly the answer
 * and the postings it would alone. A request that fails its own checks is answered alone and leaves
 * the batch; a batch whose transaction fails runs its requests one at a time (group-commit.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAuditStreams, streamOf, type AuditEvent } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { anyOf, unnestRows } from '../db/unnest-rows.js';
import { invariant, NotFoundError } from '../errors.js';
import { assertLineAvailable } from '../lines/credit-lines.js';
import { currentAccounts } from '../lines/settlement-accounts.js';
import { postEntries, type NewEntry } from '../ledger/post-entry.js';
import { noticeRow, storeNoticeRows } from '../notifications/outbox.js';
import { getBusinessDate } from '../system/business-date.js';
import { MoneyBatcher, type GroupCommitOptions, type MoneySubmission, type Outcome } from './group-commit.js';
import type { LoanRow } from './loans.js';
import {
  decideRepayment,
  provisionRelease,
  repay,
  repaymentAmount,
  repaymentAuditEvent,
  repaymentEntry,
  repaymentReceipt,
  repaymentResult,
  type LoanCheck,
  type Repayment,
  type RepaymentChange,
  type RepaymentRequest,
} from './repayment.js';
import { enterMoneyChange, materialiseLocked } from './lazy-accrual.js';

/** One repayment of a batch. */
export interface BatchedRepayment {
  /** Never `lower-installments` (its re-amortisation is per loan: such a repayment goes alone) nor an explicit `accountId`. */
  readonly request: RepaymentRequest;
  readonly actor: string;
  readonly check?: LoanCheck | undefined;
}

export type { Outcome } from './group-commit.js';

/** Most repayments in one batch: bounds every statement's parameters (a journal line is 5, an entry 5 lines at most). */
export const MAX_BATCH = 250;

/** True when a repayment may be batched: a re-amortisation or a chosen account goes alone. */
export function batchable(request: RepaymentRequest): boolean {
  return request.prepaymentEffect !== 'lower-installments' && request.accountId === undefined;
}

/**
 * Applies `items`, repayments of distinct loans, in the caller's transaction with set-based
 * statements; returns each one's outcome. A repayment refused (its amount, a loan not found or not
 * the caller's, one that takes no repayments, above the payoff) writes nothing and the others go on.
 *
 * @example
 * const outcomes = await repayMany(trx, [{ request: { loanId, amount: '100.00' }, actor: 'alice' }]);
 */
export async function repayMany(trx: Transaction<Database>, items: readonly BatchedRepayment[]): Promise<Outcome<Repayment>[]> {
  invariant(items.length <= MAX_BATCH, `${items.length} repayments in one batch`);
  invariant(new Set(items.map((item) => item.request.loanId)).size === items.length, 'a batch repays each loan once');
  invariant(items.every((item) => batchable(item.request)), 'a re-amortising repayment or one with a chosen account is not batched');
  const outcomes: (Outcome<Repayment> | undefined)[] = items.map(() => undefined);
  const refuse = (index: number, error: unknown) => {
    outcomes[index] = { ok: false, error };
  };

  const amounts = items.map((item, index) => {
    try {
      return repaymentAmount(item.request);
    } catch (error) {
      refuse(index, error);
      return undefined;
    }
  });
  const wanted = items.flatMap((item, index) => (amounts[index] === undefined ? [] : [item.request.loanId]));
  const loans = await lockLoans(trx, wanted);
  const today = await getBusinessDate(trx);

  const changes: { index: number; change: RepaymentChange; actor: string }[] = [];
  items.forEach((item, index) => {
    const amount = amounts[index];
    if (amount === undefined) return;
    try {
      const loan = loans.get(item.request.loanId);
      if (loan === undefined) throw new NotFoundError(`loan ${item.request.loanId}`);
      item.check?.(loan);
      changes.push({ index, change: decideRepayment(loan, amount, item.request), actor: item.actor });
    } catch (error) {
      refuse(index, error);
    }
  });
  if (changes.length === 0) return outcomes.map((outcome) => outcome!);

  const afters = new Map(changes.map(({ change }) => [change.loan.id, { ...change.loan, ...change.set } as LoanRow]));
  await updateLoans(trx, changes.map(({ change }) => change));
  await restoreToLines(trx, changes.map(({ change }) => change));
  const accounts = await currentAccounts(trx, changes.map(({ change }) => change.loan.line_id), 'repayment');

  const accountOf = (change: RepaymentChange) => (change.loan.line_id === null ? undefined : accounts.get(change.loan.line_id));
  // Each repayment's entry, then the provision releases of the loans it closed.
  const releases = changes.flatMap(({ change, actor }) => provisionRelease(change, today, actor) ?? []);
  const entries: NewEntry[] = [...changes.map(({ change, actor }) => repaymentEntry(change, today, actor, accountOf(change)?.id ?? null)), ...releases];
  const entryIds = await postEntries(trx, entries);

  // Receipts with the audit statement.
  const receipts = changes.map(({ change }, at) => {
    const entryId = entryIds[at];
    invariant(entryId !== undefined, `repayment of loan ${change.loan.id} posted no entry`);
    return noticeRow(repaymentReceipt(change, entryId, today));
  });
  const streams = new Map<number, AuditEvent[]>();
  for (const { change, actor } of changes) {
    const stream = streamOf(change.loan.id);
    const event = repaymentAuditEvent(change, afters.get(change.loan.id)!, accountOf(change)?.id ?? null, actor);
    const events = streams.get(stream);
    if (events === undefined) streams.set(stream, [event]);
    else events.push(event);
  }
  // Every stream's events and the receipts in one statement after one ordered lock of the heads (appendAuditStreams).
  await appendAuditStreams(trx, new Map([...streams].map(([stream, events]) => [stream, events.map((event) => ({ event }))])), {
    alongside: (qc) => qc.with('stored_receipts', (db) => storeNoticeRows(db, receipts)),
  });

  changes.forEach(({ index, change }, at) => {
    outcomes[index] = { ok: true, value: repaymentResult(change, entryIds[at]!, today, afters.get(change.loan.id)!, accountOf(change)) };
  });
  return outcomes.map((outcome) => outcome!);
}

/**
 * The loans of `ids` that exist, locked, by id: the batch's `loanById(…, { forUpdate: true })`. One
 * locking read for all, in id order, so two batches lock rows they share in the same order. Whatever
 * `loanById` does to a locked row before its caller changes it must be done here too.
 */
async function lockLoans(trx: Transaction<Database>, ids: readonly string[]): Promise<Map<string, LoanRow>> {
  if (ids.length === 0) return new Map();
  // As `loanById`: the money-change gate first, for every loan of the batch (lazy-accrual.ts).
  const nights = await enterMoneyChange(trx, ids);
  const locked = await trx.selectFrom('loan').selectAll().where('id', '=', anyOf(ids, 'uuid')).orderBy('id').forUpdate().execute();
  // As `loanById`: the nights end of day did not write, into the rows before they change (lazy-accrual.ts).
  const loans = await materialiseLocked(trx, locked, nights);
  return new Map(loans.map((loan) => [loan.id, loan]));
}

/** Every loan's new balances and state in one statement. Each is locked: its columns are written from the row read. */
async function updateLoans(trx: Transaction<Database>, changes: readonly RepaymentChange[]): Promise<void> {
  const rows = changes.map((change) => {
    const after = { ...change.loan, ...change.set };
    // A closed loan's provision is released with it (provisionRelease posts the entry).
    return { ...after, provision: change.closed ? 0n : change.loan.provision };
  });
  const result = await sql`
    update loan set penalty_due = v.penalty_due, interest_due = v.interest_due, principal_due = v.principal_due, interest_accrued = v.interest_accrued,
      principal_not_due = v.principal_not_due, overdue_since = v.overdue_since, dpd = v.dpd, status = v.status, interest_remainder = v.interest_remainder,
      penalty_remainder = v.penalty_remainder, next_due_on = v.next_due_on, next_due_principal = v.next_due_principal, interest_basis = v.interest_basis,
      next_interest = v.next_interest, provision = v.provision
    from ${unnestRows(LOAN_CHANGE_COLUMNS, rows)}
    where loan.id = v.id`.execute(trx);
  invariant(result.numAffectedRows === BigInt(changes.length), `batch of ${changes.length} repayments updated ${result.numAffectedRows} loans`);
}

/** The loan columns a repayment writes, with their types: {@link updateLoans}' array parameters. */
const LOAN_CHANGE_COLUMNS = {
  id: 'uuid',
  penalty_due: 'bigint',
  interest_due: 'bigint',
  principal_due: 'bigint',
  interest_accrued: 'bigint',
  principal_not_due: 'bigint',
  overdue_since: 'date',
  dpd: 'integer',
  status: 'text',
  interest_remainder: 'bigint',
  penalty_remainder: 'bigint',
  next_due_on: 'date',
  next_due_principal: 'bigint',
  interest_basis: 'text',
  next_interest: 'bigint',
  provision: 'bigint',
} as const;

/** Repaid principal back to the revolving lines (never above a limit), one statement for all (`restoreToLine`, summed per line). */
async function restoreToLines(trx: Transaction<Database>, changes: readonly RepaymentChange[]): Promise<void> {
  const perLine = new Map<string, bigint>();
  for (const change of changes) {
    invariant(change.principal >= 0n, `restoring ${change.principal} to line ${change.loan.line_id}: the amount must not be negative`);
    if (change.loan.line_id !== null && change.principal !== 0n) perLine.set(change.loan.line_id, (perLine.get(change.loan.line_id) ?? 0n) + change.principal);
  }
  if (perLine.size === 0) return;
  // least(limit, least(limit, a + x) + y) = least(limit, a + x + y) for x, y ≥ 0: the sum is what one at a time gives.
  const lines = [...perLine].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, amount]) => ({ id, amount }));
  const { rows } = await sql<{ id: string; available: bigint; limit_amount: bigint }>`
    update credit_line set available = least(credit_line.limit_amount, credit_line.available + v.amount)
    from ${unnestRows({ id: 'uuid', amount: 'bigint' }, lines)}
    where credit_line.id = v.id and credit_line.revolving = true
    returning credit_line.id, credit_line.available, credit_line.limit_amount`.execute(trx);
  for (const row of rows) assertLineAvailable(row.id, BigInt(row.available), BigInt(row.limit_amount));
}

/** A repayment request handed to the batcher: what `once` and `repay` take. */
export type RepaymentSubmission = MoneySubmission<RepaymentRequest, LoanCheck>;

/**
 * Gathers the repayments that arrive while the previous batch is in flight and commits them
 * together (group-commit.ts). Each submission is answered as `once(db, 'repayment', caller, key,
 * request, (trx) => present(repay(trx, request, actor, check)))` would answer it. One request per
 * loan and per key goes into a batch; a second waits for the next, so a retried key replays the
 * first answer and a loan's repayments apply in order. On Citus every request runs one at a time.
 *
 * @example
 * const batcher = new RepaymentBatcher(db, repaymentJson);
 * const answer = await batcher.submit({ caller: user.id, key, request: { loanId, amount: '100.00' }, actor: user.username });
 */
export class RepaymentBatcher<T> extends MoneyBatcher<RepaymentRequest, LoanCheck, Repayment, T> {
  constructor(db: Kysely<Database>, present: (repayment: Repayment) => T, options: GroupCommitOptions = { maxBatch: MAX_BATCH, maxInFlight: 1 }) {
    super(db, 'repayment', { many: repayMany, one: repay }, present, options, MAX_BATCH);
  }

  /** The answer to `submission`, once its batch has committed (or it was refused alone). */
  override submit(submission: RepaymentSubmission): Promise<T> {
    invariant(batchable(submission.request), 'a re-amortising repayment or one with a chosen account goes through once() and repay() alone');
    return super.submit(submission);
  }

  protected override exclusive(submission: RepaymentSubmission): string {
    return submission.request.loanId;
  }
}
