/**
 * How every CLI command ends: its result on stdout, or its error on stderr with a non-zero exit
 * (2 for bad input, 1 for anything else). With `--format json` the error is the API's error shape.
 */
import type { Command } from 'commander';
import { SproutError } from '../errors.js';
import { errorForLog } from '../http/log-redaction.js';
import { cliIo } from './io.js';

/** Exit codes: 0 done, 1 failed, 2 bad input (usage or validation). */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/**
 * Wraps a command's action so thrown errors become a message and an exit code, never a stack trace.
 *
 * @example
 * program.command('schedule').action(runCommand(async (options) => { … }));
 */
export function runCommand<A extends unknown[]>(action: (...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      const io = cliIo();
      // commander passes the command last; its --format decides the error's shape.
      const command = args.at(-1) as Command | undefined;
      const json = typeof command?.opts === 'function' && command.opts().format === 'json';
      if (error instanceof SproutError) {
        io.stderr.write(json ? `${JSON.stringify(error.toJSON())}\n` : `sprout: ${error.message}\n`);
        io.exitCode = error.code === 'VALIDATION' ? EXIT.badInput : EXIT.failed;
        return;
      }
      // Redacted like the server's log: a database error's message quotes the values at fault.
      const safe = errorForLog(error);
      io.stderr.write(`sprout: ${String(safe.type)}: ${String(safe.message)}\n${String(safe.stack ?? '')}\n`);
      io.exitCode = EXIT.failed;
    }
  };
}
