/**
 * A warning's life and what people do with it: listing (filtered by level, rule, status, region,
 * assignee), acknowledging, resolving with a finding, dismissing as a false alarm with a reason;
 * the false-alarm rate per rule; the tasks; the enterprise's warnings and actions as dated events
 * for its timeline; and undoing an automatic action, which needs a second person
 * (`warning.undo-action`).
 *
 * @example
 * await acknowledgeWarning(trx, warningId, 'li.am');
 * await resolveWarning(trx, warningId, 'power fell for a planned refit; sales intact', 'li.am');
 */
import type { Role } from '../auth/roles.js';
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { CheckedAction } from '../approvals/maker-checker.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { newestFirst, type TimelineEvent } from '../enterprises/enterprise-timeline.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { lockedBorrower } from '../db/distribution.js';
import { minor } from '../money/minor.js';
import { getBusinessDate } from '../system/business-date.js';
import type { MonitoringTaskKind, WarningActionKind, WarningLevel, WarningRuleId, WarningStatus } from './rule-set.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface Warning {
  readonly id: string;
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly regionCode: string | null;
  readonly rule: WarningRuleId;
  readonly level: WarningLevel;
  readonly status: WarningStatus;
  readonly rulesVersion: number;
  readonly value: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly raisedOn: BusinessDate;
  readonly acknowledgedBy: string | null;
  /** The display name of who acknowledged it (null: no such user, or not acknowledged). */
  readonly acknowledgedByName: string | null;
  readonly closedBy: string | null;
  readonly closedByName: string | null;
  readonly closedOn: string | null;
  readonly note: string | null;
  /** Who the open follow-up task is assigned to (null: the account managers' pool). */
  readonly assignee: string | null;
  readonly assigneeName: string | null;
}

export interface WarningFilter {
  readonly level?: WarningLevel | undefined;
  readonly rule?: WarningRuleId | undefined;
  readonly status?: WarningStatus | undefined;
  /** Region code prefix (GB/T 2260: '33' a province, '3301' a city). */
  readonly region?: string | undefined;
  /** A follow-up task's assignee: the username, or the start of the display name ('李' finds 李晓明). */
  readonly assignee?: string | undefined;
  readonly enterpriseId?: string | undefined;
  readonly limit: number;
}

/**
 * Warnings, the most severe and newest first.
 *
 * @example
 * await listWarnings(db, { level: 'red', status: 'open', limit: 50 });
 */
