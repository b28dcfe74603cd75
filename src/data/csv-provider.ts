/**
 * The CSV import provider: a bank's own extracts, one CSV file per source, documented in
 * docs/data-sharing.md. Files are read and validated in full when the provider is made, so a bad
 * file fails at once with its name, line and column, not halfway through a decision.
 *
 * | file | columns |
 * |---|---|
 * | tax.csv | credit_code, month, invoiced_sales, tax_paid |
 * | electricity.csv | credit_code, month, kwh |
 * | water.csv | credit_code, month, cubic_metres |
 * | social-security.csv | credit_code, month, insured_employees |
 * | registration.csv | credit_code, kind, date, item, authority, reason, amount, name, id_number (the last two for `legal-representative` rows; optional columns, so older extracts still load) |
 * | courts.csv | credit_code, kind, date, case_number, role, cause, amount, status, removed_on, court |
 * | credit-bureau.csv | credit_code, kind, subject, date, month, lender, amount, balance, maturity_on, status, days_past_due |
 * | person-courts.csv | person_key, kind, date, case_number, role, cause, amount, status, removed_on, court: natural persons' court records (personal guarantors), keyed by `personKey` of the ID number, never the number |
 *
 * @example
 * const provider = await csvProviderFromDirectory('/data/bank-extract-2025-06');
 * const provider2 = csvProvider({ files: { tax: 'credit_code,month,invoiced_sales,tax_paid\n…' } });
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCreditCode } from '../enterprises/credit-code.js';
import { ValidationError } from '../errors.js';
import { checkDataRequest, checkPersonRequest, compareRecords, selectWindow, type CourtRecord, type DataProvider, type DataRequest, type PersonCourtRequest } from './data-provider.js';
import { parsePersonKey } from './person-key.js';
import { DATA_SOURCES, type DataRecord, type DataSource, type SourceRecordMap } from './data-records.js';
import { csvLine, parseCsvRows } from '../csv/index.js';
import { decodeRecord, encodeRecord, RECORD_KINDS } from './record-fields.js';

/** The columns of each source's file, in the order Sprout writes them. */
export const CSV_COLUMNS: Readonly<Record<DataSource, readonly string[]>> = {
  tax: ['credit_code', 'month', 'invoiced_sales', 'tax_paid'],
  electricity: ['credit_code', 'month', 'kwh'],
  water: ['credit_code', 'month', 'cubic_metres'],
  'social-security': ['credit_code', 'month', 'insured_employees'],
  registration: ['credit_code', 'kind', 'date', 'item', 'authority', 'reason', 'amount', 'name', 'id_number'],
  courts: ['credit_code', 'kind', 'date', 'case_number', 'role', 'cause', 'amount', 'status', 'removed_on', 'court'],
  'credit-bureau': ['credit_code', 'kind', 'subject', 'date', 'month', 'lender', 'amount', 'balance', 'maturity_on', 'status', 'days_past_due'],
};

/** The file of natural persons' court records, keyed by person key (`person-key.ts`). */
export const PERSON_COURTS_FILE = 'person-courts.csv';
/** Its columns: the courts file's, with the person key in place of the credit code. */
export const PERSON_COURTS_COLUMNS: readonly string[] = ['person_key', ...CSV_COLUMNS.courts.slice(1)];

/** Columns added after a source's file format shipped: an extract without them still loads. */
const OPTIONAL_COLUMNS: Readonly<Partial<Record<DataSource, readonly string[]>>> = { registration: ['name', 'id_number'] };

/** The file name of a source's extract. */
export function csvFileName(source: DataSource): string {
  return `${source}.csv`;
}

const toField = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Parses one source's file into records by credit code. Columns may come in any order; every
 * documented column must be there and no other (a shifted or misnamed column is an error).
 *
 * @example
 * parseSourceCsv('water', 'credit_code,month,cubic_metres\n91350100M000100Y43,2025-05,42\n').get('91350100M000100Y43');
 */
