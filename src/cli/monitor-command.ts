/**
 * `sprout monitor run [--enterprise ID]`: the post-lending monitoring step of the current business
 * date (resumable; end of day runs it too), or one enterprise on demand, every source now.
 * `sprout warnings list [--level L] [--rule R] [--status S] --format json`: the warnings, each with
 * at least `enterprise`, `rule`, `level`, `status`.
 */
import { Command, Option } from 'commander';
import { connectorsForMode } from '../data/index.js';
import { parseServeMode } from './serve-command.js';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { runMonitoring } from '../monitoring/monitor-run.js';
import { WARNING_LEVELS, WARNING_RULE_IDS, WARNING_STATUSES } from '../monitoring/rule-set.js';
import { listWarnings } from '../monitoring/warnings.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

export function monitorCommand(): Command {
  const monitor = new Command('monitor').description('post-lending monitoring (贷后监测): data pulls on their cadence, early warnings and their actions');
  monitor
    .command('run')
    .description("monitor every borrower with exposure for the current business date (resumes an unfinished run), or one enterprise now")
    .option('--enterprise <ID>', 'monitor this enterprise only, pulling every source now')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: { enterprise?: string; dataDir?: string; format: string }) => {
        // The configured connectors (docs/operations.md); production refuses the simulator.
        const { provider } = await connectorsForMode(cliIo().env, parseServeMode(cliIo().env.SPROUT_MODE));
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const summary = await runMonitoring(database.db, { provider, now: new Date(), enterpriseId: flags.enterprise, actor: 'cli' });
          const { businessDate, rulesVersion, enterprises, pulls, warnings, actions, alreadyDone } = summary;
          cliIo().stdout.write(
            flags.format === 'json'
              ? `${JSON.stringify({ businessDate, rulesVersion, enterprises, pulls, warnings, actions, alreadyDone })}\n`
              : alreadyDone
                ? `monitoring of ${businessDate} had already finished; nothing done\n`
                : `monitoring ${businessDate} (rules v${rulesVersion}): ${enterprises} enterprises, ${pulls} pulls, ${warnings} warnings raised, ${actions} actions\n`,
          );
        } finally {
          await database.close();
        }
      }),
    );
  return monitor;
}

export function warningsCommand(): Command {
  const warnings = new Command('warnings').description('early warnings (预警)');
  warnings
    .command('list')
    .description('warnings, the most severe and newest first')
    .addOption(new Option('--level <L>', 'only this level').choices([...WARNING_LEVELS]))
    .addOption(new Option('--rule <R>', 'only this rule').choices([...WARNING_RULE_IDS]))
    .addOption(new Option('--status <S>', 'only this status').choices([...WARNING_STATUSES]))
    .option('--limit <N>', 'at most N warnings (1 to 10000)', '500')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: { level?: (typeof WARNING_LEVELS)[number]; rule?: (typeof WARNING_RULE_IDS)[number]; status?: (typeof WARNING_STATUSES)[number]; limit: string; dataDir?: string; format: string }) => {
        if (!/^[0-9]{1,5}$/.test(flags.limit) || Number(flags.limit) < 1 || Number(flags.limit) > 10_000) throw new ValidationError('limit', 'must be 1 to 10000');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const rows = await listWarnings(database.db, { level: flags.level, rule: flags.rule, status: flags.status, limit: Number(flags.limit) });
          if (flags.format === 'json') {
            const out = rows.map((w) => ({ id: w.id, enterprise: w.enterpriseId, enterpriseName: w.enterpriseName, rule: w.rule, level: w.level, status: w.status, value: w.value, raisedOn: w.raisedOn, rulesVersion: w.rulesVersion, inputs: w.inputs }));
            cliIo().stdout.write(`${JSON.stringify(out)}\n`);
          } else {
            for (const w of rows) cliIo().stdout.write(`${w.raisedOn}  ${w.level.padEnd(6)}  ${w.status.padEnd(12)}  ${w.rule.padEnd(24)}  ${w.value.padStart(8)}  ${w.enterpriseName}\n`);
            cliIo().stdout.write(`${rows.length} warning${rows.length === 1 ? '' : 's'}\n`);
          }
        } finally {
          await database.close();
        }
      }),
    );
  return warnings;
}
