import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAhpJudgements } from '../../src/ecology/ahp-judgements.js';
import { shippedPanel } from '../../src/ecology/ecology-files.js';
import { ecologyIndex, gradeOf, DEFAULT_GRADE_CUTS, type AhpJudgements } from '../../src/ecology/ecology-index.js';
import { DEFAULT_INDICATOR_SYSTEM, parseIndicatorSystem, type IndicatorSystem } from '../../src/ecology/indicator-system.js';
import { mergePanels, parseLongPanel, parseWidePanel } from '../../src/ecology/panel.js';
import { provinceOfRegion } from '../../src/ecology/provinces.js';
import { SproutError } from '../../src/errors.js';

const near = (actual: number | undefined, expected: number, tolerance = 1e-9): void => assert.ok(actual !== undefined && Math.abs(actual - expected) < tolerance, `${actual} ≠ ${expected}`);

// Three provinces; a is higher-is-better, b lower-is-better, c constant.
const SMALL = parseWidePanel('region,year,a,b,c\n110000,2023,2,10,5\n220000,2023,4,30,5\n310000,2023,6,20,5\n', 'small.csv');
const SMALL_SYSTEM: IndicatorSystem = {
  version: 'test-1',
  indicators: [
    { indicator: 'a', dimension: 'economic', direction: '+' },
    { indicator: 'b', dimension: 'credit', direction: '-' },
    { indicator: 'c', dimension: 'legal', direction: '+' },
  ],
};
// A consistent expert matrix: economic 4, financial 2, legal 1, credit 2, administrative 1.
const RATIOS = [4, 2, 1, 2, 1];
const CONSISTENT: AhpJudgements = { dimensions: RATIOS.map((wi) => RATIOS.map((wj) => wi / wj)) };

describe('ecology index on a hand-computed example', () => {
  it('entropy: a and b carry half each, the constant c none; S = 0.505, 0.2575, 0.7525 → 50, 0, 100', () => {
    const index = ecologyIndex(SMALL, SMALL_SYSTEM, { method: 'entropy', years: [2023] });
    near(index.weights.a, 0.5);
    near(index.weights.b, 0.5);
    near(index.weights.c, 0);
    assert.deepEqual(index.dimensionWeights, { economic: 0.5, financial: 0, legal: 0, credit: 0.5, administrative: 0 });
    const byCode = Object.fromEntries(index.regions.map((region) => [region.code, region]));
    near(byCode['110000']!.composite, 0.505);
    near(byCode['220000']!.composite, 0.2575);
    near(byCode['310000']!.composite, 0.7525);
    assert.deepEqual(index.regions.map((region) => [region.code, Math.round(region.score * 1e9) / 1e9, region.rank, region.grade]), [
      ['310000', 100, 1, 'A'],
      ['110000', 50, 2, 'D'],
      ['220000', 0, 3, 'D'],
    ]);
    // Per dimension: economic 0.5·a″, credit 0.5·b″, legal 0·c″ (constant: every region 100).
    near(byCode['110000']!.dimensions.economic, 0);
    near(byCode['220000']!.dimensions.economic, 50);
    near(byCode['110000']!.dimensions.credit, 100);
    near(byCode['310000']!.dimensions.credit, 50);
    assert.deepEqual(index.regions.map((region) => region.dimensions.legal), [100, 100, 100]);
    assert.equal(index.regions[0]!.dimensions.financial, undefined);
    assert.deepEqual([index.imputed, index.excluded], [[], []]);
  });

  it('AHP: dimension weights 4/7, 1/7, 2/7 over the dimensions with indicators; a tie shares rank 2', () => {
    const index = ecologyIndex(SMALL, SMALL_SYSTEM, { method: 'ahp', years: [2023], ahp: CONSISTENT });
    near(index.weights.a, 4 / 7);
    near(index.weights.b, 2 / 7);
    near(index.weights.c, 1 / 7);
    near(index.consistencyRatio, 0, 1e-12);
    // S = (4·a″ + 2·b″ + 1)/7: 3.04/7, 3.04/7, 6.01/7.
    assert.deepEqual(index.regions.map((region) => [region.code, region.rank]), [['310000', 1], ['110000', 2], ['220000', 2]]);
    near(index.regions[1]!.composite, 3.04 / 7);
  });

  it('combined, α = 0.5: w = (15, 11, 2)/28 and 110000 scores 7/26 of the way from the worst to the best', () => {
    const index = ecologyIndex(SMALL, SMALL_SYSTEM, { method: 'combined', years: [2023], ahp: CONSISTENT });
    near(index.weights.a, 15 / 28);
    near(index.weights.b, 11 / 28);
    near(index.weights.c, 2 / 28);
    near(index.regions.find((region) => region.code === '110000')!.score, (100 * 7) / 26);
    const ahpOnly = ecologyIndex(SMALL, SMALL_SYSTEM, { method: 'combined', years: [2023], ahp: CONSISTENT, alpha: 1 });
    near(ahpOnly.weights.a, 4 / 7);
  });

  it('a refused expert matrix stops the index with its CR', () => {
    const cyclic = [[1, 9, 1 / 9, 1, 1], [1 / 9, 1, 9, 1, 1], [9, 1 / 9, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]];
    assert.throws(() => ecologyIndex(SMALL, SMALL_SYSTEM, { method: 'ahp', years: [2023], ahp: { dimensions: cyclic } }), /CR = [0-9.]+ \(must be below 0\.10\)/);
  });

  it('within a dimension, its own matrix shares the dimension weight (a file with two blocks)', () => {
    const system = parseIndicatorSystem('indicator,dimension,direction\na,economic,+\nb,economic,-\nc,legal,+\n', 'v', 'i.csv');
    const header = ',economic,financial,legal,credit,administrative\n';
    const rows = ['economic', 'financial', 'legal', 'credit', 'administrative'].map((name, i) => `${name},${RATIOS.map((wj) => `${RATIOS[i]}/${wj}`).join(',')}`).join('\n');
    const judgements = parseAhpJudgements(`${header}${rows}\n,a,b\na,1,3\nb,1/3,1\n`, system, 'ahp.csv');
    const index = ecologyIndex(SMALL, system, { method: 'ahp', years: [2023], ahp: judgements });
    // economic 4/5 of the two present dimensions, split 3 : 1; legal 1/5.
    near(index.weights.a, 0.6);
    near(index.weights.b, 0.2);
    near(index.weights.c, 0.2);
  });
});

