/**
 * Group commit of concurrent drawdowns (docs/decisions.md, "Drawdowns arriving together are booked
 * together"). One at a time, a drawdown is a transaction of about 19 statements, its note counter
 * row held from its bump to commit. Here the drawdowns that arrive together are booked in one
 * transaction: one locking read of their lines, each one's plan (`planDrawdown`) on the line as the
 * ones before it in the batch left it, with the product, the business date and the rest days read
 * once for the batch (`batchReads`), then set-based writes for all: one update of the lines, one read of their disbursement accounts,
 * one insert of the loans and one of their installments (`insertNewLoans`), the chart and one insert
 * each of the journal entries and their lines (`postEntries`), one bump of the day's note counter,
 * and one audit append per stream with the note numbers and the receipts in the first one's statement.
 *
 * Every drawdown is planned and built by the code the one-at-a-time path uses (drawdown.ts:
 * `planDrawdown`, `newLoanOf`, `drawdownEntry`, `drawdownReceipt`, `drawdownAuditEvent`,
 * `drawdownResult`), so each gets the answer and the postings it would alone, in arrival order. A
 * request refused by its own checks (the caller may not see the line, the amount, the term, a frozen
 * or expired line, more than the line has left after the batch's earlier drawdowns) writes nothing
 * and the others go on; a batch whose transaction fails runs its requests one at a time
 * (group-commit.ts). A floating-rate drawdown (its spread fixed per loan by `makeFloating`) always
 * goes alone, and on Citus every drawdown does.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAuditStreams, streamOf, type AuditEvent } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { unnestRows } from '../db/unnest-rows.js';
import { ConflictError, invariant, NotFoundError } from '../errors.js';
import { postEntries } from '../ledger/post-entry.js';
import { lockCreditLines, reserveFromLines, type CreditLine } from '../lines/credit-lines.js';
import { currentAccounts } from '../lines/settlement-accounts.js';
import { minor, type Minor } from '../money/minor.js';
import { noticeRow, storeNoticeRows } from '../notifications/outbox.js';
import { batchReads, drawdown, drawdownAuditEvent, drawdownEntry, drawdownReceipt, drawdownResult, newLoanOf, planDrawdown, type Drawdown, type DrawdownPlan, type DrawdownRequest } from './drawdown.js';
import { MoneyBatcher, type GroupCommitOptions, type MoneySubmission, type Outcome } from './group-commit.js';
import { insertNewLoans, MAX_NEW_LOANS } from './new-loan.js';
import { nextLoanNoteNos } from './loan-note-number.js';

/** Most drawdowns in one batch: the most loans `insertNewLoans` writes at once. */
export const MAX_DRAWDOWN_BATCH = MAX_NEW_LOANS;

/** The caller's right to draw on a line, checked on the line as the batch locked it (the route's `assertCanSee`). */
export type LineCheck = (line: CreditLine) => void;

/** One drawdown of a batch. */
export interface BatchedDrawdown {
  /** Never a floating rate (`batchableDrawdown`). */
  readonly request: DrawdownRequest;
  readonly actor: string;
  readonly check?: LineCheck | undefined;
}

/** True when a drawdown may be batched: a floating rate's spread is fixed per loan (`makeFloating`), so it goes alone. */
export function batchableDrawdown(request: DrawdownRequest): boolean {
  return request.rateBasis !== 'floating';
}

/**
 * Books `items` in the caller's transaction with set-based statements, in order; returns each one's
 * outcome. A drawdown refused by its checks writes nothing and the others go on; two on the same
 * line are decided as one after the other would be (the second sees what the first left).
 *
 * @example
 * const outcomes = await drawMany(trx, [{ request: { lineId, amount: '1000.00', termDays: 90 }, actor: 'alice' }]);
 */
