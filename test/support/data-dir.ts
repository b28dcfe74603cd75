/**
 * PGlite data directories for tests that open the database the way `sprout` does (a CLI command, a
 * server): a new directory already holding a migrated cluster, unpacked from the dump that
 * `scripts/run-tests.js` makes once per run (`SPROUT_TEST_PGLITE_DATA_DIR`). Initialising an empty
 * cluster costs seconds of CPU each time; unpacking the dump costs a tenth of one. Run alone
 * (`node --import tsx --test file`), there is no dump and the directory starts empty, as a new
 * user's `./data` does — which test/db/database.test.ts also covers on purpose.
 *
 * The directories are made in memory (/dev/shm) when the machine has room there: unpacking the
 * ~40 MB cluster onto the disk cost 0.6–1.0 s of the kernel's CPU under load (0.05–0.1 s in
 * memory), and PGlite reads and writes every file of it again (docs/benchmarks.md, s12l). PGlite
 * runs without fsync either way, so what a test proves is the same.
 *
 * @example
 * const dataDir = freshDataDir('sprout-demo-');
 * const result = await sprout(['demo', '--data-dir', dataDir]);
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new directory under the system's temporary directory, named `<prefix>…`, holding a migrated cluster when the run has one. */
export function freshDataDir(prefix: string): string {
  const dir = scratchDir(prefix);
  unpackMigratedCluster(dir);
  return dir;
}

/**
 * Removes a data directory and the audit directory `sprout` keeps beside it (`<dir>-audit`,
 * src/audit/audit-files.ts), which would otherwise stay behind in memory.
 */
export function removeDataDir(dir: string): void {
  for (const made of [dir, `${dir}-audit`]) rmSync(made, { recursive: true, force: true });
}

/**
 * A new empty directory named `<prefix>…` for a test's data directories, backups and audit files:
 * in memory when {@link SCRATCH_ROOT} has room, else in the system's temporary directory.
 *
 * @example
 * const root = scratchDir('sprout-backup-test-');
 * unpackMigratedCluster(join(root, 'data'));
 */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(scratchRoot(), prefix));
}

/** Memory-backed and shared by every process on Linux; absent elsewhere (macOS) and tiny in a default Docker container (64 MB). */
const SCRATCH_ROOT = '/dev/shm';
/** Room for a few places per test process at once, on a machine that runs several: each is ~40 MB. */
const SCRATCH_MIN_FREE = 2 * 1024 ** 3;

let root: string | undefined;

function scratchRoot(): string {
  root ??= (() => {
    try {
      accessSync(SCRATCH_ROOT, constants.W_OK);
      const { bavail, bsize } = statfsSync(SCRATCH_ROOT);
      return bavail * bsize >= SCRATCH_MIN_FREE ? SCRATCH_ROOT : tmpdir();
    } catch {
      return tmpdir();
    }
  })();
  return root;
}

/** Fills `dir` (created if missing, and expected empty) with the run's migrated cluster, if it has one. */
export function unpackMigratedCluster(dir: string): void {
  const dump = process.env.SPROUT_TEST_PGLITE_DATA_DIR;
  if (!dump) return;
  mkdirSync(dir, { recursive: true });
  // The dump's members are absolute paths inside the cluster (`/base/…`); GNU tar strips the '/'.
  execFileSync('tar', ['-xf', dump, '-C', dir, '--warning=no-unknown-keyword'], { stdio: ['ignore', 'ignore', 'ignore'] });
}