describe('missing values and the pooled panel', () => {
  it("a region without a value takes the year's median, listed; an indicator present for fewer than half the regions is left out, listed", () => {
    const panel = parseWidePanel('province,year,a,d\n北京市,2023,1,\n天津市,2023,2,\n河北省,2023,,\n吉林省,2023,10,7\n', 'gaps.csv');
    const index = ecologyIndex(panel, { version: 'v', indicators: [{ indicator: 'a', dimension: 'economic', direction: '+' }, { indicator: 'd', dimension: 'legal', direction: '+' }] }, { method: 'entropy', years: [2023] });
    assert.deepEqual(index.imputed, [{ code: '130000', year: 2023, indicator: 'a', value: 2 }]);
    assert.deepEqual(index.excluded, [{ indicator: 'd', reason: '2023: a value for 1 of 4 regions (fewer than half)' }]);
    assert.deepEqual(Object.keys(index.weights), ['a']);
    // Hebei stands with Tianjin at the median, not at zero below Beijing.
    const hebei = index.regions.find((region) => region.code === '130000')!;
    const tianjin = index.regions.find((region) => region.code === '120000')!;
    assert.equal(hebei.score, tianjin.score);
    assert.equal(index.regions.find((region) => region.code === '110000')!.score, 0);
  });

  it('pooled mode normalises over every region-year: 1, 3 | 2, 5 → 0, 50 | 25, 100, ranked within each year', () => {
    const panel = parseWidePanel('region,year,a\n110000,2022,1\n120000,2022,3\n110000,2023,2\n120000,2023,5\n', 'p.csv');
    const system: IndicatorSystem = { version: 'v', indicators: [{ indicator: 'a', dimension: 'economic', direction: '+' }] };
    const pooled = ecologyIndex(panel, system, { method: 'entropy', years: [2022, 2023] });
    assert.deepEqual(pooled.regions.map((region) => [region.year, region.code, Math.round(region.score * 1e9) / 1e9, region.rank]), [
      [2022, '120000', 50, 1],
      [2022, '110000', 0, 2],
      [2023, '120000', 100, 1],
      [2023, '110000', 25, 2],
    ]);
    const single = ecologyIndex(panel, system, { method: 'entropy', years: [2023] });
    assert.deepEqual(single.regions.map((region) => region.score), [100, 0]);
  });

  it("a bank's long file adds indicators to the same panel; a later value overrides, sources kept", () => {
    const bank = parseLongPanel('region_code,year,indicator,value,source\n220000,2023,npl_ratio_pct,2.1,PBOC Changchun\n220102,2023,lawyers_per_10k,3.2,\n110000,2023,gdp_growth_pct,5.3,bank\n', 'bank.csv');
    const merged = mergePanels(shippedPanel(), bank);
    const jilin = merged.observations.find((o) => o.code === '220000' && o.year === 2023)!;
    assert.equal(jilin.values.npl_ratio_pct, 2.1);
    assert.equal(jilin.values.lawyers_per_10k, 3.2);
    assert.equal(jilin.values.gdp_growth_pct, 6.5);
    assert.equal(merged.observations.find((o) => o.code === '110000' && o.year === 2023)!.values.gdp_growth_pct, 5.3);
    assert.deepEqual(merged.sources.npl_ratio_pct, ['PBOC Changchun (bank.csv)']);
    assert.deepEqual(merged.sources.gdp_growth_pct, ['nbs_province_2018_2023.csv', 'bank (bank.csv)']);
    assert.throws(() => parseLongPanel('region_code,year,indicator,value\n220000,2023,x,1\n220000,2023,x,2\n', 'dup.csv'), /appears twice/);
    assert.throws(() => parseWidePanel('province,year,a\n台湾省,2023,1\n', 'tw.csv'), (error: unknown) => error instanceof SproutError && error.field === 'tw.csv:2');
    assert.throws(() => parseWidePanel('province,year,a\n吉林省,2023,n/a\n', 'na.csv'), /leave the cell empty/);
  });

  it('GB/T 2260: any city or county code maps to its province; grades cut at 80, 70, 60', () => {
    assert.equal(provinceOfRegion('220102')?.name, '吉林省');
    assert.equal(provinceOfRegion('330106')?.code, '330000');
    assert.equal(provinceOfRegion('710000'), undefined);
    assert.deepEqual([80, 79.99, 70, 60, 59.99].map((score) => gradeOf(score, DEFAULT_GRADE_CUTS)), ['A', 'B', 'B', 'C', 'D']);
  });
});

