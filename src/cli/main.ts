/**
 * The `sprout` command line: one binary for operators and analysts. Each command lives in its
 * own `*-command.ts` and calls the same domain code the API calls.
 */
import { Command } from 'commander';
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

await program.parseAsync(process.argv);
