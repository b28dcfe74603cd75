import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { demoPassword, seedDemoUsers } from '../../src/auth/demo-users.js';
import { errorForLog } from '../../src/http/log-redaction.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { appLoggingAtTrace } from '../support/test-app.js';

describe('errors as logged', () => {
  it('keep the type, the schema-naming fields and the frames, never parameters, statements or quoted values', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "enterprise_name_key"'), {
      code: '23505',
      table: 'enterprise',
      constraint: 'enterprise_name_key',
      detail: 'Key (name)=(王芳茶叶) already exists.',
      params: ['王芳', '330106198001011235', '13912345678'],
      query: 'insert into enterprise (name) values ($1)',
    });
    const logged = errorForLog(error);
    assert.deepEqual(Object.keys(logged).sort(), ['code', 'constraint', 'message', 'stack', 'table', 'type']);
    assert.equal(logged.message, 'duplicate key value violates unique constraint "[redacted]"');
    assert.deepEqual([logged.code, logged.table, logged.constraint], ['23505', 'enterprise', 'enterprise_name_key']);
    assert.match(String(logged.stack), /^ +at /);
  });
});

for (const backend of BACKENDS) {
  describe(`logs on ${backend}`, () => {
    it('a run that provokes database errors on personal data logs no name, ID number or phone', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await seedDemoUsers(db);
        const { app, lines } = await appLoggingAtTrace(db, backend);
        try {
          const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'account-manager', password: demoPassword('account-manager') } });
          const manager = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
          const name = '杭州绿芽茶叶有限公司';
          const owner = '王芳';
          const idNumber = '330106198001011235';
          const phone = '13912345678';
          // A constraint no new row meets: each write below fails in the database, at the insert that carries the data as its parameters.
          await sql`alter table enterprise add constraint refuse_new_rows check (false) not valid`.execute(db);
          await sql`alter table app_user add constraint refuse_new_rows check (false) not valid`.execute(db);
          const firm = await app.inject({ method: 'POST', url: '/v1/enterprises', headers: manager, payload: { name, sizeClass: 'micro', owners: [{ name: owner, idNumber, phone }] } });
          const registration = await app.inject({ method: 'POST', url: '/v1/registrations', payload: { username: 'wang.fang', displayName: owner, password: 'a long secret', phone } });
          assert.deepEqual([firm.statusCode, registration.statusCode], [500, 500], `${firm.body} ${registration.body}`);
          const log = lines.join('');
          assert.ok(log.includes('"level":50'), 'the errors were logged');
          assert.ok(log.includes('23514'), 'with their SQLSTATE (check violation)');
          for (const [what, value] of [['enterprise name', name], ['owner name', owner], ['ID number', idNumber], ['phone', phone], ['password', 'a long secret']]) {
            assert.equal(log.includes(value!), false, `the ${what} was logged`);
          }
        } finally {
          await app.close();
        }
      });
    });
  });
}
