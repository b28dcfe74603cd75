/**
 * `sprout scorecard`: train, apply, report on and monitor credit scorecards. The forms of
 * `train`, `score`, `report` and `psi` are a contract other tools rely on (docs/scorecard.md);
 * do not rename their flags. Every subcommand reads files, calls `src/scoring` and writes files.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { ValidationError } from '../errors.js';
import {
  buildDataset,
  parseScorecardModel,
  populationStability,
  scorecardReportHtml,
  scoreDataset,
  scoringDataset,
  scoreDistribution,
  trainScorecard,
  type ScoreDistribution,
  type ScorecardModel,
  type TrainOptions,
} from '../scoring/index.js';
import { promoteModelFile, readRegistry, registerModelFile, retireModelFile } from '../scoring/model-store.js';
import { runCommand } from './run-command.js';
import { exportCsv, parseCsvTable } from '../csv/index.js';
import { cliIo } from './io.js';
import { openCommandDatabase } from './command-database.js';
import { inTransaction } from '../db/transaction.js';
import { proposeDeployment } from '../decision/deployed-models.js';
import { approveCommand, cliActor } from './checked-commands.js';

function readText(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ValidationError(field, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function readModel(path: string): ScorecardModel {
  let json: unknown;
  try {
    json = JSON.parse(readText(path, '--model'));
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError('--model', `${path} is not JSON`);
  }
  return parseScorecardModel(json);
}

function numberFlag(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new ValidationError(field, `must be a number, got "${text}"`);
  return value;
}

interface TrainFlags {
  data: string;
  target: string;
  bad: string;
  out: string;
  exclude?: string;
  method?: 'tree' | 'chimerge';
  l2?: string;
  options?: string;
  format: string;
}

function trainCommand(): Command {
  return new Command('train')
    .description('train a scorecard on a CSV and write the model file')
    .requiredOption('--data <FILE.csv>', 'training data, one row per applicant, with a header')
    .requiredOption('--target <COL>', 'the target column')
    .requiredOption('--bad <VALUE>', 'the target value meaning bad; every other value is good')
    .requiredOption('--out <MODEL.json>', 'where to write the model')
    .option('--exclude <A,B>', 'columns not to use (ids, dates, leakage)')
    .addOption(new Option('--method <method>', 'binning method (default tree)').choices(['tree', 'chimerge']))
    .option('--l2 <LAMBDA>', 'L2 penalty of the logistic regression (default 0)')
    .option('--options <FILE.json>', 'training options (TrainOptions: binning, per-variable breaks/groups, thresholds, scaling)')
    .addOption(new Option('--format <format>', 'summary format').choices(['text', 'json']).default('text'))
    .action(
      runCommand((flags: TrainFlags) => {
        const exclude = flags.exclude === undefined ? [] : flags.exclude.split(',').map((s) => s.trim()).filter((s) => s !== '');
        const table = parseCsvTable(readText(flags.data, '--data'), '--data');
        const data = buildDataset(table, { target: flags.target, bad: flags.bad, exclude });
        const fromFile = flags.options === undefined ? {} : (JSON.parse(readText(flags.options, '--options')) as TrainOptions);
        const l2 = numberFlag(flags.l2, '--l2');
        const options: TrainOptions = {
          ...fromFile,
          ...(l2 === undefined ? {} : { l2 }),
          binning: { ...fromFile.binning, ...(flags.method === undefined ? {} : { method: flags.method }) },
        };
        const model = trainScorecard(data, { column: flags.target, bad: flags.bad }, options);
        writeFileSync(flags.out, `${JSON.stringify(model, null, 2)}\n`);
        const summary = { out: flags.out, rows: model.data.rows, variables: model.variables.map((v) => v.name), auc: model.training.auc, ks: model.training.ks };
        cliIo().stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify(summary)}\n`
            : `trained on ${summary.rows} rows: ${summary.variables.length} variables (${summary.variables.join(', ')}); training AUC ${summary.auc.toFixed(4)}, KS ${summary.ks.toFixed(4)}\nwrote ${flags.out}\n`,
        );
      }),
    );
}

function scoreCommand(): Command {
  return new Command('score')
    .description('score every row of a CSV: writes row,score,probability (probability of bad)')
    .requiredOption('--model <MODEL.json>', 'a model written by `sprout scorecard train`')
    .requiredOption('--data <FILE.csv>', 'rows to score; columns the model does not use are ignored')
    .requiredOption('--out <SCORES.csv>', 'where to write the scores')
    .action(
      runCommand((flags: { model: string; data: string; out: string }) => {
        const model = readModel(flags.model);
        const data = scoringDataset(model, parseCsvTable(readText(flags.data, '--data'), '--data'));
        const { scores, probabilities } = scoreDataset(model, data);
        const rows: string[][] = [['row', 'score', 'probability']];
        // Rows are numbered from 1 in input order, as a spreadsheet would show them under the header.
        for (let r = 0; r < data.rows; r++) rows.push([String(r + 1), (scores[r] as number).toFixed(2), (probabilities[r] as number).toFixed(6)]);
        writeFileSync(flags.out, exportCsv(rows));
      }),
    );
}

function reportCommand(): Command {
  return new Command('report')
    .description('write a self-contained HTML report of a model on labelled data')
    .requiredOption('--model <MODEL.json>', 'a model written by `sprout scorecard train`')
    .requiredOption('--data <FILE.csv>', 'labelled data to report on')
    .requiredOption('--target <COL>', 'the target column')
    .requiredOption('--bad <VALUE>', 'the target value meaning bad')
    .requiredOption('--out <REPORT.html>', 'where to write the report')
    .option('--title <TEXT>', 'page title', 'Scorecard report')
    .action(
      runCommand((flags: { model: string; data: string; target: string; bad: string; out: string; title: string }) => {
        const model = readModel(flags.model);
        const data = scoringDataset(model, parseCsvTable(readText(flags.data, '--data'), '--data'), { column: flags.target, bad: flags.bad });
        writeFileSync(flags.out, scorecardReportHtml(model, data, flags.title));
      }),
    );
}

function psiCommand(): Command {
  return new Command('psi')
    .description('population stability between two data sets: the score and each variable')
    .requiredOption('--model <MODEL.json>', 'a model written by `sprout scorecard train`')
    .requiredOption('--expected <A.csv>', 'the reference population (e.g. the training data)')
    .requiredOption('--actual <B.csv>', 'the population to compare (e.g. last month\'s applicants)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand((flags: { model: string; expected: string; actual: string; format: string }) => {
        const model = readModel(flags.model);
        const expected = scoringDataset(model, parseCsvTable(readText(flags.expected, '--expected'), '--expected'));
        const actual = scoringDataset(model, parseCsvTable(readText(flags.actual, '--actual'), '--actual'));
        const result = populationStability(model, expected, actual);
        if (flags.format === 'json') {
          cliIo().stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        const reading = (value: number) => (value < 0.1 ? 'stable' : value < 0.25 ? 'watch' : 'shifted');
        const width = Math.max(5, ...result.variables.map((v) => v.name.length));
        const lines = [`total (score) PSI ${result.total.toFixed(4)}  ${reading(result.total)}  (${result.expectedRows} expected rows, ${result.actualRows} actual rows)`, ''];
        lines.push(`${'variable'.padEnd(width)}  PSI`);
        for (const v of result.variables) lines.push(`${v.name.padEnd(width)}  ${v.psi.toFixed(4)}  ${reading(v.psi)}`);
        cliIo().stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

function registryCommand(): Command {
  const now = () => new Date();
  const list = (dir: string) => {
    for (const m of readRegistry(dir).models) cliIo().stdout.write(`${m.id}\t${m.status}\t${m.trainingAuc.toFixed(4)}\t${m.registeredAt}\n`);
  };
  return new Command('registry')
    .description('the model registry in a directory (challenger, champion, retired)')
    .addCommand(
      new Command('register')
        .requiredOption('--dir <DIR>', 'registry directory')
        .requiredOption('--model <MODEL.json>', 'model file to register')
        .requiredOption('--id <ID>', 'model id, e.g. pd-2025-01')
        .action(runCommand((f: { dir: string; model: string; id: string }) => void registerModelFile(f.dir, f.model, f.id, now()))),
    )
    .addCommand(new Command('promote').requiredOption('--dir <DIR>').requiredOption('--id <ID>').action(runCommand((f: { dir: string; id: string }) => void promoteModelFile(f.dir, f.id, now()))))
    .addCommand(new Command('retire').requiredOption('--dir <DIR>').requiredOption('--id <ID>').action(runCommand((f: { dir: string; id: string }) => void retireModelFile(f.dir, f.id, now()))))
    .addCommand(new Command('list').requiredOption('--dir <DIR>').action(runCommand((f: { dir: string }) => list(f.dir))));
}

interface DeployFlags {
  id?: string;
  shadow?: boolean;
  expected?: string;
  dir?: string;
  by: string;
  dataDir?: string;
}

/** MODEL as a model file, a model of the file registry (`--dir` or SPROUT_MODEL_REGISTRY), or a model already deployed. */
function modelToDeploy(model: string, flags: DeployFlags): { id: string; file?: ScorecardModel } {
  if (existsSync(model)) return { id: flags.id ?? basename(model).replace(/(\.model)?\.json$/, ''), file: readModel(model) };
  const registry = flags.dir ?? cliIo().env.SPROUT_MODEL_REGISTRY;
  const entry = registry === undefined || registry === '' ? undefined : readRegistry(registry).models.find((m) => m.id === model);
  if (entry !== undefined) return { id: flags.id ?? entry.id, file: readModel(join(registry!, entry.file)) };
  return { id: flags.id ?? model };
}

