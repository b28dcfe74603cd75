/**
 * `sprout lpr list|add|approve`: the LPR table from the command line. `add` proposes a fixing as
 * the user named by `--by` (a maker's role: operator, risk officer, admin); `approve` confirms it as
 * another user (`--by`), as `POST /v1/approvals/{id}` does — never the maker (maker-checker).
 */
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { inTransaction } from '../db/transaction.js';
import { listLprFixings, proposeLprFixing } from '../servicing/lpr-fixings.js';
import { cliIo } from './io.js';
import { runCommand } from './run-command.js';
import { approveCommand, cliActor } from './checked-commands.js';

export function lprCommand(): Command {
  const lpr = new Command('lpr').description('the LPR table (贷款市场报价利率): list, propose a fixing, approve it (maker-checker)');
  const dataDir = new Option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set');
  lpr
    .command('list')
    .description('the fixings, newest first')
    .addOption(dataDir)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: { dataDir?: string; format: string }) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const fixings = await listLprFixings(database.db);
          cliIo().stdout.write(flags.format === 'json' ? `${JSON.stringify({ fixings })}\n` : fixings.map((f) => `${f.effectiveFrom}  ${f.tenor}  ${f.rate}%\n`).join(''));
        } finally {
          await database.close();
        }
      }),
    );
  lpr
    .command('add')
    .description('propose a fixing; in force once another person approves it')
    .addOption(new Option('--tenor <TENOR>', '1y or 5y').choices(['1y', '5y']).makeOptionMandatory())
    .requiredOption('--from <YYYY-MM-DD>', 'in force from (the fixing is published on the 20th)')
    .requiredOption('--rate <PERCENT>', 'percent per year, e.g. 2.90')
    .requiredOption('--by <USERNAME>', 'the maker (operator, risk officer or admin)')
    .addOption(new Option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set'))
    .action(
      runCommand(async (flags: { tenor: string; from: string; rate: string; by: string; dataDir?: string }) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const maker = await cliActor(database.db, flags.by);
          const request = await inTransaction(database.db, (trx) => proposeLprFixing(trx, { tenor: flags.tenor, effectiveFrom: flags.from, rate: flags.rate }, maker));
          cliIo().stdout.write(`proposed the ${flags.tenor} LPR from ${flags.from}: request ${request.id} waits for a second person (sprout lpr approve ${request.id} --by <another user>)\n`);
        } finally {
          await database.close();
        }
      }),
    );
  lpr.addCommand(approveCommand('lpr.fixing', 'confirm a proposed fixing (a different person from the maker)'));
  return lpr;
}
