/**
 * A CSV table's fingerprint, for the scorecard toolkit. Reading the table is the CSV module's
 * (`src/csv/`); this only hashes what it read.
 *
 * @example
 * fingerprintTable(parseCsvTable('a\n1\n')) === fingerprintTable(parseCsvTable('"a"\r\n1')); // true
 */
import { createHash } from 'node:crypto';
import type { CsvTable } from '../csv/parse-csv.js';

export type { CsvTable } from '../csv/parse-csv.js';

/**
 * A SHA-256 of the table's content (header and cells, not its formatting): the same data read
 * from a file with other line ends or quoting has the same fingerprint. Stored in a model so a
 * reviewer can tell which data it was trained on.
 *
 * @example
 * fingerprintTable(parseCsvTable('a\n1\n')) === fingerprintTable(parseCsvTable('"a"\r\n1')); // true
 */
export function fingerprintTable(table: CsvTable): string {
  const hash = createHash('sha256');
  // Unit and record separators cannot appear in ordinary text, so the encoding is unambiguous.
  hash.update(table.header.join('\u001f'));
  for (const row of table.rows) hash.update(`\u001e${row.join('\u001f')}`);
  return hash.digest('hex');
}
