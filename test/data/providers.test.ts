import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import { csvProvider, parseSourceCsv, sourceCsv } from '../../src/data/csv-provider.js';
import { DATA_SOURCES, type DataRecord, type DataSource } from '../../src/data/data-records.js';
import { simulatedCreditCode, simulatedDefault, simulatedFirm, simulatedPopulation } from '../../src/data/simulated-firm.js';
import { simulatedProvider } from '../../src/data/simulated-provider.js';
import { parseCreditCode } from '../../src/enterprises/credit-code.js';
import { classifySize } from '../../src/enterprises/size-standard.js';
import { providerConformance } from './provider-conformance.js';

const ASOF = '2025-06-30' as BusinessDate;

/** The first firm of seed 7 registered at least four years before ASOF. */
function establishedFirm(seed: number): string {
  for (let i = 0; i < 100; i++) {
    const code = simulatedCreditCode(seed, i);
    if (simulatedFirm(code, seed).registeredOn < '2021-06-30') return code;
  }
  throw new Error('no established firm');
}

/** Every source of a few simulated firms, written as the CSV files a bank would send. */
async function csvFilesFromSimulation(seed: number, codes: readonly string[]): Promise<Record<DataSource, string>> {
  const provider = simulatedProvider({ seed });
  const files = {} as Record<DataSource, string>;
  for (const source of DATA_SOURCES) {
    const rows: { creditCode: string; record: DataRecord }[] = [];
    for (const creditCode of codes) for (const record of await provider.fetch({ subject: { creditCode }, source, asOf: ASOF, months: 36 })) rows.push({ creditCode, record });
    files[source] = sourceCsv(source, rows);
  }
  return files;
}

providerConformance('simulated', async () => ({ provider: simulatedProvider({ seed: 7 }), creditCode: establishedFirm(7), asOf: ASOF }));

providerConformance('csv', async () => {
  const creditCode = establishedFirm(7);
  return { provider: csvProvider({ files: await csvFilesFromSimulation(7, [creditCode, simulatedCreditCode(7, 999)]) }), creditCode, asOf: ASOF };
});

describe('the simulated provider', () => {
  it('the same code and seed give identical data; another seed gives other data', async () => {
    const code = establishedFirm(7);
    const request = { subject: { creditCode: code }, source: 'tax' as const, asOf: ASOF, months: 24 };
    const a = await simulatedProvider({ seed: 7 }).fetch(request);
    const b = await simulatedProvider({ seed: 7 }).fetch(request);
    const c = await simulatedProvider({ seed: 8 }).fetch(request);
    assert.equal(a.length, 24);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((r) => r.invoicedSales), c.map((r) => r.invoicedSales));
    assert.deepEqual(simulatedFirm(code, 7), simulatedFirm(code, 7));
    assert.notEqual(simulatedFirm(code, 7).health, simulatedFirm(code, 8).health);
  });

  it('generated credit codes are valid, distinct and stable; profiles are consistent with the size standard', () => {
    const firms = simulatedPopulation({ seed: 3, size: 300 });
    assert.equal(new Set(firms.map((f) => f.creditCode)).size, 300);
    for (const firm of firms) {
      assert.equal(parseCreditCode(firm.creditCode), firm.creditCode);
      assert.equal(firm.regionCode, firm.creditCode.slice(2, 8));
      assert.equal(classifySize(firm.industry, firm.declared).sizeClass, firm.sizeClass);
      assert.ok(firm.registeredOn < '2025-06-30');
    }
    assert.equal(simulatedPopulation({ seed: 3, size: 5 })[4]!.creditCode, firms[4]!.creditCode);
    assert.ok(new Set(firms.map((f) => f.industry)).size >= 10, 'many industries');
    const micro = firms.filter((f) => f.sizeClass === 'micro' || f.sizeClass === 'small').length;
    assert.ok(micro / firms.length > 0.8, 'mostly small and micro firms');
  });

  it('latent health drives default: in 2,000 firms the worst health decile defaults more than 3× as often as the best', () => {
    const firms = simulatedPopulation({ seed: 11, size: 2000 });
    const outcomes = firms.map((f) => simulatedDefault(f.creditCode, 11)).sort((a, b) => a.health - b.health);
    const rate = (slice: typeof outcomes): number => slice.filter((o) => o.defaulted).length / slice.length;
    const worst = rate(outcomes.slice(0, 200));
    const best = rate(outcomes.slice(1800));
    const overall = rate(outcomes);
    assert.ok(worst > 3 * best, `worst decile ${worst} vs best ${best}`);
    assert.ok(worst > 0.1 && best < 0.02, `worst ${worst}, best ${best}`);
    assert.ok(overall > 0.02 && overall < 0.1, `overall default rate ${overall}`);
    assert.deepEqual(simulatedDefault(firms[0]!.creditCode, 11), simulatedDefault(firms[0]!.creditCode, 11));
  });

  it('weak firms show it in their data: more overdue months and a falling sales trend in the worst health quartile', async () => {
    const provider = simulatedProvider({ seed: 5 });
    const firms = simulatedPopulation({ seed: 5, size: 400 }).sort((a, b) => a.health - b.health);
    const stats = async (slice: typeof firms): Promise<{ overdue: number; growth: number }> => {
      let overdue = 0;
      let growth = 0;
      for (const firm of slice) {
        const bureau = await provider.fetch({ subject: { creditCode: firm.creditCode }, source: 'credit-bureau', asOf: ASOF, months: 24 });
        overdue += bureau.filter((r) => r.kind === 'bureau-overdue').length;
        growth += firm.growth;
      }
      return { overdue: overdue / slice.length, growth: growth / slice.length };
    };
    const worst = await stats(firms.slice(0, 100));
    const best = await stats(firms.slice(300));
    assert.ok(worst.overdue > 3 * best.overdue, `overdue months ${worst.overdue} vs ${best.overdue}`);
    assert.ok(worst.growth < 0 && best.growth > 0.08, `growth ${worst.growth} vs ${best.growth}`);
  });
});

