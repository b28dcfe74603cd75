/**
 * `sprout collateral revalue --index FILE [--format text|json]`: revalue every registered piece of
 * collateral of the types the index file names (`type,change_percent[,source]`) by the market
 * index, through the same service as the API (src/collateral/index-revaluation.ts).
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { parseIndexCsv, revalueByIndex } from '../collateral/index-revaluation.js';
import { openCommandDatabase } from './command-database.js';
import { cliIo } from './io.js';
import { runCommand } from './run-command.js';

export function collateralCommand(): Command {
  const collateral = new Command('collateral').description('collateral (押品): bulk revaluation');
  collateral
    .command('revalue')
    .description('revalue registered collateral by a market index: CSV type,change_percent[,source]')
    .requiredOption('--index <FILE>', 'the index file, e.g. residential-real-estate,-8.50,国家统计局 70 城房价指数')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: { index: string; dataDir?: string; format: 'text' | 'json' }) => {
        const changes = parseIndexCsv(readFileSync(flags.index, 'utf8'));
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const revalued = await revalueByIndex(database.db, changes, `cli:${userInfo().username}`);
          const events = revalued.flatMap((piece) => piece.events);
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify({ revalued: revalued.map(({ events: _e, ...piece }) => piece), events: events.map((e) => ({ lineId: e.lineId, collateralId: e.collateralId, ltvBp: e.ltvBp, maxLtvBp: e.maxLtvBp })) })}\n`);
          } else {
            for (const piece of revalued) cliIo().stdout.write(`${piece.identifier}\t${piece.type}\t${piece.before} → ${piece.after}\n`);
            cliIo().stdout.write(`revalued ${revalued.length} piece${revalued.length === 1 ? '' : 's'}; ${events.length} line${events.length === 1 ? '' : 's'} above the maximum loan-to-value\n`);
          }
        } finally {
          await database.close();
        }
      }),
    );
  return collateral;
}
