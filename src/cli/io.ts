/**
 * Where a `sprout` command writes and what environment it reads: the process's own streams and
 * variables in the binary, captured ones when a test runs the program in its own process
 * (`runSprout` in program.ts). Commands call `cliIo()` rather than touching `process.stdout`,
 * `process.stderr`, `process.env` or `process.exitCode`, so one program can run many times in one
 * process without exiting it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseOptions, OpenDatabase } from '../db/database.js';

/** A command's output streams, environment and exit code. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** 0 unless a command failed (see EXIT in run-command.ts). */
  exitCode: number;
  /**
   * Ends a command that runs until it is stopped (`serve`) when aborted, as SIGINT or SIGTERM end
   * the binary's: a program run inside a longer process (a test) stops it without exiting.
   */
  readonly signal?: AbortSignal;
  /**
   * Opens the database a command names instead of `openDatabase` (src/cli/command-database.ts): a
   * test running a sequence of commands on one database hands each the one it opened.
   */
  readonly openDatabase?: (options: DatabaseOptions) => Promise<OpenDatabase>;
}

/** The process's own streams and environment; the exit code is the process's. */
export const PROCESS_IO: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  get exitCode() {
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  },
  set exitCode(code: number) {
    process.exitCode = code;
  },
};

const current = new AsyncLocalStorage<CliIo>();

/**
 * The io of the command running now: the one `withCliIo` set, else the process's.
 *
 * @example
 * cliIo().stdout.write('done\n');
 */
export function cliIo(): CliIo {
  return current.getStore() ?? PROCESS_IO;
}

/** Runs `work` with `io` as every command's io (for everything `work` starts, however deep). */
export function withCliIo<T>(io: CliIo, work: () => Promise<T>): Promise<T> {
  return current.run(io, work);
}
