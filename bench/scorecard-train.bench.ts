/**
 * Scorecard training time on 100,000 rows × 30 columns (the bar: under 10 s).
 *
 * A fixed-seed PRNG makes a synthetic applicant file: 20 numeric columns (some skewed, some with
 * 5% missing, one with a −999 "no record" code) and 10 categorical ones (3 to 12 levels, one
 * with missing values); the bad flag is drawn from a logistic model of twelve of them, so the
 * scorecard has real signal to find. The timed part is what `sprout scorecard train` does: parse
 * the CSV text, interpret the columns, bin, select, fit, scale and measure.
 *
 * Run: `node --import tsx bench/scorecard-train.bench.ts`, or import `run()`.
 *
 * @example
 * const result = await run(); // { benchmark: 'scorecard-train', trainMs: …, rows: 100000, columns: 30, … }
 */
import { pathToFileURL } from 'node:url';
import { parseCsvTable } from '../src/csv/index.js';
import { buildDataset } from '../src/scoring/dataset.js';
import { seededRandom } from '../src/random/seeded-random.js';
import { trainScorecard } from '../src/scoring/train-scorecard.js';

/**
 * What the benchmark prints.
 *
 * @example
 * // {"benchmark":"scorecard-train","rows":100000,"columns":30,"parseMs":…,"trainMs":…,"totalMs":…,"variables":…,"auc":…}
 */
export interface ScorecardTrainBenchResult {
  readonly benchmark: 'scorecard-train';
  readonly rows: number;
  readonly columns: number;
  readonly seed: number;
  readonly parseMs: number;
  readonly trainMs: number;
  readonly totalMs: number;
  readonly variables: number;
  readonly auc: number;
}

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * The synthetic CSV text.
 *
 * @example
 * syntheticApplicants(1000, 7).split('\n').length; // 1002 (header, rows, final newline)
 */
export function syntheticApplicants(rows: number, seed: number): string {
  const random = seededRandom(seed);
  const header = [...Array.from({ length: 20 }, (_, i) => `num_${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `cat_${i + 1}`), 'default_flag'];
  const lines = [header.join(',')];
  const levels = Array.from({ length: 10 }, (_, i) => 3 + i);
  for (let r = 0; r < rows; r++) {
    const nums = Array.from({ length: 20 }, () => normal(random));
    const cats = levels.map((k) => Math.floor(random() ** (1 + (k % 3)) * k));
    let logit = -1.6;
    for (let i = 0; i < 8; i++) logit += (0.6 - i * 0.06) * (nums[i] as number) * (i % 2 === 0 ? 1 : -1);
    logit += 0.3 * Math.max(0, nums[8] as number) ** 2; // a non-linear effect the bins can catch
    for (let i = 0; i < 4; i++) logit += ((cats[i] as number) / (levels[i] as number) - 0.4) * (1.2 - i * 0.2);
    const bad = random() < 1 / (1 + Math.exp(-logit));
    const cells = nums.map((x, i) => {
      if (i % 5 === 4 && random() < 0.05) return ''; // missing
      if (i === 3 && random() < 0.02) return '-999'; // special code
      const value = i % 4 === 1 ? Math.exp(1 + 0.6 * x) * 1000 : 40 + 12 * x; // amounts skewed, others not
      return value.toFixed(2);
    });
    const catCells = cats.map((c, i) => (i === 9 && random() < 0.1 ? 'NA' : `L${c}`));
    lines.push([...cells, ...catCells, bad ? '1' : '0'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the benchmark and returns its figures.
 *
 * @example
 * const { totalMs } = await run({ rows: 20_000 });
 */
export async function run(options: { seed?: number; rows?: number } = {}): Promise<ScorecardTrainBenchResult> {
  const seed = options.seed ?? 20240131;
  const rows = options.rows ?? 100_000;
  const text = syntheticApplicants(rows, seed);
  const start = performance.now();
  const data = buildDataset(parseCsvTable(text, 'data'), { target: 'default_flag', bad: '1' });
  const parsed = performance.now();
  const model = trainScorecard(data, { column: 'default_flag', bad: '1' }, { variables: { num_4: { specialValues: [-999] } } });
  const end = performance.now();
  return {
    benchmark: 'scorecard-train',
    rows,
    columns: data.columns.length,
    seed,
    parseMs: Math.round(parsed - start),
    trainMs: Math.round(end - parsed),
    totalMs: Math.round(end - start),
    variables: model.variables.length,
    auc: Math.round(model.training.auc * 10000) / 10000,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run()));
}
