/**
 * Post-lending monitoring and early warning over HTTP: the warning inbox and a warning's life, the
 * automatic actions and undoing one (maker-checker), tasks, the false-alarm rate and the trend for
 * the dashboard, the rule set and proposing a new version (maker-checker), running monitoring for
 * one enterprise now, and a frozen line's reason for its borrower.
 */
import { Type, type Static } from '@sinclair/typebox';
import { makeRequest } from '../../approvals/maker-checker.js';
import { WARNING_RULES_CHANGE, WARNING_UNDO_ACTION } from '../../approvals/checked-actions.js';
import { parseBusinessDate } from '../../calendar/business-date.js';
import { DATA_SOURCES } from '../../data/data-records.js';
import type { DataProvider } from '../../data/data-provider.js';
import { inTransaction } from '../../db/transaction.js';
import { getCreditLine } from '../../lines/credit-lines.js';
import { runMonitoring } from '../../monitoring/monitor-run.js';
import { checkRuleSet, MONITORING_TASK_KINDS, WARNING_ACTION_KINDS, WARNING_LEVELS, WARNING_RULE_IDS, WARNING_STATUSES, type RuleSet } from '../../monitoring/rule-set.js';
import { activeRuleSet, listRuleSetVersions, WARNING_RULES_SUBJECT } from '../../monitoring/rule-versions.js';
import { acknowledgeWarning, completeTask, assignTask, dismissWarning, falseAlarmRates, getWarning, lineFreeze, listTasks, listWarningActions, listWarnings, resolveWarning, warningTrend, type Warning, type WarningAction } from '../../monitoring/warnings.js';
import { getBusinessDate } from '../../system/business-date.js';
import { ROLES } from '../../auth/roles.js';
import { literals } from '../api-codes.js';
import { caller, roles } from '../access.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { ApprovalRequestSchema } from './approvals.js';
import { BusinessDateText } from './date-schemas.js';
import { assertCanSee, IdParams } from './servicing-schemas.js';

const STAFF = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'] as const;
const WORKERS = ['account-manager', 'credit-approver', 'risk-officer', 'admin'] as const;
const Scalar = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);
// Query values are text and never coerced (src/http/app.ts): a limit is digits, read by limitOf.
const Limit = Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'at most this many, 1 to 500 (default 100)' }));
const limitOf = (text: string | undefined): number => Math.min(Number(text ?? '100'), 500);

const WarningSchema = Type.Object({
  id: Type.String(),
  enterprise: Type.String({ description: 'the enterprise id' }),
  enterpriseName: Type.String(),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  rule: literals(WARNING_RULE_IDS),
  level: literals(WARNING_LEVELS),
  status: literals(WARNING_STATUSES),
  rulesVersion: Type.Integer({ description: 'the rule-set version that raised it (0: the shipped default)' }),
  value: Type.String({ description: "the indicator's value that crossed the threshold" }),
  inputs: Type.Record(Type.String(), Scalar, { description: 'what the value was computed from' }),
  raisedOn: Type.String(),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()], { description: 'username' }),
  acknowledgedByName: Type.Union([Type.String(), Type.Null()], { description: 'their display name' }),
  closedBy: Type.Union([Type.String(), Type.Null()], { description: 'username' }),
  closedByName: Type.Union([Type.String(), Type.Null()], { description: 'their display name' }),
  closedOn: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null(), Type.String({ description: 'the finding (resolved) or the reason (dismissed)' })]),
  assignee: Type.Union([Type.String(), Type.Null()], { description: "the follow-up task's assignee (username); null: the account managers' pool" }),
  assigneeName: Type.Union([Type.String(), Type.Null()], { description: 'their display name' }),
});
const warningJson = (w: Warning): Static<typeof WarningSchema> => ({ ...w, enterprise: w.enterpriseId, inputs: w.inputs as Record<string, string | number | boolean | null> });

