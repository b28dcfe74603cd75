/**
 * The database backends every database test runs on, as Kysely's own suite does: PGlite always,
 * PostgreSQL too when `TEST_DATABASE_URL` is set (`.ci/run` sets it).
 *
 * Each test gets a clean schema of its own, migrated to the latest version and seeded with the
 * reference data (business date 2025-06-30), and dropped after.
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
import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Backend } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedReferenceData } from '../../src/system/reference-data.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { kyselyOverPglite, openPglite } from '../../src/db/pglite-backend.js';
import { kyselyOverPostgres } from '../../src/db/postgres-backend.js';
import type { Database } from '../../src/db/schema.js';
import { useScryptCostForTests } from '../../src/auth/password.js';

// Every suite creates users (the demo logins, nine a test); at OWASP's N=2^17 each hash costs
// 0.1 s or more. Tests of the cost itself set it back with `useScryptCostForTests()`.
useScryptCostForTests({ N: 1024, r: 8, p: 1 });

/** The business date every test database starts on. */
export const TEST_BUSINESS_DATE = parseBusinessDate('2025-06-30', 'TEST_BUSINESS_DATE');

/** The backends this run covers. */
export const BACKENDS: readonly Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A migrated, empty database for one test. */
export interface TestDatabase {
  readonly db: Kysely<Database>;
  readonly backend: Backend;
  readonly schema: string;
}

// One PGlite instance per test file (starting one takes seconds); each test has its own schema.
let sharedPglite: Promise<PGlite> | undefined;

let counter = 0;
function schemaName(): string {
  counter++;
  return `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/**
 * Creates a fresh schema on `backend`, migrates it, runs `body`, and drops the schema, whatever
 * `body` did. Tests within one file run one after another, which PGlite's single connection needs.
 */
export async function withTestDatabase<T>(backend: Backend, body: (test: TestDatabase) => Promise<T>): Promise<T> {
  const schema = schemaName();
  const { db, admin, close } = await connect(backend, schema);
  await sql`create schema ${sql.id(schema)}`.execute(admin);
  try {
    await migrateToLatest(db);
    await seedReferenceData(db, TEST_BUSINESS_DATE);
    return await body({ db, backend, schema });
  } finally {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin);
    await close();
  }
}

async function connect(backend: Backend, schema: string): Promise<{ db: Kysely<Database>; admin: Kysely<Database>; close: () => Promise<void> }> {
  if (backend === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const db = kyselyOverPostgres(url, { schema, maxConnections: 4 });
    const admin = kyselyOverPostgres(url, { maxConnections: 1 });
    return { db, admin, close: async () => { await db.destroy(); await admin.destroy(); } };
  }
  sharedPglite ??= openPglite('memory://');
  const pglite = await sharedPglite;
  // Kysely's destroy() would close the shared instance, so these Kyselys are simply dropped.
  const admin = kyselyOverPglite(pglite);
  await sql`create schema if not exists public`.execute(admin);
  const db = kyselyOverPglite(pglite, schema);
  return {
    db,
    admin,
    close: async () => {
      await sql`set search_path to public`.execute(admin);
    },
  };
}
