/**
 * Many rows as one array parameter per column: `unnest(cast($1 as uuid[]), cast($2 as bigint[]), …)
 * as v(id, amount, …)`, for the set-based statements of a batch (an update `from` it, an insert
 * `select * from` it).
 *
 * A multi-row `VALUES` has one parameter per cell, each cast to its column's type: Kysely builds
 * and compiles a node per cell, the driver serialises each parameter and the server parses and
 * plans a statement whose text changes with the row count. Measured (docs/benchmarks.md, "Session
 * 22 (s22b)"): a 250-row loans update is built, compiled and serialised in 0.3 ms instead of 0.75,
 * and planned in 0.08 ms instead of 0.43; its text is 1 KB instead of 94 KB, and the same at every
 * batch size, so the server keeps one prepared statement for it (src/db/postgres-backend.ts).
 *
 * Each column goes to the driver as one array literal built here (`{"a","b",NULL}`, see
 * `arrayLiteral`): `pg` and PGlite send a string as it is, so both send the same text, and the
 * server, not JavaScript, turns it into the column's type (a bigint keeps every digit). Handed a
 * JavaScript array instead, `pg` escapes every element with two regular expressions, which made
 * sending a 750-row loans update 1.7 ms against 0.4 ms for the VALUES it replaces
 * (docs/benchmarks.md, "Session 22 (s22b)").
 */
import { sql, type AliasedRawBuilder, type RawBuilder } from 'kysely';
import { invariant } from '../errors.js';

/** The SQL types a column of {@link unnestRows} may have: those the money path writes. */
export type UnnestType = 'uuid' | 'bigint' | 'integer' | 'smallint' | 'text' | 'date' | 'timestamptz' | 'jsonb' | 'boolean';

/** What a cell may hold; `null` (or `undefined`) is SQL NULL. */
export type UnnestCell = string | bigint | number | boolean | Date | null | undefined;

/** Most rows in one {@link unnestRows}: the largest batch writes 250 loans' installments (new-loan.ts). */
export const MAX_UNNEST_ROWS = 100_000;

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * `unnest(cast($1 as t1[]), …) as v(c1, …)` over `rows`, one array parameter per column of
 * `columns` (name → SQL type), in the order `columns` names them. Use it where a `(values …) as
 * v(…)` would go, in raw SQL or in Kysely's `selectFrom`; `select *` from it lists the columns in
 * that order. Every row names every column (`null` for SQL NULL).
 *
 * @example
 * await sql`update credit_line set available = credit_line.available + v.amount
 *   from ${unnestRows({ id: 'uuid', amount: 'bigint' }, [{ id: lineId, amount: 100_00n }])}
 *   where credit_line.id = v.id`.execute(trx);
 * @example
 * await trx.insertInto('journal_line').columns(['entry_id', 'amount'])
 *   .expression(sql`select * from ${unnestRows({ entry_id: 'uuid', amount: 'bigint' }, lines)}`).execute();
 */
export function unnestRows<const T extends Readonly<Record<string, UnnestType>>>(
  columns: T,
  rows: readonly NoInfer<{ readonly [K in keyof T]: UnnestCell }>[],
): AliasedRawBuilder<{ [K in keyof T]: unknown }, 'v'> {
  const names = Object.keys(columns) as (keyof T & string)[];
  invariant(names.length > 0 && names.every((name) => NAME.test(name)), 'unnest columns are plain identifiers');
  invariant(rows.length <= MAX_UNNEST_ROWS, `${rows.length} rows in one unnest`);
  const arrays = names.map((name) => {
    const cells = new Array<string | null>(rows.length);
    for (let at = 0; at < rows.length; at++) cells[at] = asText(rows[at]![name]);
    return sql`cast(${arrayLiteral(cells)} as ${sql.raw(columns[name]!)}[])`;
  });
  return sql<{ [K in keyof T]: unknown }>`unnest(${sql.join(arrays)})`.as<'v'>(sql`v(${sql.raw(names.join(', '))})`);
}

/**
 * The column names of an {@link unnestRows} column list, in its order, typed as its keys: what an
 * insert from it names (`insertInto(t).columns(columnNames(columns))`), which Kysely checks
 * against the table.
 *
 * @example
 * await trx.insertInto('journal_line').columns(columnNames(LINE_COLUMNS)).expression(sql`select * from ${unnestRows(LINE_COLUMNS, lines)}`).execute();
 */
export function columnNames<const T extends Readonly<Record<string, UnnestType>>>(columns: T): (keyof T & string)[] {
  return Object.keys(columns) as (keyof T & string)[];
}

/** A cell as the text PostgreSQL reads for its type; null for SQL NULL. */
function asText(cell: UnnestCell): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string') return cell;
  if (cell instanceof Date) {
    invariant(!Number.isNaN(cell.getTime()), 'an invalid Date in an array parameter');
    return cell.toISOString();
  }
  if (typeof cell === 'number') invariant(Number.isFinite(cell), `a non-finite number ${cell} in an array parameter`);
  return String(cell);
}

/**
 * `cells` as a PostgreSQL array literal: `{"a","b\"c",NULL}`. Every element is quoted, its quotes
 * and backslashes escaped, so no text (an id from a request) can end its element early or add one.
 *
 * JSON writes a string the way an array literal quotes it, but for control characters and lone
 * surrogates (`\n`, `\u0001`, which the literal would read as `n`, `u0001`); without them, the
 * literal is JSON.stringify's text in braces (its `null` an unquoted NULL), which escapes a
 * column of JSON documents (the audit's `before` and `after`) six times faster than a
 * replace per cell. With them, each element is escaped here.
 */
function arrayLiteral(cells: readonly (string | null)[]): string {
  if (!cells.some((cell) => cell !== null && NOT_AS_JSON.test(cell))) {
    const json = JSON.stringify(cells);
    return `{${json.slice(1, -1)}}`;
  }
  return `{${cells.map((cell) => (cell === null ? 'NULL' : `"${cell.replace(ESCAPED, '\\$&')}"`)).join(',')}}`;
}

/** What JSON escapes otherwise than an array literal: control characters and (lone) surrogates. */
const NOT_AS_JSON = /[\u0000-\u001f\ud800-\udfff]/;
const ESCAPED = /["\\]/g;

/**
 * `any(cast($1 as type[]))`: a list of `values` as one array parameter, for `where id = any(…)`
 * in place of `where id in ($1, $2, …)`, whose text (and so its prepared statement) changes with
 * the list's length.
 *
 * @example
 * await trx.selectFrom('loan').selectAll().where('id', '=', anyOf(ids, 'uuid')).execute();
 */
export function anyOf(values: readonly UnnestCell[], type: UnnestType): RawBuilder<string> {
  invariant(values.length <= MAX_UNNEST_ROWS, `${values.length} values in one array`);
  return sql<string>`any(cast(${arrayLiteral(values.map(asText))} as ${sql.raw(type)}[]))`;
}