export async function listWarnings(db: Executor, filter: WarningFilter): Promise<Warning[]> {
  let query = db
    .selectFrom('early_warning as w')
    .innerJoin('enterprise as e', 'e.id', 'w.enterprise_id')
    .leftJoin('app_user as ack', 'ack.username', 'w.acknowledged_by')
    .leftJoin('app_user as closer', 'closer.username', 'w.closed_by')
    .select(['w.id', 'w.enterprise_id', 'e.name', 'e.region_code', 'w.rule_id', 'w.level', 'w.status', 'w.rules_version', 'w.value', 'w.inputs', 'w.raised_on', 'w.acknowledged_by', 'w.closed_by', 'w.closed_on', 'w.note'])
    .select(['ack.display_name as acknowledged_by_name', 'closer.display_name as closed_by_name'])
    .select((eb) => eb.selectFrom('monitoring_task as t').select('t.assignee').whereRef('t.warning_id', '=', 'w.id').whereRef('t.enterprise_id', '=', 'w.enterprise_id').where('t.kind', '=', 'follow-up').orderBy('t.created_at', 'desc').limit(1).as('assignee'))
    .select((eb) =>
      eb.selectFrom('monitoring_task as t').innerJoin('app_user as u', 'u.username', 't.assignee').select('u.display_name').whereRef('t.warning_id', '=', 'w.id').whereRef('t.enterprise_id', '=', 'w.enterprise_id').where('t.kind', '=', 'follow-up').orderBy('t.created_at', 'desc').limit(1).as('assignee_name'),
    );
  if (filter.level !== undefined) query = query.where('w.level', '=', filter.level);
  if (filter.rule !== undefined) query = query.where('w.rule_id', '=', filter.rule);
  if (filter.status !== undefined) query = query.where('w.status', '=', filter.status);
  if (filter.enterpriseId !== undefined) query = query.where('w.enterprise_id', '=', filter.enterpriseId);
  if (filter.region !== undefined) query = query.where('e.region_code', 'like', `${filter.region.replace(/[%_\\]/g, '')}%`);
  if (filter.assignee !== undefined) {
    const assignee = filter.assignee.trim();
    const namePrefix = `${assignee.replace(/[%_\\]/g, '')}%`;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('monitoring_task as t')
          .leftJoin('app_user as u', 'u.username', 't.assignee')
          .select(sql.lit(1).as('one'))
          .whereRef('t.warning_id', '=', 'w.id')
          .whereRef('t.enterprise_id', '=', 'w.enterprise_id')
          .where((inner) => inner.or([inner('t.assignee', '=', assignee), inner('u.display_name', 'like', namePrefix)])),
      ),
    );
  }
  const rows = await query
    .orderBy(sql`case w.level when 'red' then 0 when 'orange' then 1 when 'yellow' then 2 else 3 end`)
    .orderBy('w.raised_on', 'desc')
    .orderBy('w.rule_id')
    .orderBy('w.id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.name,
    regionCode: row.region_code,
    rule: row.rule_id as WarningRuleId,
    level: row.level,
    status: row.status,
    rulesVersion: row.rules_version,
    value: row.value,
    inputs: row.inputs,
    raisedOn: row.raised_on,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedByName: row.acknowledged_by_name ?? null,
    closedBy: row.closed_by,
    closedByName: row.closed_by_name ?? null,
    closedOn: row.closed_on,
    note: row.note,
    assignee: row.assignee ?? null,
    assigneeName: row.assignee_name ?? null,
  }));
}

/** One warning, or NOT_FOUND. */
export async function getWarning(db: Executor, id: string): Promise<Warning> {
  const row = await db.selectFrom('early_warning').select('enterprise_id').where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`warning ${id}`);
  const [warning] = (await listWarnings(db, { enterpriseId: row.enterprise_id, limit: 10_000 })).filter((w) => w.id === id);
  return warning!;
}

/** open → acknowledged: someone has it in hand. */
export async function acknowledgeWarning(trx: Transaction<Database>, id: string, actor: string): Promise<Warning> {
  await move(trx, id, ['open'], { status: 'acknowledged', acknowledged_by: actor, acknowledged_at: new Date() }, actor, 'warning.acknowledge', {});
  return getWarning(trx, id);
}

/** open or acknowledged → resolved, with what was found (the risk was real and was dealt with). */
export async function resolveWarning(trx: Transaction<Database>, id: string, finding: string, actor: string): Promise<Warning> {
  const note = text(finding, 'finding');
  await move(trx, id, ['open', 'acknowledged'], { status: 'resolved', closed_by: actor, closed_at: new Date(), closed_on: await getBusinessDate(trx), note }, actor, 'warning.resolve', { finding: note });
  return getWarning(trx, id);
}

/** open or acknowledged → dismissed as a false alarm, with the reason (counted in the rule's false-alarm rate). */
export async function dismissWarning(trx: Transaction<Database>, id: string, reason: string, actor: string): Promise<Warning> {
  const note = text(reason, 'reason');
  await move(trx, id, ['open', 'acknowledged'], { status: 'dismissed', closed_by: actor, closed_at: new Date(), closed_on: await getBusinessDate(trx), note }, actor, 'warning.dismiss', { reason: note });
  return getWarning(trx, id);
}

async function move(trx: Transaction<Database>, id: string, from: readonly WarningStatus[], set: Record<string, unknown>, actor: string, action: string, detail: Record<string, unknown>): Promise<void> {
  const row = await trx.selectFrom('early_warning').select(['status', 'enterprise_id', 'rule_id', 'level']).where('id', '=', id).where('enterprise_id', '=', await lockedBorrower(trx, 'early_warning', id)).forUpdate().executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`warning ${id}`);
  if (!from.includes(row.status)) throw new ConflictError(`the warning is ${row.status}; this needs it ${from.join(' or ')}`, 'status');
  await trx.updateTable('early_warning').set(set).where('id', '=', id).execute();
  await appendAudit(trx, { actor, action, entityType: 'early_warning', entityId: id, before: { status: row.status }, after: { status: set['status'], enterpriseId: row.enterprise_id, rule: row.rule_id, level: row.level, ...detail } });
}

