/**
 * Display formats. Amounts arrive as decimal strings ("650000.00") and are only regrouped for
 * reading, never turned into floating point, so what is shown is exactly what the API said.
 */
import { exportCsv } from '../../src/csv/write-csv.js';

/** "650000.00" → "650,000.00". */
export function groupDigits(amount: string): string {
  const [whole = '0', fraction] = amount.split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** "650000.00" → "¥650,000.00". */
export const yuan = (amount: string) => `¥${groupDigits(amount)}`;

/** "84.62" → "84.62%". */
export const percent = (value: string) => `${value}%`;

/**
 * A CSV download from rows of cells: the server's one CSV writer (`src/csv/write-csv.ts`), so the
 * file has the same BOM, quoting and formula-injection guard as the API's `.csv` routes.
 */
export const toCsv = (rows: readonly (readonly (string | number)[])[]): string => exportCsv(rows);

/** Offers `text` as a download named `filename`. */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
