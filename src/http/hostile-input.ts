/**
 * Guards that run before any schema, route or database sees a request: JSON nested too deep is
 * refused while it is still text, and every string of the body, query string and path parameters
 * is checked (no U+0000, no lone UTF-16 surrogate) and normalised to Unicode NFC.
 *
 * Why each check exists:
 * - depth: recursion over a parsed value (a validator, a walk, JSON.stringify for the audit
 *   payload) overflows the stack on `[[[[…]]]]` nested 10,000 deep; the depth is counted on the
 *   text in one linear pass, so nothing recursive ever sees such a value.
 * - U+0000: PostgreSQL `text` and `jsonb` cannot hold it.
 * - lone surrogates (`"\ud800"`): not Unicode text; PostgreSQL refuses them in `jsonb` (the audit
 *   payload), which was a 500 on nine fields.
 * - NFC: "é" typed as one code point or as e + a combining accent is the same name; stored one
 *   way, a search and a uniqueness check find it either way.
 *
 * @example
 * jsonDepth('{"a":[1,{"b":2}]}'); // 3
 * checkText({ name: 'Cafe\u0301' }, 'body'); // { name: 'Café' } (one code point)
 * checkText({ name: 'x\ud800' }, 'body'); // throws ValidationError('name', …)
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../errors.js';

/** Deepest JSON accepted. The deepest legitimate body (a credit policy's rules) nests 6 levels. */
export const MAX_JSON_DEPTH = 32;
/** Most strings and containers walked in one request: a 1 MiB body cannot hold more than this. */
const MAX_NODES = 1024 * 1024;

/**
 * The deepest nesting of arrays and objects in JSON text, counted in one pass without recursion
 * (brackets inside strings do not count). Stops counting once past `limit`.
 */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++; // a backslash escapes the next character, a quote included
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Checks every string in `value` (object keys included) and returns `value` with each string in
 * NFC. Iterative, with an explicit bound on the nodes visited. Throws a ValidationError naming the
 * first field holding U+0000 or a lone surrogate. `root` names the whole value when the fault is
 * in it directly (a query string or body that is itself a string).
 */
export function checkText(value: unknown, root: string): unknown {
  if (typeof value === 'string') return checkedString(value, root);
  if (value === null || typeof value !== 'object') return value;
  const stack: { holder: Record<string, unknown> | unknown[]; path: string }[] = [{ holder: value as Record<string, unknown>, path: '' }];
  let visited = 0;
  while (stack.length > 0) {
    const { holder, path } = stack.pop()!;
    for (const key of Object.keys(holder)) {
      if (++visited > MAX_NODES) throw new ValidationError(root, `more than ${MAX_NODES} values`);
      const field = path ? `${path}.${key}` : key;
      if (!Array.isArray(holder)) checkedString(key, field);
      const child = (holder as Record<string, unknown>)[key];
      if (typeof child === 'string') {
        const normal = checkedString(child, field);
        if (normal !== child) (holder as Record<string, unknown>)[key] = normal;
      } else if (child !== null && typeof child === 'object') stack.push({ holder: child as Record<string, unknown>, path: field });
    }
  }
  return value;
}

/** With the `u` flag a well-formed pair is one code point outside this range; only a lone half matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function checkedString(text: string, field: string): string {
  if (text.includes('\u0000')) throw new ValidationError(field, 'must not contain the NUL character (U+0000)');
  if (LONE_SURROGATE.test(text)) throw new ValidationError(field, 'must be valid Unicode text (a lone UTF-16 surrogate was found)');
  return text.normalize('NFC');
}

/**
 * Installs the guards on `app`: a JSON parser that refuses nesting deeper than MAX_JSON_DEPTH
 * before parsing, and a hook that checks and normalises the text of body, query and params.
 */
export function installInputGuards(app: FastifyInstance): void {
  // Fastify's own parser (with its __proto__ / constructor.prototype protection), behind the depth check.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (jsonDepth(String(text), MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      done(new ValidationError('body', `must not nest deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parseJson(request, String(text), done);
  });
  app.addHook('preValidation', async (request) => {
    request.params = checkText(request.params, 'params');
    request.query = checkText(request.query, 'query');
    request.body = checkText(request.body, 'body');
  });
}