describe('the shipped NBS data, 2023, default indicators', () => {
  const index = ecologyIndex(shippedPanel(), DEFAULT_INDICATOR_SYSTEM, { method: 'entropy', years: [2023] });
  it('31 provinces, nothing imputed; entropy weights as in docs/ecology.md', () => {
    assert.equal(index.regions.length, 31);
    assert.deepEqual(index.imputed, []);
    assert.deepEqual(Object.fromEntries(Object.entries(index.weights).map(([name, w]) => [name, Math.round(w * 1e4) / 1e4])), {
      gdp_per_capita_yuan: 0.2791,
      gdp_growth_pct: 0.0879,
      tertiary_share_pct: 0.1607,
      finance_va_share_pct: 0.2075,
      urban_registered_unemployed_10k: 0.048,
      fiscal_revenue_to_gdp_pct: 0.2168,
    });
  });
  it('Beijing and Shanghai lead, Guangxi is last, Jilin ranks 25th with 12.6', () => {
    assert.deepEqual(index.regions.slice(0, 2).map((region) => [region.nameEn, region.grade]), [['Beijing', 'A'], ['Shanghai', 'A']]);
    assert.equal(index.regions[30]!.nameEn, 'Guangxi');
    const jilin = index.regions.find((region) => region.code === '220000')!;
    assert.deepEqual([jilin.rank, Math.round(jilin.score * 10) / 10, jilin.grade], [25, 12.6, 'D']);
  });
  it('the pooled panel over 2018–2023 leaves out the indicators 2018 lacks, saying so', () => {
    const pooled = ecologyIndex(shippedPanel(), DEFAULT_INDICATOR_SYSTEM, { method: 'entropy', years: [2018, 2019, 2020, 2021, 2022, 2023] });
    assert.deepEqual(pooled.excluded.map((e) => e.indicator), ['gdp_per_capita_yuan', 'tertiary_share_pct', 'finance_va_share_pct', 'fiscal_revenue_to_gdp_pct']);
    assert.equal(pooled.excluded[0]!.reason, '2018: a value for 0 of 31 regions (fewer than half)');
  });
});
