/**
 * `sprout ecology index --year 2023 [--data FILE] [--add FILE…] [--indicators FILE]
 * [--method entropy|ahp|combined] [--alpha A] [--ahp FILE] [--pooled] [--format table|json|csv]`:
 * the regional financial ecology index over the shipped NBS panel (or `--data`), with a bank's
 * long files added (`--add`). `sprout ecology import FILE` stores a bank's long file in the
 * database, where the server's pages and decisions read it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { readAhpFile, readIndicatorFile, readPanelFile, shippedPanel } from '../ecology/ecology-files.js';
import { ecologyIndex, METHODS, type EcologyMethod } from '../ecology/ecology-index.js';
import { completeYears, ecologyReport, ecologyReportCsv, ecologyReportTable } from '../ecology/ecology-report.js';
import { DEFAULT_INDICATOR_SYSTEM } from '../ecology/indicator-system.js';
import { mergePanels } from '../ecology/panel.js';
import { importRegionalIndicators } from '../ecology/regional-indicators.js';
import { cliIo } from './io.js';
import { runCommand } from './run-command.js';

interface IndexFlags {
  year: string;
  data?: string;
  add: string[];
  indicators?: string;
  method: EcologyMethod;
  alpha: string;
  ahp?: string;
  pooled?: boolean;
  format: 'table' | 'json' | 'csv';
}

export function ecologyCommand(): Command {
  const ecology = new Command('ecology').description('the regional financial ecology index (金融生态环境指数)');
  ecology
    .command('index')
    .description('score and rank the provinces for a year (shipped NBS data and default indicators unless given)')
    .requiredOption('--year <YEAR>', 'the year to score, e.g. 2023')
    .option('--data <FILE>', 'a wide CSV instead of the shipped one: province or region column, year column, one column per indicator, empty cells missing')
    .option('--add <FILE>', "a bank's long CSV (region_code,year,indicator,value,source) added to the data; repeatable", (file: string, files: string[]) => [...files, file], [] as string[])
    .option('--indicators <FILE>', 'the indicator system: CSV indicator,dimension,direction[,unit,source]')
    .addOption(new Option('--method <METHOD>', 'how the indicators are weighted').choices([...METHODS]).default('entropy'))
    .option('--alpha <A>', 'weight of the AHP weights in the combined method', '0.5')
    .option('--ahp <FILE>', 'expert pairwise comparisons (a Saaty matrix over the five dimensions, optionally within one)')
    .option('--pooled', 'normalise over every complete year of the data, so scores compare across years')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(
      runCommand(async (flags: IndexFlags) => {
        const year = Number(flags.year);
        if (!Number.isInteger(year)) throw new ValidationError('year', `'${flags.year}' is not a year`);
        const alpha = Number(flags.alpha);
        const panel = mergePanels(flags.data === undefined ? shippedPanel() : readPanelFile(flags.data), ...flags.add.map(readPanelFile));
        const system = flags.indicators === undefined ? DEFAULT_INDICATOR_SYSTEM : readIndicatorFile(flags.indicators);
        const ahp = flags.ahp === undefined ? undefined : readAhpFile(flags.ahp, system);
        const years = flags.pooled ? completeYears(panel, system) : [year];
        if (!years.includes(year)) throw new ValidationError('year', `${year} is not a complete year of the data (complete: ${years.join(', ') || 'none'})`);
        const index = ecologyIndex(panel, system, { method: flags.method, alpha, years, ...(ahp === undefined ? {} : { ahp }) });
        // What the missing-value rule did, on stderr so the JSON and CSV stay exactly their shape.
        for (const left of index.excluded) cliIo().stderr.write(`sprout: ${left.indicator} left out: ${left.reason}\n`);
        const imputed = index.imputed.filter((cell) => cell.year === year);
        if (imputed.length > 0) cliIo().stderr.write(`sprout: ${imputed.length} missing value${imputed.length === 1 ? '' : 's'} took the year's median: ${imputed.map((cell) => `${cell.code} ${cell.indicator}`).join(', ')}\n`);
        if (index.consistencyRatio !== undefined) cliIo().stderr.write(`sprout: AHP consistency ratio ${index.consistencyRatio.toFixed(4)}\n`);
        const report = ecologyReport(index, year);
        cliIo().stdout.write(flags.format === 'json' ? `${JSON.stringify(report)}\n` : flags.format === 'csv' ? ecologyReportCsv(report) : ecologyReportTable(report));
      }),
    );
  ecology
    .command('import')
    .description("store a bank's long CSV (region_code,year,indicator,value,source) for the server's index and decisions")
    .argument('<file>', 'the CSV file')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (file: string, flags: { dataDir?: string; format: string }) => {
        const text = readFileSync(file, 'utf8');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const result = await importRegionalIndicators(database.db, text, basename(file), `cli:${userInfo().username}`, new Date());
          cliIo().stdout.write(flags.format === 'json' ? `${JSON.stringify(result)}\n` : `imported ${result.values} values of ${result.indicators.join(', ')} for ${result.years.join(', ')}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  return ecology;
}