export function parseSourceCsv(source: DataSource, text: string, fileName = csvFileName(source)): Map<string, DataRecord[]> {
  const rows = parseCsvRows(text, fileName);
  const header = rows[0]?.map((h) => h.trim());
  if (header === undefined) throw new ValidationError(fileName, `is empty: the first line must be the header ${CSV_COLUMNS[source].join(',')}`);
  const expected = CSV_COLUMNS[source];
  const missing = expected.filter((c) => !header.includes(c) && !(OPTIONAL_COLUMNS[source] ?? []).includes(c));
  const unknown = header.filter((c) => !expected.includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    throw new ValidationError(fileName, `header must have the columns ${expected.join(',')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${unknown.length ? `; unknown ${unknown.join(', ')}` : ''}`);
  }
  const kinds = Object.keys(RECORD_KINDS[source]);
  const byCode = new Map<string, DataRecord[]>();
  const seen = new Set<string>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const where = `${fileName} line ${r + 1}`;
    if (row.length !== header.length) throw new ValidationError(where, `has ${row.length} fields, the header has ${header.length}`);
    const fields: Record<string, string> = {};
    header.forEach((column, i) => (fields[toField(column)] = row[i]!));
    const creditCode = parseCreditCode(fields.creditCode ?? '', `${where}: credit_code`);
    const kind = header.includes('kind') ? (fields.kind ?? '').trim() : kinds[0]!;
    const record = decodeRecord(source, kind, fields, where);
    // Monthly records are one per month (and bureau subject): a duplicate would double-count sales.
    if ('month' in record) {
      const key = `${creditCode}|${record.kind}|${'subject' in record ? record.subject : ''}|${record.month}`;
      if (seen.has(key)) throw new ValidationError(where, `a second ${record.kind} row for ${creditCode} in ${record.month}`);
      seen.add(key);
    }
    const list = byCode.get(creditCode) ?? [];
    list.push(record);
    byCode.set(creditCode, list);
  }
  for (const list of byCode.values()) list.sort(compareRecords);
  return byCode;
}

/**
 * Writes records as a source's CSV file (the format {@link parseSourceCsv} reads): for fixtures,
 * demos and a bank that wants to see the format filled in.
 *
 * @example
 * sourceCsv('water', [{ creditCode: '91350100M000100Y43', record }]);
 */
export function sourceCsv(source: DataSource, rows: readonly { readonly creditCode: string; readonly record: DataRecord }[]): string {
  return recordsCsv(CSV_COLUMNS[source], 'credit_code', rows.map(({ creditCode, record }) => ({ key: creditCode, record })));
}

/** One CSV of records, each row keyed by `keyColumn` (a firm's credit code, a person's key). */
function recordsCsv(columns: readonly string[], keyColumn: string, rows: readonly { readonly key: string; readonly record: DataRecord }[]): string {
  const lines = [csvLine(columns)];
  for (const { key, record } of rows) {
    const fields = encodeRecord(record);
    lines.push(csvLine(columns.map((column) => {
      if (column === keyColumn) return key;
      if (column === 'kind') return record.kind;
      const value = fields[toField(column)];
      return value === undefined || value === null ? '' : String(value);
    })));
  }
  return lines.join('\n') + '\n';
}

/**
 * Parses `person-courts.csv` into court records by person key; the same rules as
 * {@link parseSourceCsv} (every column, no other; errors name the file, line and column).
 *
 * @example
 * parsePersonCourtsCsv(personCourtsCsv([{ personKey, record }])).get(personKey);
 */
