/**
 * A database `sprout` commands in a test can open: a PGlite data directory, or a schema of its
 * own on the test PostgreSQL server (selected through the URL's `options`), so a CLI test runs on
 * both backends like the rest (test/support/backends.ts `BACKENDS`).
 *
 * Either starts migrated, as `openDatabase` leaves a new database before seeding it: the PGlite
 * directory holds the run's migrated cluster (test/support/data-dir.ts), and the PostgreSQL schema
 * is a copy of one migrated schema per run (made by the first process that needs it, {@link
 * runDefinitions}). A copy is one batch of the source's definitions: 20–50 ms of node and
 * 210–380 ms of the server's CPU, against 120–230 ms and 350–750 ms for the 52 migrations an empty
 * schema needed on its first command (docs/benchmarks.md, s12f). Migrating an empty database is
 * test/db/database.test.ts's.
 */
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { kyselyOverPostgres } from '../../src/db/postgres-backend.js';
import { holdDatabase, type HeldDatabase } from './cli.js';
import { freshDataDir, removeDataDir } from './data-dir.js';

export interface Place {
  /** The environment for `sprout` (DATABASE_URL set or emptied). */
  readonly env: NodeJS.ProcessEnv;
  /** Extra arguments for `sprout` (`--data-dir DIR` on PGlite). */
  readonly args: readonly string[];
  open(): ReturnType<typeof openDatabase>;
  /** The place opened once for a sequence of commands (test/support/cli.ts `holdDatabase`). */
  hold(): Promise<HeldDatabase>;
  drop(): Promise<void>;
}

let counter = 0;

/**
 * A new place on `backend`, migrated and holding nothing else.
 *
 * @example
 * const place = await newPlace('postgres', 'sprout-report-');
 * await sprout(['report', 'inclusive', ...place.args], place.env);
 */
export async function newPlace(backend: string, prefix = 'sprout-cli-'): Promise<Place> {
  counter++;
  if (backend === 'postgres') {
    const base = process.env.TEST_DATABASE_URL!;
    // Named after the run, so that scripts/run-tests.js drops what a crashed process left.
    const schema = `t_${RUN}_cli_${process.pid.toString(36)}_${counter}`;
    // On a Citus coordinator the schema starts empty and its first command migrates and places it,
    // as a bank's would: tables copied from the catalog would be neither placed nor comparable (the
    // coordinator's shards are tables of the schema too).
    const batch = (await onCitus()) ? `create schema ${quote(schema)}` : await copyStatements(schema);
    await withClient(async (client) => client.query(batch));
    const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      env: { ...process.env, DATABASE_URL: url },
      args: [],
      open: () => openDatabase({ url }),
      hold: () => holdDatabase({ url }),
      drop: () => withClient(async (client) => void (await client.query(`drop schema ${quote(schema)} cascade`))),
    };
  }
  const dir = freshDataDir(prefix);
  return {
    env: { ...process.env, DATABASE_URL: '' },
    args: ['--data-dir', dir],
    open: () => openDatabase({ dataDir: dir }),
    hold: () => holdDatabase({ dataDir: dir }),
    drop: async () => removeDataDir(dir),
  };
}

/** The run's name from scripts/run-tests.js (as test/support/template.ts reads it), or this process's own. */
const RUN = /^[a-z0-9]{1,16}$/.test(process.env.SPROUT_TEST_RUN ?? '') ? process.env.SPROUT_TEST_RUN! : `x${randomBytes(4).toString('hex')}`;
/** The run's migrated schema, which every copy's rows come from. */
const SOURCE = `t_${RUN}_cli_source`;
/** Claimed by the process that makes {@link SOURCE}; renamed to {@link READY} once it holds the copy's statements. */
const BUILDING = `t_${RUN}_cli_building`;
const READY = `t_${RUN}_cli_ready`;
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let citus: Promise<boolean> | undefined;

function onCitus(): Promise<boolean> {
  citus ??= withClient(async (client) => (await client.query(`select 1 from pg_extension where extname = 'citus'`)).rowCount === 1);
  return citus;
}

let definitions: Promise<string> | undefined;
let builtHere = false;

