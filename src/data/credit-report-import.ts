/**
 * The credit-report summary (征信报告摘要) delivered as a file, one per enterprise: a bank that
 * downloads reports from the credit reference centre (or a licensed bureau) drops them into a
 * directory as `<credit code>.json` or `<credit code>.xml`, and this connector serves them as the
 * `credit-bureau` source — the loans at other lenders and the overdue history of the enterprise
 * and its main owner, which is all the features read (`bureau-loan`, `bureau-overdue`).
 *
 * JSON:
 * ```json
 * { "creditCode": "91350100M000100Y43", "reportDate": "2025-06-28",
 *   "loans": [{ "subject": "enterprise", "lender": "Bank A", "openedOn": "2024-03-01", "amount": "500000.00",
 *               "balance": "320000.00", "maturityOn": "2026-02-28", "status": "active" }],
 *   "overdue": [{ "subject": "owner", "month": "2025-03", "daysPastDue": 12, "amount": "3000.00" }] }
 * ```
 * XML (the same names, as attributes):
 * ```xml
 * <CreditReport creditCode="91350100M000100Y43" reportDate="2025-06-28">
 *   <Loan subject="enterprise" lender="Bank A" openedOn="2024-03-01" amount="500000.00" balance="320000.00" maturityOn="2026-02-28" status="active"/>
 *   <Overdue subject="owner" month="2025-03" daysPastDue="12" amount="3000.00"/>
 * </CreditReport>
 * ```
 * Files are read and validated in full when the connector is made (a bad file fails with its name
 * and the item), as the CSV connector does.
 *
 * @example
 * const bureau = await creditReportProviderFromDirectory('/data/credit-reports');
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCreditCode } from '../enterprises/credit-code.js';
import { ValidationError } from '../errors.js';
import { checkDataRequest, compareRecords, selectWindow, type DataProvider, type DataRequest } from './data-provider.js';
import type { DataRecord, DataSource, SourceRecordMap } from './data-records.js';
import { decodeRecord } from './record-fields.js';

/** Bound on one report's items: a firm with more loans than this is a data error. */
const MAX_ITEMS = 5000;
/** Bound on the files one directory may hold. */
const MAX_FILES = 200_000;

/** A parsed report: whose, and its records. */
export interface CreditReport {
  readonly creditCode: string;
  readonly records: readonly DataRecord[];
}

type Item = Readonly<Record<string, unknown>>;

/** The report's items as the `credit-bureau` records the features use. */
function toRecords(loans: readonly Item[], overdue: readonly Item[], where: string): DataRecord[] {
  if (loans.length + overdue.length > MAX_ITEMS) throw new ValidationError(where, `has more than ${MAX_ITEMS} items`);
  const records: DataRecord[] = [];
  loans.forEach((loan, i) => records.push(decodeRecord('credit-bureau', 'bureau-loan', { ...loan, date: loan.openedOn }, `${where}: loans[${i}]`)));
  overdue.forEach((row, i) => records.push(decodeRecord('credit-bureau', 'bureau-overdue', row, `${where}: overdue[${i}]`)));
  return records.sort(compareRecords);
}

/**
 * Reads a JSON report.
 *
 * @example
 * parseCreditReportJson('{"creditCode":"91350100M000100Y43","loans":[],"overdue":[]}', 'a.json').records; // []
 */
