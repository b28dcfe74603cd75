/**
 * Reading a prospect list as a bank's staff send it: a CSV (or tab-separated text) in UTF-8 — or
 * in GBK/GB18030, which is what Excel on a Chinese Windows saves as "CSV" — or an XLSX workbook.
 * The encoding is detected, never assumed: UTF-8 is tried first with `fatal: true` (a GBK file of
 * Chinese names is almost never valid UTF-8), then GB18030, a superset of GBK. A file that decodes
 * to garbage is refused with the reason rather than imported as mojibake.
 */
import type ExcelJS from 'exceljs';
import { parseCsvRows } from '../csv/index.js';
import { ValidationError } from '../errors.js';

/** How the file was read, reported back to the person who sent it. */
export const PROSPECT_FILE_FORMATS = ['utf-8', 'gb18030', 'utf-16le', 'xlsx'] as const;
export type ProspectFileFormat = (typeof PROSPECT_FILE_FORMATS)[number];

/** Largest file accepted: a 5,000-row list is about 300 KB as CSV, less as XLSX. */
export const MAX_PROSPECT_FILE_BYTES = 700 * 1024;

export interface ProspectFile {
  readonly format: ProspectFileFormat;
  readonly rows: readonly { readonly creditCode: string; readonly name: string }[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** An Excel 97–2003 `.xls` (OLE compound file). */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((byte, index) => bytes[index] === byte);

/**
 * Decodes and splits a prospect file into (credit code, name) rows; a header row is skipped.
 *
 * @example
 * const file = await readProspectFile(gbkBytes);
 * file.format; // 'gb18030'
 * file.rows[0]; // { creditCode: '91330100MA2XXXXXXX', name: '杭州某某贸易有限公司' }
 */
export async function readProspectFile(bytes: Uint8Array): Promise<ProspectFile> {
  if (bytes.length === 0) throw new ValidationError('file', 'is empty');
  if (bytes.length > MAX_PROSPECT_FILE_BYTES) throw new ValidationError('file', `is larger than ${MAX_PROSPECT_FILE_BYTES} bytes: split the list into several batches`);
  if (startsWith(bytes, OLE_MAGIC)) throw new ValidationError('file', 'is an Excel 97–2003 .xls workbook: save it as .xlsx or as CSV');
  if (startsWith(bytes, ZIP_MAGIC)) return { format: 'xlsx', rows: toProspectRows(await xlsxCells(bytes)) };
  const { format, text } = decodeText(bytes);
  assertReadable(text);
  const delimiter = firstLine(text).includes('\t') && !firstLine(text).includes(',') ? '\t' : ',';
  const cells = delimiter === ',' ? parseCsvRows(text.replace(/，/g, ','), 'file') : text.split(/\r?\n/).map((line) => line.split('\t'));
  return { format, rows: toProspectRows(cells) };
}

/** The text of the file: UTF-8 (with or without its BOM), UTF-16LE with its BOM, else GB18030. */
export function decodeText(bytes: Uint8Array): { format: ProspectFileFormat; text: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { format: 'utf-16le', text: strictDecode('utf-16le', bytes.subarray(2), 'UTF-16') };
  const utf8 = tryDecode('utf-8', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
  if (utf8 !== null) return { format: 'utf-8', text: utf8 };
  const gb = tryDecode('gb18030', bytes);
  if (gb !== null) return { format: 'gb18030', text: gb };
  throw new ValidationError('file', 'is neither UTF-8 nor GBK/GB18030 text (some bytes form no character in either): save it from Excel as "CSV UTF-8" or as .xlsx');
}

function tryDecode(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

function strictDecode(encoding: string, bytes: Uint8Array, name: string): string {
  const text = tryDecode(encoding, bytes);
  if (text === null) throw new ValidationError('file', `has a ${name} byte-order mark but is not valid ${name}`);
  return text;
}

/**
 * Refuses text that decoded but is not what a person typed: U+FFFD (characters lost in an earlier
 * conversion), private-use characters (a Big5 or Shift-JIS file read as GB18030), control
 * characters, and UTF-8 read as Latin-1 and saved again ("æ\u009d\u00adå·" for 杭州), the
 * commonest mojibake.
 */
export function assertReadable(text: string): void {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const where = `line ${index + 1}`;
    if (line.includes('\uFFFD')) throw new ValidationError('file', `${where} contains U+FFFD replacement characters: the file lost characters in an earlier conversion; export it again from the source`);
    if (/[\uE000-\uF8FF]/.test(line)) throw new ValidationError('file', `${where} contains private-use characters: the file is probably in another encoding (Big5, Shift-JIS); save it as "CSV UTF-8" or .xlsx`);
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(line)) throw new ValidationError('file', `${where} contains control characters: it is not a text list`);
    if (/[\u00C2-\u00EF][\u0080-\u00BF]/.test(line)) throw new ValidationError('file', `${where} looks like UTF-8 read as Latin-1 and saved again (mojibake, e.g. "æ\u009d\u00ad" for 杭): export it again from the source`);
  }
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** Rows of cells as (code, name): blank rows and a header row dropped; a name may hold commas. */
function toProspectRows(cells: readonly (readonly string[])[]): { creditCode: string; name: string }[] {
  const rows = cells
    .map((row) => row.map((cell) => cell.trim()))
    .filter((row) => row.some((cell) => cell !== ''))
    .map(([code = '', ...rest]) => ({ creditCode: code.replace(/^\uFEFF/, '').toUpperCase(), name: rest.filter((cell) => cell !== '').join(',') }));
  if (rows.length > 0 && isHeader(rows[0]!.creditCode)) rows.shift();
  return rows;
}

const isHeader = (cell: string) => /^CREDIT_?CODE/i.test(cell) || cell.startsWith('统一社会信用代码') || cell === '信用代码';

/** The first worksheet's cells as text; formulas give their cached result. */
async function xlsxCells(bytes: Uint8Array): Promise<string[][]> {
  // Loaded when a workbook arrives (report-sheets.ts says why).
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new ValidationError('file', `is not a readable XLSX workbook (${(error as Error).message.slice(0, 120)})`);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new ValidationError('file', 'has no worksheet');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let column = 1; column <= Math.min(row.cellCount, 50); column += 1) cells.push(cellText(row.getCell(column).value));
    rows.push(cells);
  });
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return value.result === undefined || value.result === null ? '' : cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  return '';
}
