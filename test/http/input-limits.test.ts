import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedDemoUsers } from '../../src/auth/demo-users.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { appLoggingAtTrace, withTestApp } from '../support/test-app.js';

/** Strings that would do harm if Sprout ever treated text as SQL, HTML, a template or a path. */
const INJECTIONS = ["'; drop table enterprise; --", '<script>alert(1)</script>', '{{7*7}}', '../../etc/passwd'];

interface JsonSchema {
  type?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  items?: JsonSchema;
  maxItems?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maximum?: number;
}

/** Where a request schema leaves input unbounded: objects open to unknown fields, strings, numbers or arrays without limits. */
function unbounded(schema: JsonSchema | undefined, path: string): string[] {
  if (schema === undefined) return [];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.flatMap((alternative) => unbounded(alternative, path));
  if (schema.const !== undefined || schema.enum !== undefined) return [];
  switch (schema.type) {
    case 'object':
      return [
        ...(schema.additionalProperties === false ? [] : [`${path}: unknown fields are not rejected`]),
        ...Object.entries(schema.properties ?? {}).flatMap(([name, property]) => unbounded(property, `${path}.${name}`)),
      ];
    case 'array':
      return [...(schema.maxItems === undefined ? [`${path}: no maxItems`] : []), ...unbounded(schema.items, `${path}[]`)];
    case 'string':
      return schema.maxLength === undefined && schema.pattern === undefined && schema.format === undefined ? [`${path}: no maxLength or pattern`] : [];
    case 'integer':
    case 'number':
      // A bound may be exclusive (a share above 0): either form bounds the number.
      return (schema.minimum ?? schema.exclusiveMinimum) === undefined || (schema.maximum ?? schema.exclusiveMaximum) === undefined ? [`${path}: no range`] : [];
    default:
      return [];
  }
}

