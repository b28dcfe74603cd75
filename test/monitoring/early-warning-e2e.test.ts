import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { decideRequest, makeRequest } from '../../src/approvals/maker-checker.js';
import { CHECKED_ACTIONS, WARNING_UNDO_ACTION } from '../../src/approvals/checked-actions.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { grantDataAuthorisation } from '../../src/data/authorisations.js';
import { compareRecords, type DataProvider } from '../../src/data/data-provider.js';
import { loadPulledData } from '../../src/data/pull-data.js';
import { DATA_SOURCES, parseMonth, type DataRecord, type DataSource } from '../../src/data/data-records.js';
import { simulatedCreditCode } from '../../src/data/simulated-firm.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { createUser } from '../../src/auth/users.js';
import { setAccountManager } from '../../src/enterprises/account-manager.js';
import { SproutError } from '../../src/errors.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { minor } from '../../src/money/minor.js';
import { runMonitoring } from '../../src/monitoring/monitor-run.js';
import { activeRuleSet } from '../../src/monitoring/rule-versions.js';
import { enterpriseTimeline } from '../../src/enterprises/enterprise-timeline.js';
import { acknowledgeWarning, dismissWarning, falseAlarmRates, listTasks, listWarningActions, listWarnings, resolveWarning, warningTimelineEvents } from '../../src/monitoring/warnings.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const NOW = new Date('2025-06-30T14:00:00Z');
const m = (text: string) => parseMonth(text);
const d = (text: string) => parseBusinessDate(text, 'date');

/** A provider that answers from fixed records (what the firm's data says), whatever the window. */
export function fixtureProvider(records: { readonly [S in DataSource]?: readonly DataRecord[] }): DataProvider {
  return { name: 'fixture', sources: DATA_SOURCES, fetch: async (request) => (records[request.source] ?? []) as never };
}

/** Power fell 60% month on month (40% over three months year on year), and a court listed the firm as a dishonest debtor. */
const DETERIORATED = fixtureProvider({
  electricity: [
    { source: 'electricity', kind: 'electricity-month', month: m('2024-03'), kwh: 10_000 },
    { source: 'electricity', kind: 'electricity-month', month: m('2024-04'), kwh: 10_000 },
    { source: 'electricity', kind: 'electricity-month', month: m('2024-05'), kwh: 10_000 },
    { source: 'electricity', kind: 'electricity-month', month: m('2025-03'), kwh: 4_000 },
    { source: 'electricity', kind: 'electricity-month', month: m('2025-04'), kwh: 10_000 },
    { source: 'electricity', kind: 'electricity-month', month: m('2025-05'), kwh: 4_000 },
  ],
  courts: [{ source: 'courts', kind: 'dishonest-debtor', date: d('2025-06-15'), removedOn: null, court: '杭州市西湖区人民法院', caseNumber: '(2025)浙0106执1234号', amount: minor(8_000_000n) }],
});

async function borrower(db: Kysely<Database>, options: { authorise: boolean; index?: number }): Promise<{ enterpriseId: string; lineId: string; loanId: string }> {
  return inTransaction(db, async (trx) => {
    const index = options.index ?? 0;
    const firm = await createEnterprise(trx, { name: index === 0 ? '杭州绿芽茶叶有限公司' : `杭州绿芽茶叶${index}号有限公司`, sizeClass: 'micro', creditCode: simulatedCreditCode(7, index, '330106'), regionCode: '330106' }, 'test');
    if (options.authorise) {
      await grantDataAuthorisation(trx, { enterpriseId: firm.id, sources: [...DATA_SOURCES], purpose: 'post-lending-monitoring', grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'SX-DA-2026.1' }, 'owner', NOW);
    }
    const line = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'MICRO-LINE', limit: '300000.00' }, 'test');
    const loan = await drawdown(trx, { lineId: line.id, amount: '100000.00', termDays: 90 }, 'owner');
    return { enterpriseId: firm.id, lineId: line.id, loanId: loan.loanId };
  });
}