export function parseCreditReportJson(text: string, where: string): CreditReport {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError(where, 'is not JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError(where, 'must be an object with creditCode, loans and overdue');
  const report = body as Record<string, unknown>;
  const list = (name: string): Item[] => {
    const value = report[name] ?? [];
    if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object')) throw new ValidationError(`${where}: ${name}`, 'must be a list of objects');
    return value as Item[];
  };
  const creditCode = parseCreditCode(String(report.creditCode ?? ''), `${where}: creditCode`);
  return { creditCode, records: toRecords(list('loans'), list('overdue'), where) };
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Reads an XML report: a `CreditReport` element with `Loan` and `Overdue` elements, the values as
 * attributes. A deliberately small reader (no DTD, no entities beyond the five predefined and
 * numeric ones), so a hostile file cannot expand or reach outside.
 *
 * @example
 * parseCreditReportXml('<CreditReport creditCode="91350100M000100Y43"/>', 'a.xml').records; // []
 */
export function parseCreditReportXml(text: string, where: string): CreditReport {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new ValidationError(where, 'must not declare a DTD or entities');
  const elements: { name: string; attributes: Record<string, string> }[] = [];
  const tag = /<([A-Za-z][\w-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*\/?>/g;
  for (let match = tag.exec(text); match !== null; match = tag.exec(text)) {
    if (elements.length > MAX_ITEMS + 1) throw new ValidationError(where, `has more than ${MAX_ITEMS} items`);
    const attributes: Record<string, string> = {};
    for (const a of match[2]!.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g)) {
      attributes[a[1]!] = (a[2] ?? a[3] ?? '').replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) =>
        entity.startsWith('#x') ? String.fromCodePoint(parseInt(entity.slice(2), 16)) : entity.startsWith('#') ? String.fromCodePoint(Number(entity.slice(1))) : (XML_ENTITIES[entity] ?? whole),
      );
    }
    elements.push({ name: match[1]!, attributes });
  }
  const root = elements[0];
  if (root?.name !== 'CreditReport') throw new ValidationError(where, 'must be a CreditReport element');
  const unknown = elements.slice(1).find((e) => e.name !== 'Loan' && e.name !== 'Overdue');
  if (unknown !== undefined) throw new ValidationError(where, `has an unknown element <${unknown.name}> (use Loan and Overdue)`);
  const creditCode = parseCreditCode(root.attributes.creditCode ?? '', `${where}: creditCode`);
  return {
    creditCode,
    records: toRecords(
      elements.filter((e) => e.name === 'Loan').map((e) => e.attributes),
      elements.filter((e) => e.name === 'Overdue').map((e) => e.attributes),
      where,
    ),
  };
}

/**
 * A `credit-bureau` provider over reports already read.
 *
 * @example
 * creditReportProvider([parseCreditReportJson(text, 'x.json')]).sources; // ['credit-bureau']
 */
export function creditReportProvider(reports: readonly CreditReport[], name = 'credit-report-files'): DataProvider {
  const byCode = new Map<string, DataRecord[]>();
  for (const report of reports) {
    if (byCode.has(report.creditCode)) throw new ValidationError(report.creditCode, 'has two reports: keep one file per enterprise');
    byCode.set(report.creditCode, [...report.records]);
  }
  const sources: readonly DataSource[] = ['credit-bureau'];
  return {
    name,
    sources,
    async fetch<S extends DataSource>(request: DataRequest<S>): Promise<readonly SourceRecordMap[S][]> {
      const checked = checkDataRequest(request, sources);
      return selectWindow(byCode.get(checked.creditCode) ?? [], checked) as SourceRecordMap[S][];
    },
  };
}

/**
 * Reads every `*.json` and `*.xml` report in `directory`; the file's name must be the report's credit code.
 *
 * @example
 * const bureau = await creditReportProviderFromDirectory('./reports');
 */
export async function creditReportProviderFromDirectory(directory: string): Promise<DataProvider> {
  const names = (await readdir(directory)).filter((n) => /\.(json|xml)$/i.test(n)).sort();
  if (names.length > MAX_FILES) throw new ValidationError(directory, `holds more than ${MAX_FILES} reports`);
  const reports: CreditReport[] = [];
  for (const fileName of names) {
    const text = await readFile(join(directory, fileName), 'utf8');
    const report = /\.json$/i.test(fileName) ? parseCreditReportJson(text, fileName) : parseCreditReportXml(text, fileName);
    if (fileName.replace(/\.(json|xml)$/i, '') !== report.creditCode) throw new ValidationError(fileName, `holds the report of ${report.creditCode}: name the file ${report.creditCode}${fileName.slice(-5).toLowerCase() === '.json' ? '.json' : '.xml'}`);
    reports.push(report);
  }
  return creditReportProvider(reports, `credit-report-files:${directory}`);
}
