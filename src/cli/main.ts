/**
 * The `sprout` command line: one binary for operators and analysts. Each command lives in its
 * own `*-command.ts` and calls the same domain code the API calls.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { setUpAudit } from '../audit/audit-files.js';
import { useAuditKey } from '../audit/audit-trail.js';
import { VERSION } from '../version.js';
import { auditCommand } from './audit-command.js';
import { benchCommand } from './bench-command.js';
import { demoCommand } from './demo-command.js';
import { ecologyCommand } from './ecology-command.js';
import { eodCommand } from './eod-command.js';
import { ledgerCommand } from './ledger-command.js';
import { scheduleCommand } from './schedule-command.js';
import { scorecardCommand } from './scorecard-command.js';
import { prospectsCommand } from './prospects-command.js';
import { serveCommand } from './serve-command.js';
import { userCommand } from './user-command.js';

const program = new Command('sprout')
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
  .addCommand(demoCommand())
  .addCommand(ecologyCommand());

/** Commands that write to the database, so hash their audit records with the key kept outside it. */
const AUDITED = new Set(['serve', 'user', 'eod', 'ledger', 'prospects', 'demo']);

// Before any command runs: the audit key for every record it appends (src/audit/audit-files.ts).
// `audit` loads the key itself (without creating one); `bench` measures with a throwaway key.
program.hook('preAction', (_program, action) => {
  let top = action;
  while (top.parent !== null && top.parent !== program) top = top.parent;
  try {
    if (top.name() === 'bench') useAuditKey(randomBytes(32));
    else if (AUDITED.has(top.name())) setUpAudit(action.opts<{ dataDir?: string }>().dataDir);
  } catch (error) {
    process.stderr.write(`sprout: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
});

await program.parseAsync(process.argv);
