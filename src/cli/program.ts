/**
 * The `sprout` program: every command, built fresh for each run, and a way to run it with given
 * arguments and io that never exits the process (the binary's main.ts and the CLI tests both use it).
 */
import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import { setUpAudit } from '../audit/audit-files.js';
import { currentAuditKey, useAuditKey } from '../audit/audit-trail.js';
import { VERSION } from '../version.js';
import { auditCommand } from './audit-command.js';
import { backupCommand, restoreCommand } from './backup-command.js';
import { benchCommand } from './bench-command.js';
import { demoCommand } from './demo-command.js';
import { ecologyCommand } from './ecology-command.js';
import { eodCommand } from './eod-command.js';
import { calendarCommand } from './calendar-command.js';
import { withCliIo, type CliIo } from './io.js';
import { ledgerCommand } from './ledger-command.js';
import { scheduleCommand } from './schedule-command.js';
import { scorecardCommand } from './scorecard-command.js';
import { prospectsCommand } from './prospects-command.js';
import { receivablesCommand } from './receivables-command.js';
import { reportCommand } from './report-command.js';
import { serveCommand } from './serve-command.js';
import { userCommand } from './user-command.js';
import { collateralCommand } from './collateral-command.js';
import { collectionsCommand } from './collections-command.js';
import { monitorCommand, warningsCommand } from './monitor-command.js';
import { lprCommand } from './lpr-command.js';
import { noticesCommand } from './notices-command.js';

/** Commands that write to the database, so hash their audit records with the key kept outside it. */
const AUDITED = new Set(['serve', 'user', 'eod', 'calendar', 'ledger', 'prospects', 'demo', 'collateral', 'report', 'receivables']);

/** A new `sprout` program with every command. */
export function buildProgram(io: Pick<CliIo, 'stderr' | 'env'>): Command {
  const program = new Command('sprout')
    .description('Sprout: lending for small and micro enterprises')
    .version(VERSION)
    .showHelpAfterError()
    .addCommand(serveCommand())
    .addCommand(scheduleCommand())
    .addCommand(userCommand())
    .addCommand(eodCommand())
    .addCommand(calendarCommand())
    .addCommand(ledgerCommand())
    .addCommand(auditCommand())
    .addCommand(benchCommand())
    .addCommand(scorecardCommand())
    .addCommand(prospectsCommand())
    .addCommand(demoCommand())
    .addCommand(ecologyCommand())
    .addCommand(collateralCommand())
    .addCommand(reportCommand())
    .addCommand(collectionsCommand())
    .addCommand(monitorCommand())
    .addCommand(warningsCommand())
    .addCommand(lprCommand())
    .addCommand(noticesCommand())
    .addCommand(receivablesCommand())
    .addCommand(backupCommand())
    .addCommand(restoreCommand());
  // Before any command runs: the audit key for every record it appends (src/audit/audit-files.ts).
  // `audit` loads the key itself (without creating one); `bench` measures with a throwaway key.
  program.hook('preAction', (_program, action) => {
    let top = action;
    while (top.parent !== null && top.parent !== program) top = top.parent;
    try {
      if (top.name() === 'bench') useAuditKey(randomBytes(32));
      else if (AUDITED.has(top.name())) setUpAudit(action.opts<{ dataDir?: string }>().dataDir, io.env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`sprout: ${message}\n`);
      throw new CommanderError(2, 'sprout.audit-key', message);
    }
  });
  return program;
}

/**
 * Runs `sprout <argv…>` with `io` and returns the exit code: commander's own output (help,
 * version, usage errors) goes to `io` too, and nothing calls `process.exit`.
 *
 * @example
 * const code = await runSprout(['schedule', '--principal', '5000', …], io); // 0
 */
export async function runSprout(argv: readonly string[], io: CliIo): Promise<number> {
  // The audit key a command sets is the process's while it runs; a program run inside a longer
  // process (the tests run many) gives the key back as it found it.
  const auditKey = currentAuditKey();
  return withCliIo(io, async () => {
    // Built inside, so that option defaults read from the environment read io.env.
    const program = buildProgram(io);
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
    } finally {
      // `serve` returns once it listens and then appends for its whole life: it keeps its key
      // (given back, it appended unkeyed after its start: found by test/cli/serve-workers.test.ts).
      if (argv[0] !== 'serve') useAuditKey(auditKey);
    }
    return io.exitCode;
  });
}
