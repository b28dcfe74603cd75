/**
 * Each record kind's fields and their types: the one description that both the database payload
 * (`data_record.payload`, JSON) and the CSV import/export read and write, so a record survives
 * either round trip unchanged. Money is written "1234.56" (fen inside), dates 'YYYY-MM-DD',
 * months 'YYYY-MM'.
 *
 * @example
 * const fields = encodeRecord(record);        // { month: '2025-05', invoicedSales: '1200.00', … }
 * decodeRecord('tax', fields, 'payload');     // the record again
 */
import { parseBusinessDate } from '../calendar/index.js';
import { ValidationError } from '../errors.js';
import { formatMoney, parseMoney } from '../money/index.js';
import { parseMonth, type DataRecord, type DataSource } from './data-records.js';

type FieldType = 'month' | 'date' | 'date?' | 'money' | 'count' | 'quantity' | 'text' | readonly string[];

/** The kinds of each source and the fields of each kind (besides `source` and `kind`). */
export const RECORD_KINDS: Readonly<Record<DataSource, Readonly<Record<string, Readonly<Record<string, FieldType>>>>>> = {
  tax: { 'tax-month': { month: 'month', invoicedSales: 'money', taxPaid: 'money' } },
  electricity: { 'electricity-month': { month: 'month', kwh: 'quantity' } },
  water: { 'water-month': { month: 'month', cubicMetres: 'quantity' } },
  'social-security': { 'headcount-month': { month: 'month', insuredEmployees: 'count' } },
  registration: {
    'registration-change': { date: 'date', item: 'text' },
    'administrative-penalty': { date: 'date', authority: 'text', reason: 'text', amount: 'money' },
    'legal-representative': { date: 'date', name: 'text', idNumber: 'text' },
  },
  courts: {
    lawsuit: { date: 'date', caseNumber: 'text', role: ['plaintiff', 'defendant'], cause: 'text', amount: 'money', status: ['pending', 'closed'] },
    'dishonest-debtor': { date: 'date', removedOn: 'date?', court: 'text', caseNumber: 'text', amount: 'money' },
  },
  'credit-bureau': {
    'bureau-loan': { subject: ['enterprise', 'owner'], date: 'date', lender: 'text', amount: 'money', balance: 'money', maturityOn: 'date', status: ['active', 'closed'] },
    'bureau-overdue': { subject: ['enterprise', 'owner'], month: 'month', daysPastDue: 'count', amount: 'money' },
  },
};

/** A record's fields as plain JSON values: money and dates as strings, quantities as numbers. */
export type EncodedFields = Record<string, string | number | null>;

/**
 * The record's fields (without `source` and `kind`) as JSON values.
 *
 * @example
 * encodeRecord({ source: 'water', kind: 'water-month', month: '2025-05', cubicMetres: 42 }); // { month: '2025-05', cubicMetres: 42 }
 */
export function encodeRecord(record: DataRecord): EncodedFields {
  const fields: EncodedFields = {};
  for (const [name, type] of FIELD_LISTS[record.source][record.kind] ?? []) {
    const value = (record as unknown as Record<string, unknown>)[name];
    fields[name] = type === 'money' ? formatMoney(value as bigint) : (value as string | number | null);
  }
  return fields;
}

// RECORD_KINDS as lists, made once: encoding runs for every record of every pull (a monitoring
// night encodes millions), and `Object.entries` made a new list each time.
const FIELD_LISTS = Object.fromEntries(
  Object.entries(RECORD_KINDS).map(([source, kinds]) => [source, Object.fromEntries(Object.entries(kinds).map(([kind, types]) => [kind, Object.entries(types)]))]),
) as unknown as Readonly<Record<DataSource, Readonly<Record<string, readonly (readonly [string, FieldType])[]>>>>;

/**
 * Reads a record of `source` and `kind` from fields (strings or JSON values), validating each;
 * errors name `where` and the field (`tax.csv line 7: invoicedSales: …`).
 *
 * @example
 * decodeRecord('tax', 'tax-month', { month: '2025-05', invoicedSales: '1200.00', taxPaid: '12.00' }, 'tax.csv line 2');
 */
export function decodeRecord(source: DataSource, kind: string, fields: Readonly<Record<string, unknown>>, where: string): DataRecord {
  const types = RECORD_KINDS[source][kind];
  if (types === undefined) throw new ValidationError(where, `'${kind}' is not a kind of ${source} record (use ${Object.keys(RECORD_KINDS[source]).join(', ')})`);
  const record: Record<string, unknown> = { source, kind };
  for (const [name, type] of Object.entries(types)) record[name] = decodeField(fields[name], type, `${where}: ${name}`);
  return record as unknown as DataRecord;
}

function decodeField(raw: unknown, type: FieldType, field: string): unknown {
  const text = raw === null || raw === undefined ? '' : String(raw).trim();
  if (type === 'date?' && text === '') return null;
  if (text === '') throw new ValidationError(field, 'is required');
  if (Array.isArray(type)) {
    if (!type.includes(text)) throw new ValidationError(field, `must be one of ${type.join(', ')}`);
    return text;
  }
  switch (type) {
    case 'month':
      return parseMonth(text, field);
    case 'date':
    case 'date?':
      return parseBusinessDate(text, field);
    case 'money':
      return parseMoney(text, field);
    case 'count': {
      if (!/^\d{1,9}$/.test(text)) throw new ValidationError(field, 'must be a whole number, zero or more');
      return Number(text);
    }
    case 'quantity': {
      if (!/^\d{1,15}(\.\d{1,6})?$/.test(text)) throw new ValidationError(field, 'must be a number, zero or more, e.g. "2400" or "12.5"');
      return Number(text);
    }
    default:
      if (text.length > 500) throw new ValidationError(field, 'must be at most 500 characters');
      return text;
  }
}
