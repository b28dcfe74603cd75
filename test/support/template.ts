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
 * Rows that many tests start from beyond the seed (the demo users every test app logs in with),
 * written by `write` the first time a process asks for them on a template and copied back from a
 * snapshot after that, in one batch: the same rows, ids and audit records, for the price of a
 * few `INSERT … SELECT`s instead of the code that makes them.
 */
export interface Fixture {
  /** Lower-case letters, digits and `_`: part of the snapshot's schema name. */
  readonly name: string;
  /**
   * Whatever else the rows depend on, in the process's state (the audit key their hashes are
   * chained with): a snapshot made under another version is written afresh.
   */
  readonly version: string;
  write(db: Kysely<Database>): Promise<unknown>;
}

/**
 * Creates (or reuses) this process's migrated template on `backend`, runs `body` on it, and resets
 * it to the migrated, seeded state, whatever `body` did. Tests within one file run one after
 * another, which the shared template (and PGlite's single connection) needs. With a `fixture`,
 * `body` starts on the seeded state with the fixture's rows added.
 */
export async function withTestDatabase<T>(backend: Backend, body: (test: TestDatabase) => Promise<T>, options: { readonly fixture?: Fixture } = {}): Promise<T> {
  const place = backend === 'postgres' ? postgres() : await pglite();
  const template = await place.template();
  const db = place.kysely(template.schema);
  try {
    if (options.fixture !== undefined) await addFixture(place, template, db, options.fixture);
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
  /** The tables, every one after those it references; undefined when the references make a cycle. */
  readonly parentsFirst: readonly string[] | undefined;
  /** The fixtures snapshotted on this template so far, by name. */
  readonly fixtures: Map<string, FixtureSnapshot>;
}

/** A fixture's rows as first written on a template: whole tables, in a schema of their own. */
interface FixtureSnapshot {
  readonly version: string;
  readonly schema: string;
  /** One batch: empties the tables the fixture wrote (referencing ones first), then copies its snapshot in. */
  readonly restore: string;
}

/** Statements on a backend outside any test's Kysely. */
interface Admin {
  rows<R>(text: string, params?: unknown[]): Promise<R[]>;
  exec(batch: string): Promise<void>;
}

/** One backend in this process: its template, and what each test opens and releases. */
interface Place {
  template(): Promise<Template>;
  /** Runs `work` with the backend's administrative connection. */
  withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T>;
  /** A schema made beside the template, to drop with this process's others when its tests end. */
  madeBeside(schema: string): void;
  kysely(schema: string): Kysely<Database>;
  release(db: Kysely<Database>): Promise<void>;
  reset(template: Template): Promise<void>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const seedSchemaOf = (schema: string) => `${schema}_seed`;
const fixtureSchemaOf = (schema: string, fixture: string) => `${schema}_fixture_${fixture}`;

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
  return { schema, reset: [...empty, ...refill].join(';\n'), fingerprint: await fingerprintOf(admin, schema), parentsFirst, fixtures: await keptFixtures(admin, schema, parentsFirst) };
}

/**
 * Adds `fixture`'s rows to the template, just reset to its seeded state: from the snapshot made
 * the first time (for this version; on PGlite the run's dump holds the demo users' already,
 * test/support/make-pglite-template.ts), or by writing them and then snapshotting every table whose
 * rows the writing changed. Whole tables are snapshotted, not only new rows: a fixture may also
 * update seeded rows (an audit stream's head). Where the references make a cycle, which no
 * snapshot could be copied back in order past, the fixture is simply written every time.
 */
async function addFixture(place: Place, template: Template, db: Kysely<Database>, fixture: Fixture): Promise<void> {
  const kept = template.fixtures.get(fixture.name);
  if (kept?.version === fixture.version) {
    await place.withAdmin((admin) => admin.exec(kept.restore));
    return;
  }
  if (template.parentsFirst === undefined) {
    checkFixtureName(fixture);
    await fixture.write(db);
    return;
  }
  await place.withAdmin((admin) => writeAndSnapshot(admin, template, db, fixture));
  place.madeBeside(fixtureSchemaOf(template.schema, fixture.name));
}

function checkFixtureName(fixture: Fixture): void {
  if (!/^[a-z0-9_]{1,24}$/.test(fixture.name)) throw new Error(`a fixture's name is 1 to 24 lower-case letters, digits or "_", not "${fixture.name}"`);
}

/**
 * Writes `fixture` on the template (reset to its seeded state) and snapshots the tables the writing
 * changed into `<schema>_fixture_<name>`, its version kept as the schema's comment (so that a
 * template loaded from a dump finds it, {@link keptFixtures}); the template keeps the rows.
 */
async function writeAndSnapshot(admin: Admin, template: Template, db: Kysely<Database>, fixture: Fixture): Promise<void> {
  checkFixtureName(fixture);
  const parentsFirst = template.parentsFirst!;
  // Every row the writing inserts or updates carries a newer transaction id than this.
  const [before] = await admin.rows<{ xid: string }>(`select (pg_current_xact_id()::text::int8 & 4294967295)::text as xid`);
  await fixture.write(db);
  const changed = new Set(await tablesWrittenSince(admin, template.schema, parentsFirst, BigInt(before!.xid)));
  const written = parentsFirst.filter((table) => changed.has(table));
  const snapshot = fixtureSchemaOf(template.schema, fixture.name);
  const source = (table: string) => `${quote(template.schema)}.${quote(table)}`;
  const copy = (table: string) => `${quote(snapshot)}.${quote(table)}`;
  await admin.exec(
    [
      `drop schema if exists ${quote(snapshot)} cascade`,
      `create schema ${quote(snapshot)}`,
      `comment on schema ${quote(snapshot)} is ${literal(fixture.version)}`,
      ...written.map((table) => `create table ${copy(table)} as select * from ${source(table)}`),
    ].join(';\n'),
  );
  template.fixtures.set(fixture.name, fixtureSnapshot(template.schema, fixture.name, fixture.version, written));
}

/** How to copy `fixture`'s snapshot of the tables `written` (in the parents-first order of template `schema`) back in. */
function fixtureSnapshot(schema: string, fixture: string, version: string, written: readonly string[]): FixtureSnapshot {
  const snapshot = fixtureSchemaOf(schema, fixture);
  const source = (table: string) => `${quote(schema)}.${quote(table)}`;
  const restore = [
    ...[...written].reverse().map((table) => `delete from ${source(table)}`),
    ...written.map((table) => `insert into ${source(table)} select * from ${quote(snapshot)}.${quote(table)}`),
  ];
  return { version, schema: snapshot, restore: restore.join(';\n') };
}

/**
 * The fixture snapshots already beside a template (made before this process: the run's PGlite
 * dump), each found by its schema's name and its version by the schema's comment.
 */
async function keptFixtures(admin: Admin, schema: string, parentsFirst: readonly string[] | undefined): Promise<Map<string, FixtureSnapshot>> {
  const kept = new Map<string, FixtureSnapshot>();
  if (parentsFirst === undefined) return kept;
  const prefix = fixtureSchemaOf(schema, '');
  const rows = await admin.rows<{ name: string; version: string | null }>(
    `select nspname as name, obj_description(oid, 'pg_namespace') as version from pg_namespace where left(nspname, length($1)) = $1`,
    [prefix],
  );
  for (const { name, version } of rows) {
    if (version === null) continue;
    const tables = new Set(await tablesOf(admin, name));
    const fixture = name.slice(prefix.length);
    kept.set(fixture, fixtureSnapshot(schema, fixture, version, parentsFirst.filter((table) => tables.has(table))));
  }
  return kept;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The tables of `schema` that transactions after `xid` wrote: a row inserted or updated since (its
 * `xmin`, compared in 32 bits: wrong only if the server's transaction ids wrapped around while the
 * fixture was written), or another number of rows than its seed snapshot (a row deleted). One
 * query, once per process and fixture: a third of a second of CPU on PGlite, which plans it.
 */
async function tablesWrittenSince(admin: Admin, schema: string, tables: readonly string[], xid: bigint): Promise<string[]> {
  const seed = seedSchemaOf(schema);
  const seeded = new Set(await tablesOf(admin, seed));
  const checks = tables.map((table, i) => {
    const live = `${quote(schema)}.${quote(table)}`;
    const written = `exists (select 1 from ${live} where xmin::text::int8 > ${xid})`;
    const deleted = seeded.has(table) ? ` or (select count(*) from ${live}) <> (select count(*) from ${quote(seed)}.${quote(table)})` : '';
    return `select ${i} as i where ${written}${deleted}`;
  });
  const rows = await admin.rows<{ i: number }>(checks.join('\nunion all\n'));
  return rows.map((row) => tables[row.i]!);
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
  const fixtures = [...template.fixtures.values()].map(({ schema }) => `drop schema if exists ${quote(schema)} cascade`);
  await admin.exec([`drop schema ${quote(template.schema)} cascade`, `drop schema if exists ${quote(seedSchemaOf(template.schema))} cascade`, ...fixtures].join(';\n'));
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
    // After a test changed the template's schema: the dump's spare copy takes its name, or, once
    // that is used, a template is migrated afresh (≈ 2 s of CPU on PGlite).
    if (existing === undefined && !(await takeSpareTemplate(admin))) await buildPgliteTemplate(instance);
    return describeTemplate(admin, PGLITE_TEMPLATE_SCHEMA);
  };
  let template = makeTemplate();
  return {
    template: () => template,
    withAdmin: (work) => work(admin),
    // The instance, and every schema in it, goes when the process closes it.
    madeBeside: () => {},
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

/**
 * Writes `fixture` on the PGlite template of `instance` once and snapshots it beside the template,
 * the template left at its seeded state: made before the dump, so that no test process writes it
 * (the demo users: 1.1–1.4 s of CPU per process on PGlite, docs/benchmarks.md, s12o).
 */
export async function snapshotPgliteFixture(instance: PGlite, fixture: Fixture): Promise<void> {
  const admin = pgliteAdmin(instance);
  const template = await describeTemplate(admin, PGLITE_TEMPLATE_SCHEMA);
  await writeAndSnapshot(admin, template, kyselyOverPglite(instance, PGLITE_TEMPLATE_SCHEMA), fixture);
  await admin.exec(template.reset);
  await admin.exec('set search_path to public');
}

/** The PGlite dump's second migrated template, which takes the template's name after a test changes the first's schema. */
const PGLITE_SPARE_SCHEMA = `${PGLITE_TEMPLATE_SCHEMA}_spare`;

/**
 * Adds a spare copy of the PGlite template of `instance` beside it: migrated, with the template's
 * seed rows and fixture snapshots copied (the same rows and ids, so the snapshots are good for
 * either). Four tests change the template's schema (a table dropped, a constraint added); the next
 * test in their process then takes the spare (three renames) instead of migrating a template
 * (≈ 2 s of CPU on PGlite, docs/benchmarks.md, s12o).
 */
export async function addPgliteSpareTemplate(instance: PGlite): Promise<void> {
  const admin = pgliteAdmin(instance);
  await admin.exec(`create schema ${quote(PGLITE_SPARE_SCHEMA)}`);
  await migrateToLatest(kyselyOverPglite(instance, PGLITE_SPARE_SCHEMA));
  const copies = [`create schema ${quote(seedSchemaOf(PGLITE_SPARE_SCHEMA))}`];
  for (const table of await tablesOf(admin, seedSchemaOf(PGLITE_TEMPLATE_SCHEMA))) {
    copies.push(`create table ${quote(seedSchemaOf(PGLITE_SPARE_SCHEMA))}.${quote(table)} as select * from ${quote(seedSchemaOf(PGLITE_TEMPLATE_SCHEMA))}.${quote(table)}`);
  }
  const template = await describeTemplate(admin, PGLITE_TEMPLATE_SCHEMA);
  for (const [name, kept] of template.fixtures) {
    const spare = fixtureSchemaOf(PGLITE_SPARE_SCHEMA, name);
    copies.push(`create schema ${quote(spare)}`, `comment on schema ${quote(spare)} is ${literal(kept.version)}`);
    for (const table of await tablesOf(admin, kept.schema)) copies.push(`create table ${quote(spare)}.${quote(table)} as select * from ${quote(kept.schema)}.${quote(table)}`);
  }
  await admin.exec(copies.join(';\n'));
  // The spare's own migrated rows replaced by the template's seed, as a reset does.
  await admin.exec((await describeTemplate(admin, PGLITE_SPARE_SCHEMA)).reset);
  // The spare must be the template row for row, or the fixture snapshots would not fit it.
  const pairs: [string, string][] = [[PGLITE_TEMPLATE_SCHEMA, PGLITE_SPARE_SCHEMA], [seedSchemaOf(PGLITE_TEMPLATE_SCHEMA), seedSchemaOf(PGLITE_SPARE_SCHEMA)]];
  for (const [name, kept] of template.fixtures) pairs.push([kept.schema, fixtureSchemaOf(PGLITE_SPARE_SCHEMA, name)]);
  for (const [original, spare] of pairs) {
    for (const table of await tablesOf(admin, original)) {
      const [differs] = await admin.rows(
        `(table ${quote(original)}.${quote(table)} except all table ${quote(spare)}.${quote(table)}) union all (table ${quote(spare)}.${quote(table)} except all table ${quote(original)}.${quote(table)}) limit 1`,
      );
      if (differs !== undefined) throw new Error(`the spare template's ${spare}.${table} differs from ${original}.${table}`);
    }
  }
  await admin.exec('set search_path to public');
}

/**
 * Gives the spare template (and its seed and fixture snapshots) the template's names, if the dump
 * has one not yet taken; false if not.
 */
async function takeSpareTemplate(admin: Admin): Promise<boolean> {
  const schemas = await admin.rows<{ name: string }>(`select nspname as name from pg_namespace where left(nspname, length($1)) = $1`, [PGLITE_SPARE_SCHEMA]);
  if (!schemas.some(({ name }) => name === PGLITE_SPARE_SCHEMA)) return false;
  const renamed = (name: string) => PGLITE_TEMPLATE_SCHEMA + name.slice(PGLITE_SPARE_SCHEMA.length);
  await admin.exec(schemas.map(({ name }) => `alter schema ${quote(name)} rename to ${quote(renamed(name))}`).join(';\n'));
  return true;
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
    withAdmin: withPostgresAdmin,
    madeBeside: (schema) => createdSchemas.add(schema),
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