function text(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 2) throw new ValidationError(field, 'must say what was found or why, in at least 2 characters', 'too-short', { min: 2 });
  if (trimmed.length > 1000) throw new ValidationError(field, 'must be at most 1000 characters', 'too-long', { max: 1000 });
  return trimmed;
}

/** Per rule: warnings closed, of them dismissed as false alarms, and the rate (dismissed ÷ closed). */
export interface FalseAlarmRate {
  readonly rule: WarningRuleId;
  readonly raised: number;
  readonly closed: number;
  readonly dismissed: number;
  /** dismissed ÷ closed to four places as text ("0.2500"); null while none is closed. */
  readonly rate: string | null;
}

/**
 * The false-alarm rate of each rule that has raised a warning, so rules can be tuned.
 *
 * @example
 * await falseAlarmRates(db); // [{ rule: 'electricity-mom', raised: 12, closed: 8, dismissed: 2, rate: '0.2500' }, …]
 */
export async function falseAlarmRates(db: Executor): Promise<FalseAlarmRate[]> {
  const rows = await db
    .selectFrom('early_warning')
    .select([
      'rule_id',
      sql<bigint>`count(*)`.as('raised'),
      sql<bigint>`cast(sum(case when status in ('resolved', 'dismissed') then 1 else 0 end) as bigint)`.as('closed'),
      sql<bigint>`cast(sum(case when status = 'dismissed' then 1 else 0 end) as bigint)`.as('dismissed'),
    ])
    .groupBy('rule_id')
    .orderBy('rule_id')
    .execute();
  return rows.map((row) => {
    const closed = Number(row.closed);
    const dismissed = Number(row.dismissed);
    return { rule: row.rule_id as WarningRuleId, raised: Number(row.raised), closed, dismissed, rate: closed === 0 ? null : ((dismissed * 10_000 - ((dismissed * 10_000) % closed)) / closed / 10_000).toFixed(4) };
  });
}

/** Warnings raised per day, level and rule, and actions taken per day and kind: the dashboard panel. */
export interface WarningTrend {
  readonly raised: readonly { readonly date: BusinessDate; readonly level: WarningLevel; readonly rule: WarningRuleId; readonly count: number }[];
  readonly actions: readonly { readonly date: BusinessDate; readonly kind: WarningActionKind; readonly count: number; readonly undone: number }[];
}

/** Warnings by level and rule, and actions by kind, per business date in [from, to]. */
export async function warningTrend(db: Executor, from: BusinessDate, to: BusinessDate): Promise<WarningTrend> {
  const raised = await db
    .selectFrom('early_warning')
    .select(['raised_on', 'level', 'rule_id', sql<bigint>`count(*)`.as('n')])
    .where('raised_on', '>=', from)
    .where('raised_on', '<=', to)
    .groupBy(['raised_on', 'level', 'rule_id'])
    .orderBy('raised_on')
    .orderBy('level')
    .orderBy('rule_id')
    .execute();
  const actions = await db
    .selectFrom('warning_action')
    .select(['business_date', 'kind', sql<bigint>`count(*)`.as('n'), sql<bigint>`cast(sum(case when status = 'undone' then 1 else 0 end) as bigint)`.as('undone')])
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .groupBy(['business_date', 'kind'])
    .orderBy('business_date')
    .orderBy('kind')
    .execute();
  return {
    raised: raised.map((r) => ({ date: r.raised_on, level: r.level, rule: r.rule_id as WarningRuleId, count: Number(r.n) })),
    actions: actions.map((a) => ({ date: a.business_date, kind: a.kind, count: Number(a.n), undone: Number(a.undone) })),
  };
}

