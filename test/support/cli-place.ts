/**
 * A database `sprout` commands in a test can open: a PGlite data directory, or a schema of its
 * own on the test PostgreSQL server (selected through the URL's `options`), so a CLI test runs on
 * both backends like the rest (test/support/backends.ts `BACKENDS`).
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { kyselyOverPostgres } from '../../src/db/postgres-backend.js';
import { freshDataDir } from './data-dir.js';

export interface Place {
  /** The environment for `sprout` (DATABASE_URL set or emptied). */
  readonly env: NodeJS.ProcessEnv;
  /** Extra arguments for `sprout` (`--data-dir DIR` on PGlite). */
  readonly args: readonly string[];
  open(): ReturnType<typeof openDatabase>;
  drop(): Promise<void>;
}

let counter = 0;

/**
 * A new, empty place on `backend`.
 *
 * @example
 * const place = await newPlace('postgres', 'sprout-report-');
 * await sprout(['report', 'inclusive', ...place.args], place.env);
 */
export async function newPlace(backend: string, prefix = 'sprout-cli-'): Promise<Place> {
  counter++;
  if (backend === 'postgres') {
    const base = process.env.TEST_DATABASE_URL!;
    const schema = `cli_${process.pid}_${Date.now().toString(36)}_${counter}`;
    const admin = kyselyOverPostgres(base, { maxConnections: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin);
    const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      env: { ...process.env, DATABASE_URL: url },
      args: [],
      open: () => openDatabase({ url }),
      drop: async () => {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin);
        await admin.destroy();
      },
    };
  }
  const dir = freshDataDir(prefix);
  return {
    env: { ...process.env, DATABASE_URL: '' },
    args: ['--data-dir', dir],
    open: () => openDatabase({ dataDir: dir }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