for (const backend of BACKENDS) {
  describe(`early warning end to end on ${backend}`, () => {
    it('power falls and a dishonest-debtor listing → red warning → line frozen, drawdown refused with line-frozen, task assigned, unfreeze needs a second person', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { enterpriseId, lineId, loanId } = await borrower(db, { authorise: true });
        const summary = await runMonitoring(db, { provider: DETERIORATED, now: NOW, enterpriseId });
        assert.deepEqual([summary.enterprises, summary.pulls, summary.warnings, summary.rulesVersion], [1, 1, 3, 0]);

        const warnings = await listWarnings(db, { enterpriseId, limit: 50 });
        assert.deepEqual(
          warnings.map((w) => [w.rule, w.level, w.status, w.value]),
          [
            ['dishonest-debtor', 'red', 'open', '1'],
            ['electricity-mom', 'orange', 'open', '0.6'],
            ['electricity-yoy', 'yellow', 'open', '0.4'],
          ],
        );
        assert.deepEqual(warnings[0]!.inputs, { listedOn: '2025-06-15', court: '杭州市西湖区人民法院', caseNumber: '(2025)浙0106执1234号' });

        // Red: the line is frozen, renewal stopped, loans held at special mention, a task due tomorrow, escalated.
        const line = await db.selectFrom('credit_line').select(['status', 'limit_amount', 'available', 'renewal_hold']).where('id', '=', lineId).executeTakeFirstOrThrow();
        // Orange (power) also cut the limit to 50% of 300,000.00: 150,000.00, of which 100,000.00 is drawn.
        assert.deepEqual(line, { status: 'frozen', limit_amount: 15_000_000n, available: 5_000_000n, renewal_hold: true });
        const actions = await listWarningActions(db, { enterpriseId, limit: 50 });
        assert.deepEqual(actions.map((a) => [a.kind, a.rule, a.level, a.rulesVersion]).sort(), [
          ['cut-limit', 'electricity-mom', 'orange', 0],
          ['escalate', 'dishonest-debtor', 'red', 0],
          ['escalate', 'electricity-mom', 'orange', 0],
          ['freeze', 'dishonest-debtor', 'red', 0],
          ['special-mention', 'dishonest-debtor', 'red', 0],
          ['stop-renewal', 'dishonest-debtor', 'red', 0],
          ['task', 'dishonest-debtor', 'red', 0],
          ['task', 'electricity-mom', 'orange', 0],
          ['task', 'electricity-yoy', 'yellow', 0],
        ]);
        const freeze = actions.find((a) => a.kind === 'freeze')!;
        assert.deepEqual([freeze.before, freeze.after, freeze.inputs['value'], freeze.inputs['listedOn']], [{ status: 'active' }, { status: 'frozen' }, 1, '2025-06-15']);
        const cut = actions.find((a) => a.kind === 'cut-limit')!;
        assert.deepEqual([cut.before, cut.after], [{ limit: '30000000', available: '20000000' }, { limit: '15000000', available: '5000000', shareBp: 5000 }]);

        const tasks = await listTasks(db, { enterpriseId, status: 'open', limit: 50 });
        assert.deepEqual(tasks.filter((t) => t.rule === 'dishonest-debtor').map((t) => [t.kind, t.role, t.dueOn]).sort(), [['escalation', 'risk-officer', '2025-07-01'], ['follow-up', 'account-manager', '2025-07-01']]);

        // The borrower's drawdown is refused, saying why and since when.
        await assert.rejects(
          inTransaction(db, (trx) => drawdown(trx, { lineId, amount: '1000.00', termDays: 30 }, 'owner')),
          (error: unknown) => error instanceof SproutError && error.code === 'CONFLICT' && error.reason === 'line-frozen' && error.field === 'lineId' &&
            JSON.stringify(error.params) === JSON.stringify({ since: '2025-06-30', rule: 'dishonest-debtor', level: 'red' }),
        );

        // Tonight the loan is held at special mention (关注) although it is not overdue.
        await runEod(db);
        const loan = await db.selectFrom('loan').select(['dpd', 'classification', 'watch_since']).where('id', '=', loanId).executeTakeFirstOrThrow();
        assert.deepEqual(loan, { dpd: 0, classification: 'special-mention', watch_since: '2025-06-30' });

        // Unfreezing needs a second person: the maker cannot check it.
        const request = await inTransaction(db, (trx) => makeRequest(trx, WARNING_UNDO_ACTION, freeze.id, { actionId: freeze.id, reason: '已核实：失信记录系错误登记，法院已出具撤销决定' }, { username: 'wang.am', role: 'account-manager' }));
        await assert.rejects(inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', { username: 'wang.am', role: 'risk-officer' })), { code: 'NOT_AUTHORISED' });
        assert.equal((await db.selectFrom('credit_line').select('status').where('id', '=', lineId).executeTakeFirstOrThrow()).status, 'frozen');
        await inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', { username: 'li.risk', role: 'risk-officer' }));
        assert.equal((await db.selectFrom('credit_line').select('status').where('id', '=', lineId).executeTakeFirstOrThrow()).status, 'active');
        const undone = (await listWarningActions(db, { lineId, limit: 50 })).find((a) => a.id === freeze.id)!;
        assert.deepEqual([undone.status, undone.undoneBy], ['undone', 'wang.am (checked by li.risk)']);
        // Now a drawdown within the cut limit goes through.
        await inTransaction(db, (trx) => drawdown(trx, { lineId, amount: '1000.00', termDays: 30 }, 'owner'));

        // The warning's life, and the false-alarm rate per rule.
        const red = warnings[0]!;
        await inTransaction(db, (trx) => acknowledgeWarning(trx, red.id, 'wang.am'));
        await inTransaction(db, (trx) => resolveWarning(trx, red.id, '法院撤销失信登记，企业经营正常', 'wang.am'));
        await inTransaction(db, (trx) => dismissWarning(trx, warnings[1]!.id, '厂房检修停产两周，已复产', 'wang.am'));
        await assert.rejects(inTransaction(db, (trx) => dismissWarning(trx, red.id, 'again', 'wang.am')), { code: 'CONFLICT' });
        const rates = await falseAlarmRates(db);
        assert.deepEqual(rates.map((r) => [r.rule, r.raised, r.closed, r.dismissed, r.rate]), [
          ['dishonest-debtor', 1, 1, 0, '0.0000'],
          ['electricity-mom', 1, 1, 1, '1.0000'],
          ['electricity-yoy', 1, 0, 0, null],
        ]);

        const events = await warningTimelineEvents(db, enterpriseId, 200);
        assert.equal(events.filter((e) => e.kind === 'warning-raised').length, 3);
        assert.equal(events.filter((e) => e.kind === 'action-taken').length, 9);
        assert.deepEqual(events.filter((e) => e.kind === 'action-undone').map((e) => [e.actor, e.detail]), [['wang.am (checked by li.risk)', { rule: 'dishonest-debtor', level: 'red', action: 'freeze' }]]);
        // The limit is the query's: the two newest events only.
        assert.deepEqual((await warningTimelineEvents(db, enterpriseId, 2)).map((e) => [e.kind, e.id]), events.slice(0, 2).map((e) => [e.kind, e.id]));
        assert.deepEqual(events.filter((e) => e.kind === 'warning-resolved' || e.kind === 'warning-dismissed').map((e) => e.kind).sort(), ['warning-dismissed', 'warning-resolved']);
        // The same events on the enterprise timeline, beside its applications and servicing, as codes only.
        const timeline = await enterpriseTimeline(db, enterpriseId);
        const warningKinds = new Set(['warning-raised', 'warning-acknowledged', 'warning-resolved', 'warning-dismissed', 'action-taken', 'action-undone']);
        assert.equal(timeline.filter((e) => warningKinds.has(e.kind)).length, events.length);
        assert.deepEqual(timeline.find((e) => e.kind === 'action-undone')?.detail, { rule: 'dishonest-debtor', level: 'red', action: 'freeze' });

        // Monitoring again (the next day, no newer power data): the listing closed on the same facts is not raised again.
        const again = await runMonitoring(db, { provider: DETERIORATED, now: NOW, enterpriseId });
        assert.deepEqual([again.pulls, again.warnings], [1, 0]);
      });
    });

    it('end of day monitors first: every source due on the first night, only the daily courts the next; running a closed date again pulls and raises nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { enterpriseId, lineId } = await borrower(db, { authorise: true });
        const counts = async () => ({
          pulls: Number((await db.selectFrom('data_pull').select((eb) => eb.fn.countAll<bigint>().as('n')).where('purpose', '=', 'post-lending-monitoring').executeTakeFirstOrThrow()).n),
          warnings: Number((await db.selectFrom('early_warning').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n),
          actions: Number((await db.selectFrom('warning_action').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n),
        });
        // The firm's account manager takes its follow-ups; a borrower login is no account manager.
        await createUser(db, { username: 'wang.am', displayName: '王客户经理', role: 'account-manager', password: 'wang-am-password-1' });
        await createUser(db, { username: 'zhao.am', displayName: '赵客户经理', role: 'account-manager', password: 'zhao-am-password-1' });
        await createUser(db, { username: 'owner-7', displayName: '老板', role: 'borrower', password: 'owner-7-password-1', enterpriseId });
        await assert.rejects(inTransaction(db, (trx) => setAccountManager(trx, enterpriseId, 'owner-7', 'li.risk')), { code: 'VALIDATION', field: 'username', reason: 'not-a-choice' });
        assert.deepEqual(await inTransaction(db, (trx) => setAccountManager(trx, enterpriseId, 'wang.am', 'li.risk')), { enterpriseId, accountManager: 'wang.am', tasksMoved: 0 });

        const night = await runEod(db, { monitoring: { provider: DETERIORATED, now: NOW } });
        assert.equal(night.date, '2025-06-30');
        assert.deepEqual([night.monitoring?.enterprises, night.monitoring?.pulls, night.monitoring?.warnings, night.monitoring?.actions], [1, 1, 3, 9]);
        assert.deepEqual(await counts(), { pulls: 1, warnings: 3, actions: 9 });
        const first = await db.selectFrom('data_pull').select(['sources', 'as_of']).where('enterprise_id', '=', enterpriseId).executeTakeFirstOrThrow();
        assert.deepEqual([[...first.sources].sort(), first.as_of], [[...DATA_SOURCES].sort(), '2025-06-30']);
        // The line was frozen before tonight's chunks ran.
        assert.equal((await db.selectFrom('credit_line').select('status').where('id', '=', lineId).executeTakeFirstOrThrow()).status, 'frozen');

        // Follow-ups go to wang.am, escalations to the risk officers' pool; the inbox filters by assignee.
        const tasks = await listTasks(db, { enterpriseId, limit: 20 });
        assert.deepEqual(tasks.map((t) => [t.kind, t.assignee]).sort(), [['escalation', null], ['escalation', null], ['follow-up', 'wang.am'], ['follow-up', 'wang.am'], ['follow-up', 'wang.am']]);
        assert.equal((await listWarnings(db, { assignee: 'wang.am', limit: 20 })).length, 3);
        assert.equal((await listWarnings(db, { assignee: 'zhao.am', limit: 20 })).length, 0);
        // A new account manager takes over the open follow-ups.
        assert.equal((await inTransaction(db, (trx) => setAccountManager(trx, enterpriseId, 'zhao.am', 'li.risk'))).tasksMoved, 3);
        assert.deepEqual((await listWarnings(db, { assignee: 'zhao.am', limit: 20 })).map((w) => w.assignee), ['zhao.am', 'zhao.am', 'zhao.am']);

        // The same date again: closed, nothing monitored twice; nor by the monitoring command on its own.
        const again = await runEod(db, { date: '2025-06-30', monitoring: { provider: DETERIORATED, now: NOW } });
        assert.deepEqual([again.alreadyDone, again.monitoring], [true, null]);
        assert.deepEqual(await counts(), { pulls: 1, warnings: 3, actions: 9 });

        // The next night only the courts (daily) are due; the listing is already a red warning, so nothing new is raised.
        const next = await runEod(db, { monitoring: { provider: DETERIORATED, now: new Date('2025-07-01T14:00:00Z') } });
        assert.deepEqual([next.date, next.monitoring?.pulls, next.monitoring?.warnings], ['2025-07-01', 1, 0]);
        const latest = await db.selectFrom('data_pull').select('sources').where('enterprise_id', '=', enterpriseId).where('as_of', '=', d('2025-07-01')).executeTakeFirstOrThrow();
        assert.deepEqual(latest.sources, ['courts']);
        assert.deepEqual(await counts(), { pulls: 2, warnings: 3, actions: 9 });
        // Each monitoring pull holds its record sets in its own row; they read back as pulled, each
        // source from its latest pull (power from the first night, the courts from the second).
        assert.equal(Number((await db.selectFrom('data_record_set').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()).n), 0);
        const stored = await loadPulledData(db, enterpriseId);
        assert.equal(stored?.asOf, '2025-07-01');
        assert.deepEqual(stored?.sources.electricity?.records, [...(await DETERIORATED.fetch({ subject: { creditCode: '', industry: null }, source: 'electricity', asOf: d('2025-06-30'), months: 24 }))].sort(compareRecords));
        assert.notEqual(stored?.sources.electricity?.pullId, stored?.sources.courts?.pullId);
        assert.deepEqual(stored?.sources.courts?.records.map((r) => r.kind), ['dishonest-debtor']);
        assert.deepEqual(stored?.sources.tax?.records, []);
      });
    });

    it('a borrower without a monitoring authorisation gets a yellow authorisation-missing warning and nothing is pulled', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { enterpriseId, lineId } = await borrower(db, { authorise: false });
        const summary = await runMonitoring(db, { provider: DETERIORATED, now: NOW, enterpriseId });
        assert.deepEqual([summary.pulls, summary.warnings], [0, 1]);
        const [warning] = await listWarnings(db, { enterpriseId, limit: 5 });
        assert.deepEqual([warning!.rule, warning!.level, warning!.inputs], ['authorisation-missing', 'yellow', { sources: DATA_SOURCES.join(',') }]);
        // Yellow stops renewal eligibility and gives a task due in 7 days; the line stays open.
        const line = await db.selectFrom('credit_line').select(['status', 'renewal_hold']).where('id', '=', lineId).executeTakeFirstOrThrow();
        assert.deepEqual(line, { status: 'active', renewal_hold: true });
        assert.deepEqual((await listTasks(db, { enterpriseId, limit: 5 })).map((t) => [t.kind, t.dueOn]), [['follow-up', '2025-07-07']]);
      });
    });
  });
}

