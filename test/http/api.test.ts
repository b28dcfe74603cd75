import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

/**
 * Who may call what, stated once. The test below walks the OpenAPI document and asserts that the
 * published operations are exactly these and that each answers every role (and nobody) as stated.
 */
const VIEWERS: readonly Role[] = ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

const ACCESS: Record<string, 'public' | 'any' | readonly Role[]> = {
  'GET /health': 'public',
  'POST /v1/backups': ['admin'],
  'POST /v1/auth/token': 'public',
  'POST /v1/registrations': 'public',
  'DELETE /v1/auth/token': 'any',
  'GET /v1/me': 'any',
  'POST /v1/users/{username}/unlock': ['admin'],
  'POST /v1/auth/session': 'public',
  'GET /v1/auth/session': 'any',
  'GET /v1/auth/welcome': 'public',
  'DELETE /v1/auth/session': 'any',
  'GET /v1/reports/portfolio': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/portfolio.csv': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/portfolio/history': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/portfolio/history.csv': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/ecology/index': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/ecology/index.csv': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/ecology/trend': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/lines': VIEWERS,
  'GET /v1/loans': VIEWERS,
  'POST /v1/schedules': 'any',
  'GET /v1/products': 'any',
  'POST /v1/products': ['risk-officer', 'admin'],
  'PATCH /v1/products/{code}': ['risk-officer', 'admin'],
  'POST /v1/enterprises': ['account-manager', 'admin', 'borrower'],
  'GET /v1/enterprises': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/enterprises/{id}': VIEWERS,
  'GET /v1/enterprises/{id}/borrowers': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/enterprises/{id}/borrowers': ['account-manager', 'admin'],
  'PATCH /v1/enterprises/{id}/reporting-profile': ['account-manager', 'risk-officer', 'admin'],
  'GET /v1/enterprises/{id}/account-manager': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'PUT /v1/enterprises/{id}/account-manager': ['account-manager', 'risk-officer', 'admin'],
  'GET /v1/reports/inclusive': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/five-category': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/migration': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/renewals': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/foreign-trade': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/{name}/export': ['management', 'risk-officer', 'auditor', 'admin'],
  'POST /v1/reports/runs': ['management', 'risk-officer', 'admin'],
  'GET /v1/reports/runs': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/reports/runs/{id}': ['management', 'risk-officer', 'auditor', 'admin'],
  'POST /v1/reports/runs/{id}/filing': ['management', 'risk-officer', 'admin'],
  'POST /v1/claims': ['borrower'],
  'POST /v1/claims/contests': ['borrower'],
  'GET /v1/claims/contests': ['account-manager', 'admin', 'auditor'],
  'POST /v1/claims/contests/{id}/resolution': ['account-manager', 'admin'],
  'POST /v1/lines': ['credit-approver', 'admin'],
  'GET /v1/lines/{id}': VIEWERS,
  'POST /v1/lines/{id}/status': ['risk-officer', 'credit-approver', 'admin'],
  'POST /v1/lines/{id}/drawdowns': ['borrower', 'account-manager', 'operator'],
  'GET /v1/loans/{id}': VIEWERS,
  'POST /v1/loans/{id}/repayments': ['borrower', 'account-manager', 'operator'],
  'POST /v1/loans/{id}/renewals': ['credit-approver', 'admin'],
  'GET /v1/loans/{id}/payoff-quote': VIEWERS,
  'POST /v1/loans/{id}/renewal-requests': ['borrower', 'account-manager'],
  'GET /v1/renewal-requests': VIEWERS,
  'GET /v1/loans/{id}/repayment-preview': VIEWERS,
  'GET /v1/loans/{id}/repayments': VIEWERS,
  'GET /v1/loans/{id}/current-schedule': VIEWERS,
  'POST /v1/lines/{id}/drawdown-preview': ['borrower', 'account-manager', 'operator'],
  'GET /v1/enterprises/{id}/authorisations': VIEWERS,
  'GET /v1/enterprises/{id}/authorisation-text': VIEWERS,
  'POST /v1/authorisations/{id}/withdrawal': ['borrower', 'account-manager', 'admin'],
  'GET /v1/enterprises/{id}/applications': VIEWERS,
  'GET /v1/applications/{id}/contract': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/applications/{id}/contract.html': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/enterprises/{id}/data-series': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/enterprises/{id}/history': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/loans/{id}/restructure': ['credit-approver', 'admin'],
  'POST /v1/loans/{id}/write-off': ['risk-officer', 'admin'],
  'POST /v1/loans/{id}/recoveries': ['risk-officer', 'operator', 'admin'],
  'GET /v1/business-date': 'any',
  'POST /v1/collateral': ['account-manager', 'credit-approver', 'admin'],
  'GET /v1/enterprises/{id}/security': VIEWERS,
  'POST /v1/collateral/{id}/registration': ['account-manager', 'credit-approver', 'admin'],
  'POST /v1/collateral/{id}/valuations': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'POST /v1/collateral/{id}/links': ['account-manager', 'credit-approver', 'admin'],
  'POST /v1/collateral/{id}/release': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'GET /v1/lines/{id}/security': VIEWERS,
  'POST /v1/guarantors': ['account-manager', 'credit-approver', 'admin'],
  'GET /v1/guarantors/{id}/exposure': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/guarantees': ['account-manager', 'credit-approver', 'admin'],
  'POST /v1/guarantees/{id}/link': ['account-manager', 'credit-approver', 'admin'],
  'POST /v1/guarantees/{id}/call': ['risk-officer', 'admin'],
  'POST /v1/guarantees/{id}/release': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'GET /v1/reports/security-split': ['management', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/security-events': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/enterprises/{id}/authorisations': ['borrower', 'account-manager'],
  'POST /v1/applications': ['borrower', 'account-manager'],
  'GET /v1/applications': ['credit-approver', 'risk-officer', 'admin'],
  'GET /v1/applications/{id}': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin'],
  'POST /v1/applications/{id}/accept': ['borrower', 'account-manager'],
  'GET /v1/lines/{id}/accounts': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'PUT /v1/lines/{id}/accounts/{purpose}': ['borrower', 'account-manager', 'operator', 'admin'],
  'GET /v1/lpr': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/lpr': ['operator', 'risk-officer', 'admin'],
  'GET /v1/models': ['credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'POST /v1/models/deployments': ['risk-officer', 'admin'],
  'GET /v1/models/stability': ['credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'GET /v1/calendar/{year}': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/calendar': ['operator', 'admin'],
  'POST /v1/applications/{id}/review': ['credit-approver', 'risk-officer', 'admin'],
  'POST /v1/prospect-batches': ['account-manager', 'admin'],
  'GET /v1/prospect-batches': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/prospect-batches/{id}/prospects': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/approvals': ['risk-officer', 'admin', 'credit-approver', 'account-manager', 'management'],
  'POST /v1/approvals/{id}/decision': ['risk-officer', 'admin', 'credit-approver', 'account-manager', 'management'],
  'GET /v1/book/approvals': ['risk-officer', 'admin', 'credit-approver', 'account-manager', 'management'],
  'GET /v1/book/loans': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/book/loans.csv': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/book/financings': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/book/applications': ['account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin'],
  'GET /v1/book/enterprises': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/book/prospects': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/prospect-batches/file': ['account-manager', 'admin'],
  'POST /v1/prospects/{id}/conversion': ['account-manager', 'admin'],
  'GET /v1/policies': ['risk-officer', 'credit-approver', 'management', 'auditor', 'admin'],
  'POST /v1/policies': ['risk-officer'],
  'POST /v1/eod/runs': ['operator', 'admin'],
  'GET /v1/eod/runner': ['operator', 'admin', 'auditor'],
  'GET /v1/notifications': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/enterprises/{id}/notifications': VIEWERS,
  'GET /v1/applications/{id}/contract/print': VIEWERS,
  'GET /v1/loans/{id}/note': VIEWERS,
  'GET /v1/loans/{id}/repayments/{entryId}/receipt': VIEWERS,
  'GET /v1/ledger/trial-balance': ['risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/ledger/reconciliation': ['risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/ledger/entries': ['operator', 'admin'],
  'GET /v1/audit/events': ['auditor', 'admin'],
  'GET /v1/audit/verification': ['auditor', 'admin'],
  // Post-lending monitoring, collections and the enterprise timeline (issue 16); guarantors' own data (issue 17).
  'GET /v1/collections/collectors': ['account-manager', 'risk-officer', 'collector', 'management', 'auditor', 'admin'],
  'GET /v1/collections/funnel': ['account-manager', 'risk-officer', 'collector', 'management', 'auditor', 'admin'],
  'GET /v1/collections/loans/{id}': ['account-manager', 'risk-officer', 'collector', 'management', 'auditor', 'admin'],
  'POST /v1/supply-chain/programmes': ['risk-officer', 'admin'],
  'GET /v1/supply-chain/programmes': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/supply-chain/programmes/{id}/suppliers': ['account-manager', 'risk-officer', 'admin'],
  'POST /v1/supply-chain/programmes/{id}/change-preview': ['risk-officer', 'admin'],
  'POST /v1/supply-chain/programmes/{id}/changes': ['risk-officer', 'admin'],
  'POST /v1/supply-chain/programmes/{id}/suspend': ['risk-officer', 'admin'],
  'POST /v1/supply-chain/programmes/{id}/resume': ['risk-officer', 'admin'],
  'GET /v1/supply-chain/core-enterprises/{id}/programme': ['core-enterprise', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/supply-chain/balance': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/supply-chain/reconciliation': ['risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/supply-chain/receivables': ['borrower', 'core-enterprise', 'account-manager', 'admin'],
  'GET /v1/supply-chain/receivables': ['core-enterprise', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/supply-chain/receivables/confirmation': ['core-enterprise', 'operator', 'admin'],
  'POST /v1/supply-chain/receivables/{id}/dilutions': ['core-enterprise', 'account-manager', 'risk-officer', 'admin'],
  'POST /v1/supply-chain/receivables/{id}/payment': ['core-enterprise', 'operator', 'admin'],
  'GET /v1/supply-chain/receivables/{id}/certificates': ['core-enterprise', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/supply-chain/certificates': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/supply-chain/certificates/{id}/chain': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/supply-chain/certificates/{id}/transferees': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/supply-chain/certificates/{id}/split': ['borrower', 'account-manager', 'admin'],
  'POST /v1/supply-chain/certificates/{id}/transfer': ['borrower', 'account-manager', 'admin'],
  'GET /v1/supply-chain/certificates/{id}/financing-quote': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'POST /v1/supply-chain/certificates/{id}/financing': ['borrower', 'account-manager', 'admin'],
  'GET /v1/collections/worklist': ['account-manager', 'risk-officer', 'collector', 'management', 'auditor', 'admin'],
  'GET /v1/enterprises/{id}/timeline': ['account-manager', 'credit-approver', 'risk-officer', 'collector', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/guarantors/{id}/checks': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'],
  'GET /v1/lines/{id}/freeze': ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'GET /v1/monitoring/tasks': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'GET /v1/warning-actions': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'GET /v1/warning-rules': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'GET /v1/warnings': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'GET /v1/warnings/false-alarm-rates': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'GET /v1/warnings/trend': ['account-manager', 'credit-approver', 'risk-officer', 'management', 'auditor', 'admin'],
  'POST /v1/collections/loans/{id}/contacts': ['account-manager', 'risk-officer', 'collector', 'admin'],
  'POST /v1/collections/loans/{id}/promises': ['account-manager', 'risk-officer', 'collector', 'admin'],
  'POST /v1/collections/loans/{id}/steps': ['account-manager', 'risk-officer', 'collector', 'admin'],
  'POST /v1/collections/steps/{id}/done': ['account-manager', 'risk-officer', 'collector', 'admin'],
  'POST /v1/guarantors/{id}/authorisations': ['account-manager', 'credit-approver', 'admin'],
  'POST /v1/guarantors/{id}/checks': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'POST /v1/monitoring/run': ['risk-officer', 'operator', 'admin'],
  'POST /v1/monitoring/tasks/{id}/assign': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'POST /v1/monitoring/tasks/{id}/done': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'POST /v1/warning-actions/{id}/undo': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'POST /v1/warning-rules': ['risk-officer'],
  'POST /v1/warnings/{id}/acknowledge': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'POST /v1/warnings/{id}/dismiss': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'POST /v1/warnings/{id}/resolve': ['account-manager', 'credit-approver', 'risk-officer', 'admin'],
  'PUT /v1/collections/loans/{id}/assignment': ['risk-officer', 'admin'],
};

const EXAMPLE = { principal: '5000.00', rate: '12', periods: 18, disbursed: '2022-11-01', installmentMultiple: '1.00' };

for (const backend of BACKENDS) {
  describe(`API on ${backend}`, () => {
    it('GET /health reports ok and the backend', async () => {
      await withTestApp(backend, async ({ app }) => {
        const response = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(response.json(), { status: 'ok', backend, version: 'test' });
      });
    });

    it('serves the OpenAPI document and its docs page', async () => {
      await withTestApp(backend, async ({ app }) => {
        const response = await app.inject({ method: 'GET', url: '/openapi.json' });
        assert.equal(response.statusCode, 200);
        const document = response.json() as { openapi: string; paths: Record<string, Record<string, { security?: unknown }>>; components: { securitySchemes: Record<string, unknown> } };
        assert.equal(document.openapi, '3.1.0');
        assert.deepEqual(Object.keys(document.components.securitySchemes), ['bearer']);
        assert.deepEqual(document.paths['/v1/schedules']?.post?.security, [{ bearer: [] }]);
        const docs = await app.inject({ method: 'GET', url: '/docs/' });
        assert.equal(docs.statusCode, 200);
        assert.match(docs.body, /swagger-ui/i);
      });
    });

    it('every published operation answers each role and no credentials exactly as declared', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
        const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
        assert.deepEqual(operations.sort(), Object.keys(ACCESS).sort());
        for (const operation of operations) {
          const [method, url] = operation.split(' ') as ['GET' | 'POST' | 'PATCH' | 'DELETE', string];
          const rule = ACCESS[operation]!;
          const anonymous = await app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
          if (rule === 'public') assert.notEqual(anonymous.statusCode, 401, operation);
          else {
            assert.equal(anonymous.statusCode, 401, `${operation} without credentials`);
            assert.equal((anonymous.json() as { error: { code: string } }).error.code, 'NOT_AUTHENTICATED');
          }
          for (const role of ROLES) {
            // Logging out would revoke the token the loop reuses.
            if (operation === 'DELETE /v1/auth/token' || operation === 'DELETE /v1/auth/session') continue;
            const response = await app.inject({ method, url, headers: { authorization: `Bearer ${await tokenFor(role)}` }, payload: method === 'GET' ? undefined : {} });
            const allowed = rule === 'public' || rule === 'any' || rule.includes(role);
            if (allowed) assert.ok(![401, 403].includes(response.statusCode), `${operation} as ${role}: ${response.statusCode}`);
            else assert.equal(response.statusCode, 403, `${operation} as ${role}`);
          }
        }
      });
    });

    it('logging in gives a token that identifies the user; a wrong password or username gets the same 401', async () => {
      await withTestApp(backend, async ({ app }) => {
        const ok = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'credit-approver', password: 'credit-approver-demo' } });
        assert.equal(ok.statusCode, 200);
        const { token, expiresAt } = ok.json() as { token: string; expiresAt: string };
        assert.ok(Date.parse(expiresAt) > Date.now() + 11 * 3600_000);
        const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
        assert.equal(me.statusCode, 200);
        assert.equal((me.json() as { role: string }).role, 'credit-approver');
        assert.equal((me.json() as { username: string }).username, 'credit-approver');
        assert.equal('password_hash' in (me.json() as object), false);

        const wrongPassword = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'credit-approver', password: 'nope-nope' } });
        const wrongUser = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'nobody', password: 'nope-nope' } });
        assert.equal(wrongPassword.statusCode, 401);
        assert.deepEqual(wrongPassword.json(), wrongUser.json());
        assert.deepEqual(wrongPassword.json(), { error: { code: 'NOT_AUTHENTICATED', message: 'wrong username or password', reason: 'login-refused' } });
      });
    });

    it('a forged, malformed or revoked token is refused with 401', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const forged = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
        assert.equal(forged.statusCode, 401);
        const malformed = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
        assert.equal(malformed.statusCode, 401);
        const token = await tokenFor('operator');
        const logout = await app.inject({ method: 'DELETE', url: '/v1/auth/token', headers: { authorization: `Bearer ${token}` } });
        assert.equal(logout.statusCode, 204);
        const after = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
        assert.equal(after.statusCode, 401);
      });
    });

    it('POST /v1/schedules previews the schedule', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const response = await app.inject({ method: 'POST', url: '/v1/schedules', headers: { authorization: `Bearer ${await tokenFor('borrower')}` }, payload: EXAMPLE });
        assert.equal(response.statusCode, 200);
        const schedule = response.json() as { installments: Record<string, unknown>[]; totalPrincipal: string };
        assert.equal(schedule.installments.length, 18);
        assert.deepEqual(schedule.installments[0], { number: 1, dueDate: '2022-12-01', days: 30, principal: '255.00', interest: '50.00', total: '305.00', balance: '4745.00' });
        assert.equal(schedule.totalPrincipal, '5000.00');
      });
    });

    it('bad input gets a 400 naming the field', async () => {
      await withTestApp(backend, async ({ app, tokenFor }) => {
        const authorization = `Bearer ${await tokenFor('account-manager')}`;
        const cases: [Record<string, unknown>, string][] = [
          [{ ...EXAMPLE, principal: '12.345' }, 'principal'],
          [{ ...EXAMPLE, principal: 5000 }, 'principal'],
          [{ ...EXAMPLE, periods: '18' }, 'periods'],
          [{ ...EXAMPLE, unit: 'fortnights' }, 'unit'],
          [{ ...EXAMPLE, disbursed: '2023-02-29' }, 'disbursed'],
          [{ ...EXAMPLE, firstDue: '2022-10-01' }, 'firstDue'],
          [{ ...EXAMPLE, gracePrincipal: 18 }, 'gracePrincipal'],
          [{ ...EXAMPLE, surprise: true }, 'surprise'],
          [{ rate: '12', periods: 18, disbursed: '2022-11-01' }, 'principal'],
        ];
        for (const [payload, field] of cases) {
          const response = await app.inject({ method: 'POST', url: '/v1/schedules', headers: { authorization }, payload });
          assert.equal(response.statusCode, 400, JSON.stringify(payload));
          const { error } = response.json() as { error: { code: string; field: string; message: string } };
          assert.equal(error.code, 'VALIDATION');
          assert.equal(error.field, field, `${JSON.stringify(payload)} → ${error.message}`);
          assert.ok(error.message.includes(field), error.message);
        }
        const badJson = await app.inject({ method: 'POST', url: '/v1/schedules', headers: { authorization, 'content-type': 'application/json' }, payload: '{"principal":' });
        assert.equal(badJson.statusCode, 400);
        assert.equal((badJson.json() as { error: { code: string } }).error.code, 'VALIDATION');
      });
    });

    it('an unknown route is a 404 in the error shape', async () => {
      await withTestApp(backend, async ({ app }) => {
        const response = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
        assert.equal(response.statusCode, 404);
        assert.deepEqual(response.json(), { error: { code: 'NOT_FOUND', message: 'no route GET /v1/nothing-here' } });
      });
    });
  });
}
