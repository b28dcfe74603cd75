/**
 * Acting for a firm is earned: recording a firm binds nobody; a borrower becomes its
 * representative by an identity check against the registry (or by staff verification under
 * maker-checker); only then may it sign a data authorisation, and only then is data pulled. A
 * claimed firm cannot be claimed again; the true owner contests, and upholding unbinds the holder.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { DATA_SOURCES, simulatedEnterpriseInput, simulatedPopulation } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { residentIdCheckCharacter } from '../../src/enterprises/resident-id.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'owner-password-1';
const EXPIRES = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
// Firms of the app's simulated world (seed 2025), whose registry names their owners.
const [FIRM, OTHER] = simulatedPopulation({ seed: 2025, size: 2 });

/** A valid ID number that is not the owner's (born a day later). */
function impostorId(idNumber: string): string {
  const day = Number(idNumber.slice(12, 14));
  const body = idNumber.slice(0, 12) + String(day === 28 ? 27 : day + 1).padStart(2, '0') + idNumber.slice(14, 17);
  return body + residentIdCheckCharacter(body);
}

async function borrower(test: TestApp, username: string): Promise<Record<string, string>> {
  await test.app.inject({ method: 'POST', url: '/v1/registrations', payload: { username, displayName: username, password: PASSWORD } });
  const login = await test.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username, password: PASSWORD } });
  assert.equal(login.statusCode, 200, login.body);
  return { authorization: `Bearer ${(login.json() as { token: string }).token}` };
}

const firmBody = (firm: typeof FIRM) => {
  const input = simulatedEnterpriseInput(firm!);
  return { ...input, revenue: (Number(input.revenue) / 100).toFixed(2), assets: (Number(input.assets) / 100).toFixed(2), owners: input.owners.map((o) => ({ name: o.name, idNumber: o.idNumber, share: '1.00' })) };
};

