import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binAssigner, describeRule } from '../../src/scoring/bin-rule.js';
import { binVariable, DEFAULT_BINNING } from '../../src/scoring/bin-variable.js';
import { chiMerge, chiSquare, CHI_SQUARE_95, mergeSmallRuns } from '../../src/scoring/chi-merge.js';
import { parseCsvTable } from '../../src/csv/index.js';
import { buildDataset } from '../../src/scoring/dataset.js';
import { distinctValues, numericFineClasses } from '../../src/scoring/fine-classes.js';
import { enforceMonotonic } from '../../src/scoring/monotonic-trend.js';
import { treeBins } from '../../src/scoring/tree-binning.js';

describe('fine classes', () => {
  it('counts goods and bads per distinct value', () => {
    const d = distinctValues(Float64Array.of(2, 1, 2), Float64Array.of(3, 2));
    assert.deepEqual([...d.values], [1, 2, 3]);
    assert.deepEqual([...d.goods], [1, 2, 0]);
    assert.deepEqual([...d.bads], [0, 1, 1]);
  });

  it('quantile classes cut only between distinct values', () => {
    const fine = numericFineClasses(distinctValues(Float64Array.of(1, 2, 3, 4), Float64Array.of(5)), 2);
    assert.deepEqual(fine.cuts, [4]);
    assert.deepEqual(fine.classes, [{ goods: 3, bads: 0 }, { goods: 1, bads: 1 }]);
  });
});

describe('ChiMerge', () => {
  it('χ² of a 2×2 table, by hand', () => {
    assert.equal(chiSquare({ goods: 10, bads: 10 }, { goods: 10, bads: 10 }), 0);
    assert.equal(chiSquare({ goods: 20, bads: 0 }, { goods: 0, bads: 20 }), 40);
    // n = 100, expected bads 20 in each: (10−20)²/20 + (30−20)²/20 + (40−30)²/30 + (20−30)²/30 = 16.667
    assert.ok(Math.abs(chiSquare({ goods: 40, bads: 10 }, { goods: 20, bads: 30 }) - 16.666666666666668) < 1e-9);
  });

  it('merges classes with the same bad rate and keeps the one that differs', () => {
    const starts = chiMerge([{ goods: 50, bads: 5 }, { goods: 48, bads: 6 }, { goods: 10, bads: 40 }], { maxBins: 5, minCount: 1, threshold: CHI_SQUARE_95 });
    assert.deepEqual(starts, [0, 2]);
  });

  it('folds a run below the minimum count into its more similar neighbour', () => {
    assert.deepEqual(mergeSmallRuns([{ goods: 50, bads: 5 }, { goods: 1, bads: 0 }, { goods: 10, bads: 40 }], [0, 1, 2], 10), [0, 2]);
  });
});

describe('tree binning', () => {
  it('splits where the bad rate jumps, and never leaves a bin below the minimum count', () => {
    const classes = [{ goods: 50, bads: 5 }, { goods: 48, bads: 6 }, { goods: 10, bads: 40 }];
    assert.deepEqual(treeBins(classes, { maxBins: 4, minCount: 10, minGain: 0.001 }), [0, 2]);
    assert.deepEqual(treeBins(classes, { maxBins: 4, minCount: 60, minGain: 0.001 }), [0]);
  });
});

describe('monotonic trend', () => {
  it('pools the bins that break an ascending bad rate', () => {
    const classes = [{ goods: 90, bads: 10 }, { goods: 70, bads: 30 }, { goods: 80, bads: 20 }];
    assert.deepEqual(enforceMonotonic(classes, [0, 1, 2], 'ascending'), { starts: [0, 1], trend: 'ascending' });
    assert.deepEqual(enforceMonotonic(classes, [0, 1, 2], 'descending').starts, [0]);
    assert.equal(enforceMonotonic(classes, [0, 1, 2], 'auto').trend, 'ascending');
  });
});

