/**
 * `npm run bench`: every benchmark, one JSON line each, with the machine it ran on. Benchmarks
 * are fixed-seed scripts; their figures go to docs/benchmarks.md, never into timed tests.
 *
 * `npm run bench -- schedule` runs only the named ones (`schedule`, `eod`, `collateral`).
 */
import { cpus, totalmem } from 'node:os';
import { run as schedule } from './schedule.bench.js';
import { run as eod } from './eod.bench.js';
import { run as collateral } from './collateral.bench.js';
import { run as scorecardTrain } from './scorecard-train.bench.js';
import { run as scorecardGermanCv } from './scorecard-german-cv.js';

const BENCHMARKS: Record<string, () => Promise<object>> = { schedule, eod, collateral: () => collateral({ pieces: 200 }), 'scorecard-train': scorecardTrain, 'scorecard-german-cv': scorecardGermanCv };

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(`sprout bench: unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
  process.exit(2);
}
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
process.stdout.write(`${JSON.stringify({ machine })}\n`);
for (const [name, benchmark] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stdout.write(`${JSON.stringify(await benchmark())}\n`);
}