describe('the CSV provider', () => {
  it('reads back exactly what the simulated provider wrote, for every source', async () => {
    const code = establishedFirm(7);
    const files = await csvFilesFromSimulation(7, [code]);
    const csv = csvProvider({ files });
    const sim = simulatedProvider({ seed: 7 });
    for (const source of DATA_SOURCES) {
      const request = { subject: { creditCode: code }, source, asOf: ASOF, months: 24 };
      assert.deepEqual(await csv.fetch(request), await sim.fetch(request), source);
    }
  });

  it('documents its header and rejects bad files naming the file, line and column', () => {
    assert.ok(sourceCsv('tax', []).startsWith('credit_code,month,invoiced_sales,tax_paid\n'));
    const code = establishedFirm(7);
    assert.throws(() => parseSourceCsv('tax', 'credit_code,month,sales\n'), { code: 'VALIDATION', field: 'tax.csv', message: /missing invoiced_sales, tax_paid; unknown sales/ });
    assert.throws(() => parseSourceCsv('tax', `credit_code,month,invoiced_sales,tax_paid\n${code},2025-13,1.00,0.10\n`), { code: 'VALIDATION', field: 'tax.csv line 2: month' });
    assert.throws(() => parseSourceCsv('tax', `credit_code,month,invoiced_sales,tax_paid\n${code},2025-05,1.001,0.10\n`), { field: 'tax.csv line 2: invoicedSales' });
    assert.throws(() => parseSourceCsv('tax', `credit_code,month,invoiced_sales,tax_paid\n${code},2025-05,1.00,0.10\n${code},2025-05,2.00,0.10\n`), { field: 'tax.csv line 3', message: /second tax-month row/ });
    assert.throws(() => parseSourceCsv('water', `credit_code,month,cubic_metres\n${code.slice(0, 17)}Z,2025-05,4\n`), { field: 'water.csv line 2: credit_code' });
    assert.throws(() => parseSourceCsv('courts', `credit_code,kind,date,case_number,role,cause,amount,status,removed_on,court\n${code},bankruptcy,2025-01-02,,,,,,,\n`), { field: 'courts.csv line 2', message: /not a kind of courts record/ });
    // Columns in another order, quoted fields, CRLF line ends and a BOM are fine.
    const parsed = parseSourceCsv('courts', `\ufeffkind,credit_code,date,case_number,role,cause,amount,status,removed_on,court\r\nlawsuit,${code},2025-01-02,"(2025)民初1号","defendant","sale contract dispute, goods",12000.50,pending,,\r\n`);
    assert.deepEqual(parsed.get(code), [{ source: 'courts', kind: 'lawsuit', date: '2025-01-02', caseNumber: '(2025)民初1号', role: 'defendant', cause: 'sale contract dispute, goods', amount: 1_200_050n, status: 'pending' }]);
  });

  it('delivers only the sources it has files for, and nothing for a firm not in them', async () => {
    const code = establishedFirm(7);
    const provider = csvProvider({ files: { water: `credit_code,month,cubic_metres\n${code},2025-05,42.5\n` } });
    assert.deepEqual(provider.sources, ['water']);
    assert.deepEqual(await provider.fetch({ subject: { creditCode: code }, source: 'water', asOf: ASOF, months: 1 }), [{ source: 'water', kind: 'water-month', month: '2025-05', cubicMetres: 42.5 }]);
    assert.deepEqual(await provider.fetch({ subject: { creditCode: simulatedCreditCode(1, 1) }, source: 'water', asOf: ASOF, months: 12 }), []);
    await assert.rejects(provider.fetch({ subject: { creditCode: code }, source: 'tax', asOf: ASOF, months: 12 }), { code: 'VALIDATION', field: 'source' });
  });
});