export function parsePersonCourtsCsv(text: string, fileName = PERSON_COURTS_FILE): Map<string, CourtRecord[]> {
  const rows = parseCsvRows(text, fileName);
  const header = rows[0]?.map((h) => h.trim());
  if (header === undefined) throw new ValidationError(fileName, `is empty: the first line must be the header ${PERSON_COURTS_COLUMNS.join(',')}`);
  const missing = PERSON_COURTS_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !PERSON_COURTS_COLUMNS.includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    throw new ValidationError(fileName, `header must have the columns ${PERSON_COURTS_COLUMNS.join(',')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${unknown.length ? `; unknown ${unknown.join(', ')}` : ''}`);
  }
  const byKey = new Map<string, CourtRecord[]>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const where = `${fileName} line ${r + 1}`;
    if (row.length !== header.length) throw new ValidationError(where, `has ${row.length} fields, the header has ${header.length}`);
    const fields: Record<string, string> = {};
    header.forEach((column, i) => (fields[toField(column)] = row[i]!));
    const key = parsePersonKey(fields.personKey ?? '', `${where}: person_key`);
    const record = decodeRecord('courts', (fields.kind ?? '').trim(), fields, where) as CourtRecord;
    const list = byKey.get(key) ?? [];
    list.push(record);
    byKey.set(key, list);
  }
  for (const list of byKey.values()) list.sort(compareRecords);
  return byKey;
}

/**
 * Writes persons' court records as `person-courts.csv` (the format {@link parsePersonCourtsCsv} reads).
 *
 * @example
 * personCourtsCsv([{ personKey: personKey('11010519491231002X'), record }]);
 */
export function personCourtsCsv(rows: readonly { readonly personKey: string; readonly record: CourtRecord }[]): string {
  return recordsCsv(PERSON_COURTS_COLUMNS, 'person_key', rows.map(({ personKey, record }) => ({ key: personKey, record })));
}

/** Options for {@link csvProvider}. */
export interface CsvProviderOptions {
  /** The text of each source's file; sources without a file are not delivered. */
  readonly files: Partial<Record<DataSource, string>>;
  /** The text of `person-courts.csv`; without it the provider has no court lookup for persons. */
  readonly personCourts?: string;
  /** Recorded with every pull; default 'csv'. */
  readonly name?: string;
}

/**
 * A provider over CSV text already in memory.
 *
 * @example
 * const provider = csvProvider({ files: { tax: taxCsv, electricity: powerCsv } });
 * provider.sources; // ['tax', 'electricity']
 */
export function csvProvider(options: CsvProviderOptions): DataProvider {
  const data = new Map<DataSource, Map<string, DataRecord[]>>();
  for (const source of DATA_SOURCES) {
    const text = options.files[source];
    if (text !== undefined) data.set(source, parseSourceCsv(source, text));
  }
  const sources = DATA_SOURCES.filter((s) => data.has(s));
  const persons = options.personCourts === undefined ? null : parsePersonCourtsCsv(options.personCourts);
  return {
    name: options.name ?? 'csv',
    sources,
    async fetch<S extends DataSource>(request: DataRequest<S>): Promise<readonly SourceRecordMap[S][]> {
      const checked = checkDataRequest(request, sources);
      const records = data.get(checked.source)?.get(checked.creditCode) ?? [];
      return selectWindow(records, checked) as SourceRecordMap[S][];
    },
    ...(persons === null
      ? {}
      : {
          async personCourts(request: PersonCourtRequest): Promise<readonly CourtRecord[]> {
            const checked = checkPersonRequest(request);
            return selectWindow(persons.get(checked.personKey) ?? [], checked);
          },
        }),
  };
}

/**
 * A provider over the files `<source>.csv` found in `directory` (absent files: source not
 * delivered), and `person-courts.csv` when there.
 *
 * @example
 * const provider = await csvProviderFromDirectory('./extract');
 */
export async function csvProviderFromDirectory(directory: string): Promise<DataProvider> {
  const files: Partial<Record<DataSource, string>> = {};
  const read = async (name: string): Promise<string | undefined> => {
    try {
      return await readFile(join(directory, name), 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      return undefined;
    }
  };
  for (const source of DATA_SOURCES) {
    const text = await read(csvFileName(source));
    if (text !== undefined) files[source] = text;
  }
  const personCourts = await read(PERSON_COURTS_FILE);
  return csvProvider({ files, name: `csv:${directory}`, ...(personCourts === undefined ? {} : { personCourts }) });
}
