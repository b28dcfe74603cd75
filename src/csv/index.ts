/**
 * CSV, read and written in one place: {@link parseCsvRows} / {@link parseCsvTable} to read,
 * {@link exportCsv} for files people open (BOM, formula injection neutralised), {@link csvText}
 * and {@link csvLine} for data read back by programs.
 *
 * @example
 * import { exportCsv, parseCsvTable } from '../csv/index.js';
 */
export { parseCsvRows, parseCsvTable, MAX_CSV_ROWS, MAX_CSV_COLUMNS, type CsvTable } from './parse-csv.js';
export { csvField, csvLine, csvText, exportCsv, neutraliseFormula, CSV_BOM, type CsvCell } from './write-csv.js';
