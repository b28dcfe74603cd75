/**
 * The one CSV writer (RFC 4180: fields quoted when they hold `,`, `"` or a line end, `""` for a
 * quote, records ended by `\r\n`). Two uses:
 *
 * - {@link exportCsv}, for files a person opens (every HTTP `.csv` route, CLI outputs, the web
 *   app's downloads): UTF-8 with a byte-order mark, so Excel reads Chinese as Chinese rather than
 *   as the ANSI code page; and every cell a spreadsheet would run as a formula neutralised
 *   (CSV/formula injection, OWASP): a cell starting with `=`, `+`, `-`, `@`, tab or carriage return
 *   gets a leading `'`, which Excel and LibreOffice show as text. A cell that is a plain number
 *   ("-305.00", "-1.5e-7") is left alone: it cannot run anything, and a money column must stay
 *   numeric in the spreadsheet.
 * - {@link csvText}, for data Sprout or another program reads back exactly (fixtures, training
 *   sets): no mark, no neutralisation.
 *
 * No imports: the web app builds its downloads with this same file.
 *
 * @example
 * exportCsv([['名称', '余额'], ['甲公司', '-305.00'], ['=HYPERLINK("x")', '1']]);
 * // '\uFEFF名称,余额\r\n甲公司,-305.00\r\n"\'=HYPERLINK(""x"")",1\r\n'
 */

/** A cell as callers have it; `null` and `undefined` are empty cells. */
export type CsvCell = string | number | bigint | boolean | null | undefined;

/** The UTF-8 byte-order mark, as the first character of an export. */
export const CSV_BOM = '\uFEFF';

const NEEDS_QUOTES = /[",\r\n]/;
// Characters that make a spreadsheet read the cell as a formula (or, for tab and CR, that some
// spreadsheets strip before checking for one).
const FORMULA_START = /^[=+\-@\t\r]/;
// A plain decimal number, optionally signed, optionally in exponent form: what toFixed, String
// and formatMoney produce. Such a cell is data, not a formula.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A field as it appears in CSV text: quoted when it needs to be.
 *
 * @example
 * csvField('a,b'); // '"a,b"'
 * csvField('say "hi"'); // '"say ""hi"""'
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * One record, no line end.
 *
 * @example
 * csvLine(['a', 'b"c']); // 'a,"b""c"'
 */
export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/**
 * A cell made safe to open in a spreadsheet: a leading `'` when it would start a formula, unless
 * it is a plain number.
 *
 * @example
 * neutraliseFormula('=1+1'); // "'=1+1"
 * neutraliseFormula('@SUM(A1)'); // "'@SUM(A1)"
 * neutraliseFormula('-305.00'); // '-305.00'
 * neutraliseFormula('-1+2'); // "'-1+2"
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

function cellText(cell: CsvCell): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/**
 * Records as CSV text for a program to read back: `\r\n` after every record, no mark, cells as
 * they are.
 *
 * @example
 * csvText([['a', 'b'], [1, 'x,y']]); // 'a,b\r\n1,"x,y"\r\n'
 */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  let out = '';
  for (const row of rows) out += `${row.map((cell) => csvField(cellText(cell))).join(',')}\r\n`;
  return out;
}

/**
 * Records as a file for a person: the byte-order mark, formula-like cells neutralised, `\r\n`
 * after every record.
 *
 * @example
 * exportCsv([['number', 'principal'], [1, '-0.01']]); // '\uFEFFnumber,principal\r\n1,-0.01\r\n'
 */
export function exportCsv(rows: readonly (readonly CsvCell[])[]): string {
  let out = CSV_BOM;
  for (const row of rows) out += `${row.map((cell) => csvField(neutraliseFormula(cellText(cell)))).join(',')}\r\n`;
  return out;
}
