import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import { buildConnectors, parseConnectorConfig, productionProblems, resolveConnectors, routedProvider } from '../../src/data/connectors.js';
import { creditReportProvider, creditReportProviderFromDirectory, parseCreditReportJson, parseCreditReportXml } from '../../src/data/credit-report-import.js';
import { csvFileName, sourceCsv } from '../../src/data/csv-provider.js';
import type { DataProvider } from '../../src/data/data-provider.js';
import { DATA_SOURCES, type DataRecord, type DataSource } from '../../src/data/data-records.js';
import { httpProvider, type FieldMapping } from '../../src/data/http-provider.js';
import { encodeRecord, RECORD_KINDS } from '../../src/data/record-fields.js';
import { pullData } from '../../src/data/pull-data.js';
import { grantDataAuthorisation } from '../../src/data/authorisations.js';
import { simulatedCreditCode, simulatedEnterpriseInput, simulatedFirm } from '../../src/data/simulated-firm.js';
import { simulatedProvider } from '../../src/data/simulated-provider.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { providerConformance } from './provider-conformance.js';

const ASOF = '2025-06-30' as BusinessDate;
const SEED = 7;
const simulated = simulatedProvider({ seed: SEED });

function establishedFirm(seed: number): string {
  for (let i = 0; i < 100; i++) {
    const code = simulatedCreditCode(seed, i);
    if (simulatedFirm(code, seed).registeredOn < '2021-06-30') return code;
  }
  throw new Error('no established firm');
}
const FIRM = establishedFirm(SEED);

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The fake source's own words: items under data.items, the kind in `type`, the period in `period`, snake_case fields. */
function foreignItem(record: DataRecord): Record<string, unknown> {
  const item: Record<string, unknown> = { type: record.kind === 'lawsuit' ? 'CASE' : record.kind };
  for (const [field, value] of Object.entries(encodeRecord(record))) item[field === 'month' || field === 'date' ? 'period' : snake(field)] = field === 'role' ? (value === 'defendant' ? '被告' : '原告') : value;
  return item;
}

/** The mapping that reads the fake source back: data, not code. */
function mappingFor(source: DataSource): FieldMapping {
  const fields: Record<string, string> = {};
  for (const types of Object.values(RECORD_KINDS[source])) for (const field of Object.keys(types)) fields[field] = field === 'month' || field === 'date' ? 'period' : snake(field);
  return { records: 'data.items', kindField: 'type', fields, ...(source === 'courts' ? { kinds: { CASE: 'lawsuit' }, values: { role: { 被告: 'defendant', 原告: 'plaintiff' } } } : {}) };
}

/** How the fake server answers next: well, slowly, failing, not JSON, with a bad field, or not at all for a firm. */
type Behaviour = 'ok' | 'slow' | 'fail' | 'not-json' | 'bad-field' | 'not-found' | 'no-list';
const server = {
  behaviours: [] as Behaviour[],
  requests: 0,
  arrivals: [] as number[],
  key: 'secret-key',
};

const fake = createServer((request: IncomingMessage, response: ServerResponse) => {
  server.requests += 1;
  server.arrivals.push(performance.now());
  const behaviour = server.behaviours.shift() ?? 'ok';
  if (request.headers['x-api-key'] !== server.key) return void response.writeHead(401).end('{"error":"no key"}');
  const url = new URL(request.url ?? '/', 'http://fake');
  const [, source, creditCode] = url.pathname.split('/');
  const reply = async (): Promise<void> => {
    if (behaviour === 'fail') return void response.writeHead(503).end('{"error":"down"}');
    if (behaviour === 'not-found') return void response.writeHead(404).end();
    if (behaviour === 'not-json') return void response.writeHead(200, { 'content-type': 'application/json' }).end('<html>gateway error</html>');
    if (behaviour === 'no-list') return void response.writeHead(200).end('{"data":{}}');
    const records = await simulated.fetch({ subject: { creditCode: creditCode! }, source: source as DataSource, asOf: url.searchParams.get('asOf') as BusinessDate, months: Number(url.searchParams.get('months')) });
    const items = records.map(foreignItem);
    if (behaviour === 'bad-field' && items[0] !== undefined) items[0].period = '2025-13';
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { items } }));
  };
  // Slow: answers long after the client's timeout (the client has given up by then).
  if (behaviour === 'slow') {
    const timer = setTimeout(() => void reply().catch(() => response.destroy()), 20_000);
    response.on('close', () => clearTimeout(timer));
    return;
  }
  void reply().catch((error: Error) => response.writeHead(500).end(error.message));
});
await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
const BASE = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
after(() => new Promise<void>((resolve) => fake.close(() => resolve())));

