/**
 * Opening Sprout's database: PGlite in a directory by default, PostgreSQL when a
 * `postgres://` URL is given. Migrations run on open.
 */
import type { Kysely } from 'kysely';
import { ValidationError } from '../errors.js';
import { lockDataDir } from './data-dir-lock.js';
import { migrateToLatest } from './migrate.js';
import { seedReferenceData } from '../system/reference-data.js';
import { parseBusinessDate } from '../calendar/business-date.js';
import { kyselyOverPglite, openPglite } from './pglite-backend.js';
import { kyselyOverPostgres } from './postgres-backend.js';
import type { Database } from './schema.js';

/** Which engine is underneath; shown by `/health` and in logs. */
export type Backend = 'pglite' | 'postgres';

/** An open database: the query builder, what it runs on, and how to close it. */
export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly backend: Backend;
  /** Where the data is: the PGlite directory or the server URL without its password. */
  readonly location: string;
  /**
   * PGlite only: the data directory as a gzipped tarball, taken holding PGlite's transaction lock so
   * no transaction is half done (every committed one is in the dump). `sprout backup` and
   * `POST /v1/backups` use it (src/system/backup.ts); undefined on PostgreSQL.
   */
  readonly dumpDataDir?: () => Promise<Blob>;
  /**
   * Where reports and dashboards read (`DATABASE_READ_URL`, typically a hot standby); absent, they
   * read from `db`.
   */
  readonly readDb?: Kysely<Database>;
  close(): Promise<void>;
}

/** Where to find the database. `url` wins over `dataDir`. */
export interface DatabaseOptions {
  readonly url?: string | undefined;
  readonly dataDir?: string | undefined;
  /** A server for reports and dashboards (a standby); only with `url`. */
  readonly readUrl?: string | undefined;
}

/**
 * Opens the database, brings its schema to the latest migration and seeds missing reference data
 * (chart of accounts, LPR table, default products; today's UTC date as the first business date).
 *
 * @example
 * const { db, close } = await openDatabase({ dataDir: './data' });
 * @example
 * const { db } = await openDatabase({ url: process.env.DATABASE_URL });
 */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  if (options.readUrl && !options.url) throw new ValidationError('DATABASE_READ_URL', 'needs DATABASE_URL: the embedded database has no standby to read from');
  const opened = options.url ? openServer(options.url, options.readUrl || undefined) : await openEmbedded(options.dataDir ?? './data');
  try {
    await migrateToLatest(opened.db);
    await seedReferenceData(opened.db, parseBusinessDate(new Date().toISOString().slice(0, 10), 'today'));
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

function openServer(url: string, readUrl: string | undefined): OpenDatabase {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ValidationError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  if (readUrl !== undefined && !/^postgres(ql)?:\/\//.test(readUrl)) {
    throw new ValidationError('DATABASE_READ_URL', 'must start with postgres:// or postgresql://');
  }
  const db = kyselyOverPostgres(url);
  if (readUrl === undefined) return { db, backend: 'postgres', location: redactPassword(url), close: () => db.destroy() };
  const readDb = kyselyOverPostgres(readUrl);
  return {
    db,
    readDb,
    backend: 'postgres',
    location: `${redactPassword(url)}, reads from ${redactPassword(readUrl)}`,
    close: async () => {
      await readDb.destroy();
      await db.destroy();
    },
  };
}

async function openEmbedded(dataDir: string): Promise<OpenDatabase> {
  const release = lockDataDir(dataDir);
  try {
    const pglite = await openPglite(dataDir);
    const db = kyselyOverPglite(pglite);
    return {
      db,
      backend: 'pglite',
      location: dataDir,
      // An empty transaction holds the lock every query and transaction of this process waits for.
      dumpDataDir: () => pglite.transaction(() => pglite.dumpDataDir('gzip')),
      close: async () => {
        await db.destroy();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for logs. */
export function redactPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
