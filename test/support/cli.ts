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

/** A command that runs until stopped (`sprout serve`), started in this process by {@link runningSprout}. */
export interface RunningSprout {
  /** What it wrote to stdout so far. */
  stdout(): string;
  /** Resolves once its stdout holds `text`; rejects if the command ends first. */
  printed(text: string): Promise<void>;
  /** Stops it as SIGTERM stops the binary's (through the io's abort signal) and waits for its end. */
  stop(): Promise<SproutResult>;
}

/**
 * `sprout <args…>` started in this process, for a command that runs until stopped: `serve`, whose
 * real process costs seconds of CPU to start (node, the program, PGlite's WebAssembly) where this
 * costs the app's build (docs/benchmarks.md, s12n). The binary's own `serve` keeps its process tests
 * (test/cli/cli.test.ts, serve-workers.test.ts, bench-servicing-cli.test.ts).
 *
 * @example
 * const server = runningSprout(['serve', '--port', '3001', '--data-dir', dir], env);
 * await server.printed('Docs');
 * await server.stop();
 */
export function runningSprout(args: readonly string[], env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' }): RunningSprout {
  let stdout = '';
  let stderr = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  const abort = new AbortController();
  const io = {
    stdout: {
      write: (text: string) => {
        stdout += text;
        for (const wait of waiting.filter((w) => stdout.includes(w.text))) {
          waiting.splice(waiting.indexOf(wait), 1);
          wait.resolve();
        }
      },
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
    exitCode: 0,
    signal: abort.signal,
  };
  const ended = runSprout(args, io).then((status) => ({ status, stdout, stderr }));
  return {
    stdout: () => stdout,
    printed: (text) =>
      stdout.includes(text)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiting.push({ text, resolve })),
            ended.then((result) => Promise.reject(new Error(`sprout ${args.join(' ')} ended (exit ${result.status}) before printing "${text}": ${result.stderr}`))),
          ]),
    stop: async () => {
      abort.abort();
      return ended;
    },
  };
}
