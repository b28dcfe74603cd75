/**
 * The migrated template behind every database test (test/support/backends.ts): migrated and seeded
 * once per process and backend, reset between tests. Separate from backends.ts so that
 * make-pglite-template.ts can build one without loading node:test.
 */
import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Backend } from '../../src/db/database.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedReferenceData } from '../../src/system/reference-data.js';
import { kyselyOverPglite, openPglite } from '../../src/db/pglite-backend.js';
import { kyselyOverPool, postgresPool } from '../../src/db/postgres-backend.js';
import type { Database } from '../../src/db/schema.js';

/** The business date every test database starts on. */
export const TEST_BUSINESS_DATE = parseBusinessDate('2025-06-30', 'TEST_BUSINESS_DATE');

/** A migrated, empty database for one test. */
export interface TestDatabase {
  readonly db: Kysely<Database>;
  readonly backend: Backend;
  readonly schema: string;
}

/** Names this run creates on the PostgreSQL server start with this (lower-case letters and digits). */
const RUN = /^[a-z0-9]{1,16}$/.test(process.env.SPROUT_TEST_RUN ?? '') ? process.env.SPROUT_TEST_RUN! : `x${randomBytes(4).toString('hex')}`;

/** The schema of the migrated PGlite database that `scripts/run-tests.js` dumps once per run. */
export const PGLITE_TEMPLATE_SCHEMA = 'sprout_template';

/**
 * Creates (or reuses) this process's migrated template on `backend`, runs `body` on it, and resets
 * it to the migrated, seeded state, whatever `body` did. Tests within one file run one after
 * another, which the shared template (and PGlite's single connection) needs.
 */
export async function withTestDatabase<T>(backend: Backend, body: (test: TestDatabase) => Promise<T>): Promise<T> {
  const place = backend === 'postgres' ? postgres() : await pglite();
  const template = await place.template();
  const db = place.kysely(template.schema);
  try {
    return await body({ db, backend, schema: template.schema });
  } finally {
    await place.release(db);
    await place.reset(template);
  }
}

/** A migrated, seeded schema and how to put it back as it was. */
interface Template {
  readonly schema: string;
  /** One batch: empties every table (referencing ones first), then copies the seeded rows back. */
  readonly reset: string;
  /** A digest of the schema's tables, columns and constraints, to notice a test that changed them. */
  readonly fingerprint: string;
}

/** Statements on a backend outside any test's Kysely. */
interface Admin {
  rows<R>(text: string, params?: unknown[]): Promise<R[]>;
  exec(batch: string): Promise<void>;
}