const ActionSchema = Type.Object({
  id: Type.String(),
  warningId: Type.String(),
  enterprise: Type.String(),
  lineId: Type.Union([Type.String(), Type.Null()]),
  kind: literals(WARNING_ACTION_KINDS),
  rule: literals(WARNING_RULE_IDS),
  level: literals(WARNING_LEVELS),
  rulesVersion: Type.Integer(),
  inputs: Type.Record(Type.String(), Scalar),
  before: Type.Union([Type.Record(Type.String(), Scalar), Type.Null()]),
  after: Type.Union([Type.Record(Type.String(), Scalar), Type.Null()]),
  businessDate: Type.String(),
  status: Type.Union([Type.Literal('applied'), Type.Literal('undone')]),
  undoneBy: Type.Union([Type.String(), Type.Null()], { description: 'username' }),
  undoneByName: Type.Union([Type.String(), Type.Null()], { description: 'their display name' }),
});
const actionJson = (a: WarningAction): Static<typeof ActionSchema> => ({
  id: a.id, warningId: a.warningId, enterprise: a.enterpriseId, lineId: a.lineId, kind: a.kind, rule: a.rule, level: a.level, rulesVersion: a.rulesVersion,
  inputs: a.inputs as Record<string, string | number | null>, before: a.before as Record<string, string | number | null> | null, after: a.after as Record<string, string | number | null> | null,
  businessDate: a.businessDate, status: a.status, undoneBy: a.undoneBy, undoneByName: a.undoneByName,
});

const TaskSchema = Type.Object({
  id: Type.String(),
  warningId: Type.String(),
  enterprise: Type.String(),
  enterpriseName: Type.String(),
  kind: literals(MONITORING_TASK_KINDS),
  role: literals(ROLES),
  assignee: Type.Union([Type.String(), Type.Null()], { description: 'username; null: the role\'s pool' }),
  assigneeName: Type.Union([Type.String(), Type.Null()], { description: 'their display name' }),
  dueOn: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('done')]),
  rule: literals(WARNING_RULE_IDS),
  level: literals(WARNING_LEVELS),
});

const Level = literals(WARNING_LEVELS);
const Threshold = Type.Number({ exclusiveMinimum: 0, maximum: 1e9 });
const RuleSetSchema = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 40 }),
    cadenceDays: Type.Object(Object.fromEntries(DATA_SOURCES.map((s) => [s, Type.Integer({ minimum: 1, maximum: 366 })])), { additionalProperties: false, description: 'days between monitoring pulls of each source' }),
    batchSize: Type.Integer({ minimum: 1, maximum: 5000 }),
    maxEnterprisesPerRun: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
    utilisation: Type.Object({ recentDays: Type.Integer({ minimum: 1, maximum: 3660 }), recentShare: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) }, { additionalProperties: false }),
    circular: Type.Object({ withinDays: Type.Integer({ minimum: 1, maximum: 3660 }), sameShare: Type.Number({ exclusiveMinimum: 0, maximum: 1 }), lookbackDays: Type.Integer({ minimum: 1, maximum: 3660 }) }, { additionalProperties: false }),
    rules: Type.Object(
      Object.fromEntries(
        WARNING_RULE_IDS.map((id) => [
          id,
          Type.Object(
            {
              enabled: Type.Boolean(),
              thresholds: Type.Object({ blue: Type.Optional(Threshold), yellow: Type.Optional(Threshold), orange: Type.Optional(Threshold), red: Type.Optional(Threshold) }, { additionalProperties: false }),
              specialMentionFrom: Type.Union([Level, Type.Null()]),
            },
            { additionalProperties: false },
          ),
        ]),
      ),
      { additionalProperties: false },
    ),
    levels: Type.Object(
      Object.fromEntries(
        WARNING_LEVELS.map((level) => [
          level,
          Type.Object(
            {
              freeze: Type.Boolean(),
              cutLimitToBp: Type.Union([Type.Integer({ minimum: 0, maximum: 9999 }), Type.Null()]),
              stopRenewal: Type.Boolean(),
              taskDueDays: Type.Union([Type.Integer({ minimum: 0, maximum: 90 }), Type.Null()]),
              escalate: Type.Boolean(),
            },
            { additionalProperties: false },
          ),
        ]),
      ),
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'the early-warning rule set (src/monitoring/rule-set.ts)' },
);

