import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inclusiveReport } from '../../src/reporting/regulatory-reports.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';
import { createRegulatoryBook } from '../reporting/regulatory-book.js';

for (const backend of BACKENDS) {
  describe(`regulatory reports API on ${backend}`, () => {
    it('reports as of a date, exports, stored runs with one digest per month, and filing by a second person', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        await createRegulatoryBook(db);
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const inclusive = await app.inject({ method: 'GET', url: '/v1/reports/inclusive?asOf=2025-02-28', headers: await as('management') });
        assert.equal(inclusive.statusCode, 200, inclusive.body);
        assert.deepEqual(inclusive.json(), JSON.parse(JSON.stringify(await inclusiveReport(db, '2025-02-28'))));
        const open = await app.inject({ method: 'GET', url: '/v1/reports/five-category?asOf=2025-03-31', headers: await as('management') });
        assert.deepEqual([open.statusCode, open.json().error.code, open.json().error.field], [400, 'VALIDATION', 'date']);

        const csv = await app.inject({ method: 'GET', url: '/v1/reports/five-category/export?format=csv&asOf=2025-02-28', headers: await as('auditor') });
        assert.equal(csv.statusCode, 200);
        assert.equal(csv.rawPayload[0], 0xef); // the BOM in UTF-8
        const xlsx = await app.inject({ method: 'GET', url: '/v1/reports/renewals/export?format=xlsx&from=2025-02-01&to=2025-02-28', headers: await as('auditor') });
        assert.equal(xlsx.statusCode, 200);
        assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');

        const runs = [];
        for (let i = 0; i < 2; i++) {
          const run = await app.inject({ method: 'POST', url: '/v1/reports/runs', headers: await as('management'), payload: { report: 'inclusive', asOf: '2025-01-31' } });
          assert.equal(run.statusCode, 201, run.body);
          runs.push(run.json());
        }
        assert.equal(runs[0].digest, runs[1].digest);
        assert.deepEqual([runs[0].status, runs[0].definitionVersion], ['draft', 'inclusive-2018']);
        const filing = await app.inject({ method: 'POST', url: `/v1/reports/runs/${runs[0].id}/filing`, headers: await as('management') });
        assert.equal(filing.statusCode, 202, filing.body);
        assert.equal(filing.json().kind, 'report.file');
        // The maker cannot check their own request; a risk officer can.
        const self = await app.inject({ method: 'POST', url: `/v1/approvals/${filing.json().id}/decision`, headers: await as('management'), payload: { decision: 'approve' } });
        assert.notEqual(self.statusCode, 200);
        const checked = await app.inject({ method: 'POST', url: `/v1/approvals/${filing.json().id}/decision`, headers: await as('risk-officer'), payload: { decision: 'approve' } });
        assert.equal(checked.statusCode, 200, checked.body);
        const filed = (await app.inject({ method: 'GET', url: `/v1/reports/runs/${runs[0].id}`, headers: await as('auditor') })).json();
        assert.deepEqual([filed.status, filed.digest, filed.figures.asOf], ['filed', runs[0].digest, '2025-01-31']);
        assert.match(filed.filedBy, /management \(checked by risk-officer\)/);
        const audit = await db.selectFrom('audit_event').select('action').where('action', 'in', ['report.run', 'report.file']).execute();
        assert.deepEqual(audit.map((row) => row.action).sort(), ['report.file', 'report.run', 'report.run']);
        const listed = (await app.inject({ method: 'GET', url: '/v1/reports/runs?report=inclusive', headers: await as('auditor') })).json();
        assert.equal(listed.length, 2);
      });
    });
  });
}
