/**
 * The conformance suite every `DataProvider` must pass (as Hono's `common.case.test.ts` is for its
 * routers): call `providerConformance(name, factory)` from a test file and it registers the tests.
 * The factory gives a provider and the credit code of a firm it has at least 24 months of data for.
 *
 * @example
 * providerConformance('simulated', async () => ({ provider: simulatedProvider({ seed: 7 }), creditCode, asOf: '2025-06-30' }));
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import { dataWindow, MONTHLY_SOURCES, type DataRecord, type DataSource } from '../../src/data/data-records.js';
import { MAX_MONTHS, type DataProvider } from '../../src/data/data-provider.js';
import { personKey } from '../../src/data/person-key.js';
import { decodeRecord, encodeRecord, RECORD_KINDS } from '../../src/data/record-fields.js';

export interface ConformanceFixture {
  readonly provider: DataProvider;
  /** A firm with at least 24 months of every monthly source the provider delivers. */
  readonly creditCode: string;
  readonly asOf: string;
  /** When the provider has a court lookup for persons: the key of a person it has court records for. */
  readonly personKey?: string;
}

export function providerConformance(name: string, factory: () => Promise<ConformanceFixture>): void {
  describe(`DataProvider conformance: ${name}`, () => {
    const fetch = async (fixture: ConformanceFixture, source: DataSource, months = 24): Promise<readonly DataRecord[]> =>
      fixture.provider.fetch({ subject: { creditCode: fixture.creditCode }, source, asOf: fixture.asOf as BusinessDate, months });

    it('names itself and delivers at least one source', async () => {
      const { provider } = await factory();
      assert.ok(provider.name.length > 0);
      assert.ok(provider.sources.length > 0);
    });

    it('monthly sources: one record per month of the window, oldest first, ending the month before asOf', async () => {
      const fixture = await factory();
      const window = dataWindow(fixture.asOf as BusinessDate, 24);
      for (const source of MONTHLY_SOURCES.filter((s) => fixture.provider.sources.includes(s))) {
        const records = await fetch(fixture, source);
        assert.deepEqual(records.map((r) => (r as { month: string }).month), window, `${source} months`);
      }
    });

    it('every record is of the source asked for, of one of its kinds, well-typed, and survives the storage codec', async () => {
      const fixture = await factory();
      for (const source of fixture.provider.sources) {
        for (const record of await fetch(fixture, source)) {
          assert.equal(record.source, source);
          assert.ok(RECORD_KINDS[source][record.kind] !== undefined, `${record.kind} is a ${source} kind`);
          for (const [key, value] of Object.entries(record)) {
            if (typeof value === 'bigint') assert.ok(value >= 0n, `${source}.${key} money is not negative`);
            if (typeof value === 'number') assert.ok(Number.isFinite(value) && value >= 0, `${source}.${key} is a finite non-negative number`);
          }
          assert.deepEqual(decodeRecord(source, record.kind, encodeRecord(record), 'round trip'), record);
        }
      }
    });

    it('events are dated in the window and ordered; standing facts follow the window rules', async () => {
      const fixture = await factory();
      const from = `${dataWindow(fixture.asOf as BusinessDate, 24)[0]}-01`;
      for (const source of fixture.provider.sources.filter((s) => !MONTHLY_SOURCES.includes(s))) {
        const records = await fetch(fixture, source);
        const periods = records.map((r) => ('month' in r ? r.month : r.date));
        assert.deepEqual(periods, [...periods].sort(), `${source} in order`);
        for (const record of records) {
          if (record.kind === 'dishonest-debtor') assert.ok(record.date <= fixture.asOf && (record.removedOn === null || record.removedOn >= from));
          else if (record.kind === 'bureau-loan') assert.ok(record.date <= fixture.asOf && record.maturityOn >= from);
          else if (record.kind === 'legal-representative') assert.ok(record.date <= fixture.asOf, `appointment on ${record.date}`);
          else if ('date' in record) assert.ok(record.date >= from && record.date <= fixture.asOf, `${record.kind} on ${record.date}`);
        }
      }
    });

    it('the same request gives the same records, and a shorter window is the tail of a longer one', async () => {
      const fixture = await factory();
      for (const source of fixture.provider.sources) {
        const once = await fetch(fixture, source);
        assert.deepEqual(await fetch(fixture, source), once);
        if (MONTHLY_SOURCES.includes(source)) assert.deepEqual(await fetch(fixture, source, 6), once.slice(-6));
      }
    });

    it('refuses bad requests with a VALIDATION error naming the field', async () => {
      const fixture = await factory();
      const source = fixture.provider.sources[0]!;
      const bad = fixture.creditCode.slice(0, 17) + (fixture.creditCode[17] === '0' ? '1' : '0');
      await assert.rejects(fixture.provider.fetch({ subject: { creditCode: bad }, source, asOf: fixture.asOf as BusinessDate, months: 12 }), { code: 'VALIDATION', field: 'creditCode' });
      await assert.rejects(fetch(fixture, source, 0), { code: 'VALIDATION', field: 'months' });
      await assert.rejects(fetch(fixture, source, MAX_MONTHS + 1), { code: 'VALIDATION', field: 'months' });
      await assert.rejects(fetch(fixture, 'gossip' as DataSource), { code: 'VALIDATION', field: 'source' });
      await assert.rejects(fixture.provider.fetch({ subject: { creditCode: fixture.creditCode }, source, asOf: '2025-02-30' as BusinessDate, months: 12 }), { code: 'VALIDATION', field: 'asOf' });
    });

    it("persons' court records (when the provider has the lookup): court kinds only, the window rules, deterministic, asked by key", async () => {
      const fixture = await factory();
      const lookup = fixture.provider.personCourts;
      if (lookup === undefined) {
        assert.equal(fixture.personKey, undefined, 'a fixture names a person only for a provider with the lookup');
        return;
      }
      assert.ok(fixture.personKey !== undefined, 'the fixture names a person with court records');
      const asOf = fixture.asOf as BusinessDate;
      const from = `${dataWindow(asOf, 24)[0]}-01`;
      const records = await lookup({ personKey: fixture.personKey, asOf, months: 24 });
      assert.ok(records.length > 0, 'the fixture person has court records');
      assert.deepEqual(await lookup({ personKey: fixture.personKey, asOf, months: 24 }), records);
      const periods = records.map((r) => r.date);
      assert.deepEqual(periods, [...periods].sort());
      for (const record of records) {
        assert.equal(record.source, 'courts');
        assert.ok(record.kind === 'lawsuit' || record.kind === 'dishonest-debtor');
        if (record.kind === 'dishonest-debtor') assert.ok(record.date <= asOf && (record.removedOn === null || record.removedOn >= from));
        else assert.ok(record.date >= from && record.date <= asOf, `lawsuit on ${record.date}`);
        assert.deepEqual(decodeRecord('courts', record.kind, encodeRecord(record), 'round trip'), record);
      }
      // Someone else (another valid ID number's key) is not given this person's records.
      assert.notDeepEqual(await lookup({ personKey: personKey('11010519491231002X'), asOf, months: 24 }), records);
      // The key is a SHA-256 in hex, never an ID number itself.
      await assert.rejects(lookup({ personKey: '11010519491231002X', asOf, months: 24 }), { code: 'VALIDATION', field: 'personKey' });
      await assert.rejects(lookup({ personKey: fixture.personKey, asOf, months: 0 }), { code: 'VALIDATION', field: 'months' });
      await assert.rejects(lookup({ personKey: fixture.personKey, asOf: '2025-02-30' as BusinessDate, months: 12 }), { code: 'VALIDATION', field: 'asOf' });
    });
  });
}
