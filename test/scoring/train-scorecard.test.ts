import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { reasonCodes, scoreApplicant, scoreDataset } from '../../src/scoring/apply-scorecard.js';
import { parseCsvTable } from '../../src/csv/index.js';
import { buildDataset } from '../../src/scoring/dataset.js';
import { parseScorecardModel } from '../../src/scoring/scorecard-model.js';
import { probabilityFromScore, scoreFromLogit, scoreScaling } from '../../src/scoring/score-scaling.js';
import { trainScorecard } from '../../src/scoring/train-scorecard.js';

const close = (actual: number, expected: number, tolerance = 1e-9) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);

/** A table with exact counts per (z, w) cell. */
function cells(spec: readonly [string, string, number, number][]): string {
  const lines = ['z,w,y'];
  for (const [z, w, bads, goods] of spec) {
    for (let i = 0; i < bads; i++) lines.push(`${z},${w},bad`);
    for (let i = 0; i < goods; i++) lines.push(`${z},${w},good`);
  }
  return lines.join('\n');
}

describe('score scaling', () => {
  it('600 points at odds 1:19 bad:good, 50 more points for each doubling of the good odds', () => {
    const s = scoreScaling();
    close(s.factor, 50 / Math.LN2);
    close(scoreFromLogit(s, Math.log(1 / 19)), 600);
    close(scoreFromLogit(s, Math.log(1 / 38)), 650);
    close(scoreFromLogit(s, Math.log(2 / 19)), 550);
    close(probabilityFromScore(s, 600), 0.05);
  });
});

describe('training a scorecard', () => {
  // Simpson's paradox by construction: marginally, w = Q looks riskier (41% vs 20% bad), but
  // within each z it is safer (5% vs 10%, 50% vs 60%), so its coefficient comes out negative.
  const text = cells([
    ['A', 'P', 40, 360],
    ['A', 'Q', 5, 95],
    ['B', 'P', 60, 40],
    ['B', 'Q', 200, 200],
  ]);
  const data = buildDataset(parseCsvTable(text), { target: 'y', bad: 'bad' });
  const model = trainScorecard(data, { column: 'y', bad: 'bad' }, { l2: 0, binning: { minBinShare: 0 } });

  it('drops a variable whose coefficient contradicts its WOE, and refits without it', () => {
    const w = model.selection.find((s) => s.name === 'w');
    assert.equal(w?.status, 'wrong-sign');
    assert.deepEqual(model.variables.map((v) => v.name), ['z']);
    // Refitted on z alone: the coefficient on WOE(z) of a two-bin variable is exactly 1.
    close(model.variables[0]!.coefficient, 1, 1e-7);
  });

  it('points are −factor × β × WOE, base points the intercept\'s share, and the score maps back to the fitted probability', () => {
    const z = model.variables[0]!;
    for (const bin of z.bins) close(bin.points, -model.scaling.factor * z.coefficient * bin.woe);
    const { scores, probabilities } = scoreDataset(model, data);
    // z = A: 45 of 500 bad, z = B: 260 of 500 bad; a saturated fit reproduces the rates.
    close(probabilities[0]!, 45 / 500, 1e-7);
    close(probabilities[999]!, 260 / 500, 1e-7);
    close(scores[0]!, scoreFromLogit(model.scaling, Math.log(45 / 455)), 1e-5);
  });

  it('the model file survives JSON and is accepted by the loader; a corrupt one is refused', () => {
    const loaded = parseScorecardModel(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(loaded, JSON.parse(JSON.stringify(model)));
    assert.equal(loaded.data.fingerprint.length, 64);
    assert.throws(() => parseScorecardModel({ ...model, version: 2 }), /model.version/);
    const broken = JSON.parse(JSON.stringify(model));
    broken.variables[0].bins[0].rule = { kind: 'range', lower: 'x', upper: null };
    assert.throws(() => parseScorecardModel(broken), /lower/);
  });

  it('training twice gives the same model', () => {
    assert.deepEqual(trainScorecard(data, { column: 'y', bad: 'bad' }, { l2: 0, binning: { minBinShare: 0 } }), model);
  });
});

describe('reason codes', () => {
  const lines = ['a,b,y'];
  for (let i = 0; i < 400; i++) {
    const a = i % 4; // 0..3, bad rate rising with a
    const b = i % 5 === 0 ? 'x' : 'y';
    const bad = (i * 7919) % 100 < 10 + 15 * a + (b === 'x' ? 15 : 0);
    lines.push(`${a},${b},${bad ? 1 : 0}`);
  }
  const data = buildDataset(parseCsvTable(lines.join('\n')), { target: 'y', bad: '1' });
  const model = trainScorecard(data, { column: 'y', bad: '1' });

  it('name the variables that cost most against their best bin, largest first', () => {
    const best = scoreApplicant(model, { a: '0', b: 'y' });
    const worst = scoreApplicant(model, { a: '3', b: 'x' });
    assert.ok(worst.score < best.score);
    assert.ok(worst.probability > best.probability);
    assert.deepEqual(best.reasons, []);
    assert.ok(worst.reasons.length >= 1);
    for (let i = 1; i < worst.reasons.length; i++) assert.ok(worst.reasons[i - 1]!.pointsLost >= worst.reasons[i]!.pointsLost);
    for (const reason of worst.reasons) {
      const variable = model.variables.find((v) => v.name === reason.variable)!;
      close(reason.pointsLost, Math.max(...variable.bins.map((b) => b.points)) - worst.points[reason.variable]!);
    }
    assert.deepEqual(reasonCodes(model, model.variables.map(() => 0), 0), []);
  });
});

const GERMAN = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'german_credit.csv');

describe('German credit data', () => {
  it('trains a readable scorecard with positive coefficients and a training AUC above 0.8', (t) => {
    if (!existsSync(GERMAN)) {
      t.skip(`German credit data not found at ${GERMAN}`);
      return;
    }
    const data = buildDataset(parseCsvTable(readFileSync(GERMAN, 'utf8')), { target: 'class', bad: 'bad' });
    const model = trainScorecard(data, { column: 'class', bad: 'bad' });
    assert.equal(model.data.rows, 1000);
    assert.equal(model.data.bads, 300);
    assert.ok(model.training.auc > 0.8 && model.training.auc < 0.9, `AUC ${model.training.auc}`);
    assert.equal(model.variables[0]!.name, 'checking_status'); // the strongest variable, IV ≈ 0.67
    assert.ok(model.variables.every((v) => v.coefficient > 0));
    const duration = model.variables.find((v) => v.name === 'duration')!;
    assert.equal(duration.trend, 'ascending'); // longer loans, more risk
  });
});
