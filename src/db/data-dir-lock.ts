/**
 * One process at a time in a PGlite data directory. PGlite is PostgreSQL running inside this
 * process; a second process opening the same files would corrupt them, so the first one leaves a
 * lock file with its pid and the others refuse, naming it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../errors.js';

const LOCK_FILE = 'sprout.lock';

/**
 * Takes the directory's lock; returns the function that releases it. A lock left by a process
 * that no longer runs is taken over.
 *
 * @example
 * const release = lockDataDir('./data'); … release();
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  // Bounded: one retry after clearing a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new ConflictError(`the data directory ${dataDir} is in use by process ${holder} (a running sprout server?); stop it first, or use a PostgreSQL server (DATABASE_URL) to share the database`, 'dataDir');
      }
      rmSync(path, { force: true });
    }
  }
  throw new ConflictError(`could not lock the data directory ${dataDir}`, 'dataDir');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