const connector = (source: DataSource, options: Partial<Parameters<typeof httpProvider>[0]> = {}) =>
  httpProvider({ source, baseUrl: BASE, auth: { header: 'x-api-key', value: server.key }, mapping: mappingFor(source), timeoutMs: 10_000, retries: 2, backoffMs: 1, ...options });

const reset = (...behaviours: Behaviour[]) => {
  server.behaviours = behaviours;
  server.requests = 0;
  server.arrivals = [];
};

providerConformance('http (a fake source in its own JSON shape, mapped by configuration)', async () => {
  reset();
  const bySource: Partial<Record<DataSource, DataProvider>> = {};
  for (const source of DATA_SOURCES) bySource[source] = connector(source);
  return { provider: routedProvider(bySource), creditCode: FIRM, asOf: ASOF };
});

/** A firm's credit-bureau records as a credit-report summary file. */
function reportJson(creditCode: string, records: readonly DataRecord[]): string {
  const loans = records.filter((r) => r.kind === 'bureau-loan').map((r) => { const { date, ...rest } = encodeRecord(r); return { ...rest, openedOn: date }; });
  const overdue = records.filter((r) => r.kind === 'bureau-overdue').map((r) => encodeRecord(r));
  return JSON.stringify({ creditCode, reportDate: ASOF, loans, overdue });
}
function reportXml(creditCode: string, records: readonly DataRecord[]): string {
  const attrs = (fields: Record<string, unknown>) => Object.entries(fields).map(([k, v]) => ` ${k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`).join('');
  const lines = records.map((r) => {
    if (r.kind === 'bureau-loan') {
      const { date, ...rest } = encodeRecord(r);
      return `  <Loan${attrs({ ...rest, openedOn: date })}/>`;
    }
    return `  <Overdue${attrs(encodeRecord(r))}/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CreditReport creditCode="${creditCode}" reportDate="${ASOF}">\n${lines.join('\n')}\n</CreditReport>\n`;
}
const bureauRecords = (creditCode: string) => simulated.fetch({ subject: { creditCode }, source: 'credit-bureau', asOf: ASOF, months: 60 });

providerConformance('credit-report files (JSON and XML)', async () => {
  const other = simulatedCreditCode(SEED, 999);
  return { provider: creditReportProvider([parseCreditReportJson(reportJson(FIRM, await bureauRecords(FIRM)), 'a.json'), parseCreditReportXml(reportXml(other, await bureauRecords(other)), 'b.xml')]), creditCode: FIRM, asOf: ASOF };
});

describe('the HTTP connector against a fake source', () => {
  const request = { subject: { creditCode: FIRM }, source: 'tax' as const, asOf: ASOF, months: 24 };

  it('reads the source in its own shape into exactly the records the simulator has', async () => {
    reset();
    for (const source of DATA_SOURCES) {
      const asked = { subject: { creditCode: FIRM }, source, asOf: ASOF, months: 24 };
      assert.deepEqual(await connector(source).fetch(asked), await simulated.fetch(asked), source);
    }
    assert.equal(server.requests, DATA_SOURCES.length);
  });

  it('a failing source is retried with backoff and recovers: two 503s then the answer, three requests', async () => {
    reset('fail', 'fail', 'ok');
    const tax = connector('tax');
    assert.equal((await tax.fetch(request)).length, 24);
    assert.equal(server.requests, 3);
    assert.deepEqual(tax.breaker(), { state: 'closed', consecutiveFailures: 0, openUntil: null });
  });

  it('a slow source times out and the retry gets the answer', async () => {
    reset('slow', 'ok');
    assert.equal((await connector('tax', { timeoutMs: 1000 }).fetch(request)).length, 24);
    assert.equal(server.requests, 2);
  });

  it('when every attempt fails: UNAVAILABLE naming the source, after 1 + retries requests', async () => {
    reset('fail', 'fail', 'fail');
    await assert.rejects(connector('tax').fetch(request), { code: 'UNAVAILABLE', field: 'tax', message: /tax source .* failed: HTTP 503/ });
    assert.equal(server.requests, 3);
    reset('slow', 'slow');
    await assert.rejects(connector('tax', { retries: 1, timeoutMs: 1000 }).fetch(request), { code: 'UNAVAILABLE', message: /no answer within 1000 ms/ });
    assert.equal(server.requests, 2);
  });

  it('malformed answers fail at once, naming what is wrong, and are not retried', async () => {
    reset('not-json');
    await assert.rejects(connector('tax').fetch(request), { code: 'UNAVAILABLE', message: /the answer is not JSON/ });
    assert.equal(server.requests, 1);
    reset('bad-field');
    await assert.rejects(connector('tax').fetch(request), { code: 'UNAVAILABLE', message: /malformed answer: data\.items\[0\]: month/ });
    assert.equal(server.requests, 1);
    reset('no-list');
    await assert.rejects(connector('tax').fetch(request), { code: 'UNAVAILABLE', message: /malformed answer: data\.items: is not a list/ });
  });

  it('a 404 is "no records for this firm"; a refused key is not retried', async () => {
    reset('not-found');
    assert.deepEqual(await connector('tax').fetch(request), []);
    reset();
    await assert.rejects(connector('tax', { auth: { header: 'x-api-key', value: 'wrong' } }).fetch(request), { code: 'UNAVAILABLE', message: /HTTP 401/ });
    assert.equal(server.requests, 1);
  });

  it('the circuit breaker opens after failures in a row, refuses without asking the source, and closes when a trial succeeds', async () => {
    let now = 1_000_000;
    const tax = connector('tax', { retries: 0, breakerFailures: 2, breakerOpenMs: 60_000, clock: () => now });
    reset('fail', 'fail');
    await assert.rejects(tax.fetch(request), { code: 'UNAVAILABLE' });
    assert.equal(tax.breaker().state, 'closed');
    await assert.rejects(tax.fetch(request), { code: 'UNAVAILABLE' });
    assert.deepEqual(tax.breaker(), { state: 'open', consecutiveFailures: 2, openUntil: 1_060_000 });
    await assert.rejects(tax.fetch(request), { code: 'UNAVAILABLE', message: /circuit open after 2 failed requests/ });
    assert.equal(server.requests, 2, 'an open circuit does not ask the source');
    now += 60_000;
    assert.equal(tax.breaker().state, 'half-open');
    // A failed trial opens it again for the whole wait.
    reset('fail');
    await assert.rejects(tax.fetch(request), { code: 'UNAVAILABLE', message: /HTTP 503/ });
    assert.deepEqual(tax.breaker(), { state: 'open', consecutiveFailures: 3, openUntil: 1_120_000 });
    now += 60_000;
    reset('ok');
    assert.equal((await tax.fetch(request)).length, 24);
    assert.deepEqual(tax.breaker(), { state: 'closed', consecutiveFailures: 0, openUntil: null });
  });

  it('the rate limit spaces requests: three at once at 10 per second wait 0, 100 and 200 ms for their turns', async () => {
    reset();
    const waits: number[] = [];
    const tax = connector('tax', { ratePerSecond: 10, clock: () => 5_000, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([tax.fetch(request), tax.fetch(request), tax.fetch(request)]);
    assert.equal(server.requests, 3);
    assert.deepEqual(waits, [100, 200]);
  });

  it('retries back off exponentially: waits of 50, 100 and 200 ms before the second, third and fourth attempts', async () => {
    reset('fail', 'fail', 'fail', 'ok');
    const waits: number[] = [];
    // No rate limit to speak of, so the only waits are the backoff's.
    const tax = connector('tax', { retries: 3, backoffMs: 50, ratePerSecond: 10_000, sleep: async (ms) => void (ms >= 1 && waits.push(ms)) });
    assert.equal((await tax.fetch(request)).length, 24);
    assert.deepEqual(waits, [50, 100, 200]);
  });

  it('refuses a bad configuration naming the field', () => {
    assert.throws(() => httpProvider({ source: 'tax', baseUrl: 'ftp://x', mapping: { records: '' } }), { code: 'VALIDATION', field: 'tax.baseUrl' });
    assert.throws(() => httpProvider({ source: 'tax', baseUrl: BASE, mapping: { records: '', kind: 'tax-year' } }), { field: 'tax.mapping.kind' });
    assert.throws(() => httpProvider({ source: 'courts', baseUrl: BASE, mapping: { records: '' } }), { field: 'courts.mapping', message: /needs kind or kindField/ });
    assert.throws(() => httpProvider({ source: 'tax', baseUrl: BASE, mapping: { records: '', fields: { sales: 'x' } } }), { field: 'tax.mapping.fields' });
    assert.throws(() => httpProvider({ source: 'tax', baseUrl: BASE, mapping: { records: '' }, timeoutMs: 0 }), { field: 'tax.timeoutMs' });
    assert.throws(() => httpProvider({ source: 'tax', baseUrl: BASE, mapping: { records: '' }, tls: { cert: 'c', key: 'k' } }), { field: 'tax.tls', message: /https/ });
  });
});

describe('credit-report summary files', () => {
  it('JSON and XML read to the same bureau records the features use', async () => {
    const records = await bureauRecords(FIRM);
    assert.ok(records.some((r) => r.kind === 'bureau-loan'));
    assert.deepEqual(parseCreditReportJson(reportJson(FIRM, records), 'r.json').records, records);
    assert.deepEqual(parseCreditReportXml(reportXml(FIRM, records), 'r.xml').records, records);
  });

  it('a directory of reports: the file name is the credit code; bad files fail naming the file and item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-reports-'));
    try {
      writeFileSync(join(dir, `${FIRM}.json`), reportJson(FIRM, await bureauRecords(FIRM)));
      const provider = await creditReportProviderFromDirectory(dir);
      assert.equal(provider.name, `credit-report-files:${dir}`);
      const asked = { subject: { creditCode: FIRM }, source: 'credit-bureau' as const, asOf: ASOF, months: 24 };
      assert.deepEqual(await provider.fetch(asked), await simulated.fetch(asked));
      writeFileSync(join(dir, `${simulatedCreditCode(SEED, 3)}.xml`), `<CreditReport creditCode="${FIRM}"/>`);
      await assert.rejects(creditReportProviderFromDirectory(dir), { field: `${simulatedCreditCode(SEED, 3)}.xml`, message: /holds the report of/ });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.throws(() => parseCreditReportJson(`{"creditCode":"${FIRM}","loans":[{"subject":"enterprise","lender":"A","openedOn":"2024-01-01","amount":"x","balance":"1.00","maturityOn":"2026-01-01","status":"active"}]}`, 'r.json'), { field: 'r.json: loans[0]: amount' });
    assert.throws(() => parseCreditReportXml(`<CreditReport creditCode="${FIRM}"><Guarantee/></CreditReport>`, 'r.xml'), { field: 'r.xml', message: /unknown element <Guarantee>/ });
    assert.throws(() => parseCreditReportXml('<!DOCTYPE x [<!ENTITY a "b">]><CreditReport/>', 'r.xml'), { message: /DTD/ });
  });
});

describe('connector configuration', () => {
  it('the file chooses per source; SPROUT_DATA_PROVIDER fills the rest; SPROUT_SOURCE_<SOURCE> overrides one', () => {
    const config = parseConnectorConfig({ sources: { tax: { provider: 'http', baseUrl: BASE, mapping: { records: 'items' } }, 'credit-bureau': 'credit-report-files:/reports' } });
    const resolved = resolveConnectors(config, { SPROUT_DATA_PROVIDER: 'csv:/extract', SPROUT_SOURCE_WATER: 'none' }, 'production');
    assert.deepEqual(Object.fromEntries(DATA_SOURCES.map((s) => [s, resolved[s].provider])), { tax: 'http', electricity: 'csv', water: 'none', 'social-security': 'csv', registration: 'csv', courts: 'csv', 'credit-bureau': 'credit-report-files' });
    // Nothing configured: the simulator in the demo, nothing in production.
    assert.equal(resolveConnectors({ sources: {} }, {}, 'demo').tax.provider, 'simulated');
    assert.equal(resolveConnectors({ sources: {} }, {}, 'production').tax.provider, 'none');
  });

  it('refuses bad configuration naming the field', () => {
    assert.throws(() => parseConnectorConfig({ sources: { gossip: 'none' } }), { code: 'VALIDATION', field: 'SPROUT_CONNECTORS: sources' });
    assert.throws(() => parseConnectorConfig({ sources: { tax: { provider: 'ftp' } } }), { field: 'SPROUT_CONNECTORS: sources.tax.provider' });
    assert.throws(() => parseConnectorConfig({ sources: { tax: { provider: 'http', baseUrl: BASE } } }), { field: 'SPROUT_CONNECTORS: sources.tax.mapping' });
    assert.throws(() => parseConnectorConfig({ sources: { tax: 'credit-report-files:/x' } }), { field: 'SPROUT_CONNECTORS: sources.tax.provider' });
    assert.throws(() => resolveConnectors({ sources: {} }, { SPROUT_SOURCE_TAX: 'csv' }, 'demo'), { field: 'SPROUT_SOURCE_TAX', message: /needs a directory/ });
    assert.throws(() => parseConnectorConfig({ source: {} }), { field: 'SPROUT_CONNECTORS: source' });
  });

  it('production problems name the simulated and the missing sources', () => {
    const kinds = { tax: 'http', electricity: 'csv', water: 'simulated', 'social-security': 'csv', registration: 'csv', courts: 'none', 'credit-bureau': 'credit-report-files' } as const;
    assert.deepEqual(productionProblems(kinds), [
      'the simulated provider (demo data) serves water',
      'no provider for courts, which the decision policy needs (set it in the SPROUT_CONNECTORS file or SPROUT_SOURCE_COURTS)',
    ]);
    assert.deepEqual(productionProblems({ ...kinds, water: 'csv', courts: 'http' }), []);
  });

  it('builds the routed provider: an HTTP tax source needs its secret from the environment; CSV and report directories are read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-extract-'));
    try {
      for (const source of DATA_SOURCES) writeFileSync(join(dir, csvFileName(source)), sourceCsv(source, []));
      const reports = join(dir, 'reports');
      mkdtempSync(reports);
      const config = parseConnectorConfig({ sources: { tax: { provider: 'http', baseUrl: BASE, auth: { header: 'x-api-key', valueEnv: 'TAX_KEY' }, mapping: mappingFor('tax'), path: '/{source}/{creditCode}?asOf={asOf}&months={months}' } } });
      const env = { SPROUT_DATA_PROVIDER: `csv:${dir}` };
      await assert.rejects(buildConnectors(resolveConnectors(config, env, 'production'), env), { field: 'TAX_KEY', message: /is not set/ });
      const built = await buildConnectors(resolveConnectors(config, { ...env, TAX_KEY: server.key }, 'production'), { ...env, TAX_KEY: server.key });
      assert.deepEqual(built.provider.sources, DATA_SOURCES);
      assert.equal(built.provider.name, `tax=http:${BASE};electricity=csv:${dir};water=csv:${dir};social-security=csv:${dir};registration=csv:${dir};courts=csv:${dir};credit-bureau=csv:${dir}`);
      reset();
      assert.equal((await built.provider.fetch({ subject: { creditCode: FIRM }, source: 'tax', asOf: ASOF, months: 12 })).length, 12);
      assert.deepEqual(await built.provider.fetch({ subject: { creditCode: FIRM }, source: 'water', asOf: ASOF, months: 12 }), []);
      // One simulator for the demo: its own name, as pulls have always recorded.
      assert.equal((await buildConnectors(resolveConnectors({ sources: {} }, {}, 'demo'), {})).provider.name, 'simulated:2025');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const backend of BACKENDS) {
  describe(`a pull through configured connectors on ${backend}`, () => {
    it('passes a person court lookup through to the connector that serves the courts, and offers none when it has none', async () => {
      const calls: string[] = [];
      const courts = { ...connector('courts'), personCourts: async (request: { personKey: string }) => { calls.push(request.personKey); return []; } };
      const routed = routedProvider({ tax: connector('tax'), courts });
      assert.ok(routed.personCourts);
      assert.deepEqual(await routed.personCourts({ personKey: 'k'.repeat(64), asOf: ASOF } as never), []);
      assert.deepEqual(calls, ['k'.repeat(64)]);
      assert.equal(routedProvider({ tax: connector('tax'), courts: connector('courts') }).personCourts, undefined);
    });

    it('stores the HTTP source\'s records with the connectors that served them as provenance', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firm = simulatedFirm(FIRM, SEED);
        const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm), 'account-manager'));
        await inTransaction(db, (trx) => grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: ['tax', 'courts'], purpose: 'credit-assessment', grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'e-sign' }, 'owner-1', new Date('2025-06-01T01:00:00Z')));
        reset();
        const provider = routedProvider({ tax: connector('tax'), courts: connector('courts') });
        const pull = await inTransaction(db, (trx) => pullData(trx, enterprise.id, ['tax', 'courts'], 'credit-assessment', provider, new Date('2025-06-30T02:00:00Z')));
        assert.equal(pull.sources.tax?.records.length, 24);
        const row = await db.selectFrom('data_pull').select(['provider', 'record_count']).where('id', '=', pull.pullId).executeTakeFirstOrThrow();
        assert.equal(row.provider, `tax=http:${BASE};courts=http:${BASE}`);
        assert.equal(row.record_count, pull.recordCount);
        // A source down: nothing stored, the error names it.
        reset('fail', 'fail', 'fail');
        await assert.rejects(inTransaction(db, (trx) => pullData(trx, enterprise.id, ['tax'], 'credit-assessment', provider, new Date('2025-06-30T03:00:00Z'))), { code: 'UNAVAILABLE', field: 'tax' });
        assert.equal((await db.selectFrom('data_pull').select('id').execute()).length, 1);
      });
    });
  });
}
