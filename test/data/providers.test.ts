import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import { csvProvider, parsePersonCourtsCsv, personCourtsCsv, sourceCsv, parseSourceCsv } from '../../src/data/csv-provider.js';
import type { CourtRecord } from '../../src/data/data-provider.js';
import { personKey } from '../../src/data/person-key.js';
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

/** A person of seed 7 with court records: two closed suits against him and a listing from 2025-04-29. */
const LISTED_PERSON = '110105194912311153';
/** A person of seed 7 with none. */
const CLEAN_PERSON = '11010519491231002X';

/** Persons' court records from the simulated provider, written as `person-courts.csv`. */
async function personCourtsFromSimulation(seed: number, idNumbers: readonly string[]): Promise<string> {
  const provider = simulatedProvider({ seed });
  const rows: { personKey: string; record: CourtRecord }[] = [];
  for (const id of idNumbers) for (const record of await provider.personCourts!({ personKey: personKey(id), asOf: ASOF, months: 36 })) rows.push({ personKey: personKey(id), record });
  return personCourtsCsv(rows);
}

providerConformance('simulated', async () => ({ provider: simulatedProvider({ seed: 7 }), creditCode: establishedFirm(7), asOf: ASOF, personKey: personKey(LISTED_PERSON) }));

providerConformance('csv', async () => {
  const creditCode = establishedFirm(7);
  return {
    provider: csvProvider({ files: await csvFilesFromSimulation(7, [creditCode, simulatedCreditCode(7, 999)]), personCourts: await personCourtsFromSimulation(7, [LISTED_PERSON, CLEAN_PERSON]) }),
    creditCode,
    asOf: ASOF,
    personKey: personKey(LISTED_PERSON),
  };
});

providerConformance('csv without persons', async () => {
  const creditCode = establishedFirm(7);
  return { provider: csvProvider({ files: await csvFilesFromSimulation(7, [creditCode]) }), creditCode, asOf: ASOF };
});

describe("persons' court records", () => {
  it('a person key is the SHA-256 of the labelled ID number, the same for a lower-case x, and refuses a bad number without naming it', () => {
    assert.equal(personKey(LISTED_PERSON), '4ea7479c4aaacc9c81aaa389f8de6153a2a50f45e3871a72ac5984aa9b148078');
    assert.equal(personKey(CLEAN_PERSON), 'a7b0411350d971f8258c260f223953828bde1d97a0bad49dbc743f73efad85a3');
    assert.equal(personKey('11010519491231002x'), personKey(CLEAN_PERSON));
    assert.throws(() => personKey('110105194912310021', 'idNumber'), (error: Error & { field?: string }) => error.field === 'idNumber' && !error.message.includes('110105194912310021'));
  });

  it('the simulated provider: exact records for a listed person, none for a clean one, and a shorter window keeps the listing only', async () => {
    const provider = simulatedProvider({ seed: 7 });
    const listing = { source: 'courts', kind: 'dishonest-debtor', date: '2025-04-29', removedOn: '2026-10-16', court: '人民法院', caseNumber: '(2025)执141号', amount: 36_017_00n };
    assert.deepEqual(await provider.personCourts!({ personKey: personKey(LISTED_PERSON), asOf: ASOF, months: 24 }), [
      { source: 'courts', kind: 'lawsuit', date: '2023-11-23', caseNumber: '(2023)民初5001号', role: 'defendant', cause: 'loan contract dispute', amount: 54_973_03n, status: 'closed' },
      { source: 'courts', kind: 'lawsuit', date: '2024-04-30', caseNumber: '(2024)民初5002号', role: 'defendant', cause: 'guarantee contract dispute', amount: 20_777_59n, status: 'closed' },
      listing,
    ]);
    assert.deepEqual(await provider.personCourts!({ personKey: personKey(LISTED_PERSON), asOf: ASOF, months: 12 }), [listing]);
    assert.deepEqual(await provider.personCourts!({ personKey: personKey(CLEAN_PERSON), asOf: ASOF, months: 24 }), []);
    // Before the listing, the person is not on the list.
    assert.deepEqual((await provider.personCourts!({ personKey: personKey(LISTED_PERSON), asOf: '2025-04-28' as BusinessDate, months: 24 })).map((r) => r.kind), ['lawsuit', 'lawsuit']);
  });

  it('the CSV provider reads back what the simulated provider wrote, has no lookup without the file, and names the line and column of a bad key', async () => {
    const text = await personCourtsFromSimulation(7, [LISTED_PERSON, CLEAN_PERSON]);
    assert.ok(text.startsWith('person_key,kind,date,case_number,role,cause,amount,status,removed_on,court\n'));
    assert.ok(!text.includes(LISTED_PERSON), 'the extract holds keys, not ID numbers');
    const csv = csvProvider({ files: {}, personCourts: text });
    const sim = simulatedProvider({ seed: 7 });
    for (const id of [LISTED_PERSON, CLEAN_PERSON]) {
      const request = { personKey: personKey(id), asOf: ASOF, months: 24 };
      assert.deepEqual(await csv.personCourts!(request), await sim.personCourts!(request), id);
    }
    assert.equal(csvProvider({ files: {} }).personCourts, undefined);
    assert.throws(() => parsePersonCourtsCsv(`person_key,kind,date,case_number,role,cause,amount,status,removed_on,court\n${LISTED_PERSON},dishonest-debtor,2025-01-02,(2025)执1号,,,100.00,,,人民法院\n`), { code: 'VALIDATION', field: 'person-courts.csv line 2: person_key' });
    assert.throws(() => parsePersonCourtsCsv('credit_code,kind\n'), { code: 'VALIDATION', field: 'person-courts.csv', message: /missing person_key/ });
  });
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
