/**
 * The database backends every database test runs on, as Kysely's own suite does: PGlite always,
 * PostgreSQL too when `TEST_DATABASE_URL` is set (`.ci/run` sets it); `SPROUT_TEST_BACKENDS` narrows them.
 *
 * Every test starts on a schema migrated to the latest version and seeded with the reference data
 * (business date 2025-06-30) and nothing else. Migrating and seeding happen once per process and
 * backend, into a template schema; between tests the template is reset: every table emptied and
 * the seeded rows copied back from a snapshot, in one batch (docs/decisions.md, "The test
 * harness"). A test that changes the schema itself (creates or drops a table) is noticed by a
 * fingerprint of the catalog, and the next test gets a freshly migrated template instead.
 *
 * On PGlite, `scripts/run-tests.js` migrates one database once per run and dumps its data
 * directory (`SPROUT_TEST_PGLITE_TEMPLATE`); each test process loads that dump rather than
 * initialising an empty cluster and migrating it. Run alone (`node --import tsx --test file`), a
 * process migrates its own.
 *
 * On the shared PostgreSQL server every schema this creates is named
 * `t_<run>_<pid>_<random>`, dropped when the process's tests end; `scripts/run-tests.js` drops
 * whatever its run left behind (a crashed process), and never anything else.
 *
 * @example
 * for (const backend of BACKENDS) {
 *   describe(backend, () => {
 *     it('stores a user', async () => {
 *       await withTestDatabase(backend, async ({ db }) => { … });
 *     });
 *   });
 * }
 */
import { after } from 'node:test';
import { TEST_SCRYPT_COST, useScryptCostForTests } from '../../src/auth/password.js';
import type { Backend } from '../../src/db/database.js';
import { closeTestDatabases } from './template.js';

export { TEST_BUSINESS_DATE, withTestDatabase, type TestDatabase } from './template.js';

// Test users' passwords are hashed at a token scrypt cost (src/auth/password.ts).
useScryptCostForTests(TEST_SCRYPT_COST);

/**
 * The backends this run covers. `SPROUT_TEST_BACKENDS=postgres` leaves PGlite out: the Citus run
 * (`.ci/run`, docs/scaling.md) points TEST_DATABASE_URL at a coordinator and tests that alone.
 */
export const BACKENDS: readonly Backend[] = (process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const)).filter(
  (backend) => process.env.SPROUT_TEST_BACKENDS === undefined || process.env.SPROUT_TEST_BACKENDS.split(',').includes(backend),
);

// This process's PGlite closes, and the schemas it made on the shared server go, when its tests end.
after(closeTestDatabases);
