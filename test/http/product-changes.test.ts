import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

const GREEN_LINE = {
  code: 'GREEN-LINE',
  name: '绿色循环贷',
  nameEn: 'Green working-capital line',
  kind: 'revolving-line',
  workingCapital: true,
  lprTenor: '1y',
  minAmount: '1000.00',
  maxAmount: '2000000.00',
  minTermDays: 1,
  maxTermDays: 365,
  spread: '0.85',
  penaltyMultiplier: '1.3',
  compoundOverdueInterest: false,
};

for (const backend of BACKENDS) {
  describe(`product changes under maker-checker on ${backend}`, () => {
    it('a new product and a change to one wait for a second person; then new lines get the new terms', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const risk = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const products = async () => (await app.inject({ method: 'GET', url: '/v1/products', headers: risk })).json() as { code: string; name: string; nameEn: string; spread: string; maxAmount: string; penaltyMultiplier: string; compoundOverdueInterest: boolean; status: string }[];

        const proposed = await app.inject({ method: 'POST', url: '/v1/products', headers: risk, payload: GREEN_LINE });
        assert.equal(proposed.statusCode, 202, proposed.body);
        const request = proposed.json() as { id: string; kind: string; subjectId: string; status: string; maker: string };
        assert.deepEqual([request.kind, request.subjectId, request.status, request.maker], ['product.change', 'GREEN-LINE', 'pending', 'risk-officer']);
        assert.equal((await products()).some((product) => product.code === 'GREEN-LINE'), false, 'nothing changes before the check');

        const self = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: risk, payload: { decision: 'approve' } });
        assert.equal(self.statusCode, 403);
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        assert.deepEqual((approved.json() as { result: unknown }).result, { code: 'GREEN-LINE', action: 'create' });
        const green = (await products()).find((product) => product.code === 'GREEN-LINE');
        assert.deepEqual(green && [green.spread, green.maxAmount, green.penaltyMultiplier, green.compoundOverdueInterest, green.status], ['0.85', '2000000.00', '1.3', false, 'active']);
        // A name per language; the seeded products too, never the two mixed in one.
        assert.deepEqual(green && [green.name, green.nameEn], ['绿色循环贷', 'Green working-capital line']);
        assert.deepEqual(
          (await products()).filter((product) => product.code !== 'GREEN-LINE').map((product) => [product.code, product.name, product.nameEn]),
          [['MICRO-LINE', '小微循环贷', 'Revolving micro credit line'], ['SHORT-TERM', '短期流动资金贷款', 'Short-term working-capital loan'], ['TERM-LOAN', '等额本息贷款', 'Term loan, equal installments']],
        );

        // A change: the admin proposes, a risk officer confirms; a second proposal meanwhile is a 409.
        const change = await app.inject({ method: 'PATCH', url: '/v1/products/MICRO-LINE', headers: admin, payload: { spread: '1.20', maxAmount: '2500000.00' } });
        assert.equal(change.statusCode, 202, change.body);
        const twice = await app.inject({ method: 'PATCH', url: '/v1/products/MICRO-LINE', headers: risk, payload: { spread: '1.00' } });
        assert.equal(twice.statusCode, 409);
        assert.equal((await products()).find((product) => product.code === 'MICRO-LINE')?.spread, '1.35');
        const confirmed = await app.inject({ method: 'POST', url: `/v1/approvals/${(change.json() as { id: string }).id}/decision`, headers: risk, payload: { decision: 'approve' } });
        assert.equal(confirmed.statusCode, 200, confirmed.body);
        const micro = (await products()).find((product) => product.code === 'MICRO-LINE');
        assert.deepEqual(micro && [micro.spread, micro.maxAmount], ['1.20', '2500000.00']);

        // The audit trail has who, before and after.
        const event = await db.selectFrom('audit_event').select(['actor', 'before', 'after']).where('action', '=', 'product.update').executeTakeFirstOrThrow();
        assert.equal(event.actor, 'admin (checked by risk-officer)');
        assert.deepEqual([(event.before as { spread: string }).spread, (event.after as { spread: string }).spread], ['1.35', '1.20']);

        // New lines price at LPR 3.00 + the new spread.
        const firm = await inTransaction(db, (trx) => createEnterprise(trx, { name: '绿芽茶叶', sizeClass: 'micro' }, 'test'));
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        for (const [productCode, rate] of [['MICRO-LINE', '4.20'], ['GREEN-LINE', '3.85']]) {
          const line = await app.inject({ method: 'POST', url: '/v1/lines', headers: approver, payload: { enterpriseId: firm.id, productCode, limit: '100000.00' } });
          assert.equal(line.statusCode, 201, line.body);
          assert.equal((line.json() as { annualRate: string }).annualRate, rate);
        }

        // A rejected change changes nothing.
        const retire = await app.inject({ method: 'PATCH', url: '/v1/products/GREEN-LINE', headers: risk, payload: { status: 'retired' } });
        await app.inject({ method: 'POST', url: `/v1/approvals/${(retire.json() as { id: string }).id}/decision`, headers: admin, payload: { decision: 'reject' } });
        assert.equal((await products()).find((product) => product.code === 'GREEN-LINE')?.status, 'active');
      });
    });

    it('a bad proposal is refused at once, naming the field, and nothing is requested', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const risk = { authorization: `Bearer ${await tokenFor('risk-officer')}` };
        const cases: [string, 'POST' | 'PATCH', string, Record<string, unknown>, number, string][] = [
          ['max below min', 'POST', '/v1/products', { ...GREEN_LINE, maxAmount: '500.00' }, 400, 'maxAmount'],
          ['penalty outside 1.3–1.5', 'POST', '/v1/products', { ...GREEN_LINE, penaltyMultiplier: '2.0' }, 400, 'penaltyMultiplier'],
          ['three decimals', 'POST', '/v1/products', { ...GREEN_LINE, minAmount: '1000.001' }, 400, 'minAmount'],
          ['zero amount', 'POST', '/v1/products', { ...GREEN_LINE, minAmount: '0.00' }, 400, 'minAmount'],
          ['code taken', 'POST', '/v1/products', { ...GREEN_LINE, code: 'TERM-LOAN' }, 409, 'code'],
          ['unknown field', 'PATCH', '/v1/products/MICRO-LINE', { spread: '1.00', kind: 'term-loan' }, 400, 'kind'],
          ['nothing to change', 'PATCH', '/v1/products/MICRO-LINE', {}, 400, 'body'],
          ['term bounds crossed', 'PATCH', '/v1/products/TERM-LOAN', { maxTermDays: 20 }, 400, 'maxTermDays'],
        ];
        for (const [what, method, url, payload, status, field] of cases) {
          const response = await app.inject({ method, url, headers: risk, payload });
          assert.equal(response.statusCode, status, `${what}: ${response.body}`);
          assert.equal((response.json() as { error: { field?: string } }).error.field, field, what);
        }
        const unknown = await app.inject({ method: 'PATCH', url: '/v1/products/NO-SUCH', headers: risk, payload: { spread: '1.00' } });
        assert.equal(unknown.statusCode, 404);
        const manager = await app.inject({ method: 'PATCH', url: '/v1/products/MICRO-LINE', headers: { authorization: `Bearer ${await tokenFor('account-manager')}` }, payload: { spread: '0.10' } });
        assert.equal(manager.statusCode, 403);
        assert.equal((await db.selectFrom('approval_request').select('id').execute()).length, 0);
      });
    });
  });
}
