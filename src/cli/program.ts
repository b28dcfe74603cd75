/**
 * The `sprout` program: every command, built fresh for each run, and a way to run it with given
 * arguments and io that never exits the process (the binary's main.ts and the CLI tests both use it).
 */
import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import { setUpAudit } from '../audit/audit-files.js';
import { currentAuditKey, useAuditKey } from '../audit/audit-trail.js';
import { VERSION } from '../version.js';
import { withCliIo, type CliIo } from './io.js';

/** Commands that write to the database, so hash their audit records with the key kept outside it. */
const AUDITED = new Set(['serve', 'user', 'eod', 'calendar', 'ledger', 'prospects', 'demo', 'collateral', 'report', 'receivables']);

/**
 * Every command, in the order `sprout --help` lists them: its name(s), and how to load the module
 * that builds it. A run loads only the module of the command it runs: a process starting the
 * whole program imported ≈ 1.5 s of CPU of modules (every command's, the HTTP server's), which
 * `sprout --version`, `sprout schedule` or a `serve --workers` primary never use
 * (docs/benchmarks.md, s12f).
 */
const COMMANDS: readonly { readonly names: readonly string[]; readonly load: () => Promise<readonly Command[]> }[] = [
  { names: ['serve'], load: async () => [(await import('./serve-command.js')).serveCommand()] },
  { names: ['schedule'], load: async () => [(await import('./schedule-command.js')).scheduleCommand()] },
  { names: ['user'], load: async () => [(await import('./user-command.js')).userCommand()] },
  { names: ['eod'], load: async () => [(await import('./eod-command.js')).eodCommand()] },
  { names: ['calendar'], load: async () => [(await import('./calendar-command.js')).calendarCommand()] },
  { names: ['ledger'], load: async () => [(await import('./ledger-command.js')).ledgerCommand()] },
  { names: ['audit'], load: async () => [(await import('./audit-command.js')).auditCommand()] },
  { names: ['bench'], load: async () => [(await import('./bench-command.js')).benchCommand()] },
  { names: ['scorecard'], load: async () => [(await import('./scorecard-command.js')).scorecardCommand()] },
  { names: ['prospects'], load: async () => [(await import('./prospects-command.js')).prospectsCommand()] },
  { names: ['demo'], load: async () => [(await import('./demo-command.js')).demoCommand()] },
  { names: ['ecology'], load: async () => [(await import('./ecology-command.js')).ecologyCommand()] },
  { names: ['collateral'], load: async () => [(await import('./collateral-command.js')).collateralCommand()] },
  { names: ['report'], load: async () => [(await import('./report-command.js')).reportCommand()] },
  { names: ['collections'], load: async () => [(await import('./collections-command.js')).collectionsCommand()] },
  {
    names: ['monitor', 'warnings'],
    load: async () => {
      const { monitorCommand, warningsCommand } = await import('./monitor-command.js');
      return [monitorCommand(), warningsCommand()];
    },
  },
  { names: ['lpr'], load: async () => [(await import('./lpr-command.js')).lprCommand()] },
  { names: ['notices'], load: async () => [(await import('./notices-command.js')).noticesCommand()] },
  { names: ['receivables'], load: async () => [(await import('./receivables-command.js')).receivablesCommand()] },
  {
    names: ['backup', 'restore'],
    load: async () => {
      const { backupCommand, restoreCommand } = await import('./backup-command.js');
      return [backupCommand(), restoreCommand()];
    },
  },
];

/**
 * A new `sprout` program for `argv`: with the one command `argv` names (its module loaded now), or
 * with none for `--version`, or with every command (help, an unknown command and its suggestions).
 */
export async function buildProgram(io: Pick<CliIo, 'stderr' | 'env'>, argv: readonly string[]): Promise<Command> {
  const program = new Command('sprout').description('Sprout: lending for small and micro enterprises').version(VERSION).showHelpAfterError();
  const first = argv[0];
  const named = COMMANDS.find((entry) => first !== undefined && entry.names.includes(first));
  const wanted = named !== undefined ? [named] : first === '--version' || first === '-V' ? [] : COMMANDS;
  for (const entry of wanted) {
    const commands = await entry.load();
    // The names above must be the commands' own, or a command would only be reachable through help.
    const names = commands.map((command) => command.name());
    if (names.join() !== entry.names.join()) throw new Error(`src/cli/program.ts lists ${entry.names.join(', ')} for commands named ${names.join(', ')}`);
    for (const command of commands) program.addCommand(command);
  }
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
    const program = await buildProgram(io, argv);
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
