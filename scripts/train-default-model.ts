/**
 * Trains the scorecard Sprout ships as its default champion, on the simulated population, and
 * checks it on a second population it never saw. Deterministic: the same seeds give the same
 * model file.
 *
 * Run: node --import tsx scripts/train-default-model.ts   (writes models/default-scorecard.json)
 */
import { writeFileSync } from 'node:fs';
import { simulatedTrainingCsv } from '../src/decision/simulated-training-set.js';
import { parseCsvTable } from '../src/csv/index.js';
import { auc, buildDataset, scoreDataset, scoringDataset, trainScorecard } from '../src/scoring/index.js';

const TRAIN = { seed: 2025, size: 6000 };
const HOLDOUT = { seed: 2026, size: 3000 };
const target = { column: 'default', bad: 'bad' };

const started = performance.now();
const trainTable = parseCsvTable(await simulatedTrainingCsv(TRAIN));
const model = trainScorecard(buildDataset(trainTable, { target: target.column, bad: target.bad }), target);
const holdoutTable = parseCsvTable(await simulatedTrainingCsv(HOLDOUT));
const holdout = scoreDataset(model, scoringDataset(model, holdoutTable, target));
const labels = Uint8Array.from(holdoutTable.rows, (row) => (row[holdoutTable.header.indexOf(target.column)] === target.bad ? 1 : 0));
const holdoutAuc = auc(holdout.probabilities, labels);
writeFileSync(new URL('../models/default-scorecard.json', import.meta.url), `${JSON.stringify(model, null, 1)}\n`);
process.stdout.write(`${JSON.stringify({ train: TRAIN, holdout: HOLDOUT, variables: model.variables.map((v) => v.name), holdoutAuc: Number(holdoutAuc.toFixed(4)), seconds: Number(((performance.now() - started) / 1000).toFixed(1)) })}\n`);
