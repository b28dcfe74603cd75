import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { modelId } from '../../src/decision/decide.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

const CALENDAR = readFileSync(new URL('../../reference/holidays-cn-2025-2026.csv', import.meta.url), 'utf8');

for (const backend of BACKENDS) {
  describe(`models and calendar over HTTP on ${backend}`, () => {
    it('a scorecard deployed through the API waits for a second person, then is the champion', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const risk = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const model = JSON.parse(readFileSync(new URL('../../models/default-scorecard.json', import.meta.url), 'utf8')) as unknown;
        const bad = await app.inject({ method: 'POST', url: '/v1/models/deployments', headers: risk, payload: { id: 'pd 2026', role: 'champion', model: JSON.stringify(model) } });
        assert.equal(bad.statusCode, 400);
        assert.equal((bad.json() as { error: { field: string } }).error.field, 'id');
        const notJson = await app.inject({ method: 'POST', url: '/v1/models/deployments', headers: risk, payload: { id: 'pd-2026-12', role: 'champion', model: '{"bins": [' } });
        assert.deepEqual([notJson.statusCode, (notJson.json() as { error: { field: string } }).error.field], [400, 'model']);
        const proposed = await app.inject({ method: 'POST', url: '/v1/models/deployments', headers: risk, payload: { id: 'pd-2026-12', role: 'champion', model: JSON.stringify(model), trainingScores: { cuts: [500, 600, 700], counts: [1, 2, 3, 4] } } });
        assert.equal(proposed.statusCode, 202, proposed.body);
        const request = proposed.json() as { id: string; kind: string; status: string };
        assert.deepEqual([request.kind, request.status], ['scorecard.deploy', 'pending']);
        assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/models', headers: admin })).json(), { models: [] });
        // The maker cannot confirm it.
        const self = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: risk, payload: { decision: 'approve' } });
        assert.equal(self.statusCode, 403, self.body);
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        const { models } = (await app.inject({ method: 'GET', url: '/v1/models', headers: risk })).json() as { models: { id: string; role: string; version: string; deployedBy: string; checkedBy: string; hasTrainingScores: boolean }[] };
        assert.deepEqual(models.map((m) => [m.id, m.role, m.version, m.deployedBy, m.checkedBy, m.hasTrainingScores]), [['pd-2026-12', 'champion', modelId(defaultScorecard()), 'risk-officer', 'admin', true]]);
        assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/models/stability', headers: risk })).json(), { readings: [] });
      });
    });

    it('reads a year of the calendar; a load through the API waits for a second person', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const operator = { authorization: `Bearer ${await tokenFor('operator')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const malformed = await app.inject({ method: 'POST', url: '/v1/calendar', headers: operator, payload: { csv: 'day,kind,name\n2027-10-01,party,国庆节\n' } });
        assert.equal(malformed.statusCode, 400);
        const before = (await app.inject({ method: 'GET', url: '/v1/calendar/2027', headers: operator })).json() as { year: number; days: unknown[] };
        assert.deepEqual(before, { year: 2027, days: [] });
        const csv = 'day,kind,name\n2027-10-01,holiday,国庆节\n2027-10-09,workday,国庆节调休\n';
        const proposed = await app.inject({ method: 'POST', url: '/v1/calendar', headers: operator, payload: { csv } });
        assert.equal(proposed.statusCode, 202, proposed.body);
        const id = (proposed.json() as { id: string; kind: string }).id;
        assert.equal((proposed.json() as { kind: string }).kind, 'calendar.load');
        assert.deepEqual(((await app.inject({ method: 'GET', url: '/v1/calendar/2027', headers: operator })).json() as { days: unknown[] }).days, [], 'nothing loaded before the second person');
        assert.equal((await app.inject({ method: 'POST', url: `/v1/approvals/${id}/decision`, headers: operator, payload: { decision: 'approve' } })).statusCode, 403);
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${id}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        assert.deepEqual((approved.json() as { result: unknown }).result, { years: [2027], holidays: 1, workdays: 1, replaced: 0 });
        assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/calendar/2027', headers: operator })).json(), {
          year: 2027,
          days: [
            { day: '2027-10-01', working: false, name: '国庆节' },
            { day: '2027-10-09', working: true, name: '国庆节调休' },
          ],
        });
        // The shipped file's 2025 has National Day from 1 to 8 October.
        const shipped = await app.inject({ method: 'POST', url: '/v1/calendar', headers: operator, payload: { csv: CALENDAR } });
        assert.equal(shipped.statusCode, 202);
        await app.inject({ method: 'POST', url: `/v1/approvals/${(shipped.json() as { id: string }).id}/decision`, headers: admin, payload: { decision: 'approve' } });
        const year = (await app.inject({ method: 'GET', url: '/v1/calendar/2025', headers: admin })).json() as { days: { day: string; working: boolean }[] };
        assert.deepEqual(year.days.filter((d) => d.day.startsWith('2025-10') && !d.working).map((d) => d.day), ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']);
        assert.equal((await app.inject({ method: 'GET', url: '/v1/calendar/20x5', headers: admin })).statusCode, 400);
      });
    });
  });
}
