import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise, getEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const FIRM = {
  name: '杭州绿芽茶叶有限公司',
  creditCode: '91350100M000100Y43',
  industry: 'retail',
  regionCode: '330106',
  registeredOn: '2019-04-01',
  employees: 12,
  revenue: '3200000.00',
  assets: 1_500_000_00n,
  owners: [{ name: '王芳', idNumber: '330106198001011235', role: 'legal-representative', sharePercent: 60 }],
};

for (const backend of BACKENDS) {
  describe(`enterprise registry on ${backend}`, () => {
    it('records the registry fields and computes the size class: retail, 12 people, 320 万 → small', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firm = await inTransaction(db, (trx) => createEnterprise(trx, FIRM, 'account-manager'));
        assert.equal(firm.sizeClass, 'small');
        const stored = await getEnterprise(db, firm.id);
        assert.deepEqual(stored, firm);
        assert.equal(stored.revenue, 3_200_000_00n);
        assert.equal(stored.assets, 1_500_000_00n);
        assert.equal(stored.registeredOn, '2019-04-01');
        assert.deepEqual(stored.owners, [{ name: '王芳', idNumber: '330106198001011235', phone: null, role: 'legal-representative', sharePercent: 60 }]);
        // The audit trail never holds the owner's full ID number.
        const audit = await db.selectFrom('audit_event').select('after').where('entity_id', '=', firm.id).executeTakeFirstOrThrow();
        const text = JSON.stringify(audit.after);
        assert.ok(!text.includes('330106198001011235'));
        assert.ok(text.includes('330***********1235'));
      });
    });

    it('the minimal record still works: a name and a size class', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firm = await inTransaction(db, (trx) => createEnterprise(trx, { name: '宁波小微五金厂', sizeClass: 'micro' }, 'u'));
        assert.equal((await getEnterprise(db, firm.id)).industry, null);
        assert.deepEqual((await getEnterprise(db, firm.id)).owners, []);
      });
    });

    it('refuses a bad credit code, a size class the figures contradict, a bad region, a duplicate code', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, creditCode: '91350100M000100Y44' }, 'u')), { code: 'VALIDATION', field: 'creditCode', message: /character 18 '4' is wrong.*should be '3'/ });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, sizeClass: 'micro' }, 'u')), { code: 'VALIDATION', field: 'sizeClass', message: /make a retail firm 'small'/ });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, regionCode: '990101' }, 'u')), { code: 'VALIDATION', field: 'regionCode' });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, industry: 'mining' }, 'u')), { code: 'VALIDATION', field: 'industry' });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { name: 'x', industry: 'retail', employees: 3 }, 'u')), { code: 'VALIDATION', field: 'sizeClass' });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, owners: [{ name: '', idNumber: '1' }] }, 'u')), { code: 'VALIDATION', field: 'owners[0].name' });
        const owner = FIRM.owners[0]!;
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, owners: [{ ...owner, idNumber: '330106198001011234' }] }, 'u')), { code: 'VALIDATION', field: 'owners[0].idNumber', message: /should be '5'/ });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, owners: [{ ...owner, idNumber: '330106198002301234' }] }, 'u')), { code: 'VALIDATION', field: 'owners[0].idNumber', message: /birth date/ });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, owners: [{ ...owner, phone: '12812345678' }] }, 'u')), { code: 'VALIDATION', field: 'owners[0].phone' });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, owners: [{ ...owner, sharePercent: null, share: '1.5' }] }, 'u')), { code: 'VALIDATION', field: 'owners[0].share' });
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, { ...FIRM, owners: [owner, { ...owner, sharePercent: 50 }] }, 'u')), { code: 'VALIDATION', field: 'owners', message: /110\.00%/ });
        await inTransaction(db, (trx) => createEnterprise(trx, FIRM, 'u'));
        await assert.rejects(inTransaction(db, (trx) => createEnterprise(trx, FIRM, 'u')), { code: 'CONFLICT', field: 'creditCode' });
        assert.equal((await db.selectFrom('enterprise').select('id').execute()).length, 1);
      });
    });
  });
}
