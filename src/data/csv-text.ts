/**
 * CSV text in and out, RFC 4180: `"` quotes fields containing `,`, `"` or a line end, `""` is a
 * quote; `\n` or `\r\n` line ends; a UTF-8 byte-order mark and a final newline are accepted.
 *
 * @example
 * parseCsvText('a,b\n1,"x,y"\n', 'tax.csv'); // [['a', 'b'], ['1', 'x,y']]
 * csvLine(['1', 'x,y']); // '1,"x,y"'
 */
import { ValidationError } from '../errors.js';

/** Bound on rows per file: a bank's monthly extract, not an unbounded stream. */
export const MAX_CSV_ROWS = 5_000_000;

/**
 * Parses CSV text into rows of fields. `field` names the file in errors, with the line number.
 *
 * @example
 * parseCsvText('x\n"a ""b"""\n', 'f.csv'); // [['x'], ['a "b"']]
 */
export function parseCsvText(text: string, field: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    row.push(value);
    // A blank line (one empty field) is skipped rather than read as a record.
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    if (rows.length > MAX_CSV_ROWS) throw new ValidationError(field, `more than ${MAX_CSV_ROWS} rows`);
    row = [];
    value = '';
    afterQuote = false;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          value += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n') line++;
        value += c;
      }
      continue;
    }
    if (c === ',') {
      row.push(value);
      value = '';
      afterQuote = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else if (c === '"' && value === '' && !afterQuote) {
      quoted = true;
    } else if (afterQuote) {
      throw new ValidationError(field, `line ${line}: text after a closing quote`);
    } else {
      value += c;
    }
  }
  if (quoted) throw new ValidationError(field, `line ${line}: a quoted field is not closed`);
  if (value !== '' || row.length > 0) endRow();
  return rows;
}

/**
 * One CSV line (no line end), quoting where needed.
 *
 * @example
 * csvLine(['a', 'b"c']); // 'a,"b""c"'
 */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}
