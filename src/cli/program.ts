/**
 * The `sprout` program: every command, built fresh for each run, and a way to run it with given
 * arguments and io that never exits the process (the binary's main.ts and the CLI tests both use it).
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { auditCommand } from './audit-command.js';
import { benchCommand } from './bench-command.js';
import { demoCommand } from './demo-command.js';
import { eodCommand } from './eod-command.js';
import { withCliIo, type CliIo } from './io.js';
import { ledgerCommand } from './ledger-command.js';
import { scheduleCommand } from './schedule-command.js';
import { scorecardCommand } from './scorecard-command.js';
import { prospectsCommand } from './prospects-command.js';
import { serveCommand } from './serve-command.js';
import { userCommand } from './user-command.js';

/** A new `sprout` program with every command. */
export function buildProgram(): Command {
  return new Command('sprout')
    .description('Sprout: lending for small and micro enterprises')
    .version(VERSION)
    .showHelpAfterError()
    .addCommand(serveCommand())
    .addCommand(scheduleCommand())
    .addCommand(userCommand())
    .addCommand(eodCommand())
    .addCommand(ledgerCommand())
    .addCommand(auditCommand())
    .addCommand(benchCommand())
    .addCommand(scorecardCommand())
    .addCommand(prospectsCommand())
    .addCommand(demoCommand());
}

/**
 * Runs `sprout <argv…>` with `io` and returns the exit code: commander's own output (help,
 * version, usage errors) goes to `io` too, and nothing calls `process.exit`.
 *
 * @example
 * const code = await runSprout(['schedule', '--principal', '5000', …], io); // 0
 */
export async function runSprout(argv: readonly string[], io: CliIo): Promise<number> {
  return withCliIo(io, async () => {
    // Built inside, so that option defaults read from the environment read io.env.
    const program = buildProgram();
    const configure = (command: Command): void => {
      command.exitOverride().configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
      for (const sub of command.commands) configure(sub);
    };
    configure(program);
    try {
      await program.parseAsync([...argv], { from: 'user' });
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      io.exitCode = error.exitCode;
    }
    return io.exitCode;
  });
}