for (const backend of BACKENDS) {
  describe(`input limits on ${backend}`, () => {
    it('every operation bounds its input: unknown fields rejected, strings, numbers and lists limited', async () => {
      await withTestApp(backend, async ({ app }) => {
        const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
          paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: { in: string; name: string; schema: JsonSchema }[] }>>;
        };
        const problems: string[] = [];
        for (const [path, operations] of Object.entries(document.paths)) {
          for (const [method, operation] of Object.entries(operations)) {
            const name = `${method.toUpperCase()} ${path}`;
            problems.push(...unbounded(operation.requestBody?.content['application/json']?.schema, `${name} body`));
            for (const parameter of operation.parameters ?? []) problems.push(...unbounded(parameter.schema, `${name} ${parameter.in} ${parameter.name}`));
          }
        }
        assert.deepEqual(problems, []);
      });
    });

    it('money is a positive decimal with at most two places; a body over 1 MiB is refused', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const line = await borrowerWithLine(db);
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        for (const amount of ['0', '0.00', '0.0', '-5.00', '1.005', '1e3', '1,000.00', ' 5.00', '']) {
          const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...manager, 'idempotency-key': `limits-${amount}-key` }, payload: { amount, termDays: 30 } });
          assert.deepEqual([draw.statusCode, (draw.json() as { error: { field: string } }).error.field], [400, 'amount'], `drawdown of "${amount}"`);
          const open = await app.inject({ method: 'POST', url: '/v1/lines', headers: approver, payload: { enterpriseId: line.enterpriseId, productCode: 'MICRO-LINE', limit: amount } });
          assert.deepEqual([open.statusCode, (open.json() as { error: { field: string } }).error.field], [400, 'limit'], `line limit of "${amount}"`);
        }
        const smallest = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...manager, 'idempotency-key': 'limits-smallest' }, payload: { amount: '100.00', termDays: 30 } });
        assert.equal(smallest.statusCode, 201, smallest.body);

        const huge = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name: 'x'.repeat(1024 * 1024 + 1), sizeClass: 'micro' } });
        assert.equal(huge.statusCode, 413);
        assert.equal((huge.json() as { error: { code: string } }).error.code, 'VALIDATION');
        const long = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name: 'x'.repeat(201), sizeClass: 'micro' } });
        assert.deepEqual([long.statusCode, (long.json() as { error: { field: string } }).error.field], [400, 'name']);
      });
    });

    it('injection strings in every free-text field are stored and read back verbatim', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const as = async (role: Parameters<typeof tokenFor>[0]) => ({ authorization: `Bearer ${await tokenFor(role)}` });
        const [manager, operator, risk, admin] = [await as('account-manager'), await as('operator'), await as('risk-officer'), await as('admin')];
        for (const [index, text] of INJECTIONS.entries()) {
          // Enterprise name.
          const firm = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name: text, sizeClass: 'micro' } });
          assert.equal(firm.statusCode, 201, firm.body);
          assert.equal((firm.json() as { name: string }).name, text);

          // A registered user's display name.
          const registered = await app.inject({ method: 'POST', url: '/v1/registrations', payload: { username: `owner-${index}`, displayName: text, password: 'a long secret' } });
          assert.equal(registered.statusCode, 202, registered.body);
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: `owner-${index}`, password: 'a long secret' } });
          const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${(login.json() as { token: string }).token}` } });
          assert.equal((me.json() as { displayName: string }).displayName, text);

          // A manual entry's description, as the checker sees it.
          const entry = await app.inject({ method: 'POST', url: '/v1/ledger/entries', headers: { ...operator, 'idempotency-key': `injection-entry-${index}` }, payload: { description: text, lines: [{ account: 'suspense', amount: '1.00' }, { account: 'settlement', amount: '-1.00' }] } });
          assert.equal(entry.statusCode, 202, entry.body);
          const queue = (await app.inject({ method: 'GET', url: '/v1/approvals', headers: admin })).json() as { id: string; payload: { description?: string } }[];
          assert.equal(queue.find((request) => request.id === (entry.json() as { id: string }).id)?.payload.description, text);

          // A product's name, proposed and then in force.
          const proposed = await app.inject({
            method: 'POST',
            url: '/v1/products',
            headers: risk,
            payload: { code: `INJ-${index}`, name: text, kind: 'short-term', workingCapital: true, lprTenor: '1y', minAmount: '100.00', maxAmount: '1000.00', minTermDays: 1, maxTermDays: 30, spread: '1.00', penaltyMultiplier: '1.5', compoundOverdueInterest: true },
          });
          assert.equal(proposed.statusCode, 202, proposed.body);
          await app.inject({ method: 'POST', url: `/v1/approvals/${(proposed.json() as { id: string }).id}/decision`, headers: admin, payload: { decision: 'approve' } });
          const products = (await app.inject({ method: 'GET', url: '/v1/products', headers: manager })).json() as { code: string; name: string }[];
          assert.equal(products.find((product) => product.code === `INJ-${index}`)?.name, text);
        }

        // A policy's note and a rule's description.
        const active = ((await app.inject({ method: 'GET', url: '/v1/policies', headers: risk })).json() as { active: { policy: { rules: { description: string }[] } } }).active;
        active.policy.rules[0]!.description = INJECTIONS.join(' ');
        const policy = await app.inject({ method: 'POST', url: '/v1/policies', headers: risk, payload: { note: INJECTIONS.join('\n'), ...active } });
        assert.equal(policy.statusCode, 202, policy.body);
        await app.inject({ method: 'POST', url: `/v1/approvals/${(policy.json() as { id: string }).id}/decision`, headers: admin, payload: { decision: 'approve' } });
        const versions = ((await app.inject({ method: 'GET', url: '/v1/policies', headers: risk })).json() as { versions: { note: string; policy: { rules: { description: string }[] } }[] }).versions;
        assert.deepEqual([versions[0]?.note, versions[0]?.policy.rules[0]?.description], [INJECTIONS.join('\n'), INJECTIONS.join(' ')]);

        // The table the first string names is still there, with the enterprises in it.
        const names = await db.selectFrom('enterprise').select('name').execute();
        assert.deepEqual(INJECTIONS.filter((text) => names.some((row) => row.name === text)), INJECTIONS);
      });
    });

    it('personal data (ID numbers, phone numbers) never reaches the log, even at trace level and on errors', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await seedDemoUsers(db);
        const { app, lines } = await appLoggingAtTrace(db, backend);
        try {
          const phone = '13912345678';
          const idNumber = '330106198001011235'; // a valid GB 11643 check character
          await inTransaction(db, (trx) => createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro', owners: [{ name: '王芳', idNumber, role: 'legal-representative', sharePercent: 60 }] }, 'test'));
          assert.equal((await app.inject({ method: 'POST', url: '/v1/registrations', payload: { username: 'wang.fang', displayName: '王芳', password: 'a long secret', phone } })).statusCode, 202);
          // Requests carrying the same data: a taken username (answered as a new one), a malformed phone, an unknown field.
          assert.equal((await app.inject({ method: 'POST', url: '/v1/registrations', payload: { username: 'wang.fang', displayName: '王芳', password: 'a long secret', phone } })).statusCode, 202);
          assert.equal((await app.inject({ method: 'POST', url: '/v1/registrations', payload: { username: 'li.lei', displayName: idNumber, password: 'a long secret', phone: `${phone}0` } })).statusCode, 400);
          const manager = (await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'account-manager', password: 'account-manager-demo' } })).json() as { token: string };
          const refused = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: { authorization: `Bearer ${manager.token}` }, payload: { name: 'x', sizeClass: 'micro', idNumber, phone } });
          assert.equal(refused.statusCode, 400);
          assert.ok(lines.some((line) => line.includes('/v1/registrations')), 'the logger was on');
          const log = lines.join('');
          assert.equal(log.includes(phone), false, 'a phone number was logged');
          assert.equal(log.includes(idNumber), false, 'an ID number was logged');
          assert.equal(log.includes('a long secret'), false, 'a password was logged');
        } finally {
          await app.close();
        }
      });
    });
  });
}