/** An automatic action as people see it. */
export interface WarningAction {
  readonly id: string;
  readonly warningId: string;
  readonly enterpriseId: string;
  readonly lineId: string | null;
  readonly kind: WarningActionKind;
  readonly rule: WarningRuleId;
  readonly level: WarningLevel;
  readonly rulesVersion: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly businessDate: BusinessDate;
  readonly status: 'applied' | 'undone';
  readonly undoneBy: string | null;
  readonly undoneByName: string | null;
  readonly takenAt: string;
  readonly undoneAt: string | null;
}

/** Actions, newest first; of one enterprise, warning or line. */
export async function listWarningActions(db: Executor, filter: { readonly enterpriseId?: string; readonly warningId?: string; readonly lineId?: string; readonly limit: number }): Promise<WarningAction[]> {
  let query = db.selectFrom('warning_action as a').leftJoin('app_user as u', 'u.username', 'a.undone_by').selectAll('a').select('u.display_name as undone_by_name');
  if (filter.enterpriseId !== undefined) query = query.where('a.enterprise_id', '=', filter.enterpriseId);
  if (filter.warningId !== undefined) query = query.where('a.warning_id', '=', filter.warningId);
  if (filter.lineId !== undefined) query = query.where('a.line_id', '=', filter.lineId);
  const rows = await query.orderBy('a.taken_at', 'desc').orderBy('a.id', 'desc').limit(filter.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    warningId: row.warning_id,
    enterpriseId: row.enterprise_id,
    lineId: row.line_id,
    kind: row.kind,
    rule: row.rule_id as WarningRuleId,
    level: row.level,
    rulesVersion: row.rules_version,
    inputs: row.inputs,
    before: row.before,
    after: row.after,
    businessDate: row.business_date,
    status: row.status,
    undoneBy: row.undone_by,
    undoneByName: row.undone_by_name ?? null,
    takenAt: new Date(row.taken_at).toISOString(),
    undoneAt: row.undone_at === null ? null : new Date(row.undone_at).toISOString(),
  }));
}

export interface MonitoringTask {
  readonly id: string;
  readonly warningId: string;
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly kind: MonitoringTaskKind;
  /** The role whose pool it is in (account-manager, risk-officer). */
  readonly role: Role;
  readonly assignee: string | null;
  readonly assigneeName: string | null;
  readonly dueOn: BusinessDate;
  readonly status: 'open' | 'done';
  readonly rule: WarningRuleId;
  readonly level: WarningLevel;
}

/** Tasks, earliest due first; of a role, an assignee, a status. */
export async function listTasks(db: Executor, filter: { readonly role?: string; readonly assignee?: string; readonly status?: 'open' | 'done'; readonly enterpriseId?: string; readonly limit: number }): Promise<MonitoringTask[]> {
  let query = db
    .selectFrom('monitoring_task as t')
    .innerJoin('early_warning as w', (join) => join.onRef('w.id', '=', 't.warning_id').onRef('w.enterprise_id', '=', 't.enterprise_id'))
    .innerJoin('enterprise as e', 'e.id', 't.enterprise_id')
    .leftJoin('app_user as u', 'u.username', 't.assignee')
    .select(['t.id', 't.warning_id', 't.enterprise_id', 'e.name', 't.kind', 't.role', 't.assignee', 'u.display_name as assignee_name', 't.due_on', 't.status', 'w.rule_id', 'w.level']);
  if (filter.role !== undefined) query = query.where('t.role', '=', filter.role);
  if (filter.assignee !== undefined) query = query.where('t.assignee', '=', filter.assignee);
  if (filter.status !== undefined) query = query.where('t.status', '=', filter.status);
  if (filter.enterpriseId !== undefined) query = query.where('t.enterprise_id', '=', filter.enterpriseId);
  const rows = await query.orderBy('t.due_on').orderBy('t.id').limit(filter.limit).execute();
  return rows.map((row) => ({ id: row.id, warningId: row.warning_id, enterpriseId: row.enterprise_id, enterpriseName: row.name, kind: row.kind, role: row.role as Role, assignee: row.assignee, assigneeName: row.assignee_name ?? null, dueOn: row.due_on, status: row.status, rule: row.rule_id as WarningRuleId, level: row.level }));
}

