/**
 * Runs the `sprout` program in the test's own process (src/cli/program.ts), with captured output
 * and the given environment, as a spawned `sprout` would run: same arguments, same exit code, same
 * stdout and stderr. Loading the program once per test file instead of once per command (tsx and
 * a fresh PGlite each time) is most of the CLI tests' time. The binary itself keeps a few real
 * process tests (test/cli/cli.test.ts).
 *
 * @example
 * const result = await sprout(['schedule', '--principal', '5000', …, '--format', 'json']);
 * assert.equal(result.status, 0, result.stderr);
 */
import { runSprout } from '../../src/cli/program.js';

/** What a finished command left: the shape of `spawnSync`'s result that the tests read. */
export interface SproutResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `sprout <args…>` with `env` as its whole environment (default: this process's, without
 * DATABASE_URL, so commands use PGlite).
 */
export async function sprout(args: readonly string[], env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' }): Promise<SproutResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
    exitCode: 0,
  };
  const status = await runSprout(args, io);
  return { status, stdout, stderr };
}
