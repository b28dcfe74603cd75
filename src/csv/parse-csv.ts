/**
 * The one CSV reader (RFC 4180): `"` quotes a field holding `,`, `"` or a line end, `""` inside
 * quotes is a quote, records end in `\n` or `\r\n` (a lone `\r` too), the final line end is
 * optional, a UTF-8 byte-order mark before the first field is dropped (Sprout's own exports carry
 * one), and blank lines are skipped rather than read as records of one empty field.
 *
 * Used by the scorecard toolkit (training and scoring files), the CSV data provider (a bank's
 * extracts) and prospect lists. Strict where a silent guess would corrupt data: an unclosed quote
 * or text after a closing quote is a ValidationError naming the file and line.
 *
 * @example
 * parseCsvRows('a,b\r\n1,"x,y"\n', 'tax.csv'); // [['a', 'b'], ['1', 'x,y']]
 * parseCsvTable('age,class\n30,good\n', '--data'); // { header: ['age', 'class'], rows: [['30', 'good']] }
 */
import { ValidationError } from '../errors.js';

/** Bound on records per file (TIGER_STYLE: an explicit limit), far above a bank's monthly extract. */
export const MAX_CSV_ROWS = 10_000_000;
/** Bound on columns of a table. */
export const MAX_CSV_COLUMNS = 10_000;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parses CSV text into records of fields, nothing interpreted. `field` names the input in errors
 * (a file name, `--data`), with the line number.
 *
 * @example
 * parseCsvRows('x\n"a ""b"""\n', 'f.csv'); // [['x'], ['a "b"']]
 * parseCsvRows('"名称","备注"\r\n"甲公司","第一行\n第二行"\r\n', 'f.csv'); // [['名称', '备注'], ['甲公司', '第一行\n第二行']]
 */
export function parseCsvRows(text: string, field: string): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (i >= n) return rows;
  let row: string[] = [];
  let line = 1;
  // Each pass reads one field starting at i; bounded by the text (i only moves forward).
  for (;;) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      const opened = line;
      value = '';
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) throw new ValidationError(field, `line ${opened}: a quoted field is not closed`);
        const chunk = text.slice(from, close);
        for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', at + 1)) line++;
        value += chunk;
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      const after = text.charCodeAt(i);
      if (i < n && after !== COMMA && after !== LF && after !== CR) throw new ValidationError(field, `line ${line}: text after a closing quote`);
    } else {
      let end = i;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === LF || c === CR) break;
        end++;
      }
      value = text.slice(i, end);
      i = end;
    }
    row.push(value);
    if (i < n && text.charCodeAt(i) === COMMA) {
      i++;
      continue;
    }
    // End of record: a line end, or the end of the text.
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    if (rows.length > MAX_CSV_ROWS) throw new ValidationError(field, `more than ${MAX_CSV_ROWS} rows`);
    row = [];
    if (i >= n) break;
    i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    if (i >= n) break;
  }
  return rows;
}

/** A CSV with a header: every row has exactly `header.length` fields. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses CSV text whose first record is the header. Column names are trimmed, must be non-empty
 * and distinct; rows with the wrong number of fields are errors, not silently padded (a shifted
 * column would corrupt a score).
 *
 * @example
 * parseCsvTable('"a,b",c\n1,2', '--data'); // { header: ['a,b', 'c'], rows: [['1', '2']] }
 */
export function parseCsvTable(text: string, field = 'data'): CsvTable {
  const [header, ...rows] = parseCsvRows(text, field);
  if (header === undefined) throw new ValidationError(field, 'is empty: a header line is required');
  if (header.length > MAX_CSV_COLUMNS) throw new ValidationError(field, `more than ${MAX_CSV_COLUMNS} columns`);
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
