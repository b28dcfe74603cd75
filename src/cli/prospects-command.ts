/**
 * `sprout prospects import <file.csv> --source <s> --source-name <n>`: import a prospect list
 * (`credit_code,name` rows, a header line optional) and pre-screen it, as
 * `POST /v1/prospect-batches` does. Invalid rows are listed, not fatal.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { connectorsForMode } from '../data/index.js';
import { parseServeMode } from './serve-command.js';
import { parseCsvRows } from '../csv/index.js';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { formatMoney } from '../money/index.js';
import { DEFAULT_PRESCREEN_POLICY, PROSPECT_SOURCES } from '../prospects/prescreen.js';
import { importProspectBatch, MAX_BATCH } from '../prospects/prospect-batches.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface ImportFlags {
  source: string;
  sourceName: string;
  dataDir?: string;
  format: string;
}

export function prospectsCommand(): Command {
  const prospects = new Command('prospects').description('batch acquisition: prospect lists and their pre-screen');
  prospects
    .command('import')
    .description('import credit_code,name rows from a CSV file, pre-screen them on public records, and print the batch')
    .argument('<file>', 'CSV file of credit_code,name rows')
    .addOption(new Option('--source <SOURCE>', 'where the list comes from').choices([...PROSPECT_SOURCES]).makeOptionMandatory())
    .requiredOption('--source-name <NAME>', 'the core enterprise, business district or platform')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (file: string, flags: ImportFlags) => {
        const rows = readProspectCsv(file);
        // The configured connectors (docs/operations.md); production refuses the simulator.
        const { provider } = await connectorsForMode(cliIo().env, parseServeMode(cliIo().env.SPROUT_MODE));
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const { batch, prospects: results } = await importProspectBatch(
            database.db,
            { source: flags.source, sourceName: flags.sourceName, prospects: rows },
            { provider, policy: DEFAULT_PRESCREEN_POLICY },
            `cli:${userInfo().username}`,
          );
          const shown = results.map((prospect) => ({ ...prospect, indicativeLimit: prospect.indicativeLimit === null ? null : formatMoney(prospect.indicativeLimit) }));
          if (flags.format === 'json') {
            cliIo().stdout.write(`${JSON.stringify({ ...batch, createdAt: batch.createdAt.toISOString(), prospects: shown })}\n`);
            return;
          }
          const lines = [`batch ${batch.id} (${batch.source}: ${batch.sourceName}): ${batch.total} prospects, ${batch.preApproved} pre-approved, ${batch.declined} declined, ${batch.invalid} invalid`];
          for (const [index, prospect] of shown.entries()) {
            if (prospect.status !== 'pre-approved') lines.push(`  row ${index + 1} ${prospect.creditCode} ${prospect.name}: ${prospect.status} — ${prospect.reasons.join('; ')}${prospect.detail === null ? '' : `: ${prospect.detail}`}`);
          }
          cliIo().stdout.write(`${lines.join('\n')}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  return prospects;
}

/** `credit_code,name` rows; a first row naming the columns is skipped. */
function readProspectCsv(file: string): { creditCode: string; name: string }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError('file', `cannot read ${file}: ${(error as Error).message}`);
  }
  const rows = parseCsvRows(text, file);
  const first = rows[0];
  const body = first !== undefined && first[0]?.trim().toLowerCase() === 'credit_code' ? rows.slice(1) : rows;
  if (body.length === 0 || body.length > MAX_BATCH) throw new ValidationError('file', `must hold 1 to ${MAX_BATCH} credit_code,name rows`);
  // A row with a missing name is kept and reported as invalid by the import, like a bad code.
  return body.map((row) => ({ creditCode: row[0] ?? '', name: row[1] ?? '' }));
}
