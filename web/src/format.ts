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

/**
 * A money axis label: 万 and 亿 in Chinese (250,000,000 → "2.5亿", never "25,000万"; 1,250,000 →
 * "125万"), k/M/B in English. At most two decimals, trailing zeros dropped.
 *
 * @example
 * compactYuan(250_000_000, 'zh'); // "2.5亿"
 * compactYuan(1_250_000, 'en');   // "1.25M"
 */
export function compactYuan(value: number, language: 'zh' | 'en'): string {
  const abs = Math.abs(value);
  const scaled = (divisor: number, unit: string) => `${Number((value / divisor).toFixed(2)).toLocaleString(language === 'zh' ? 'zh-CN' : 'en')}${unit}`;
  if (language === 'zh') {
    if (abs >= 1e8) return scaled(1e8, '亿');
    if (abs >= 1e4) return scaled(1e4, '万');
    return String(value);
  }
  if (abs >= 1e9) return scaled(1e9, 'B');
  if (abs >= 1e6) return scaled(1e6, 'M');
  if (abs >= 1e3) return scaled(1e3, 'k');
  return String(value);
}

/**
 * A product's name in the page's language: a product has a Chinese name (`name`, the one in the
 * contract) and an English one (`nameEn`).
 *
 * @example
 * productName('小微循环贷', 'Revolving micro credit line', 'en'); // "Revolving micro credit line"
 */
export function productName(name: string, nameEn: string, language: 'zh' | 'en'): string {
  return language === 'zh' ? name : nameEn;
}
