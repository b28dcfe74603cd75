/**
 * `sprout audit verify`: recompute the audit trail's hash chains (keyed ones with the audit key)
 * and compare the trail with the latest checkpoint kept outside the database; exit 1 if any
 * record was edited, deleted or inserted out of turn, a stream dropped, or checkpoints removed.
 * `sprout audit checkpoint`: write a checkpoint of every stream head now (e.g. from cron).
 */
import { Command, Option } from 'commander';
import { existingAudit, setUpAudit } from '../audit/audit-files.js';
import { verifyAuditTrailWithCheckpoints, writeAuditCheckpoint } from '../audit/audit-checkpoint.js';
import { openCommandDatabase } from './command-database.js';
import { EXIT, runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface VerifyFlags {
  dataDir?: string;
  format: string;
}

export function auditCommand(): Command {
  const audit = new Command('audit').description('the append-only audit trail');
  audit
    .command('verify')
    .description('check every hash chain of the audit trail and the latest checkpoint; exits 1 on any edited or deleted record')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: VerifyFlags) => {
        const { key, anchor, dir } = existingAudit(flags.dataDir, cliIo().env);
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const result = await verifyAuditTrailWithCheckpoints(database.db, { key, anchor });
          const intact = result.findings.length === 0;
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify({ events: result.events, intact, findings: result.findings, keyedEvents: result.keyedEvents, checkpoint: result.checkpoint ?? null })}\n`);
          } else {
            cliIo().stdout.write(`${result.events} audit records (${result.keyedEvents} keyed), ${intact ? 'chains intact' : `${result.findings.length} problems`}\n`);
            cliIo().stdout.write(result.checkpoint === undefined ? `no checkpoint${key === undefined ? ` (no audit key in ${dir})` : ''}\n` : `checked against checkpoint ${result.checkpoint.seq} of ${result.checkpoint.at} (${result.checkpoint.streams} streams)\n`);
            for (const finding of result.findings) cliIo().stdout.write(`  ${finding.stream < 0 ? 'anchor' : `stream ${finding.stream} position ${finding.position}`}: ${finding.problem}\n`);
          }
          if (!intact) cliIo().exitCode = EXIT.failed;
        } finally {
          await database.close();
        }
      }),
    );
  audit
    .command('checkpoint')
    .description('copy every stream head of the audit trail to the checkpoint file outside the database')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: VerifyFlags) => {
        const { anchor } = setUpAudit(flags.dataDir, cliIo().env);
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const checkpoint = await writeAuditCheckpoint(database.db, anchor, 'cli');
          const streams = Object.keys(checkpoint.heads).length;
          cliIo().stdout.write(flags.format === 'json' ? `${JSON.stringify({ seq: checkpoint.seq, at: checkpoint.at, streams, anchor: anchor.location })}\n` : `checkpoint ${checkpoint.seq}: ${streams} streams to ${anchor.location}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  return audit;
}