/** One backend in this process: its template, and what each test opens and releases. */
interface Place {
  template(): Promise<Template>;
  kysely(schema: string): Kysely<Database>;
  release(db: Kysely<Database>): Promise<void>;
  reset(template: Template): Promise<void>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const seedSchemaOf = (schema: string) => `${schema}_seed`;

/**
 * Migrates and seeds `schema` (which must exist, empty), then snapshots every table that holds
 * seed rows into `<schema>_seed`.
 */
async function migrateTemplate(admin: Admin, db: Kysely<Database>, schema: string): Promise<void> {
  await migrateToLatest(db);
  await seedReferenceData(db, TEST_BUSINESS_DATE);
  const seed = seedSchemaOf(schema);
  const copies: string[] = [`create schema ${quote(seed)}`];
  for (const table of await tablesOf(admin, schema)) {
    const [row] = await admin.rows<{ seeded: boolean }>(`select exists (select 1 from ${quote(schema)}.${quote(table)}) as seeded`);
    if (row?.seeded) copies.push(`create table ${quote(seed)}.${quote(table)} as select * from ${quote(schema)}.${quote(table)}`);
  }
  await admin.exec(copies.join(';\n'));
}

/** The base tables of `schema`, but the migration bookkeeping (which a reset leaves alone). */
async function tablesOf(admin: Admin, schema: string): Promise<string[]> {
  const rows = await admin.rows<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = $1 and tablename <> 'schema_migration' order by tablename`,
    [schema],
  );
  return rows.map((row) => row.name);
}

/** Reads an existing migrated template (and its seed snapshot) into its reset batch and fingerprint. */
async function describeTemplate(admin: Admin, schema: string): Promise<Template> {
  const tables = await tablesOf(admin, schema);
  const seeded = new Set(await tablesOf(admin, seedSchemaOf(schema)));
  const references = await admin.rows<{ child: string; parent: string }>(
    `select child.relname as child, parent.relname as parent
       from pg_constraint c
       join pg_class child on child.oid = c.conrelid
       join pg_class parent on parent.oid = c.confrelid
       join pg_namespace n on n.oid = child.relnamespace
      where c.contype = 'f' and n.nspname = $1`,
    [schema],
  );
  const parentsFirst = topologicalOrder(tables, references);
  const target = (table: string) => `${quote(schema)}.${quote(table)}`;
  // Deleting children before parents keeps every foreign key satisfied; rows are few, so DELETE is
  // cheaper than TRUNCATE (which makes new files for every table and index on PostgreSQL).
  const empty = parentsFirst === undefined
    ? [`truncate table ${tables.map(target).join(', ')}`]
    : [...parentsFirst].reverse().map((table) => `delete from ${target(table)}`);
  const refill = (parentsFirst ?? tables)
    .filter((table) => seeded.has(table))
    .map((table) => `insert into ${target(table)} select * from ${quote(seedSchemaOf(schema))}.${quote(table)}`);
  return { schema, reset: [...empty, ...refill].join(';\n'), fingerprint: await fingerprintOf(admin, schema) };
}

/** Tables ordered so that every table comes after those it references; undefined on a cycle. */
function topologicalOrder(tables: readonly string[], references: readonly { child: string; parent: string }[]): string[] | undefined {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: string): boolean => {
    const seen = state.get(table);
    if (seen === 'done') return true;
    if (seen === 'visiting') return false;
    state.set(table, 'visiting');
    for (const { child, parent } of references) {
      if (child === table && parent !== table && tables.includes(parent) && !visit(parent)) return false;
    }
    state.set(table, 'done');
    order.push(table);
    return true;
  };
  for (const table of tables) if (!visit(table)) return undefined;
  return order;
}

/**
 * What changes when a test changes the schema's definition: the number of its tables (and other
 * relations), columns and constraints, and the newest transaction that wrote any of their catalog
 * rows. Creating, altering or dropping anything writes those rows; the reset's DELETE and INSERT
 * (and autovacuum's in-place statistics) do not. Half the cost of digesting every definition
 * (33 ms against 80 ms of CPU per test on PGlite), and it also sees a changed NOT NULL.
 */
async function fingerprintOf(admin: Admin, schema: string): Promise<string> {
  const [row] = await admin.rows<{ fingerprint: string }>(
    `select concat_ws(':',
        (select count(*) || '.' || coalesce(max(c.xmin::text::int8), 0) from pg_class c where c.relnamespace = n.oid),
        (select count(*) || '.' || coalesce(max(a.xmin::text::int8), 0) from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relnamespace = n.oid),
        (select count(*) || '.' || coalesce(max(co.xmin::text::int8), 0) from pg_constraint co where co.connamespace = n.oid)) as fingerprint
       from pg_namespace n
      where n.nspname = $1`,
    [schema],
  );
  return row?.fingerprint ?? '';
}

/**
 * After a test: if the schema is as migrated, one batch puts the rows back as seeded; if the test
 * changed the schema, the template is dropped and `rebuild` is called for the next test.
 */
async function resetOrDrop(admin: Admin, template: Template, rebuild: () => void): Promise<void> {
  if ((await fingerprintOf(admin, template.schema)) === template.fingerprint) {
    await admin.exec(template.reset);
    return;
  }
  await admin.exec(`drop schema ${quote(template.schema)} cascade; drop schema if exists ${quote(seedSchemaOf(template.schema))} cascade`);
  rebuild();
}

// PGlite: one instance per process (starting one takes seconds), with the template inside it.

let pglitePlace: Promise<Place> | undefined;
let pgliteInstance: PGlite | undefined;

function pglite(): Promise<Place> {
  pglitePlace ??= openPglitePlace();
  return pglitePlace;
}

async function openPglitePlace(): Promise<Place> {
  const dump = process.env.SPROUT_TEST_PGLITE_TEMPLATE;
  const instance = await openPglite('memory://', dump ? { loadDataDir: await openAsBlob(dump) } : {});
  pgliteInstance = instance;
  const admin = pgliteAdmin(instance);
  await admin.exec('create schema if not exists public');
  const makeTemplate = async (): Promise<Template> => {
    const [existing] = await admin.rows(`select 1 from pg_namespace where nspname = $1`, [PGLITE_TEMPLATE_SCHEMA]);
    if (existing === undefined) await buildPgliteTemplate(instance);
    return describeTemplate(admin, PGLITE_TEMPLATE_SCHEMA);
  };
  let template = makeTemplate();
  return {
    template: () => template,
    // Kysely's destroy() would close the shared instance, so these Kyselys are simply dropped.
    kysely: (schema) => kyselyOverPglite(instance, schema),
    release: () => admin.exec('set search_path to public'),
    reset: (current) => resetOrDrop(admin, current, () => { template = makeTemplate(); }),
  };
}

function pgliteAdmin(instance: PGlite): Admin {
  return {
    rows: async <R>(text: string, params: unknown[] = []) => (await instance.query<R>(text, params)).rows,
    exec: async (batch) => {
      await instance.exec(batch);
    },
  };
}

/**
 * Migrates and seeds {@link PGLITE_TEMPLATE_SCHEMA} in `instance` (an empty cluster), with its
 * seed snapshot: what `scripts/run-tests.js` dumps once per run.
 */
export async function buildPgliteTemplate(instance: PGlite): Promise<void> {
  const admin = pgliteAdmin(instance);
  await admin.exec(`create schema ${quote(PGLITE_TEMPLATE_SCHEMA)}`);
  await migrateTemplate(admin, kyselyOverPglite(instance, PGLITE_TEMPLATE_SCHEMA), PGLITE_TEMPLATE_SCHEMA);
  await admin.exec('set search_path to public');
}

// PostgreSQL: a template schema of this process's own on the shared server.

let postgresPlace: Place | undefined;
const createdSchemas = new Set<string>();

function postgresUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

/**
 * The process's one administrative connection to the server (connected on first use, closed by
 * {@link closeTestDatabases}). Starting a PostgreSQL connection costs a server process and several
 * milliseconds; the harness used to open one for every reset and a pool for every test.
 */
let postgresAdmin: Promise<{ client: pg.Client; admin: Admin }> | undefined;

function withPostgresAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  postgresAdmin ??= (async () => {
    const client = new pg.Client({ connectionString: postgresUrl() });
    // A connection the server ends (a test restarting it) is replaced on the next use.
    client.on('error', () => {
      postgresAdmin = undefined;
    });
    await client.connect();
    const admin: Admin = {
      rows: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[],
      exec: async (batch) => {
        await client.query(batch); // no parameters: the simple protocol, which runs several statements
      },
    };
    return { client, admin };
  })();
  return postgresAdmin.then(({ admin }) => work(admin));
}

/**
 * The template's pool is kept from test to test (its connections, and the statements they
 * prepared, with it) and ended only when the template is dropped: tests run one after another in a
 * process, and a reset changes rows, never the statements' tables. Each test still gets a Kysely of
 * its own over it, so whatever a module keeps per Kysely (a demo's cached ids) starts afresh with the
 * reset rows.
 */
function postgres(): Place {
  if (postgresPlace !== undefined) return postgresPlace;
  const makeTemplate = async (): Promise<Template> => {
    const schema = `t_${RUN}_${process.pid.toString(36)}_${randomBytes(3).toString('hex')}`;
    createdSchemas.add(schema);
    return withPostgresAdmin(async (admin) => {
      await admin.exec(`create schema ${quote(schema)}`);
      await migrateTemplate(admin, kyselyOverPool(poolFor(schema)), schema);
      return describeTemplate(admin, schema);
    });
  };
  const pools = new Map<string, pg.Pool>();
  const poolFor = (schema: string): pg.Pool => {
    let pool = pools.get(schema);
    if (pool === undefined) {
      pool = postgresPool(postgresUrl(), { schema, maxConnections: 4 });
      pools.set(schema, pool);
    }
    return pool;
  };
  let template: Promise<Template> | undefined;
  postgresPlace = {
    template: () => (template ??= makeTemplate()),
    // Kysely's destroy() would end the shared pool, so these Kyselys are simply dropped.
    kysely: (schema) => kyselyOverPool(poolFor(schema)),
    release: async () => {},
    reset: (current) =>
      withPostgresAdmin((admin) =>
        resetOrDrop(admin, current, () => {
          template = undefined;
          const stale = pools.get(current.schema);
          pools.delete(current.schema);
          void stale?.end();
        }),
      ),
  };
  closePostgresKyselys = async () => {
    for (const pool of pools.values()) await pool.end();
    pools.clear();
  };
  return postgresPlace;
}

let closePostgresKyselys: () => Promise<void> = async () => {};

/**
 * Closes this process's PGlite (one loaded from a dump keeps a timer that would hold the process
 * open) and drops the schemas it made on the PostgreSQL server. Call once, when its tests end.
 */
export async function closeTestDatabases(): Promise<void> {
  if (pgliteInstance !== undefined) {
    await pgliteInstance.close();
    pgliteInstance = undefined;
    pglitePlace = undefined;
  }
  await closePostgresKyselys();
  if (createdSchemas.size > 0) {
    await withPostgresAdmin(async (admin) => {
      for (const schema of createdSchemas) {
        await admin.exec(`drop schema if exists ${quote(schema)} cascade; drop schema if exists ${quote(seedSchemaOf(schema))} cascade`);
      }
    });
    createdSchemas.clear();
  }
  if (postgresAdmin !== undefined) {
    const { client } = await postgresAdmin;
    postgresAdmin = undefined;
    await client.end();
  }
  postgresPlace = undefined;
}
