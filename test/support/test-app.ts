/**
 * An app on a fresh test database with the demo users, and a way to log in as any role.
 */
import type { Backend } from '../../src/db/database.js';
import { demoPassword } from '../../src/auth/demo-users.js';
import type { Role } from '../../src/auth/roles.js';
import { buildApp } from '../../src/http/app.js';
import type { AppContext, TypedApp } from '../../src/http/app-context.js';
import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { withTestDatabase, type TestDatabase } from './backends.js';
import { demoUsers } from './demo-users-fixture.js';

export interface TestApp extends TestDatabase {
  readonly app: TypedApp;
  /** A bearer token for the demo user of `role`. */
  tokenFor(role: Role): Promise<string>;
}

export async function withTestApp<T>(backend: Backend, body: (test: TestApp) => Promise<T>, context: Partial<Omit<AppContext, 'db' | 'backend'>> = {}): Promise<T> {
  return withTestDatabase(backend, async (test) => {
    // Rate limits count per address and every injected request comes from 127.0.0.1, so suites
    // that log in dozens of times would trip them; test/http/rate-limit.test.ts tests them alone.
    const app = await buildApp({ db: test.db, backend, version: 'test', now: () => new Date(), rateLimits: 'off', ...context });
    const tokens = new Map<Role, string>();
    const tokenFor = async (role: Role) => {
      let token = tokens.get(role);
      if (token === undefined) {
        const response = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: role, password: demoPassword(role) } });
        if (response.statusCode !== 200) throw new Error(`login as ${role} failed: ${response.body}`);
        token = (response.json() as { token: string }).token;
        tokens.set(role, token);
      }
      return token;
    };
    try {
      return await body({ ...test, app, tokenFor });
    } finally {
      await app.close();
    }
  }, { fixture: demoUsers() });
}

/** An app on `db` whose log (at trace level, the most it ever writes) is captured line by line, for tests that read the log. */
export async function appLoggingAtTrace(db: Kysely<Database>, backend: Backend): Promise<{ app: TypedApp; lines: string[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = await buildApp({ db, backend, version: 'test', now: () => new Date(), rateLimits: 'off' }, { logger: { level: 'trace', stream } });
  return { app, lines };
}
