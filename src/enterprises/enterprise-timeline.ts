/**
 * The enterprise timeline (客户时间轴): what happened with a firm — applications, data pulls,
 * servicing (drawdowns, repayments, restructures, renewals, write-offs, recoveries), collections
 * contacts, promises and steps — in one list, newest business date first.
 *
 * The timeline is a list of **sources**, each a function that reads one kind of record and gives
 * its events; `enterpriseTimeline` merges them. A new kind of event (the early warnings and the
 * automatic actions of monitoring) is one more source in {@link TIMELINE_SOURCES} and its kinds in
 * {@link TIMELINE_EVENT_KINDS} (a closed list the web app has words for):
 *
 * ```ts
 * export const TIMELINE_SOURCES = [..., warningTimelineEvents];
 * ```
 *
 * Unlike the enterprise history (enterprise-views.ts), which is the audit trail as written, the
 * timeline reads the business records themselves, so each event carries its own business date.
 *
 * @example
 * const events = await enterpriseTimeline(db, enterpriseId);
 * events[0]; // { kind: 'promise-broken', businessDate: '2025-07-04', loanId: '…', amount: 500000n, … }
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';
import { warningTimelineEvents } from '../monitoring/warnings.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Every kind of event the timeline shows: a closed list (`timelineEvent` in the API). */
export const TIMELINE_EVENT_KINDS = [
  'application',
  'data-pull',
  'drawdown',
  'repayment',
  'restructure',
  'renewal',
  'write-off',
  'recovery',
  'contact',
  'promise',
  'promise-kept',
  'promise-broken',
  'collection-step',
  'warning-raised',
  'warning-acknowledged',
  'warning-resolved',
  'warning-dismissed',
  'action-taken',
  'action-undone',
] as const;
export type TimelineEventKind = (typeof TIMELINE_EVENT_KINDS)[number];

/** One event. `detail` holds the event's codes (an outcome, a status, a channel), never free text a person typed. */
export interface TimelineEvent<Kind extends string = TimelineEventKind> {
  readonly kind: Kind;
  /** The source row's id; with `kind`, unique in the timeline. */
  readonly id: string;
  readonly businessDate: BusinessDate;
  /** When it was written, to order events of one business date; null when the record keeps no time. */
  readonly at: Date | null;
  readonly loanId: string | null;
  readonly amount: Minor | null;
  readonly actor: string | null;
  readonly detail: Readonly<Record<string, string | number | null>>;
}

/**
 * A source of events: reads at most `limit` of its newest events of the enterprise. Sources are
 * independent reads; none may write.
 */
export type TimelineSource = (db: Executor, enterpriseId: string, limit: number) => Promise<readonly TimelineEvent[]>;

/** Most events a timeline shows; older ones are in each record's own list. */
export const MAX_TIMELINE = 200;

/** Applications: the decision's outcome and the limit proposed. */
export const applicationEvents: TimelineSource = async (db, enterpriseId, limit) =>
  (
    await db
      .selectFrom('application')
      .select(['id', 'business_date', 'created_at', 'status', 'outcome', 'limit_amount', 'applied_by'])
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('business_date', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  ).map((row) => ({ kind: 'application', id: row.id, businessDate: row.business_date, at: row.created_at, loanId: null, amount: row.limit_amount, actor: row.applied_by, detail: { status: row.status, outcome: row.outcome } }));

/** Data pulls: the purpose and how many sources answered. */
export const dataPullEvents: TimelineSource = async (db, enterpriseId, limit) =>
  (
    await db
      .selectFrom('data_pull')
      .select(['id', 'as_of', 'pulled_at', 'purpose', 'sources', 'record_count', 'actor'])
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('as_of', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  ).map((row) => ({ kind: 'data-pull', id: row.id, businessDate: row.as_of, at: row.pulled_at, loanId: null, amount: null, actor: row.actor, detail: { purpose: row.purpose, sources: row.sources.length, records: row.record_count } }));

/** The journal entry kinds that are servicing events, each its own timeline kind. */
const SERVICING_KINDS = ['drawdown', 'repayment', 'restructure', 'renewal', 'write-off', 'recovery'] as const satisfies readonly TimelineEventKind[];

/**
 * Servicing, as the ledger posted it: the amount is what the entry moved through settlement (paid
 * out, received) or, for an entry that moves no cash (a restructure, a write-off), its debits.
 * Reversed entries are left out.
 */
export const servicingEvents: TimelineSource = async (db, enterpriseId, limit) => {
  const rows = await db
    .selectFrom('journal_entry as e')
    .innerJoin('loan', (join) => join.onRef('loan.id', '=', 'e.loan_id').onRef('loan.enterprise_id', '=', 'e.enterprise_id'))
    .select([
      'e.id',
      'e.kind',
      'e.business_date',
      'e.created_at',
      'e.created_by',
      'e.loan_id',
      sql<string | null>`(select cast(sum(l.amount) as text) from journal_line l join ledger_account a on a.code = l.account_code where l.entry_id = e.id and l.enterprise_id = e.enterprise_id and a.purpose = 'settlement')`.as('settlement'),
      sql<string>`(select cast(coalesce(sum(l.amount), 0) as text) from journal_line l where l.entry_id = e.id and l.enterprise_id = e.enterprise_id and l.amount > 0)`.as('debits'),
    ])
    .where('loan.enterprise_id', '=', enterpriseId)
    .where('e.kind', 'in', SERVICING_KINDS)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('journal_entry as r').select('r.id').whereRef('r.reverses_id', '=', 'e.id').whereRef('r.enterprise_id', '=', 'e.enterprise_id'))))
    .orderBy('e.business_date', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const settlement = row.settlement === null ? null : BigInt(row.settlement);
    const amount = settlement === null || settlement === 0n ? BigInt(row.debits) : settlement < 0n ? -settlement : settlement;
    return { kind: row.kind as TimelineEventKind, id: row.id, businessDate: row.business_date, at: row.created_at, loanId: row.loan_id, amount: minor(amount), actor: row.created_by, detail: {} };
  });
};