export async function drawMany(trx: Transaction<Database>, items: readonly BatchedDrawdown[]): Promise<Outcome<Drawdown>[]> {
  invariant(items.length <= MAX_DRAWDOWN_BATCH, `${items.length} drawdowns in one batch`);
  invariant(items.every((item) => batchableDrawdown(item.request)), 'a floating-rate drawdown is not batched');
  const outcomes: (Outcome<Drawdown> | undefined)[] = items.map(() => undefined);
  const lines = await lockCreditLines(trx, items.map((item) => item.request.lineId));
  // What each line has left after the batch's drawdowns planned so far.
  const left = new Map([...lines].map(([id, line]) => [id, line.available]));

  // The product, business date and rest days read once for the batch, not once a drawdown.
  const reads = batchReads(trx);
  const planned: { index: number; plan: DrawdownPlan; actor: string }[] = [];
  for (const [index, item] of items.entries()) {
    try {
      const line = lines.get(item.request.lineId.toLowerCase());
      // As `getCreditLine` answers a line that is not there.
      if (line === undefined) throw new NotFoundError(`credit line ${item.request.lineId}`);
      item.check?.(line);
      // The plan checks the amount against what the line has left after the ones before it, as one at a time would.
      const plan = await planDrawdown(trx, { ...item.request, lineId: line.id }, { ...line, available: left.get(line.id)! }, reads);
      left.set(line.id, plan.lineAvailableAfter);
      planned.push({ index, plan, actor: item.actor });
    } catch (error) {
      outcomes[index] = { ok: false, error };
    }
  }
  if (planned.length === 0) return outcomes.map((outcome) => outcome!);

  const perLine = new Map<string, Minor>();
  for (const { plan } of planned) perLine.set(plan.line.id, minor((perLine.get(plan.line.id) ?? 0n) + plan.amount));
  const today = planned[0]!.plan.today;
  // End of day moved the date while the batch planned: a refusal of the batch, not of a request (each runs alone).
  if (!planned.every(({ plan }) => plan.today === today)) throw new ConflictError('the business date changed while the batch was planned', 'businessDate');
  const reserved = await reserveFromLines(trx, perLine, today);
  for (const [id, available] of reserved) invariant(available === left.get(id), `line ${id}: ${available} left after the batch, ${left.get(id)} planned`);
  // Each drawdown's own "line available after", in order, as one at a time would answer.
  const availableAfter = planned.map(({ plan }) => plan.lineAvailableAfter);

  const accounts = await currentAccounts(trx, planned.map(({ plan }) => plan.line.id), 'disbursement');
  const written = await insertNewLoans(trx, planned.map(({ plan }) => newLoanOf(plan)));
  const accountOf = (plan: DrawdownPlan) => accounts.get(plan.line.id);
  const entryIds = await postEntries(
    trx,
    planned.map(({ plan, actor }, at) => drawdownEntry(plan, written[at]!.loanId, actor, accountOf(plan)?.id ?? null)),
  );
  invariant(entryIds.every((id) => id !== undefined), 'every drawdown posts its entry');

  // The note numbers last, in one bump of the day's counter: the row is held for the audit appends and the commit.
  const noteNos = await nextLoanNoteNos(trx, today, planned.length);
  const numbered = unnestRows({ id: 'uuid', enterprise_id: 'uuid', note_no: 'text' }, planned.map(({ plan }, at) => ({ id: written[at]!.loanId, enterprise_id: plan.line.enterpriseId, note_no: noteNos[at]! })));
  const receipts = planned.map(({ plan }, at) => noticeRow(drawdownReceipt(plan, written[at]!.loanId, noteNos[at]!)));
  const streams = new Map<number, AuditEvent[]>();
  planned.forEach(({ plan, actor }, at) => {
    const loanId = written[at]!.loanId;
    const event = drawdownAuditEvent(plan, loanId, availableAfter[at]!, accountOf(plan)?.id ?? null, actor);
    const stream = streamOf(loanId);
    const events = streams.get(stream);
    if (events === undefined) streams.set(stream, [event]);
    else events.push(event);
  });
  // Every stream's events, with the note numbers and the receipts, in one statement after one ordered lock of the heads (appendAuditStreams), as one drawdown writes its own.
  await appendAuditStreams(trx, new Map([...streams].map(([stream, events]) => [stream, events.map((event) => ({ event }))])), {
    alongside: (qc) =>
      qc
        .with('numbered_loans', () => sql`(update loan set note_no = v.note_no from ${numbered} where loan.id = v.id and loan.enterprise_id = v.enterprise_id)`)
        .with('stored_receipts', (db) => storeNoticeRows(db, receipts)),
  });

  planned.forEach(({ index, plan }, at) => {
    outcomes[index] = { ok: true, value: drawdownResult(plan, { loanId: written[at]!.loanId, noteNo: noteNos[at]!, lineAvailable: availableAfter[at]!, account: accountOf(plan), floating: null }) };
  });
  return outcomes.map((outcome) => outcome!);
}

/** A drawdown request handed to the batcher: what `once` and `drawdown` take. */
export type DrawdownSubmission = MoneySubmission<DrawdownRequest, LineCheck>;

/**
 * Gathers the drawdowns that arrive while the previous batch is in flight and books them together
 * (group-commit.ts). Each submission is answered as `once(db, 'drawdown', caller, key, request,
 * (trx) => present(drawdown(trx, request, actor, check)))` would answer it. One request per key goes
 * into a batch (a retry waits for the next and replays the first answer); several on one line go
 * together, decided in arrival order. On Citus every request runs one at a time.
 *
 * @example
 * const batcher = new DrawdownBatcher(db, drawdownJson);
 * const answer = await batcher.submit({ caller: user.id, key, request: { lineId, amount: '1000.00', termDays: 90 }, actor: user.username });
 */
export class DrawdownBatcher<T> extends MoneyBatcher<DrawdownRequest, LineCheck, Drawdown, T> {
  constructor(db: Kysely<Database>, present: (drawn: Drawdown) => T, options: GroupCommitOptions = { maxBatch: MAX_DRAWDOWN_BATCH, maxInFlight: 1 }) {
    super(db, 'drawdown', { many: drawMany, one: drawdown }, present, options, MAX_DRAWDOWN_BATCH);
  }

  /** The answer to `submission`, once its batch has committed (or it was refused alone). */
  override submit(submission: DrawdownSubmission): Promise<T> {
    invariant(batchableDrawdown(submission.request), 'a floating-rate drawdown goes through once() and drawdown() alone');
    return super.submit(submission);
  }
}
