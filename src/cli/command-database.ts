/**
 * The database a `sprout` command works on: the PostgreSQL server of DATABASE_URL when it is set,
 * else the PGlite data directory of `--data-dir` (default ./data), opened with `openDatabase` — or
 * with the io's own opener when it has one (src/cli/io.ts): a test that runs a sequence of commands
 * on one database opens it once for all of them (docs/decisions.md, s12r).
 *
 * @example
 * const database = await openCommandDatabase(flags.dataDir);
 * try { … } finally { await database.close(); }
 */
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { cliIo } from './io.js';

export function openCommandDatabase(dataDir: string | undefined): Promise<OpenDatabase> {
  const io = cliIo();
  return (io.openDatabase ?? openDatabase)({ url: io.env.DATABASE_URL, dataDir });
}
