/**
 * Paging for the officer's lists (the queue, loans, enterprises, prospects): offset and limit with
 * the total, so a screen can say "1–50 of 286" and reach the last line. Offset paging over a
 * stable order (each list ends its order with the id) is exact for a book of thousands of rows;
 * keyset paging would save the skipped rows' cost only on much deeper pages than a person reads.
 */
import { ValidationError } from '../errors.js';

/** Largest page a screen asks for. */
export const MAX_PAGE = 200;
/** Deepest offset accepted: far beyond a person's reading, a bound on the rows a query skips. */
export const MAX_OFFSET = 1_000_000;

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

/** One page of a list: its rows, where it starts, how many it may hold, and how many match in all. */
export interface Page<Row> {
  readonly items: readonly Row[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
}

/**
 * Reads `offset` and `limit` as the query string gives them (digits); 0 and 50 when absent.
 *
 * @example
 * pageRequest({ offset: '250', limit: '50' }); // { offset: 250, limit: 50 }
 */
export function pageRequest(query: { readonly offset?: string; readonly limit?: string }): PageRequest {
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > MAX_OFFSET) throw new ValidationError('offset', `must be 0 to ${MAX_OFFSET}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new ValidationError('limit', `must be 1 to ${MAX_PAGE}`);
  return { offset, limit };
}

/**
 * The search text as a LIKE pattern matching it anywhere, its own wildcards literal; undefined
 * for no search. At most 100 characters.
 */
export function containsPattern(q: string | undefined): string | undefined {
  const text = q?.trim() ?? '';
  if (text === '') return undefined;
  if (text.length > 100) throw new ValidationError('q', 'must be at most 100 characters');
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** `count(*)` comes back as bigint, number or text by driver; a page total is a number. */
export function countOf(row: { readonly total: unknown } | undefined): number {
  const total = Number(row?.total ?? 0);
  if (!Number.isSafeInteger(total) || total < 0) throw new ValidationError('total', 'count out of range');
  return total;
}