for (const backend of BACKENDS) {
  describe(`claiming a firm on ${backend}`, () => {
    it('an impostor who records a real firm is not bound, cannot sign for it, fails the identity check; the owner claims, signs, applies; the impostor then gets 409', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        const impostor = await borrower(test, 'impostor');
        const recorded = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: impostor, payload: firmBody(FIRM) });
        assert.equal(recorded.statusCode, 201, recorded.body);
        const enterpriseId = (recorded.json() as { id: string }).id;
        const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: impostor })).json() as { enterpriseIds: string[] };
        assert.deepEqual(me.enterpriseIds, [], 'recording a firm binds nobody');
        const grant = () => ({ sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn: EXPIRES });
        assert.equal((await app.inject({ method: 'POST', url: `/v1/enterprises/${enterpriseId}/authorisations`, headers: impostor, payload: grant() })).statusCode, 404);
        const guessed = await app.inject({ method: 'POST', url: '/v1/claims', headers: impostor, payload: { creditCode: FIRM!.creditCode, name: FIRM!.owner.name, idNumber: impostorId(FIRM!.owner.idNumber) } });
        assert.equal(guessed.statusCode, 403);
        assert.match((guessed.json() as { error: { message: string } }).error.message, /do not match the registered legal representative/);
        assert.equal(await db.selectFrom('user_enterprise').select('user_id').where('enterprise_id', '=', enterpriseId).executeTakeFirst(), undefined);
        assert.equal(await db.selectFrom('data_record_set').select('pull_id').where('enterprise_id', '=', enterpriseId).executeTakeFirst(), undefined, 'no pull happened');

        const owner = await borrower(test, 'real.owner');
        const claimed = await app.inject({ method: 'POST', url: '/v1/claims', headers: owner, payload: { creditCode: FIRM!.creditCode, name: ` ${FIRM!.owner.name} `, idNumber: FIRM!.owner.idNumber.toLowerCase() } });
        assert.equal(claimed.statusCode, 201, claimed.body);
        const claim = claimed.json() as { enterpriseId: string; evidence: { method: string; reference: string } };
        assert.equal(claim.enterpriseId, enterpriseId);
        assert.equal(claim.evidence.method, 'identity-check');
        assert.match(claim.evidence.reference, /^registry:simulated:2025:/);
        assert.equal(claim.evidence.reference.includes(FIRM!.owner.idNumber), false);

        const signed = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterpriseId}/authorisations`, headers: owner, payload: grant() });
        assert.equal(signed.statusCode, 201, signed.body);
        assert.match((signed.json() as { evidence: string }).evidence, /^signed by real\.owner, representative verified by identity-check: registry:simulated:2025:/);
        const applied = await app.inject({ method: 'POST', url: '/v1/applications', headers: owner, payload: { enterpriseId, productCode: 'MICRO-LINE' } });
        assert.equal(applied.statusCode, 201, applied.body);

        const again = await app.inject({ method: 'POST', url: '/v1/claims', headers: impostor, payload: { creditCode: FIRM!.creditCode, name: FIRM!.owner.name, idNumber: FIRM!.owner.idNumber } });
        assert.equal(again.statusCode, 409, 'a claimed firm cannot be claimed again, even with the right identity');
        assert.equal((again.json() as { error: { field: string } }).error.field, 'creditCode');
        const audit = await db.selectFrom('audit_event').select('action').where('action', '=', 'user.verify-binding').execute();
        assert.equal(audit.length, 1);
      });
    });

    it('a borrower bound without evidence (before verification was required) cannot sign; staff must name the signed consent', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db, tokenFor } = test;
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(OTHER!), 'account-manager'));
        const legacy = await borrower(test, 'legacy.owner');
        const user = await db.selectFrom('app_user').select('id').where('username', '=', 'legacy.owner').executeTakeFirstOrThrow();
        await db.insertInto('user_enterprise').values({ user_id: user.id, enterprise_id: enterprise.id, bound_at: new Date(), bound_by: 'migration 0010' }).execute();
        const payload = { sources: ['tax'], purpose: 'credit-assessment', expiresOn: EXPIRES };
        const refused = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: legacy, payload });
        assert.equal(refused.statusCode, 403);
        assert.match((refused.json() as { error: { message: string } }).error.message, /verify that you are the legal representative/);
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const unnamed = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: manager, payload });
        assert.deepEqual([unnamed.statusCode, (unnamed.json() as { error: { field: string } }).error.field], [400, 'evidence']);
        const named = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: manager, payload: { ...payload, evidence: 'paper consent BR-0501-2025-0042' } });
        assert.equal(named.statusCode, 201);
        assert.equal((named.json() as { evidence: string }).evidence, 'signed consent recorded by account-manager: paper consent BR-0501-2025-0042');
        const listed = (await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/borrowers`, headers: manager })).json() as { username: string; verification: unknown }[];
        assert.deepEqual(listed.map((b) => [b.username, b.verification]), [['legacy.owner', null]]);
      });
    });

    it('an account manager verifies a borrower at the branch; it holds only when a second person approves', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db, tokenFor } = test;
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(OTHER!), 'account-manager'));
        const owner = await borrower(test, 'branch.owner');
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const made = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/borrowers`, headers: manager, payload: { username: 'branch.owner', evidence: 'ID card and business licence seen at branch 0501' } });
        assert.equal(made.statusCode, 202, made.body);
        const request = made.json() as { id: string; kind: string; status: string };
        assert.deepEqual([request.kind, request.status], ['binding.verify', 'pending']);
        assert.deepEqual(((await app.inject({ method: 'GET', url: '/v1/me', headers: owner })).json() as { enterpriseIds: string[] }).enterpriseIds, []);
        const self = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: manager, payload: { decision: 'approve' } });
        assert.equal(self.statusCode, 403, 'the maker cannot check its own request');
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);
        assert.deepEqual(((await app.inject({ method: 'GET', url: '/v1/me', headers: owner })).json() as { enterpriseIds: string[] }).enterpriseIds, [enterprise.id]);
        const listed = (await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/borrowers`, headers: manager })).json() as { username: string; verification: { method: string; reference: string; verifiedBy: string } }[];
        assert.deepEqual(listed.map((b) => [b.username, b.verification.method, b.verification.verifiedBy]), [['branch.owner', 'account-manager', 'admin']]);
        assert.equal(listed[0]!.verification.reference, 'ID card and business licence seen at branch 0501 (requested by account-manager, approved by admin)');
        const signed = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: owner, payload: { sources: ['tax'], purpose: 'credit-assessment', expiresOn: EXPIRES } });
        assert.equal(signed.statusCode, 201, signed.body);
      });
    });

    it('the true owner contests a binding; dismissing changes nothing; upholding (maker-checker) unbinds the holder, revokes its authorisations and binds the owner', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db, tokenFor } = test;
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(FIRM!), 'account-manager'));
        // A holder bound at the shell by mistake (the wrong person at the counter), who signed a consent.
        await createUser(db, { username: 'wrong.holder', displayName: 'Wrong', role: 'borrower', password: PASSWORD, enterpriseId: enterprise.id });
        const holderLogin = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'wrong.holder', password: PASSWORD } });
        const holder = { authorization: `Bearer ${(holderLogin.json() as { token: string }).token}` };
        const holderGrant = await app.inject({ method: 'POST', url: `/v1/enterprises/${enterprise.id}/authorisations`, headers: holder, payload: { sources: ['tax'], purpose: 'credit-assessment', expiresOn: EXPIRES } });
        assert.equal(holderGrant.statusCode, 201, holderGrant.body);

        const owner = await borrower(test, 'true.owner');
        const identity = { creditCode: FIRM!.creditCode, name: FIRM!.owner.name, idNumber: FIRM!.owner.idNumber };
        assert.equal((await app.inject({ method: 'POST', url: '/v1/claims', headers: owner, payload: identity })).statusCode, 409);
        const filed = await app.inject({ method: 'POST', url: '/v1/claims/contests', headers: owner, payload: { ...identity, note: 'This is my company; I am its legal representative. Call 138…' } });
        assert.equal(filed.statusCode, 201, filed.body);
        const contest = filed.json() as { id: string; identityCheck: string; status: string; enterpriseId: string };
        assert.deepEqual([contest.identityCheck, contest.status, contest.enterpriseId], ['verified', 'open', enterprise.id]);
        assert.equal((await app.inject({ method: 'POST', url: '/v1/claims/contests', headers: owner, payload: { ...identity, note: 'again' } })).statusCode, 409, 'one open contest per person and firm');

        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
        const open = (await app.inject({ method: 'GET', url: '/v1/claims/contests', headers: manager })).json() as { id: string }[];
        assert.deepEqual(open.map((c) => c.id), [contest.id]);
        const uphold = await app.inject({ method: 'POST', url: `/v1/claims/contests/${contest.id}/resolution`, headers: manager, payload: { decision: 'uphold', note: 'registry and ID card match the contester' } });
        assert.equal(uphold.statusCode, 202, uphold.body);
        const requestId = (uphold.json() as { id: string }).id;
        // Nothing changes until a second person approves.
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}`, headers: holder })).statusCode, 200);
        const approved = await app.inject({ method: 'POST', url: `/v1/approvals/${requestId}/decision`, headers: admin, payload: { decision: 'approve' } });
        assert.equal(approved.statusCode, 200, approved.body);

        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}`, headers: holder })).statusCode, 404, 'the holder is unbound');
        assert.equal((await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}`, headers: owner })).statusCode, 200);
        const revoked = await db.selectFrom('data_authorisation').select('revoked_at').where('id', '=', (holderGrant.json() as { id: string }).id).executeTakeFirstOrThrow();
        assert.notEqual(revoked.revoked_at, null, "the holder's consent is revoked");
        const listed = (await app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise.id}/borrowers`, headers: manager })).json() as { username: string; verification: { method: string } }[];
        assert.deepEqual(listed.map((b) => [b.username, b.verification.method]), [['true.owner', 'account-manager']]);
        const upheld = (await app.inject({ method: 'GET', url: '/v1/claims/contests?status=upheld', headers: manager })).json() as { id: string; resolvedBy: string }[];
        assert.deepEqual(upheld.map((c) => [c.id, c.resolvedBy]), [[contest.id, 'account-manager (checked by admin)']]);
        const again = await app.inject({ method: 'POST', url: `/v1/claims/contests/${contest.id}/resolution`, headers: manager, payload: { decision: 'dismiss', note: 'late' } });
        assert.equal(again.statusCode, 409, 'a resolved contest stays resolved');
      });
    });
  });
}
