/**
 * The demo users every test app logs in with, as a fixture of the test harness
 * (test/support/template.ts): apart from test-app.ts so that make-pglite-template.ts can write
 * them into the run's PGlite dump without loading the app.
 */
import { seedDemoUsers } from '../../src/auth/demo-users.js';
import { currentAuditKey } from '../../src/audit/audit-trail.js';
import type { Fixture } from './template.js';

/**
 * The demo users as a fixture: seeded by `seedDemoUsers` once per template (on PGlite before the
 * run's dump, on PostgreSQL once per process) and copied in from then on, ids, hashes and audit
 * records alike (measured on the HTTP tests: 3 ms of CPU a test app on PGlite instead of 108,
 * 1.3 ms on PostgreSQL instead of 66). Their audit records are chained with the process's audit
 * key, so a test that changed the key gets users seeded afresh under it; their password hashes use
 * the tests' scrypt cost (test/support/backends.ts), which whoever writes them must have set.
 */
export function demoUsers(): Fixture {
  const key = currentAuditKey();
  return { name: 'demo_users', version: key === undefined ? 'unkeyed' : key.toString('hex'), write: (db) => seedDemoUsers(db) };
}
