import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PRESCREEN_POLICY, prescreen } from '../../src/prospects/prescreen.js';
import { simulatedCreditCode, simulatedProvider } from '../../src/data/index.js';
import type { BusinessDate } from '../../src/calendar/index.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

const CODES = Array.from({ length: 30 }, (_, i) => simulatedCreditCode(77, i));

type Prospect = { creditCode: string; name: string; status: string; indicativeLimit: string | null; reasons: string[] };

for (const backend of BACKENDS) {
  describe(`batch acquisition API on ${backend}`, () => {
    it('imports a supply-chain list, reports invalid rows one by one, and pre-screens the rest as the rules say', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const prospects = [
          ...CODES.map((creditCode, i) => ({ creditCode, name: `供应商${i + 1}` })),
          { creditCode: '91350100M000100Y44', name: '错码公司' },
          { creditCode: CODES[0]!, name: '重复' },
          { creditCode: '91350100M000100Y43', name: '  ' },
        ];
        const created = await app.inject({ method: 'POST', url: '/v1/prospect-batches', headers: manager, payload: { source: 'supply-chain', sourceName: '宁波某汽车零部件集团', prospects } });
        assert.equal(created.statusCode, 201, created.body);
        const batch = created.json() as { id: string; source: string; sourceName: string; total: number; preApproved: number; declined: number; invalid: number; createdAt: string };
        assert.equal(batch.total, 33);
        assert.equal(batch.invalid, 3);
        assert.equal(batch.preApproved + batch.declined, 30);

        // The same rules over the same public records, computed here, give the same counts.
        const provider = simulatedProvider({ seed: 2025 });
        let expectedPreApproved = 0;
        for (const creditCode of CODES) {
          const records = [
            ...(await provider.fetch({ subject: { creditCode }, source: 'registration', asOf: '2025-06-30' as BusinessDate, months: 24 })),
            ...(await provider.fetch({ subject: { creditCode }, source: 'courts', asOf: '2025-06-30' as BusinessDate, months: 24 })),
          ];
          if (prescreen({ source: 'supply-chain', records, registeredOn: null, asOf: '2025-06-30' as BusinessDate }, DEFAULT_PRESCREEN_POLICY).status === 'pre-approved') expectedPreApproved++;
        }
        assert.equal(batch.preApproved, expectedPreApproved);
        assert.ok(batch.preApproved > 0, 'some prospects are pre-approved');

        const rows = (await app.inject({ method: 'GET', url: `/v1/prospect-batches/${batch.id}/prospects`, headers: { authorization: `Bearer ${await tokenFor('risk-officer')}` } })).json() as Prospect[];
        assert.equal(rows.length, 33);
        assert.equal(rows[0]!.name, '供应商1');
        for (const row of rows.filter((prospect) => prospect.status === 'pre-approved')) assert.ok(row.indicativeLimit === '500000.00' || row.indicativeLimit === '250000.00', row.indicativeLimit ?? 'null');
        for (const row of rows.filter((prospect) => prospect.status === 'declined')) {
          assert.equal(row.indicativeLimit, null);
          assert.ok(row.reasons.length > 0);
        }
        assert.deepEqual(rows[30], { creditCode: '91350100M000100Y44', name: '错码公司', status: 'invalid', indicativeLimit: null, reasons: ['INVALID_CREDIT_CODE'], detail: `character 18 '4' is wrong: the check character (GB 32100-2015) should be '3'` });
        assert.deepEqual(rows[31]!.reasons, ['DUPLICATE_IN_LIST']);
        assert.match(rows[32]!.reasons[0]!, /^INVALID_NAME/);

        const list = (await app.inject({ method: 'GET', url: '/v1/prospect-batches', headers: manager })).json() as (typeof batch)[];
        assert.deepEqual(list, [batch]);
        const unknown = await app.inject({ method: 'GET', url: '/v1/prospect-batches/0190a5e2-0000-7000-8000-000000000000/prospects', headers: manager });
        assert.equal(unknown.statusCode, 404);
        const badSource = await app.inject({ method: 'POST', url: '/v1/prospect-batches', headers: manager, payload: { source: 'cold-call', sourceName: 'x', prospects } });
        assert.equal(badSource.statusCode, 400);
      });
    });
  });
}
