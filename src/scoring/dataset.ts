/**
 * A CSV table interpreted for scoring: each column numeric or categorical, missing values marked,
 * and the target (when there is one) as 1 for bad and 0 for good.
 *
 * A column is numeric when every non-missing value is a decimal number; anything else is
 * categorical. Missing values (`MISSING_TOKENS`) are kept as missing, never imputed: they get
 * their own bin, because in credit data "not given" is often information.
 *
 * @example
 * const data = buildDataset(parseCsv(text), { target: 'class', bad: 'bad' });
 * data.columns.find((c) => c.name === 'age')?.kind; // 'numeric'
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import { fingerprintTable, type CsvTable } from './csv-table.js';

/** Cell texts read as missing (after trimming). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);

/** A numeric column: `NaN` marks a missing value. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/** A categorical column: `null` marks a missing value. */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly values: readonly (string | null)[];
}

export type Column = NumericColumn | CategoricalColumn;

/** The interpreted data: predictor columns, and the target when the data has one. */
export interface Dataset {
  readonly rows: number;
  readonly columns: readonly Column[];
  /** 1 = bad, 0 = good, one per row; absent when the data is only to be scored. */
  readonly target: Uint8Array | undefined;
  /** SHA-256 of the data it came from (see `fingerprintTable`). */
  readonly fingerprint: string;
}

/** How to read a table: which column is the target, its bad value, and columns to leave out. */
export interface DatasetOptions {
  readonly target?: string;
  readonly bad?: string;
  readonly exclude?: readonly string[];
  /** Force a column's kind instead of detecting it (a model's kinds when scoring). */
  readonly kinds?: Readonly<Record<string, Column['kind']>>;
  /** Keep only these columns (besides the target). */
  readonly only?: readonly string[];
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Reads one cell as a number; `NaN` when missing. Throws when the text is not a number.
 *
 * @example
 * parseNumericCell(' 12.5 ', 'age', 3); // 12.5
 */
export function parseNumericCell(text: string, column: string, row: number): number {
  const trimmed = text.trim();
  if (MISSING_TOKENS.has(trimmed)) return Number.NaN;
  if (!NUMBER.test(trimmed)) throw new ValidationError(column, `row ${row + 1} has "${text}", a number was expected`);
  return Number(trimmed);
}

/**
 * Whether a column's non-missing values are all numbers (and there is at least one).
 *
 * @example
 * isNumericColumn(['1', '', '2.5']); // true
 */
export function isNumericColumn(cells: readonly string[]): boolean {
  let any = false;
  for (const cell of cells) {
    const trimmed = cell.trim();
    if (MISSING_TOKENS.has(trimmed)) continue;
    if (!NUMBER.test(trimmed)) return false;
    any = true;
  }
  return any;
}

/**
 * Interprets a CSV table. With `target`, its column becomes `Dataset.target`: cells equal to
 * `bad` (after trimming) are 1, other values 0; a missing target is an error.
 *
 * @example
 * const data = buildDataset(parseCsv('x,y\n1,b\n2,g\n'), { target: 'y', bad: 'b' });
 * [...(data.target ?? [])]; // [1, 0]
 */
export function buildDataset(table: CsvTable, options: DatasetOptions = {}): Dataset {
  const index = new Map(table.header.map((name, i) => [name, i] as const));
  const exclude = new Set(options.exclude ?? []);
  for (const name of exclude) if (!index.has(name)) throw new ValidationError('exclude', `no column "${name}" in the data`);
  let target: Uint8Array | undefined;
  if (options.target !== undefined) {
    const at = index.get(options.target);
    if (at === undefined) throw new ValidationError('target', `no column "${options.target}" in the data`);
    if (options.bad === undefined) throw new ValidationError('bad', 'the bad value of the target is required');
    const bad = options.bad.trim();
    target = new Uint8Array(table.rows.length);
    let bads = 0;
    table.rows.forEach((row, r) => {
      const cell = (row[at] ?? '').trim();
      if (MISSING_TOKENS.has(cell)) throw new ValidationError('target', `row ${r + 1} has no value in "${options.target}"`);
      if (cell === bad) {
        (target as Uint8Array)[r] = 1;
        bads++;
      }
    });
    if (bads === 0) throw new ValidationError('bad', `no row has "${bad}" in "${options.target}"`);
    if (bads === table.rows.length) throw new ValidationError('bad', `every row has "${bad}" in "${options.target}": there are no goods`);
  }
  const names = (options.only ?? table.header).filter((name) => name !== options.target && !exclude.has(name));
  const columns = names.map((name): Column => {
    const at = index.get(name);
    if (at === undefined) throw new ValidationError('data', `no column "${name}" in the data`);
    const cells = table.rows.map((row) => row[at] ?? '');
    const kind = options.kinds?.[name] ?? (isNumericColumn(cells) ? 'numeric' : 'categorical');
    if (kind === 'numeric') {
      const values = new Float64Array(cells.length);
      cells.forEach((cell, r) => (values[r] = parseNumericCell(cell, name, r)));
      return { kind, name, values };
    }
    return { kind, name, values: cells.map((cell) => (MISSING_TOKENS.has(cell.trim()) ? null : cell.trim())) };
  });
  return { rows: table.rows.length, columns, target, fingerprint: fingerprintTable(table) };
}

/**
 * The dataset restricted to some rows, in the order given (a cross-validation fold).
 *
 * @example
 * const train = subsetDataset(data, [0, 2, 5]);
 * train.rows; // 3
 */
export function subsetDataset(data: Dataset, rows: readonly number[]): Dataset {
  const columns = data.columns.map((column): Column => {
    if (column.kind === 'numeric') {
      const values = new Float64Array(rows.length);
      rows.forEach((r, i) => (values[i] = column.values[r] as number));
      return { ...column, values };
    }
    return { ...column, values: rows.map((r) => column.values[r] ?? null) };
  });
  const target = data.target === undefined ? undefined : Uint8Array.from(rows, (r) => (data.target as Uint8Array)[r] as number);
  const fingerprint = createHash('sha256').update(`${data.fingerprint}:${rows.join(',')}`).digest('hex');
  return { rows: rows.length, columns, target, fingerprint };
}
