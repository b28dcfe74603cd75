import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sprout as runSprout } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sprout-ecology-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `sprout` run in this process (test/support/cli.ts). */
const sprout = (...args: string[]) => runSprout(args);

describe('sprout ecology index', () => {
  it('--format json on the shipped 2023 data: the exact shape, Beijing first, Jilin 25th', async () => {
    const result = await sprout('ecology', 'index', '--year', '2023', '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { year: number; method: string; weights: Record<string, number>; dimensionWeights: Record<string, number>; regions: { region: string; code: string; score: number; rank: number; grade: string; dimensions: Record<string, number> }[] };
    assert.deepEqual(Object.keys(report), ['year', 'method', 'weights', 'dimensionWeights', 'regions']);
    assert.deepEqual([report.year, report.method, report.regions.length], [2023, 'entropy', 31]);
    assert.equal(report.weights.gdp_per_capita_yuan, 0.279144);
    assert.deepEqual(report.dimensionWeights, { economic: 0.527729, financial: 0.207514, legal: 0, credit: 0.04797, administrative: 0.216786 });
    assert.deepEqual(report.regions[0], { region: '北京市', code: '110000', score: 100, rank: 1, grade: 'A', dimensions: { economic: 100, financial: 100, credit: 69.45, administrative: 67.77 } });
    assert.deepEqual(Object.keys(report.regions[0]!), ['region', 'code', 'score', 'rank', 'grade', 'dimensions']);
    const jilin = report.regions.find((region) => region.code === '220000')!;
    assert.deepEqual([jilin.rank, jilin.score, jilin.grade], [25, 12.58, 'D']);
  });

  it("a bank's indicator file and long data file add a legal indicator; a missing province takes the median, said on stderr", async () => {
    const indicators = join(dir, 'indicators.csv');
    writeFileSync(indicators, 'indicator,dimension,direction,unit,source\ngdp_per_capita_yuan,economic,+,元,NBS\nenforcement_rate_pct,legal,+,%,court\nnpl_ratio_pct,credit,-,%,PBOC\n');
    const bank = join(dir, 'bank.csv');
    const codes = ['110000', '120000', '130000', '220000', '310000'];
    const rows = codes.flatMap((code, i) => [`${code},2023,enforcement_rate_pct,${60 + i * 5},court`, ...(code === '130000' ? [] : [`${code},2023,npl_ratio_pct,${1 + i * 0.5},PBOC`])]);
    writeFileSync(bank, ['region_code,year,indicator,value,source', ...rows].join('\n'));
    const data = join(dir, 'data.csv');
    writeFileSync(data, ['province,year,gdp_per_capita_yuan', ...codes.map((code, i) => `${code},2023,${50_000 + i * 10_000}`)].join('\n'));
    const result = await sprout('ecology', 'index', '--year', '2023', '--data', data, '--add', bank, '--indicators', indicators, '--format', 'csv');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /1 missing value took the year's median: 130000 npl_ratio_pct/);
    // An export people open: UTF-8 with a byte-order mark (src/csv), then CRLF lines.
    assert.ok(result.stdout.startsWith('\uFEFF'), 'byte-order mark first');
    const lines = result.stdout.slice(1).split('\r\n');
    assert.equal(lines[0], 'year,rank,code,region,score,grade,economic,legal,credit');
    // GDP per capita and the enforcement rate rise along the list, the NPL ratio (lower is better)
    // too: the three spread alike, so weigh a third each, and Shanghai leads on two of three.
    assert.equal(lines[1], '2023,1,310000,上海市,100.00,A,100.00,100.00,0.00');
    // Hebei sits in the middle of every indicator, its NPL ratio the median 2.0 of the others: 50 on each.
    assert.equal(lines[3], '2023,3,130000,河北省,50.00,D,50.00,50.00,50.00');
  });

  it('an inconsistent expert matrix is refused with its CR and exit code 2', async () => {
    const ahp = join(dir, 'ahp.csv');
    writeFileSync(ahp, ',economic,financial,legal,credit,administrative\neconomic,1,9,1/9,1,1\nfinancial,1/9,1,9,1,1\nlegal,9,1/9,1,1,1\ncredit,1,1,1,1,1\nadministrative,1,1,1,1,1\n');
    const result = await sprout('ecology', 'index', '--year', '2023', '--method', 'ahp', '--ahp', ahp);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /inconsistent: CR = [0-9.]+ \(must be below 0\.10\)/);
  });
});
