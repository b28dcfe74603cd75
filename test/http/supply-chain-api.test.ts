import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Role } from '../../src/auth/roles.js';
import type { Database } from '../../src/db/schema.js';
import { BACKENDS } from '../support/backends.js';
import { createEnterprise } from '../support/loan-fixtures.js';
import { withTestApp } from '../support/test-app.js';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import { runEod } from '../../src/eod/run-eod.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { confirmedCertificate, supplyChain } from '../supply-chain/scf-fixtures.js';

async function bind(db: Kysely<Database>, role: Role, enterpriseId: string): Promise<void> {
  const user = await db.selectFrom('app_user').select('id').where('username', '=', role).executeTakeFirstOrThrow();
  await db.insertInto('user_enterprise').values({ user_id: user.id, enterprise_id: enterpriseId, bound_at: new Date(), bound_by: 'test' }).execute();
}

type TestApp = Parameters<Parameters<typeof withTestApp>[1]>[0];

/** `call(role, method, url, payload?, idempotencyKey?)`: the status and the JSON body. */
function caller(app: TestApp['app'], tokenFor: TestApp['tokenFor']) {
  return async (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown, key?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await tokenFor(role)}` };
    if (key !== undefined) headers['idempotency-key'] = key;
    const response = await app.inject({ method, url, payload: payload as never, headers });
    return { status: response.statusCode, body: (response.body === '' ? {} : response.json()) as Record<string, any> };
  };
}

/** A refusal as [status, field, reason]. */
const refusal = (answer: { status: number; body: Record<string, any> }) => [answer.status, answer.body.error?.field ?? null, answer.body.error?.reason ?? null];

/** The balance of an account purpose in the ledger. */
async function ledger(db: Kysely<Database>, purpose: string): Promise<bigint> {
  const row = await db
    .selectFrom('journal_line as l')
    .innerJoin('ledger_account as a', 'a.code', 'l.account_code')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('l.amount'), eb.val('0')).as('total'))
    .where('a.purpose', '=', purpose)
    .executeTakeFirstOrThrow();
  return BigInt(row.total);
}

for (const backend of BACKENDS) {
  describe(`supply-chain API on ${backend}`, () => {
    it('a programme approved by a second person, payables confirmed in bulk by the core enterprise, a certificate split and financed by its holder once per key, paid by the core enterprise', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const call = caller(app, tokenFor);
        const core = await createEnterprise(db, '华东重工集团');
        const supplier = await createEnterprise(db, '一级配件厂');
        const other = await createEnterprise(db, '别家工厂');
        await bind(db, 'core-enterprise', core);
        await bind(db, 'borrower', supplier);

        const proposal = await call('risk-officer', 'POST', '/v1/supply-chain/programmes', {
          coreEnterpriseId: core, limit: '5000000.00', startsOn: '2025-01-01', endsOn: '2026-12-31', lprTenor: '1y', spread: '0.50',
          interestPayer: 'supplier', interestTiming: 'discounted', advanceRate: '90', maxTenorDays: 180, supplierLimit: '2000000.00', industryLimit: '4000000.00', supplierIds: [supplier],
        });
        assert.equal(proposal.status, 202, JSON.stringify(proposal.body));
        assert.equal((await call('risk-officer', 'POST', `/v1/approvals/${proposal.body.id}/decision`, { decision: 'approve' })).status, 403);
        const approved = await call('credit-approver', 'POST', `/v1/approvals/${proposal.body.id}/decision`, { decision: 'approve' });
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        const bad = await call('risk-officer', 'POST', '/v1/supply-chain/programmes', { ...{ coreEnterpriseId: core, limit: '1.00', startsOn: '2025-01-01', endsOn: '2024-12-31', lprTenor: '1y', spread: '0.50', interestPayer: 'supplier', interestTiming: 'discounted', advanceRate: '90', maxTenorDays: 180, supplierLimit: '1.00', industryLimit: '1.00' } });
        assert.deepEqual([bad.status, bad.body.error.field], [400, 'endsOn']);

        const invoice = { coreEnterpriseId: core, sellerId: supplier, invoiceNo: 'INV-001', amount: '1000000.00', issuedOn: '2025-06-01', dueOn: '2025-09-28' };
        const registered = await call('borrower', 'POST', '/v1/supply-chain/receivables', invoice);
        assert.equal(registered.status, 201, JSON.stringify(registered.body));
        assert.equal((await call('borrower', 'POST', '/v1/supply-chain/receivables', invoice)).body.error.reason, 'invoice-already-registered');
        // A borrower cannot register for a firm it is not bound to: NOT_FOUND, nothing written.
        assert.equal((await call('borrower', 'POST', '/v1/supply-chain/receivables', { ...invoice, sellerId: other, invoiceNo: 'X-1' })).status, 404);
        const second = await call('core-enterprise', 'POST', '/v1/supply-chain/receivables', { ...invoice, invoiceNo: 'INV-002', amount: '200000.00' });
        assert.equal(second.status, 201);

        const payables = await call('core-enterprise', 'GET', `/v1/supply-chain/receivables?coreEnterpriseId=${core}&status=registered`);
        assert.deepEqual(payables.body.items.map((r: { invoiceNo: string; amount: string }) => [r.invoiceNo, r.amount]), [['INV-001', '1000000.00'], ['INV-002', '200000.00']]);
        assert.equal((await call('core-enterprise', 'GET', `/v1/supply-chain/receivables?coreEnterpriseId=${other}`)).status, 404);
        const confirmed = await call('core-enterprise', 'POST', '/v1/supply-chain/receivables/confirmation', { coreEnterpriseId: core, receivableIds: payables.body.items.map((r: { id: string }) => r.id) });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        assert.deepEqual(confirmed.body.items.map((c: { confirmedAmount: string }) => c.confirmedAmount), ['1000000.00', '200000.00']);

        const held = await call('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`);
        assert.equal(held.body.items.length, 2);
        const certificateId = confirmed.body.items[0].certificateId as string;
        const notWhole = await call('borrower', 'POST', `/v1/supply-chain/certificates/${certificateId}/split`, { parts: ['600000.00', '399999.99'] }, 'split-key-0001');
        assert.deepEqual([notWhole.status, notWhole.body.error.reason], [400, 'split-not-whole']);
        const split = await call('borrower', 'POST', `/v1/supply-chain/certificates/${certificateId}/split`, { parts: ['600000.00', '400000.00'] }, 'split-key-0002');
        assert.equal(split.status, 200, JSON.stringify(split.body));
        const part = split.body.items[0].id as string;
        const quote = await call('borrower', 'GET', `/v1/supply-chain/certificates/${part}/financing-quote`);
        assert.deepEqual([quote.body.principal, quote.body.interest, quote.body.disbursed, quote.body.rate, quote.body.days], ['540000.00', '4725.00', '535275.00', '3.50', 90]);
        const financed = await call('borrower', 'POST', `/v1/supply-chain/certificates/${part}/financing`, undefined, 'finance-key-0001');
        assert.equal(financed.status, 201, JSON.stringify(financed.body));
        const again = await call('borrower', 'POST', `/v1/supply-chain/certificates/${part}/financing`, undefined, 'finance-key-0001');
        assert.deepEqual([again.status, again.body.id], [201, financed.body.id]);
        const otherKey = await call('borrower', 'POST', `/v1/supply-chain/certificates/${part}/financing`, undefined, 'finance-key-0002');
        assert.deepEqual([otherKey.status, otherKey.body.error.reason], [409, 'certificate-not-held']);
        assert.equal((await db.selectFrom('scf_financing').select('id').execute()).length, 1);

        // The staff loan book lists the financing under its supplier, filtered by the loans' filters.
        const book = await call('risk-officer', 'GET', '/v1/book/financings');
        assert.equal(book.status, 200, JSON.stringify(book.body));
        assert.deepEqual(
          book.body.items.map((f: Record<string, unknown>) => [f.supplierId, f.supplierName, f.coreEnterpriseName, f.invoiceNo, f.principal, f.outstanding, f.annualRate, f.daysPastDue, f.classification, f.status]),
          [[supplier, '一级配件厂', '华东重工集团', 'INV-001', '540000.00', '540000.00', '3.50', 0, 'normal', 'active']],
        );
        const totals = async (query: string) => (await call('auditor', 'GET', `/v1/book/financings?${query}`)).body.total;
        assert.deepEqual([await totals('classification=normal'), await totals('classification=substandard'), await totals('overdue=true'), await totals('overdue=false'), await totals('q=INV-001'), await totals('q=%E5%88%AB%E5%AE%B6')], [1, 0, 0, 1, 1, 0]);
        assert.deepEqual(refusal(await call('risk-officer', 'GET', '/v1/book/financings?classification=bad')).slice(0, 1), [400]);
        assert.deepEqual(refusal(await call('risk-officer', 'GET', '/v1/book/financings?limit=1e2')).slice(0, 1), [400]);
        assert.equal((await call('borrower', 'GET', '/v1/book/financings')).status, 403);

        const programmes = await call('risk-officer', 'GET', '/v1/supply-chain/programmes');
        assert.deepEqual([programmes.body.items[0].used, programmes.body.items[0].headroom, programmes.body.items[0].certificatesOutstanding], ['540000.00', '4460000.00', '1200000.00']);
        const tree = await call('core-enterprise', 'GET', `/v1/supply-chain/receivables/${registered.body.id}/certificates`);
        assert.deepEqual(tree.body.items.map((c: { faceAmount: string; status: string }) => [c.faceAmount, c.status]), [['1000000.00', 'split'], ['600000.00', 'financed'], ['400000.00', 'held']]);

        await db.updateTable('system_state').set({ business_date: '2025-09-28' as never }).execute();
        const paid = await call('core-enterprise', 'POST', `/v1/supply-chain/receivables/${registered.body.id}/payment`, undefined, 'pay-key-00001');
        assert.equal(paid.status, 200, JSON.stringify(paid.body));
        assert.deepEqual([paid.body.total, paid.body.certificates.map((c: { toHolder: string }) => c.toHolder)], ['1000000.00', ['60000.00', '400000.00']]);
        const replay = await call('core-enterprise', 'POST', `/v1/supply-chain/receivables/${registered.body.id}/payment`, undefined, 'pay-key-00001');
        assert.deepEqual(replay.body, paid.body);
        const settled = await call('risk-officer', 'GET', '/v1/book/financings?status=settled');
        assert.deepEqual([settled.body.total, settled.body.items[0].outstanding], [1, '0.00']);
        const reconciliation = await call('auditor', 'GET', '/v1/supply-chain/reconciliation');
        assert.equal(reconciliation.body.reconciled, true);
        const balance = await call('management', 'GET', '/v1/supply-chain/balance');
        assert.deepEqual(balance.body.items.map((r: { tier: number; outstanding: string }) => [r.tier, r.outstanding]), [[1, '200000.00']]);

        // The supplier's certificates the core enterprise paid: the financing, and what came to the supplier.
        const paidPapers = await call('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}&status=paid`);
        assert.deepEqual(
          paidPapers.body.items.map((c: { faceAmount: string; coreEnterpriseName: string; invoiceNo: string; financing: { principal: string; surplusPaid: string } | null }) => [c.faceAmount, c.coreEnterpriseName, c.invoiceNo, c.financing?.principal ?? null, c.financing?.surplusPaid ?? null]).sort((a: string[], b: string[]) => a[0]!.localeCompare(b[0]!)),
          [['400000.00', '华东重工集团', 'INV-001', null, null], ['600000.00', '华东重工集团', 'INV-001', '540000.00', '60000.00']],
        );
        const outstanding = await call('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`);
        assert.deepEqual(outstanding.body.items.map((c: { faceAmount: string; invoiceNo: string; financing: unknown }) => [c.faceAmount, c.invoiceNo, c.financing]), [['200000.00', 'INV-002', null]]);
        // The core enterprise's own programme with its invited suppliers; another firm's is NOT_FOUND to it.
        const own = await call('core-enterprise', 'GET', `/v1/supply-chain/core-enterprises/${core}/programme`);
        assert.equal(own.status, 200, JSON.stringify(own.body));
        assert.deepEqual([own.body.items.length, own.body.items[0].used, own.body.items[0].headroom, own.body.items[0].certificatesOutstanding], [1, '0.00', '5000000.00', '200000.00']);
        assert.deepEqual(own.body.items[0].suppliers.map((s: { enterpriseId: string; name: string; financed: string }) => [s.enterpriseId, s.name, s.financed]), [[supplier, '一级配件厂', '0.00']]);
        assert.equal((await call('core-enterprise', 'GET', `/v1/supply-chain/core-enterprises/${other}/programme`)).status, 404);
        assert.deepEqual((await call('account-manager', 'GET', `/v1/supply-chain/core-enterprises/${other}/programme`)).body, { items: [] });
      });
    });

    it('every route refuses the wrong role and bad input naming the field; suppliers, dilutions, transfer and chain; retries with the same key move no more money; a late payment carries the penalty', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const call = caller(app, tokenFor);
        const core = await createEnterprise(db, '华南电器集团');
        const supplier = await createEnterprise(db, '一级线缆厂');
        const tier2 = await createEnterprise(db, '二级铜材厂');
        await bind(db, 'core-enterprise', core);
        await bind(db, 'borrower', supplier);
        const programmeBody = {
          coreEnterpriseId: core, limit: '5000000.00', startsOn: '2025-01-01', endsOn: '2026-12-31', lprTenor: '1y', spread: '0.50',
          interestPayer: 'supplier', interestTiming: 'discounted', advanceRate: '90', maxTenorDays: 180, supplierLimit: '2000000.00', industryLimit: '4000000.00',
        };

        // Programmes: proposed by risk, with a penalty multiplier inside 1.3–1.5 only.
        assert.equal((await call('borrower', 'POST', '/v1/supply-chain/programmes', programmeBody)).status, 403);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', '/v1/supply-chain/programmes', { ...programmeBody, penaltyMultiplier: '1.8' })).slice(0, 2), [400, 'penaltyMultiplier']);
        const proposal = await call('risk-officer', 'POST', '/v1/supply-chain/programmes', { ...programmeBody, penaltyMultiplier: '1.3' });
        assert.equal(proposal.status, 202, JSON.stringify(proposal.body));
        assert.equal((await call('credit-approver', 'POST', `/v1/approvals/${proposal.body.id}/decision`, { decision: 'approve' })).status, 200);
        for (const role of ['borrower', 'core-enterprise'] as const) assert.equal((await call(role, 'GET', '/v1/supply-chain/programmes')).status, 403);
        const [programme] = (await call('risk-officer', 'GET', '/v1/supply-chain/programmes')).body.items;
        assert.equal(programme.programme.penaltyMultiplier, '1.3');
        const programmeId = programme.programme.id as string;

        // Suppliers: invited by staff; a bad id is named; inviting twice is harmless.
        assert.equal((await call('borrower', 'POST', `/v1/supply-chain/programmes/${programmeId}/suppliers`, { enterpriseId: supplier })).status, 403);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `/v1/supply-chain/programmes/${programmeId}/suppliers`, { enterpriseId: 'not-an-id' })).slice(0, 2), [400, 'enterpriseId']);
        const invoice = { coreEnterpriseId: core, sellerId: supplier, invoiceNo: 'HN-001', amount: '100000.00', issuedOn: '2025-06-01', dueOn: '2025-09-28' };
        assert.deepEqual(refusal(await call('borrower', 'POST', '/v1/supply-chain/receivables', invoice)), [422, 'sellerId', 'supplier-not-eligible']);
        for (let i = 0; i < 2; i++) assert.equal((await call('risk-officer', 'POST', `/v1/supply-chain/programmes/${programmeId}/suppliers`, { enterpriseId: supplier })).status, 204);

        // Receivables: registered by the seller or the core enterprise, bad input named.
        assert.equal((await call('credit-approver', 'POST', '/v1/supply-chain/receivables', invoice)).status, 403);
        assert.deepEqual(refusal(await call('borrower', 'POST', '/v1/supply-chain/receivables', { ...invoice, amount: '-5.00' })).slice(0, 2), [400, 'amount']);
        assert.deepEqual(refusal(await call('borrower', 'POST', '/v1/supply-chain/receivables', { ...invoice, dueOn: '2025-05-01' })).slice(0, 2), [400, 'dueOn']);
        const registered = await call('borrower', 'POST', '/v1/supply-chain/receivables', invoice);
        assert.equal(registered.status, 201, JSON.stringify(registered.body));
        const receivableId = registered.body.id as string;
        assert.equal((await call('borrower', 'GET', `/v1/supply-chain/receivables?coreEnterpriseId=${core}`)).status, 403);

        // Confirmation by the core enterprise only, of at least one receivable.
        assert.equal((await call('borrower', 'POST', '/v1/supply-chain/receivables/confirmation', { coreEnterpriseId: core, receivableIds: [receivableId] })).status, 403);
        assert.deepEqual(refusal(await call('core-enterprise', 'POST', '/v1/supply-chain/receivables/confirmation', { coreEnterpriseId: core, receivableIds: [] })).slice(0, 2), [400, 'receivableIds']);
        const confirmed = await call('core-enterprise', 'POST', '/v1/supply-chain/receivables/confirmation', { coreEnterpriseId: core, receivableIds: [receivableId] });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        const certificateId = confirmed.body.items[0].certificateId as string;

        // Dilutions: a credit note before any split lowers the confirmed amount.
        assert.equal((await call('borrower', 'POST', `/v1/supply-chain/receivables/${receivableId}/dilutions`, { kind: 'credit-note', amount: '1000.00', note: '折让' })).status, 403);
        assert.deepEqual(refusal(await call('core-enterprise', 'POST', `/v1/supply-chain/receivables/${receivableId}/dilutions`, { kind: 'refund', amount: '1000.00', note: '折让' })).slice(0, 2), [400, 'kind']);
        const diluted = await call('core-enterprise', 'POST', `/v1/supply-chain/receivables/${receivableId}/dilutions`, { kind: 'credit-note', amount: '1000.00', note: '质量折让' });
        assert.deepEqual([diluted.status, diluted.body.effect], [200, 'reduced']);
        assert.equal((await call('borrower', 'GET', `/v1/supply-chain/receivables/${receivableId}/certificates`)).status, 403);
        assert.equal((await call('core-enterprise', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`)).status, 403);
        assert.equal((await call('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${tier2}`)).status, 404);
        assert.deepEqual((await call('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`)).body.items.map((c: { faceAmount: string }) => c.faceAmount), ['99000.00']);

        // Split: by the holder's side, parts named, once per key.
        assert.equal((await call('core-enterprise', 'POST', `/v1/supply-chain/certificates/${certificateId}/split`, { parts: ['50000.00', '49000.00'] }, 'split-key-1001')).status, 403);
        assert.deepEqual(refusal(await call('borrower', 'POST', `/v1/supply-chain/certificates/${certificateId}/split`, { parts: ['0.00', '99000.00'] }, 'split-key-1002')).slice(0, 2), [400, 'parts.0']);
        assert.deepEqual(refusal(await call('borrower', 'POST', `/v1/supply-chain/certificates/${certificateId}/split`, { parts: ['50000.00', '49000.00'] })).slice(0, 2), [400, 'idempotency-key']);
        const split = await call('borrower', 'POST', `/v1/supply-chain/certificates/${certificateId}/split`, { parts: ['50000.00', '49000.00'] }, 'split-key-1003');
        assert.equal(split.status, 200, JSON.stringify(split.body));
        const splitAgain = await call('borrower', 'POST', `/v1/supply-chain/certificates/${certificateId}/split`, { parts: ['50000.00', '49000.00'] }, 'split-key-1003');
        assert.deepEqual(splitAgain.body, split.body);
        assert.equal((await db.selectFrom('scf_certificate').select('id').execute()).length, 3);
        const [keep, pass] = split.body.items.map((c: { id: string }) => c.id) as [string, string];

        // Whom the supplier may transfer to: the programme's other suppliers, by name and credit code only.
        assert.deepEqual((await call('borrower', 'GET', `/v1/supply-chain/certificates/${pass}/transferees`)).body, { items: [] });
        // Not yet invited: the transfer is refused naming the receiver, and the part stays held.
        assert.deepEqual(refusal(await call('borrower', 'POST', `/v1/supply-chain/certificates/${pass}/transfer`, { toEnterpriseId: tier2 }, 'transfer-key-00')), [422, 'toEnterpriseId', 'supplier-not-eligible']);
        assert.equal((await call('risk-officer', 'POST', `/v1/supply-chain/programmes/${programmeId}/suppliers`, { enterpriseId: tier2 })).status, 204);
        assert.equal((await call('core-enterprise', 'GET', `/v1/supply-chain/certificates/${pass}/transferees`)).status, 403);
        const transferees = await call('borrower', 'GET', `/v1/supply-chain/certificates/${pass}/transferees`);
        assert.deepEqual(transferees.body.items.map((s: { enterpriseId: string; name: string; financed?: string }) => [s.enterpriseId, s.name, s.financed]), [[tier2, '二级铜材厂', undefined]]);
        // Transfer: to a firm named by a valid id, once per key; a second key finds it gone.
        assert.equal((await call('core-enterprise', 'POST', `/v1/supply-chain/certificates/${pass}/transfer`, { toEnterpriseId: tier2 }, 'transfer-key-01')).status, 403);
        assert.deepEqual(refusal(await call('borrower', 'POST', `/v1/supply-chain/certificates/${pass}/transfer`, { toEnterpriseId: 'someone' }, 'transfer-key-02')).slice(0, 2), [400, 'toEnterpriseId']);
        const moved = await call('borrower', 'POST', `/v1/supply-chain/certificates/${pass}/transfer`, { toEnterpriseId: tier2 }, 'transfer-key-03');
        assert.deepEqual([moved.status, moved.body.holderId, moved.body.tier, moved.body.faceAmount], [200, tier2, 2, '49000.00']);
        assert.deepEqual((await call('borrower', 'POST', `/v1/supply-chain/certificates/${pass}/transfer`, { toEnterpriseId: tier2 }, 'transfer-key-03')).body, moved.body);
        assert.deepEqual(refusal(await call('borrower', 'POST', `/v1/supply-chain/certificates/${pass}/transfer`, { toEnterpriseId: tier2 }, 'transfer-key-04')), [409, 'certificateId', 'certificate-not-held']);
        // The chain: to staff, root first; the supplier no longer holds the transferred part, so it cannot see it.
        assert.equal((await call('core-enterprise', 'GET', `/v1/supply-chain/certificates/${moved.body.id}/chain`)).status, 403);
        assert.equal((await call('borrower', 'GET', `/v1/supply-chain/certificates/${moved.body.id}/chain`)).status, 404);
        const chain = await call('account-manager', 'GET', `/v1/supply-chain/certificates/${moved.body.id}/chain`);
        assert.deepEqual(chain.body.items.map((c: { tier: number; faceAmount: string; status: string }) => [c.tier, c.faceAmount, c.status]), [[1, '99000.00', 'split'], [1, '49000.00', 'transferred'], [2, '49000.00', 'held']]);
        assert.deepEqual(chain.body.items.map((c: { holderName: string }) => c.holderName), ['一级线缆厂', '一级线缆厂', '二级铜材厂']);

        // Financing: quoted to the holder's side, made once per key; a retry moves no more money.
        assert.equal((await call('core-enterprise', 'GET', `/v1/supply-chain/certificates/${keep}/financing-quote`)).status, 403);
        assert.deepEqual(refusal(await call('borrower', 'GET', `/v1/supply-chain/certificates/${pass}/financing-quote`)), [409, 'certificateId', 'certificate-not-held']);
        assert.equal((await call('core-enterprise', 'POST', `/v1/supply-chain/certificates/${keep}/financing`, undefined, 'finance-key-1001')).status, 403);
        const financed = await call('borrower', 'POST', `/v1/supply-chain/certificates/${keep}/financing`, undefined, 'finance-key-1002');
        assert.deepEqual([financed.status, financed.body.quote.principal, financed.body.quote.disbursed], [201, '45000.00', '44606.25']);
        const moneyAfterFinancing = [await ledger(db, 'scf-normal'), await ledger(db, 'settlement')];
        assert.deepEqual(moneyAfterFinancing, [4_500_000n, -4_460_625n]);
        assert.deepEqual((await call('borrower', 'POST', `/v1/supply-chain/certificates/${keep}/financing`, undefined, 'finance-key-1002')).body, financed.body);
        assert.deepEqual([await ledger(db, 'scf-normal'), await ledger(db, 'settlement')], moneyAfterFinancing);

        // Dashboards: staff only.
        assert.equal((await call('borrower', 'GET', '/v1/supply-chain/balance')).status, 403);
        assert.equal((await call('core-enterprise', 'GET', '/v1/supply-chain/reconciliation')).status, 403);

        // Not paid on the due date: one night past due. 45,000.00 × (3.50% × 1.3 = 4.55%) / 360 = 5.6875 → 5.68 of penalty.
        await setBusinessDate(db, '2025-09-28' as BusinessDate);
        await runEod(db);
        assert.equal((await call('borrower', 'POST', `/v1/supply-chain/receivables/${receivableId}/payment`, undefined, 'pay-key-10001')).status, 403);
        assert.deepEqual(refusal(await call('core-enterprise', 'POST', `/v1/supply-chain/receivables/${receivableId}/payment`)).slice(0, 2), [400, 'idempotency-key']);
        const paid = await call('core-enterprise', 'POST', `/v1/supply-chain/receivables/${receivableId}/payment`, undefined, 'pay-key-10002');
        assert.equal(paid.status, 200, JSON.stringify(paid.body));
        assert.deepEqual([paid.body.total, paid.body.certificates.map((c: { penalty: string; toHolder: string }) => [c.penalty, c.toHolder])], ['99005.68', [['5.68', '5000.00'], ['0.00', '49000.00']]]);
        const settled = await ledger(db, 'settlement');
        const replay = await call('core-enterprise', 'POST', `/v1/supply-chain/receivables/${receivableId}/payment`, undefined, 'pay-key-10002');
        assert.deepEqual(replay.body, paid.body);
        assert.equal(await ledger(db, 'settlement'), settled);
        const reconciliation = await call('auditor', 'GET', '/v1/supply-chain/reconciliation');
        assert.equal(reconciliation.body.reconciled, true);
      });
    });

    it('a programme suspended and resumed at once by a risk officer, and its terms changed going forward behind a second person', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const call = caller(app, tokenFor);
        const chain = await supplyChain(db);
        await bind(db, 'core-enterprise', chain.core);
        await bind(db, 'borrower', chain.tier1);
        const base = `/v1/supply-chain/programmes/${chain.programmeId}`;
        // Before the suspension: one certificate financed (90%: 90,000.00), one held, one invoice awaiting confirmation.
        const financedPaper = await confirmedCertificate(db, chain, 'SUS-1', '100000.00');
        const made = await call('borrower', 'POST', `/v1/supply-chain/certificates/${financedPaper.certificateId}/financing`, undefined, 'sus-finance-01');
        assert.deepEqual([made.status, made.body.quote.principal], [201, '90000.00'], JSON.stringify(made.body));
        const heldPaper = await confirmedCertificate(db, chain, 'SUS-2', '50000.00');
        const invoice = { coreEnterpriseId: chain.core, sellerId: chain.tier1, invoiceNo: 'SUS-3', amount: '20000.00', issuedOn: '2025-06-01', dueOn: '2025-09-28' };
        const awaiting = await call('borrower', 'POST', '/v1/supply-chain/receivables', invoice);
        assert.equal(awaiting.status, 201);

        // Suspend: risk officers and admins only, a reason required, once.
        assert.equal((await call('account-manager', 'POST', `${base}/suspend`, { reason: '评级下调' })).status, 403);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `${base}/suspend`, { reason: '' })).slice(0, 2), [400, 'reason']);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `${base}/suspend`, { reason: '评级下调', limit: '1.00' })).slice(0, 2), [400, 'limit']);
        const suspended = await call('risk-officer', 'POST', `${base}/suspend`, { reason: '核心企业评级下调' });
        assert.deepEqual([suspended.status, suspended.body.status, suspended.body.suspendedReason], [200, 'suspended', '核心企业评级下调']);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `${base}/suspend`, { reason: '再次' })).slice(0, 2), [409, 'status']);
        // Nothing new while suspended: no receivable, no confirmation, no financing; each refusal names its field.
        assert.deepEqual(refusal(await call('borrower', 'POST', '/v1/supply-chain/receivables', { ...invoice, invoiceNo: 'SUS-4' })), [422, 'coreEnterpriseId', 'programme-not-in-force']);
        assert.deepEqual(refusal(await call('core-enterprise', 'POST', '/v1/supply-chain/receivables/confirmation', { coreEnterpriseId: chain.core, receivableIds: [awaiting.body.id] })), [422, 'receivableIds', 'programme-not-in-force']);
        assert.deepEqual(refusal(await call('borrower', 'POST', `/v1/supply-chain/certificates/${heldPaper.certificateId}/financing`, undefined, 'sus-finance-02')), [422, 'certificateId', 'programme-not-in-force']);
        assert.deepEqual(await db.selectFrom('scf_receivable').select('status').where('invoice_no', 'in', ['SUS-3', 'SUS-4']).execute(), [{ status: 'registered' }]);
        assert.equal((await db.selectFrom('scf_financing').select('id').execute()).length, 1);
        // What exists runs to maturity: the held certificate can still be split; the financing stands.
        assert.equal((await call('borrower', 'POST', `/v1/supply-chain/certificates/${heldPaper.certificateId}/split`, { parts: ['30000.00', '20000.00'] }, 'sus-split-0001')).status, 200);
        const listed = await call('risk-officer', 'GET', '/v1/supply-chain/programmes');
        assert.deepEqual([listed.body.items[0].programme.status, listed.body.items[0].used], ['suspended', '90000.00']);

        // Resume: active again, the invoice can be confirmed.
        assert.deepEqual(refusal(await call('admin', 'POST', `${base}/resume`, {})).slice(0, 2), [400, 'reason']);
        const resumed = await call('admin', 'POST', `${base}/resume`, { reason: '评级恢复' });
        assert.deepEqual([resumed.status, resumed.body.status, resumed.body.suspendedReason], [200, 'active', null]);
        assert.deepEqual(refusal(await call('admin', 'POST', `${base}/resume`, { reason: '再次' })).slice(0, 2), [409, 'status']);
        const confirmed = await call('core-enterprise', 'POST', '/v1/supply-chain/receivables/confirmation', { coreEnterpriseId: chain.core, receivableIds: [awaiting.body.id] });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));

        // A change of terms: previewed term by term, nothing changed until a second person confirms.
        const change = { limit: '6000000.00', advanceRate: '80', reason: '年度复审' };
        assert.equal((await call('account-manager', 'POST', `${base}/change-preview`, change)).status, 403);
        const preview = await call('risk-officer', 'POST', `${base}/change-preview`, change);
        assert.deepEqual(preview.body.changes, [{ term: 'limit', from: '5000000.00', to: '6000000.00' }, { term: 'advanceRate', from: '90.00', to: '80.00' }]);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `${base}/change-preview`, { supplierLimit: '7000000.00', reason: 'x' })).slice(0, 2), [400, 'supplierLimit']);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `${base}/change-preview`, { limit: '5000000.00', reason: 'x' })).slice(0, 2), [400, 'limit']);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `${base}/changes`, { limit: '6000000.00' })).slice(0, 2), [400, 'reason']);
        assert.deepEqual(refusal(await call('risk-officer', 'POST', `${base}/changes`, { lprTenor: '5y', reason: 'x' })).slice(0, 2), [400, 'lprTenor']);
        const proposed = await call('risk-officer', 'POST', `${base}/changes`, change);
        assert.deepEqual([proposed.status, proposed.body.kind], [202, 'scf.programme-change'], JSON.stringify(proposed.body));
        assert.equal((await call('risk-officer', 'GET', '/v1/supply-chain/programmes')).body.items[0].programme.limit, '5000000.00');
        // The checker reads the core enterprise, the limit proposed against the one in force, and the maker's reason.
        const queue = await call('credit-approver', 'GET', '/v1/book/approvals');
        const item = queue.body.items.find((row: { id: string }) => row.id === proposed.body.id);
        assert.deepEqual([item.proposal.subjectName, item.proposal.amount, item.proposal.current, item.proposal.note], ['华东重工集团', '6000000.00', '5000000.00', '年度复审']);
        assert.equal((await call('risk-officer', 'POST', `/v1/approvals/${proposed.body.id}/decision`, { decision: 'approve' })).status, 403);
        const approved = await call('credit-approver', 'POST', `/v1/approvals/${proposed.body.id}/decision`, { decision: 'approve' });
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        const after = (await call('risk-officer', 'GET', '/v1/supply-chain/programmes')).body.items[0];
        assert.deepEqual([after.programme.limit, after.programme.advanceRate, after.headroom], ['6000000.00', '80.00', '5910000.00']);
        // Going forward: the financing made before keeps its 90%; a new one takes 80% (of 20,000.00: 16,000.00).
        assert.deepEqual(await db.selectFrom('scf_financing').select('principal').execute(), [{ principal: 9_000_000n }]);
        const quote = await call('borrower', 'GET', `/v1/supply-chain/certificates/${confirmed.body.items[0].certificateId}/financing-quote`);
        assert.equal(quote.body.principal, '16000.00');

        const audit = await db.selectFrom('audit_event').select('action').where('entity_id', '=', chain.programmeId).where('action', 'like', 'scf.programme-%').orderBy('action').execute();
        assert.deepEqual(audit.map((row) => row.action), ['scf.programme-change', 'scf.programme-create', 'scf.programme-resume', 'scf.programme-suspend']);
      });
    });
  });
}