describe('binning a variable', () => {
  const table = parseCsvTable(
    [
      'x,kind,y',
      ...Array.from({ length: 200 }, (_, i) => {
        const x = i % 50;
        const value = i % 25 === 0 ? '' : i % 40 === 7 ? '-999' : String(x);
        const kind = ['own', 'rent', 'free', 'rare'][i % 4 === 3 && i % 12 !== 3 ? 0 : i % 4]!;
        const bad = (x > 30 ? i % 2 === 0 : i % 7 === 0) ? 'b' : 'g';
        return `${value},${i % 23 === 0 ? 'NA' : kind},${bad}`;
      }),
    ].join('\n'),
  );
  const data = buildDataset(table, { target: 'y', bad: 'b' });
  const x = data.columns.find((c) => c.name === 'x')!;
  const kind = data.columns.find((c) => c.name === 'kind')!;

  it('detects numeric and categorical columns, with "" and NA as missing', () => {
    assert.equal(x.kind, 'numeric');
    assert.equal(kind.kind, 'categorical');
    assert.equal(kind.values.filter((v) => v === null).length, 9);
  });

  it('missing values and special values get bins of their own; the ranges cover the line and are monotonic', () => {
    const binned = binVariable(x, data.target!, { ...DEFAULT_BINNING, specialValues: [-999] });
    const kinds = binned.bins.map((b) => b.rule.kind);
    assert.deepEqual(kinds.slice(0, 2), ['missing', 'special']);
    const ranges = binned.bins.filter((b) => b.rule.kind === 'range');
    assert.equal((ranges[0]!.rule as { lower: null }).lower, null);
    assert.equal((ranges[ranges.length - 1]!.rule as { upper: null }).upper, null);
    const rates = ranges.map((b) => b.badRate);
    assert.ok(rates.every((r, i) => i === 0 || r > rates[i - 1]!), `bad rates ${rates} rise`);
    assert.equal(binned.trend, 'ascending');
    assert.equal(binned.bins.reduce((n, b) => n + b.count, 0), 200);
    // IV is the sum of the bins' contributions
    assert.ok(Math.abs(binned.iv - binned.bins.reduce((s, b) => s + b.iv, 0)) < 1e-12);
  });

  it('manual breaks replace the automatic cuts', () => {
    const binned = binVariable(x, data.target!, { ...DEFAULT_BINNING, breaks: [10, 30] });
    assert.equal(binned.method, 'manual');
    assert.deepEqual(binned.bins.filter((b) => b.rule.kind === 'range').map((b) => describeRule(b.rule)), ['< 10', '[10, 30)', '≥ 30']);
  });

  it('small categories join others; unknown categories go to the riskiest bin', () => {
    const binned = binVariable(kind, data.target!, { ...DEFAULT_BINNING, minBinShare: 0.1 });
    assert.ok(binned.bins.every((b) => b.rule.kind === 'missing' || b.share >= 0.1));
    const assign = binAssigner(binned);
    const riskiest = binned.bins.reduce((best, b, i) => (b.woe > binned.bins[best]!.woe ? i : best), 0);
    assert.equal(assign('never-seen'), riskiest);
    assert.equal(binned.fallbackBin, riskiest);
  });

  it('manual groups replace the automatic grouping', () => {
    const binned = binVariable(kind, data.target!, { ...DEFAULT_BINNING, groups: [['own', 'free'], ['rent', 'rare']] });
    assert.deepEqual(binned.bins.map((b) => describeRule(b.rule)), ['missing', 'own, free', 'rent, rare']);
  });

  it('a value finds its range by lower ≤ x < upper', () => {
    const assign = binAssigner({ kind: 'numeric', fallbackBin: 0, bins: [{ rule: { kind: 'missing' } }, { rule: { kind: 'range', lower: null, upper: 25 } }, { rule: { kind: 'range', lower: 25, upper: null } }] });
    assert.deepEqual([assign(24.99), assign(25), assign(Number.NaN), assign(-1e9)], [1, 2, 0, 1]);
  });
});

describe('CSV', () => {
  it('reads quoted fields, doubled quotes and CRLF line ends', () => {
    const table = parseCsvTable('a,b\r\n"x, y","say ""hi"""\r\n1,\r\n');
    assert.deepEqual(table.rows, [['x, y', 'say "hi"'], ['1', '']]);
  });

  it('a row with the wrong number of fields is an error naming the line', () => {
    assert.throws(() => parseCsvTable('a,b\n1,2,3\n', '--data'), /--data: line 2 has 3 fields/);
  });
});