function deployCommand(): Command {
  return new Command('deploy')
    .description('propose a model as the champion (or --shadow challenger); deployed when another person approves it (sprout scorecard approve)')
    .argument('<MODEL>', 'a model file, a model id in the registry (--dir), or the id of a model already deployed')
    .option('--id <ID>', 'the name it is deployed under (default: the registry id or the file name)')
    .option('--shadow', 'score it in shadow on every decision, deciding nothing')
    .option('--expected <DATA.csv>', 'its training data, for the score distribution end of day compares live scores with (when the model file has none)')
    .option('--dir <DIR>', 'the model registry directory (default SPROUT_MODEL_REGISTRY)')
    .requiredOption('--by <USERNAME>', 'the maker (risk officer or admin)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (model: string, flags: DeployFlags) => {
        const { id, file } = modelToDeploy(model, flags);
        let trainingScores: ScoreDistribution | undefined;
        if (flags.expected !== undefined) {
          if (file === undefined) throw new ValidationError('--expected', 'goes with a new model file; a deployed model keeps its own distribution');
          trainingScores = scoreDistribution(scoreDataset(file, scoringDataset(file, parseCsvTable(readText(flags.expected, '--expected'), '--expected'))).scores);
        }
        const role = flags.shadow === true ? 'shadow' : 'champion';
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const maker = await cliActor(database.db, flags.by);
          const request = await inTransaction(database.db, (trx) => proposeDeployment(trx, { id, role, ...(file === undefined ? {} : { model: file }), ...(trainingScores === undefined ? {} : { trainingScores }) }, maker));
          cliIo().stdout.write(`proposed ${id} as the ${role}: request ${request.id} waits for a second person (sprout scorecard approve ${request.id} --by <another user>)\n`);
        } finally {
          await database.close();
        }
      }),
    );
}

/**
 * The `scorecard` command and its subcommands.
 *
 * @example
 * program.addCommand(scorecardCommand());
 * // sprout scorecard train --data german.csv --target class --bad bad --out model.json
 */
export function scorecardCommand(): Command {
  return new Command('scorecard')
    .description('credit scorecards: train, score, report, psi, registry, deploy, approve')
    .addCommand(trainCommand())
    .addCommand(scoreCommand())
    .addCommand(reportCommand())
    .addCommand(psiCommand())
    .addCommand(registryCommand())
    .addCommand(deployCommand())
    .addCommand(approveCommand('scorecard.deploy', 'confirm a proposed deployment (a different person from the maker)'));
}
