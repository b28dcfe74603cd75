import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sprout as runSprout } from '../support/cli.js';
import { seededRandom } from '../../src/random/seeded-random.js';


/** `sprout scorecard …` run in this process (test/support/cli.ts). */
const sprout = (...args: string[]) => runSprout(['scorecard', ...args]);

/** 800 applicants: id (to exclude), age (some missing), income, housing, purpose; status default/ok. */
function applicants(rows: number, seed: number, shift = 0, withTarget = true): string {
  const random = seededRandom(seed);
  const lines = [`id,age,income,housing,purpose${withTarget ? ',status' : ''}`];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(20 + random() * 45 + shift);
    const income = Math.round(2000 + random() * 18000);
    const housing = ['own', 'rent', 'free'][Math.floor(random() ** 1.5 * 3)]!;
    const purpose = ['car', 'house', 'education, other'][Math.floor(random() * 3)]!;
    const logit = -0.5 - 0.05 * (age - 40) - 0.0001 * (income - 10000) + (housing === 'rent' ? 0.8 : 0) + (purpose === 'car' ? 0.3 : 0);
    const bad = random() < 1 / (1 + Math.exp(-logit));
    const ageCell = random() < 0.05 ? '' : String(age);
    lines.push(`${i + 1},${ageCell},${income},${housing},"${purpose}"${withTarget ? `,${bad ? 'default' : 'ok'}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('sprout scorecard', () => {
  let dir = '';
  const path = (name: string) => join(dir, name);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sprout-scorecard-'));
    writeFileSync(path('train.csv'), applicants(800, 1));
    writeFileSync(path('recent.csv'), applicants(500, 2, 15));
    writeFileSync(path('unlabelled.csv'), applicants(800, 1, 0, false));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('train writes a versioned model and excludes the listed columns', async () => {
    const result = await sprout('train', '--data', path('train.csv'), '--target', 'status', '--bad', 'default', '--out', path('model.json'), '--exclude', 'id');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /trained on 800 rows/);
    const model = JSON.parse(readFileSync(path('model.json'), 'utf8'));
    assert.equal(model.format, 'sprout-scorecard');
    assert.equal(model.version, 1);
    assert.deepEqual(model.data.columns, ['age', 'income', 'housing', 'purpose']);
    assert.ok(model.variables.some((v: { name: string }) => v.name === 'age'));
    assert.ok(model.training.auc > 0.65, `training AUC ${model.training.auc}`);
  });

  it('score writes row,score,probability for every row in order; higher scores mean lower probabilities', async () => {
    const result = await sprout('score', '--model', path('model.json'), '--data', path('train.csv'), '--out', path('scores.csv'));
    assert.equal(result.status, 0, result.stderr);
    const text = readFileSync(path('scores.csv'), 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'an export: UTF-8 byte-order mark first');
    const lines = text.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[0], 'row,score,probability');
    assert.equal(lines.length, 801);
    const rows = lines.slice(1).map((line) => line.split(',').map(Number) as [number, number, number]);
    assert.deepEqual(rows.map((r) => r[0]), Array.from({ length: 800 }, (_, i) => i + 1));
    for (const [, score, probability] of rows) {
      assert.ok(score > 200 && score < 1000, `score ${score}`);
      assert.ok(probability > 0 && probability < 1);
    }
    const sorted = [...rows].sort((a, b) => a[1] - b[1]);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]![1] > sorted[i - 1]![1]) assert.ok(sorted[i]![2] <= sorted[i - 1]![2], 'probability falls as the score rises');
  });

  it('score ignores a target column: the same rows without it score the same', async () => {
    const result = await sprout('score', '--model', path('model.json'), '--data', path('unlabelled.csv'), '--out', path('scores-unlabelled.csv'));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(path('scores-unlabelled.csv'), 'utf8'), readFileSync(path('scores.csv'), 'utf8'));
  });

  it('psi prints the total and each variable; identical data is 0, a shifted population is not', async () => {
    const same = await sprout('psi', '--model', path('model.json'), '--expected', path('train.csv'), '--actual', path('train.csv'), '--format', 'json');
    assert.equal(same.status, 0, same.stderr);
    const zero = JSON.parse(same.stdout);
    assert.equal(zero.total, 0);
    const shifted = JSON.parse((await sprout('psi', '--model', path('model.json'), '--expected', path('train.csv'), '--actual', path('recent.csv'), '--format', 'json')).stdout);
    assert.ok(shifted.total > 0.05 && Number.isFinite(shifted.total), `total ${shifted.total}`);
    const age = shifted.variables.find((v: { name: string }) => v.name === 'age');
    assert.ok(age.psi > 0.25, `age moved by 15 years: PSI ${age.psi}`);
    const text = await sprout('psi', '--model', path('model.json'), '--expected', path('train.csv'), '--actual', path('recent.csv'));
    assert.match(text.stdout, /^total \(score\) PSI \d+\.\d{4}/);
    assert.match(text.stdout, /\nage\s+\d+\.\d{4}\s+shifted/);
  });

  it('report writes one self-contained HTML page with the tables and charts', async () => {
    const result = await sprout('report', '--model', path('model.json'), '--data', path('recent.csv'), '--target', 'status', '--bad', 'default', '--out', path('report.html'));
    assert.equal(result.status, 0, result.stderr);
    const html = readFileSync(path('report.html'), 'utf8');
    for (const heading of ['Coefficients', 'Variable selection', 'Scorecard', 'Binning', 'Discrimination', 'Gains table']) assert.match(html, new RegExp(`<h2>${heading}</h2>`));
    assert.ok((html.match(/<svg /g) ?? []).length >= 5);
    assert.match(html, /ROC curve/);
    assert.match(html, /KS curve/);
    assert.doesNotMatch(html, /<script|src="http|href="http/);
  });

  it('bad input exits 2 with a message naming the field', async () => {
    const result = await sprout('train', '--data', path('train.csv'), '--target', 'nope', '--bad', 'default', '--out', path('x.json'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /target: no column "nope"/);
    const missing = await sprout('score', '--model', path('model.json'), '--data', path('absent.csv'), '--out', path('x.csv'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--data: cannot read/);
  });
});