/** Assigns a task to a person (the account manager who takes it). */
export async function assignTask(trx: Transaction<Database>, id: string, assignee: string, actor: string): Promise<void> {
  const name = text(assignee, 'assignee');
  const row = await trx.selectFrom('monitoring_task').select(['assignee', 'status']).where('id', '=', id).where('enterprise_id', '=', await lockedBorrower(trx, 'monitoring_task', id)).forUpdate().executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`task ${id}`);
  if (row.status !== 'open') throw new ConflictError('the task is done', 'status');
  await trx.updateTable('monitoring_task').set({ assignee: name }).where('id', '=', id).execute();
  await appendAudit(trx, { actor, action: 'task.assign', entityType: 'monitoring_task', entityId: id, before: { assignee: row.assignee }, after: { assignee: name } });
}

/** Marks a task done. */
export async function completeTask(trx: Transaction<Database>, id: string, actor: string): Promise<void> {
  const row = await trx.selectFrom('monitoring_task').select('status').where('id', '=', id).where('enterprise_id', '=', await lockedBorrower(trx, 'monitoring_task', id)).forUpdate().executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`task ${id}`);
  if (row.status !== 'open') throw new ConflictError('the task is already done', 'status');
  await trx.updateTable('monitoring_task').set({ status: 'done', done_by: actor, done_at: new Date() }).where('id', '=', id).execute();
  await appendAudit(trx, { actor, action: 'task.done', entityType: 'monitoring_task', entityId: id, before: { status: 'open' }, after: { status: 'done' } });
}

/**
 * An enterprise's warnings and automatic actions as events of its timeline
 * (`enterprise-timeline.ts`), at most `limit` of the newest: raised, acknowledged, resolved or
 * dismissed; an action taken, and undone by a second person. Only their codes (rule, level,
 * action) go in `detail`, not the finding or reason a person typed.
 *
 * The limit is in the queries: a warning's newest event is its close, else its raise, and an
 * action's its undoing, else its taking, so the `limit` newest events all belong to the `limit`
 * warnings and the `limit` actions whose newest events are newest.
 *
 * @example
 * const events = await warningTimelineEvents(db, enterpriseId, 50);
 * events[0]; // { kind: 'action-undone', id: '…', businessDate: '2026-03-02', actor: 'wang.am (checked by li.risk)', detail: { rule: 'dishonest-debtor', level: 'red', action: 'freeze' }, … }
 */
