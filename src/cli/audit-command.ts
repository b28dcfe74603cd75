/**
 * `sprout audit verify`: recompute the audit trail's hash chains; exit 1 if any record was edited,
 * deleted or inserted out of turn.
 */
import { Command, Option } from 'commander';
import { verifyAuditTrail } from '../audit/audit-trail.js';
import { openDatabase } from '../db/database.js';
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
    .description('check every hash chain of the audit trail; exits 1 on any edited or deleted record')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: VerifyFlags) => {
        const database = await openDatabase({ url: cliIo().env.DATABASE_URL, dataDir: flags.dataDir });
        try {
          const result = await verifyAuditTrail(database.db);
          const intact = result.findings.length === 0;
          if (flags.format === 'json') cliIo().stdout.write(`${JSON.stringify({ events: result.events, intact, findings: result.findings })}\n`);
          else {
            cliIo().stdout.write(`${result.events} audit records, ${intact ? 'chains intact' : `${result.findings.length} problems`}\n`);
            for (const finding of result.findings) cliIo().stdout.write(`  stream ${finding.stream} position ${finding.position}: ${finding.problem}\n`);
          }
          if (!intact) cliIo().exitCode = EXIT.failed;
        } finally {
          await database.close();
        }
      }),
    );
  return audit;
}