export function monitoringRoutes(app: TypedApp, context: AppContext, deps: { readonly provider: DataProvider }): void {
  const { db } = context;

  app.get(
    '/v1/warnings',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'The warning inbox: the most severe and newest first, filtered by level, rule, status, region (GB/T 2260 prefix), assignee or enterprise',
        tags: ['monitoring'],
        querystring: Type.Object(
          {
            level: Type.Optional(literals(WARNING_LEVELS)),
            rule: Type.Optional(literals(WARNING_RULE_IDS)),
            status: Type.Optional(literals(WARNING_STATUSES)),
            region: Type.Optional(Type.String({ pattern: '^[0-9]{2,6}$' })),
            assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(WarningSchema) },
      },
    },
    async (request) => (await listWarnings(db, { ...request.query, limit: limitOf(request.query.limit) })).map(warningJson),
  );

  for (const [verb, summary] of [
    ['acknowledge', 'Acknowledge a warning: someone has it in hand (open → acknowledged)'],
    ['resolve', 'Resolve a warning with what was found (open or acknowledged → resolved)'],
    ['dismiss', 'Dismiss a warning as a false alarm, with the reason (counted in the rule’s false-alarm rate)'],
  ] as const) {
    app.post(
      `/v1/warnings/:id/${verb}`,
      {
        config: { access: roles(...WORKERS) },
        schema: {
          summary,
          tags: ['monitoring'],
          params: IdParams,
          body: verb === 'acknowledge' ? Type.Object({}, { additionalProperties: false }) : Type.Object({ note: Type.String({ minLength: 2, maxLength: 1000, description: verb === 'resolve' ? 'the finding' : 'why it is a false alarm' }) }, { additionalProperties: false }),
          response: { 200: WarningSchema },
        },
      },
      async (request) => {
        const user = caller(request).username;
        const id = request.params.id;
        const note = (request.body as { note?: string }).note ?? '';
        const warning = await inTransaction(db, (trx) => (verb === 'acknowledge' ? acknowledgeWarning(trx, id, user) : verb === 'resolve' ? resolveWarning(trx, id, note, user) : dismissWarning(trx, id, note, user)));
        return warningJson(warning);
      },
    );
  }

  app.get(
    '/v1/warnings/false-alarm-rates',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Per rule: warnings raised, closed, dismissed as false alarms, and the rate (dismissed ÷ closed), to tune the rules',
        tags: ['monitoring'],
        response: { 200: Type.Array(Type.Object({ rule: literals(WARNING_RULE_IDS), raised: Type.Integer(), closed: Type.Integer(), dismissed: Type.Integer(), rate: Type.Union([Type.String(), Type.Null()]) })) },
      },
    },
    async () => falseAlarmRates(db),
  );

  app.get(
    '/v1/warnings/trend',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Warnings raised per business date by level and rule, and automatic actions per date by kind (the dashboard panel)',
        tags: ['monitoring'],
        querystring: Type.Object({ from: Type.Optional(BusinessDateText), to: Type.Optional(BusinessDateText) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            raised: Type.Array(Type.Object({ date: Type.String(), level: literals(WARNING_LEVELS), rule: literals(WARNING_RULE_IDS), count: Type.Integer() })),
            actions: Type.Array(Type.Object({ date: Type.String(), kind: literals(WARNING_ACTION_KINDS), count: Type.Integer(), undone: Type.Integer() })),
          }),
        },
      },
    },
    async (request) => {
      const today = await getBusinessDate(db);
      const to = request.query.to === undefined ? today : parseBusinessDate(request.query.to, 'to');
      const from = request.query.from === undefined ? parseBusinessDate(`${Number(to.slice(0, 4)) - 1}${to.slice(4)}`.replace('-02-29', '-02-28'), 'from') : parseBusinessDate(request.query.from, 'from');
      const trend = await warningTrend(db, from, to);
      return { from, to, raised: [...trend.raised], actions: [...trend.actions] };
    },
  );

  app.get(
    '/v1/warning-actions',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Automatic actions of warnings, newest first: with the rule, level, version and inputs that fired each, and what it changed',
        tags: ['monitoring'],
        querystring: Type.Object({ enterpriseId: Type.Optional(Type.String({ format: 'uuid' })), warningId: Type.Optional(Type.String({ format: 'uuid' })), limit: Limit }, { additionalProperties: false }),
        response: { 200: Type.Array(ActionSchema) },
      },
    },
    async (request) => (await listWarningActions(db, { ...request.query, limit: limitOf(request.query.limit) })).map(actionJson),
  );

  app.post(
    '/v1/warning-actions/:id/undo',
    {
      config: { access: roles(...WARNING_UNDO_ACTION.makers) },
      schema: {
        summary: 'Ask to undo an automatic action (unfreeze, restore the limit, lift a hold): 202 with the warning.undo-action request a risk officer or an admin other than you confirms',
        tags: ['monitoring'],
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const made = await inTransaction(db, (trx) => makeRequest(trx, WARNING_UNDO_ACTION, request.params.id, { actionId: request.params.id, reason: request.body.reason }, caller(request)));
      return reply.status(202).send(made);
    },
  );

  app.get(
    '/v1/monitoring/tasks',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Follow-up and escalation tasks of warnings, earliest due first',
        tags: ['monitoring'],
        querystring: Type.Object(
          { role: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })), assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done')])), enterpriseId: Type.Optional(Type.String({ format: 'uuid' })), limit: Limit },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(TaskSchema) },
      },
    },
    async (request) => (await listTasks(db, { ...request.query, limit: limitOf(request.query.limit) })).map((t) => ({ ...t, enterprise: t.enterpriseId })),
  );

  app.post(
    '/v1/monitoring/tasks/:id/assign',
    {
      config: { access: roles(...WORKERS) },
      schema: { summary: 'Assign a task to a person', tags: ['monitoring'], params: IdParams, body: Type.Object({ assignee: Type.String({ minLength: 2, maxLength: 64 }) }, { additionalProperties: false }), response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await inTransaction(db, (trx) => assignTask(trx, request.params.id, request.body.assignee, caller(request).username));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/monitoring/tasks/:id/done',
    {
      config: { access: roles(...WORKERS) },
      schema: { summary: 'Mark a task done', tags: ['monitoring'], params: IdParams, body: Type.Object({}, { additionalProperties: false }), response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await inTransaction(db, (trx) => completeTask(trx, request.params.id, caller(request).username));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/monitoring/run',
    {
      config: { access: roles('risk-officer', 'operator', 'admin') },
      schema: {
        summary: 'Monitor one enterprise now: pull every source under its post-lending authorisation, raise warnings, take their actions',
        tags: ['monitoring'],
        body: Type.Object({ enterpriseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ businessDate: Type.String(), rulesVersion: Type.Integer(), pulls: Type.Integer(), warnings: Type.Integer(), actions: Type.Integer() }) },
      },
    },
    async (request) => {
      const s = await runMonitoring(db, { provider: deps.provider, now: context.now(), enterpriseId: request.body.enterpriseId, actor: caller(request).username });
      return { businessDate: s.businessDate, rulesVersion: s.rulesVersion, pulls: s.pulls, warnings: s.warnings, actions: s.actions };
    },
  );

  app.get(
    '/v1/warning-rules',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'The early-warning rule set in force and every approved version (version 0: the shipped default)',
        tags: ['monitoring'],
        response: { 200: Type.Object({ activeVersion: Type.Integer(), active: RuleSetSchema, versions: Type.Array(Type.Object({ version: Type.Integer(), note: Type.String(), madeBy: Type.Union([Type.String(), Type.Null()]), checkedBy: Type.Union([Type.String(), Type.Null()]), activatedAt: Type.Union([Type.String(), Type.Null()]) })) }) },
      },
    },
    async () => {
      const active = await activeRuleSet(db);
      const versions = await listRuleSetVersions(db);
      return { activeVersion: active.version, active: active.rules as Static<typeof RuleSetSchema>, versions: versions.map(({ rules: _rules, ...v }) => v) };
    },
  );

  app.post(
    '/v1/warning-rules',
    {
      config: { access: roles(...WARNING_RULES_CHANGE.makers) },
      schema: {
        summary: 'Propose a new early-warning rule set: 202 with the warning-rules.change request another risk officer or an admin confirms',
        tags: ['monitoring'],
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 500 }), rules: RuleSetSchema }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const rules = checkRuleSet(request.body.rules) as RuleSet;
      const made = await inTransaction(db, (trx) => makeRequest(trx, WARNING_RULES_CHANGE, WARNING_RULES_SUBJECT, { note: request.body.note, rules }, caller(request)));
      return reply.status(202).send(made);
    },
  );

  app.get(
    '/v1/lines/:id/freeze',
    {
      config: { access: roles('borrower', ...STAFF) },
      schema: {
        summary: 'Why a line is frozen and what to do: the warning that froze it (null fields when it is not frozen by a warning)',
        tags: ['lines'],
        params: IdParams,
        response: { 200: Type.Object({ frozen: Type.Boolean(), rule: Type.Union([literals(WARNING_RULE_IDS), Type.Null()]), level: Type.Union([literals(WARNING_LEVELS), Type.Null()]), since: Type.Union([Type.String(), Type.Null()]), warningStatus: Type.Union([literals(WARNING_STATUSES), Type.Null()]) }) },
      },
    },
    async (request) => {
      const line = await getCreditLine(db, request.params.id);
      assertCanSee(caller(request), line.enterpriseId, `credit line ${line.id}`);
      const freeze = line.status === 'frozen' ? await lineFreeze(db, line.id) : null;
      const warning = freeze === null ? null : await getWarning(db, freeze.warningId);
      return { frozen: line.status === 'frozen', rule: freeze?.rule ?? null, level: freeze?.level ?? null, since: freeze?.since ?? null, warningStatus: warning?.status ?? null };
    },
  );
}