// A function declaration, not a const: enterprise-timeline.ts lists it at load, and the two modules import each other.
export async function warningTimelineEvents(db: Executor, enterpriseId: string, limit: number): Promise<TimelineEvent[]> {
  const warnings = await db
    .selectFrom('early_warning')
    .select(['id', 'rule_id', 'level', 'status', 'raised_on', 'raised_at', 'acknowledged_by', 'acknowledged_at', 'closed_by', 'closed_at', 'closed_on'])
    .where('enterprise_id', '=', enterpriseId)
    .orderBy(sql`coalesce(closed_on, raised_on)`, 'desc')
    .orderBy(sql`coalesce(closed_at, acknowledged_at, raised_at)`, 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const actions = await db
    .selectFrom('warning_action')
    .select(['id', 'kind', 'rule_id', 'level', 'business_date', 'taken_at', 'status', 'undone_by', 'undone_at'])
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('business_date', 'desc')
    .orderBy(sql`coalesce(undone_at, taken_at)`, 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const events: TimelineEvent[] = [];
  const base = { loanId: null, amount: null } as const;
  for (const w of warnings) {
    const detail = { rule: w.rule_id, level: w.level, action: null };
    events.push({ ...base, kind: 'warning-raised', id: w.id, businessDate: w.raised_on, at: new Date(w.raised_at), actor: null, detail });
    if (w.acknowledged_at !== null) events.push({ ...base, kind: 'warning-acknowledged', id: w.id, businessDate: w.raised_on, at: new Date(w.acknowledged_at), actor: w.acknowledged_by, detail });
    if (w.closed_at !== null && (w.status === 'resolved' || w.status === 'dismissed')) {
      events.push({ ...base, kind: w.status === 'resolved' ? 'warning-resolved' : 'warning-dismissed', id: w.id, businessDate: w.closed_on ?? w.raised_on, at: new Date(w.closed_at), actor: w.closed_by, detail });
    }
  }
  for (const a of actions) {
    const detail = { rule: a.rule_id, level: a.level, action: a.kind };
    events.push({ ...base, kind: 'action-taken', id: a.id, businessDate: a.business_date, at: new Date(a.taken_at), actor: null, detail });
    if (a.status === 'undone' && a.undone_at !== null) events.push({ ...base, kind: 'action-undone', id: a.id, businessDate: a.business_date, at: new Date(a.undone_at), actor: a.undone_by, detail });
  }
  return events.sort(newestFirst).slice(0, limit);
}

/** Why a line is frozen, for the borrower and the drawdown error: the action that froze it, if a warning did. */
export async function lineFreeze(db: Executor, lineId: string): Promise<{ rule: WarningRuleId; level: WarningLevel; since: BusinessDate; warningId: string } | null> {
  const row = await db.selectFrom('warning_action').select(['rule_id', 'level', 'business_date', 'warning_id']).where('line_id', '=', lineId).where('kind', '=', 'freeze').where('status', '=', 'applied').orderBy('taken_at', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? null : { rule: row.rule_id as WarningRuleId, level: row.level, since: row.business_date, warningId: row.warning_id };
}

/** The payload of `warning.undo-action`. */
export interface UndoActionRequest {
  readonly actionId: string;
  readonly reason: string;
}

/**
 * Undoes an automatic action (the effect of an approved `warning.undo-action`): unfreezes the
 * line, restores the limit (less nothing drawn since: the available amount rises by what the cut
 * took), lifts the renewal hold or the special-mention hold. Tasks and escalations are not undone.
 */
export async function undoWarningAction(trx: Transaction<Database>, request: UndoActionRequest, actor: string): Promise<{ actionId: string; kind: WarningActionKind }> {
  const action = await trx.selectFrom('warning_action').selectAll().where('id', '=', request.actionId).where('enterprise_id', '=', await lockedBorrower(trx, 'warning_action', request.actionId)).forUpdate().executeTakeFirst();
  if (action === undefined) throw new NotFoundError(`warning action ${request.actionId}`);
  if (action.status !== 'applied') throw new ConflictError(`action ${action.id} was already undone by ${action.undone_by}`, 'actionId');
  switch (action.kind) {
    case 'freeze': {
      await trx.updateTable('credit_line').set({ status: 'active' }).where('id', '=', action.line_id!).where('status', '=', 'frozen').execute();
      break;
    }
    case 'cut-limit': {
      const before = action.before as { limit: string };
      const after = action.after as { limit: string };
      const restored = minor(BigInt(before.limit));
      const taken = minor(restored - BigInt(after.limit));
      await trx
        .updateTable('credit_line')
        .set((eb) => ({ limit_amount: restored, available: eb('available', '+', taken) }))
        .where('id', '=', action.line_id!)
        .execute();
      break;
    }
    case 'stop-renewal':
      await trx.updateTable('credit_line').set({ renewal_hold: false }).where('id', '=', action.line_id!).execute();
      break;
    case 'special-mention':
      await trx.updateTable('loan').set({ watch_since: null }).where('enterprise_id', '=', action.enterprise_id).execute();
      break;
    default:
      throw new ConflictError(`a ${action.kind} action is not undone; close its task instead`, 'actionId');
  }
  await trx.updateTable('warning_action').set({ status: 'undone', undone_by: actor, undone_at: new Date() }).where('id', '=', action.id).execute();
  await appendAudit(trx, { actor, action: 'warning-action.undo', entityType: 'warning_action', entityId: action.id, before: { status: 'applied', kind: action.kind, after: action.after }, after: { status: 'undone', restored: action.before, reason: request.reason } });
  return { actionId: action.id, kind: action.kind };
}

/** Undoing an automatic action: asked by an account manager or a risk officer, confirmed by a risk officer or an admin (never the same person). */
export const WARNING_UNDO_ACTION: CheckedAction<UndoActionRequest> = {
  kind: 'warning.undo-action',
  makers: ['account-manager', 'risk-officer', 'credit-approver', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: (trx, payload, maker, checker) => undoWarningAction(trx, payload, `${maker} (checked by ${checker})`),
};