for (const backend of BACKENDS) {
  describe(`monitoring run in batches on ${backend}`, () => {
    it('prepares the next batch while it writes one; killed after a batch, it resumes after it and monitors each borrower once', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firms = [];
        for (let index = 0; index < 5; index++) firms.push(await borrower(db, { authorise: true, index }));
        const active = await activeRuleSet(db);
        // Batches of two: 2 + 2 + 1.
        const ruleSet = { version: active.version, rules: { ...active.rules, batchSize: 2 } };
        const crash = new Error('killed after the first batch');
        await assert.rejects(
          runMonitoring(db, { provider: DETERIORATED, now: NOW, ruleSet, afterBatch: () => { throw crash; } }),
          (error) => error === crash,
        );
        const half = await db.selectFrom('monitoring_run').select(['enterprises', 'pulls', 'status']).executeTakeFirstOrThrow();
        assert.deepEqual(half, { enterprises: 2, pulls: 2, status: 'running' });

        const summary = await runMonitoring(db, { provider: DETERIORATED, now: NOW, ruleSet });
        assert.equal(summary.enterprises, 3);
        assert.equal(summary.pulls, 3);
        assert.equal(summary.alreadyDone, false);
        const run = await db.selectFrom('monitoring_run').select(['enterprises', 'pulls', 'status']).executeTakeFirstOrThrow();
        assert.deepEqual(run, { enterprises: 5, pulls: 5, status: 'done' });
        // Each borrower pulled once, every source once, and the same warnings each (a red listing and the power fall).
        const pulls = await db.selectFrom('data_pull').select(['enterprise_id', sql<string>`count(*)`.as('n')]).groupBy('enterprise_id').execute();
        assert.deepEqual(pulls.map((p) => [p.enterprise_id, Number(p.n)]).sort(), firms.map((f) => [f.enterpriseId, 1]).sort());
        // One row per borrower, every source in it once, pulled on this date by the borrower's one pull.
        const sources = await db.selectFrom('monitoring_source').select(['enterprise_id', 'sources']).execute();
        assert.equal(sources.length, 5);
        const pullOf = new Map((await db.selectFrom('data_pull').select(['id', 'enterprise_id']).execute()).map((p) => [p.enterprise_id, p.id]));
        for (const row of sources) {
          assert.deepEqual(Object.keys(row.sources).sort(), [...DATA_SOURCES].sort());
          for (const last of Object.values(row.sources)) assert.deepEqual(last, { on: summary.businessDate, pull: pullOf.get(row.enterprise_id) });
        }
        const warnings = await db.selectFrom('early_warning').select(['enterprise_id', 'rule_id', 'level']).orderBy('rule_id').execute();
        const perFirm = new Map<string, string[]>();
        for (const w of warnings) perFirm.set(w.enterprise_id, [...(perFirm.get(w.enterprise_id) ?? []), `${w.rule_id}:${w.level}`]);
        assert.equal(perFirm.size, 5);
        const first = perFirm.get(firms[0]!.enterpriseId)!;
        assert.ok(first.includes('dishonest-debtor:red'), first.join(' '));
        for (const f of firms) assert.deepEqual(perFirm.get(f.enterpriseId), first);
        // Every line frozen once, by one action each.
        const freezes = await db.selectFrom('warning_action').select(sql<string>`count(*)`.as('n')).where('kind', '=', 'freeze').executeTakeFirstOrThrow();
        assert.equal(Number(freezes.n), 5);
        const frozen = await db.selectFrom('credit_line').select(sql<string>`count(*)`.as('n')).where('status', '=', 'frozen').executeTakeFirstOrThrow();
        assert.equal(Number(frozen.n), 5);

        const again = await runMonitoring(db, { provider: DETERIORATED, now: NOW, ruleSet });
        assert.equal(again.alreadyDone, true);
      });
    });
  });
}
