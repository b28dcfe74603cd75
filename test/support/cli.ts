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
import { resolve } from 'node:path';
import { runSprout } from '../../src/cli/program.js';
import { openDatabase, type DatabaseOptions, type OpenDatabase } from '../../src/db/database.js';

/** What a finished command left: the shape of `spawnSync`'s result that the tests read. */
export interface SproutResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `sprout <args…>` with `env` as its whole environment (default: this process's, without
 * DATABASE_URL, so commands use PGlite). With `held`, a command that opens its database gets the
 * held one ({@link holdDatabase}) instead of opening it again.
 */
export async function sprout(args: readonly string[], env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' }, held?: HeldDatabase): Promise<SproutResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
    exitCode: 0,
    ...(held === undefined ? {} : { openDatabase: held.openFor }),
  };
  const status = await runSprout(args, io);
  return { status, stdout, stderr };
}

/** A database opened once for a sequence of commands (see {@link holdDatabase}). */
export interface HeldDatabase {
  /** The open database, for the test's own reads and writes between commands. */
  readonly database: OpenDatabase;
  /** What a command's `openCommandDatabase` calls (src/cli/command-database.ts). */
  readonly openFor: (options: DatabaseOptions) => Promise<OpenDatabase>;
  /** Closes it: before a command or process that must open the directory itself (`backup`, a spawned `sprout`). */
  close(): Promise<void>;
}

/**
 * Opens the database at `where` with `openDatabase`, as a command would, for every command of a
 * test given it: on PGlite each command's open costs ≈ 0.2–0.4 s of CPU (starting PostgreSQL in
 * WebAssembly on the directory) where its work is tens of milliseconds (docs/benchmarks.md, s12r).
 * A command still names its database (`--data-dir`, DATABASE_URL): one that names another fails.
 * Its `close` leaves the database open for the next; the test closes it.
 *
 * @example
 * const held = await holdDatabase({ dataDir });
 * await sprout(['ledger', 'reconcile', '--data-dir', dataDir], env, held);
 * await held.close();
 */
export async function holdDatabase(where: DatabaseOptions): Promise<HeldDatabase> {
  const database = await openDatabase(where);
  const named = (options: DatabaseOptions) => (options.url ? `DATABASE_URL ${options.url}` : `--data-dir ${resolve(options.dataDir ?? './data')}`);
  let open = true;
  return {
    database,
    openFor: async (options) => {
      if (named(options) !== named(where)) throw new Error(`the command opened ${named(options)}; the test holds ${named(where)}`);
      if (!open) throw new Error(`the command opened ${named(options)} after the test closed it`);
      return { ...database, close: async () => undefined };
    },
    close: async () => {
      open = false;
      await database.close();
    },
  };
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