// Run alone, the process drops what it made; in a run, scripts/run-tests.js drops the run's schemas.
after(async () => {
  if (builtHere && process.env.SPROUT_TEST_RUN === undefined) {
    await withClient((client) => client.query(`drop schema if exists ${quote(SOURCE)} cascade; drop schema if exists ${quote(READY)} cascade`));
  }
});

/** One batch that creates `schema` as a copy of the run's migrated schema: its tables, constraints, indexes and rows. */
async function copyStatements(schema: string): Promise<string> {
  definitions ??= runDefinitions();
  return copyBatch(schema, await definitions);
}

const copyBatch = (schema: string, ddl: string) => `begin; create schema ${quote(schema)}; set local search_path to ${quote(schema)};\n${ddl};\ncommit`;

/**
 * The statements that copy the run's migrated schema, made once per run: the first process to
 * need them claims the work by creating {@link BUILDING} (the server lets only one process create
 * a name), migrates {@link SOURCE}, reads its definitions, checks a copy against it, keeps the
 * statements in a table and renames the claim to {@link READY}; the others wait for that name.
 */
async function runDefinitions(): Promise<string> {
  // A guard against a process stuck making them, not a timing.
  const deadline = Date.now() + 600_000;
  for (;;) {
    const found = await withClient(async (client) => {
      if ((await client.query(`select 1 from pg_namespace where nspname = $1`, [READY])).rowCount === 1) {
        return (await client.query<{ ddl: string }>(`select ddl from ${quote(READY)}.copy`)).rows[0]!.ddl;
      }
      try {
        await client.query(`create schema ${quote(BUILDING)}`);
      } catch (error) {
        if ((error as { code?: string }).code === '42P06') return undefined; // another process makes them
        throw error;
      }
      // The name was free because the maker renamed it to READY after this process looked for READY
      // (found under load: two processes made them, and the second's rename failed): let it go.
      if ((await client.query(`select 1 from pg_namespace where nspname = $1`, [READY])).rowCount === 1) {
        await client.query(`drop schema ${quote(BUILDING)}`);
        return undefined;
      }
      return 'claimed';
    });
    if (found === 'claimed') return makeDefinitions();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${READY} did not appear in 600 s (${BUILDING} is held)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the process holding {@link BUILDING} does; if it fails, it lets the claim go for another to try. */
async function makeDefinitions(): Promise<string> {
  builtHere = true;
  try {
    const base = process.env.TEST_DATABASE_URL!;
    await withClient((client) => client.query(`drop schema if exists ${quote(SOURCE)} cascade; create schema ${quote(SOURCE)}`));
    const db = kyselyOverPostgres(`${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${SOURCE}`)}`, { maxConnections: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    return await withClient(async (client) => {
      const ddl = await definitionsOf(client, SOURCE);
      // A copy is compared with its source, definition by definition and row by row: a migration
      // that adds something the copy does not make (a view, a sequence) fails here, saying so.
      const check = `t_${RUN}_cli_check`;
      await client.query(copyBatch(check, ddl));
      const [want, got] = [await catalogOf(client, SOURCE), await catalogOf(client, check)];
      await client.query(`drop schema ${quote(check)} cascade`);
      if (want !== got) throw new Error(`test/support/cli-place.ts: a copy of the migrated schema differs from it:\n${want}\n---\n${got}`);
      await client.query(`create table ${quote(BUILDING)}.copy (ddl text not null); insert into ${quote(BUILDING)}.copy values (${quoteLiteral(ddl)})`);
      await client.query(`alter schema ${quote(BUILDING)} rename to ${quote(READY)}`);
      return ddl;
    });
  } catch (error) {
    await withClient((client) => client.query(`drop schema if exists ${quote(BUILDING)} cascade`)).catch(() => undefined);
    throw error;
  }
}

const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The statements that make the tables of `schema` (run with the search path set to the new schema):
 * each table with its columns, then the primary keys, unique and check constraints, the other
 * indexes, the foreign keys, and the rows (the migration bookkeeping, the chart of accounts).
 * Names come out unqualified because the definitions are read with `schema` as the search path
 * (but an index's table, which pg_get_indexdef always qualifies).
 */
async function definitionsOf(client: pg.Client, schema: string): Promise<string> {
  await client.query(`set search_path to ${quote(schema)}`);
  const tables = (await client.query<{ name: string; columns: string; options: string | null }>(
    `select c.relname as name,
            (select string_agg(format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                      case when d.adbin is null then '' else ' default ' || pg_get_expr(d.adbin, d.adrelid) end,
                      case when a.attnotnull then ' not null' else '' end), ', ' order by a.attnum)
               from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
            array_to_string(c.reloptions, ', ') as options
       from pg_class c where c.relnamespace = $1::regnamespace and c.relkind = 'r' order by c.relname`,
    [schema],
  )).rows;
  const constraints = (await client.query<{ statement: string }>(
    `select format('alter table %I add constraint %I %s', c.relname, co.conname, pg_get_constraintdef(co.oid)) as statement
       from pg_constraint co join pg_class c on c.oid = co.conrelid
      where co.connamespace = $1::regnamespace
      order by case co.contype when 'p' then 0 when 'u' then 1 when 'c' then 2 else 3 end, c.relname, co.conname`,
    [schema],
  )).rows;
  const indexes = (await client.query<{ statement: string }>(
    `select replace(pg_get_indexdef(i.indexrelid), ' ON ' || quote_ident($1) || '.', ' ON ') as statement
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relnamespace = $1::regnamespace
        and not exists (select 1 from pg_constraint co where co.conindid = i.indexrelid and co.conrelid = i.indrelid)
      order by c.relname`,
    [schema],
  )).rows;
  const withRows: string[] = [];
  for (const table of tables) {
    const { rowCount } = await client.query(`select 1 from ${quote(table.name)} limit 1`);
    if (rowCount === 1) withRows.push(`insert into ${quote(table.name)} select * from ${quote(schema)}.${quote(table.name)}`);
  }
  const foreignFirst = (a: { statement: string }) => / FOREIGN KEY /.test(a.statement);
  return [
    ...tables.map((t) => `create table ${quote(t.name)} (${t.columns})${t.options ? ` with (${t.options})` : ''}`),
    ...constraints.filter((c) => !foreignFirst(c)).map((c) => c.statement),
    ...indexes.map((i) => i.statement),
    ...withRows,
    ...constraints.filter(foreignFirst).map((c) => c.statement),
  ].join(';\n');
}

/** Everything a copy must reproduce of `schema`, as text without the schema's name: to compare a copy with its source. */
async function catalogOf(client: pg.Client, schema: string): Promise<string> {
  await client.query(`set search_path to ${quote(schema)}`);
  const { rows } = await client.query<{ line: string }>(
    `select c.relkind::text || ' ' || c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), '') || ' ' || c.relpersistence::text as line
       from pg_class c where c.relnamespace = $1::regnamespace
     union all
     select 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' '
            || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text || a.attgenerated::text || ' ' || a.attcollation::text
       from pg_attribute a join pg_class c on c.oid = a.attrelid left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where c.relnamespace = $1::regnamespace and a.attnum > 0 and not a.attisdropped
     union all
     select 'constraint ' || c.relname || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid) || ' ' || co.condeferrable::text || co.convalidated::text
       from pg_constraint co join pg_class c on c.oid = co.conrelid where co.connamespace = $1::regnamespace
     union all
     select 'index ' || pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid where c.relnamespace = $1::regnamespace
     union all
     select 'type ' || t.typname || ' ' || t.typtype::text from pg_type t where t.typnamespace = $1::regnamespace
     union all
     select 'function ' || p.proname from pg_proc p where p.pronamespace = $1::regnamespace
     union all
     select 'trigger ' || t.tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid where c.relnamespace = $1::regnamespace and not t.tgisinternal
     union all
     select 'rule ' || r.rulename from pg_rewrite r join pg_class c on c.oid = r.ev_class where c.relnamespace = $1::regnamespace
     order by 1`,
    [schema],
  );
  let text = rows.map((row) => row.line).join('\n');
  // pg_get_indexdef names the table with its schema when the search path does not reach it.
  text = text.replaceAll(`${quote(schema)}.`, '').replaceAll(`${schema}.`, '');
  for (const table of (await client.query<{ relname: string }>(`select relname from pg_class where relnamespace = $1::regnamespace and relkind = 'r' order by 1`, [schema])).rows) {
    const { rows: data } = await client.query<{ digest: string }>(`select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest from ${quote(table.relname)} t`);
    text += `\nrows ${table.relname} ${data[0]!.digest}`;
  }
  return text;
}
