/**
 * Schema names Sprout puts on a search path: checked, then quoted, because a search path cannot be
 * a bound parameter.
 */
import { invariant } from '../errors.js';

/** `set search_path to "name"` for a schema name made of lower-case letters, digits and `_`. */
export function searchPathStatement(schema: string): string {
  invariant(/^[a-z_][a-z0-9_]{0,62}$/.test(schema), `schema name ${JSON.stringify(schema)} is not a plain identifier`);
  return `set search_path to "${schema}"`;
}
