/**
 * PGlite data directories for tests that open the database the way `sprout` does (a CLI command, a
 * server): a new directory already holding a migrated cluster, unpacked from the dump that
 * `scripts/run-tests.js` makes once per run (`SPROUT_TEST_PGLITE_DATA_DIR`). Initialising an empty
 * cluster costs seconds of CPU each time; unpacking the dump costs a tenth of one. Run alone
 * (`node --import tsx --test file`), there is no dump and the directory starts empty, as a new
 * user's `./data` does — which test/db/database.test.ts also covers on purpose.
 *
 * @example
 * const dataDir = freshDataDir('sprout-demo-');
 * const result = await sprout(['demo', '--data-dir', dataDir]);
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new directory under the system's temporary directory, named `<prefix>…`, holding a migrated cluster when the run has one. */
export function freshDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  unpackMigratedCluster(dir);
  return dir;
}

/** Fills `dir` (created if missing, and expected empty) with the run's migrated cluster, if it has one. */
export function unpackMigratedCluster(dir: string): void {
  const dump = process.env.SPROUT_TEST_PGLITE_DATA_DIR;
  if (!dump) return;
  mkdirSync(dir, { recursive: true });
  // The dump's members are absolute paths inside the cluster (`/base/…`); GNU tar strips the '/'.
  execFileSync('tar', ['-xf', dump, '-C', dir, '--warning=no-unknown-keyword'], { stdio: ['ignore', 'ignore', 'ignore'] });
}
