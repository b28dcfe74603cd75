/**
 * A CSV file as a table of strings: the header and the rows, nothing interpreted yet. RFC 4180
 * quoting (`"a,b"`, `""` for a quote), `\n` or `\r\n` line ends, a trailing newline optional.
 *
 * @example
 * const table = parseCsv('age,class\n30,good\n,bad\n');
 * // { header: ['age', 'class'], rows: [['30', 'good'], ['', 'bad']] }
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';

/** A parsed CSV: every row has exactly `header.length` fields. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

// Bounds the input so one bad file cannot exhaust memory silently (TIGER_STYLE: explicit limits).
const MAX_ROWS = 10_000_000;
const MAX_COLUMNS = 10_000;

/**
 * Parses CSV text. `field` names the input in errors (`--data`). Rows with the wrong number of
 * fields are errors, not silently padded: a shifted column would corrupt a score.
 *
 * @example
 * parseCsv('"a,b",c\n1,2', '--data').rows; // [['1', '2']]
 */
export function parseCsv(text: string, field = 'data'): CsvTable {
  const records: string[][] = [];
  let record: string[] = [];
  let value = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte-order mark is not part of the first name
  const n = text.length;
  let fieldStart = i;
  let pending = false; // `value` holds unescaped text from a quoted field
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) {
          value += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        fieldStart = i;
        continue;
      }
      const next = text.indexOf('"', i);
      if (next < 0) throw new ValidationError(field, `unterminated quoted field on line ${records.length + 1}`);
      value += text.slice(i, next);
      i = next;
      continue;
    }
    if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) {
      record.push(pending ? value + text.slice(fieldStart, i) : text.slice(fieldStart, i));
      value = '';
      pending = false;
      if (c === 44) {
        i++;
      } else {
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        if (!(record.length === 1 && record[0] === '')) records.push(record); // blank lines are skipped
        if (records.length > MAX_ROWS) throw new ValidationError(field, `more than ${MAX_ROWS} rows`);
        record = [];
      }
      fieldStart = i;
      continue;
    }
    if (c === 34 && i === fieldStart && !pending) {
      quoted = true;
      pending = true;
      i++;
      continue;
    }
    i++;
  }
  if (quoted) throw new ValidationError(field, `unterminated quoted field on line ${records.length + 1}`);
  if (fieldStart < n || record.length > 0 || pending) {
    record.push(pending ? value + text.slice(fieldStart, n) : text.slice(fieldStart, n));
    if (!(record.length === 1 && record[0] === '')) records.push(record);
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new ValidationError(field, 'is empty: a header line is required');
  if (header.length > MAX_COLUMNS) throw new ValidationError(field, `more than ${MAX_COLUMNS} columns`);
  const trimmed = header.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of trimmed) {
    if (name === '') throw new ValidationError(field, 'the header has an empty column name');
    if (seen.has(name)) throw new ValidationError(field, `the header names column "${name}" twice`);
    seen.add(name);
  }
  rows.forEach((row, index) => {
    if (row.length !== trimmed.length) {
      throw new ValidationError(field, `line ${index + 2} has ${row.length} fields, the header has ${trimmed.length}`);
    }
  });
  return { header: trimmed, rows };
}

/**
 * Quotes a value for CSV output when it needs it.
 *
 * @example
 * csvField('a,b'); // '"a,b"'
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A SHA-256 of the table's content (header and cells, not its formatting): the same data read
 * from a file with other line ends or quoting has the same fingerprint. Stored in a model so a
 * reviewer can tell which data it was trained on.
 *
 * @example
 * fingerprintTable(parseCsv('a\n1\n')) === fingerprintTable(parseCsv('"a"\r\n1')); // true
 */
export function fingerprintTable(table: CsvTable): string {
  const hash = createHash('sha256');
  // Unit and record separators cannot appear in ordinary text, so the encoding is unambiguous.
  hash.update(table.header.join('\u001f'));
  for (const row of table.rows) hash.update(`\u001e${row.join('\u001f')}`);
  return hash.digest('hex');
}