/** Collections contacts: the channel and the outcome. */
export const contactEvents: TimelineSource = async (db, enterpriseId, limit) =>
  (
    await db
      .selectFrom('collection_contact')
      .select(['id', 'loan_id', 'contacted_on', 'recorded_at', 'recorded_by', 'channel', 'outcome'])
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('contacted_on', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  ).map((row) => ({ kind: 'contact', id: row.id, businessDate: row.contacted_on, at: row.recorded_at, loanId: row.loan_id, amount: null, actor: row.recorded_by, detail: { channel: row.channel, outcome: row.outcome } }));

/** Promises to pay: made (on the day made), then kept or broken (on the day end of day settled them). */
export const promiseEvents: TimelineSource = async (db, enterpriseId, limit) => {
  const rows = await db
    .selectFrom('promise_to_pay')
    .select(['id', 'loan_id', 'amount', 'made_on', 'promised_on', 'status', 'repaid', 'settled_on', 'recorded_at', 'recorded_by'])
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('made_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((row) => {
    const made: TimelineEvent = { kind: 'promise', id: row.id, businessDate: row.made_on, at: row.recorded_at, loanId: row.loan_id, amount: row.amount, actor: row.recorded_by, detail: { promisedOn: row.promised_on } };
    if (row.status === 'open' || row.settled_on === null) return [made];
    // Settled at end of day: after everything else written on that business date.
    const settled: TimelineEvent = {
      kind: row.status === 'kept' ? 'promise-kept' : 'promise-broken',
      id: row.id,
      businessDate: row.settled_on,
      at: null,
      loanId: row.loan_id,
      amount: row.amount,
      actor: 'eod',
      detail: { promisedOn: row.promised_on, repaid: row.repaid === null ? null : row.repaid.toString() },
    };
    return [settled, made];
  });
};

/** Collections steps: follow-ups, escalations, legal actions, with their status. */
export const collectionStepEvents: TimelineSource = async (db, enterpriseId, limit) =>
  (
    await db
      .selectFrom('collection_step')
      .select(['id', 'loan_id', 'kind', 'reason', 'status', 'due_on', 'created_on', 'created_at', 'created_by'])
      .where('enterprise_id', '=', enterpriseId)
      .orderBy('created_on', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  ).map((row) => ({ kind: 'collection-step', id: row.id, businessDate: row.created_on, at: row.created_at, loanId: row.loan_id, amount: null, actor: row.created_by, detail: { step: row.kind, reason: row.reason, status: row.status, dueOn: row.due_on } }));

/** The sources of the timeline, in no particular order (the merge sorts). */
export const TIMELINE_SOURCES: readonly TimelineSource[] = [applicationEvents, dataPullEvents, servicingEvents, contactEvents, promiseEvents, collectionStepEvents, warningTimelineEvents];

/**
 * The enterprise's timeline: every source's newest events merged, newest business date first;
 * within a date, the latest written first, and an end-of-day event (no time) after the day's
 * others, so it comes first. NOT_FOUND for an unknown enterprise.
 */
export async function enterpriseTimeline(db: Executor, enterpriseId: string, options: { readonly sources?: readonly TimelineSource[]; readonly limit?: number } = {}): Promise<TimelineEvent[]> {
  const limit = options.limit ?? MAX_TIMELINE;
  const found = await db.selectFrom('enterprise').select('id').where('id', '=', enterpriseId).executeTakeFirst();
  if (!found) throw new NotFoundError(`enterprise ${enterpriseId}`);
  const events: TimelineEvent[] = [];
  // One after another: PGlite is one connection, and a transaction is one on PostgreSQL too.
  for (const source of options.sources ?? TIMELINE_SOURCES) events.push(...(await source(db, enterpriseId, limit)));
  events.sort(newestFirst);
  return events.slice(0, limit);
}

/** Newest business date first; then end-of-day events (no time); then the latest written; then kind and id, so the order is total. */
export function newestFirst(a: TimelineEvent, b: TimelineEvent): number {
  if (a.businessDate !== b.businessDate) return a.businessDate < b.businessDate ? 1 : -1;
  if ((a.at === null) !== (b.at === null)) return a.at === null ? -1 : 1;
  const time = (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0);
  if (time !== 0) return time;
  return b.kind.localeCompare(a.kind) || b.id.localeCompare(a.id);
}
