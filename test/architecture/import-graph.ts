/**
 * The import graph of TypeScript sources read statically from their text (no compiler, no
 * loading): what each file imports, and what it uses that a pure module must not — the
 * database drivers and `src/db/`, the file system, the clock, the simulator.
 *
 * @example
 * const graph = readSources('src');
 * findImpurities(graph, ['src/money/minor.ts']); // [] when money is pure
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** Source text by path (`src/money/minor.ts`), always with forward slashes. */
export type Sources = ReadonlyMap<string, string>;

/** Reads every `.ts` file under `root` (recursively). */
export function readSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) sources.set(path.split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return sources;
}

/**
 * The text with comments removed and, when `blankStrings`, the contents of string and template
 * literals replaced by spaces (so `'new Date()'` in a message is not a clock read).
 */
export function stripComments(text: string, blankStrings = false): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      const body = text.slice(i + 1, j);
      out += c + (blankStrings ? body.replace(/[^\n]/g, ' ') : body) + c;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT = /(?:^|[^.\w$])(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"]+)['"]|(?:^|[^.\w$])import\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * The module specifiers a file imports or re-exports (static, dynamic, side-effect and
 * type-only imports alike: a type import still ties the module to what it names).
 *
 * @example
 * importsOf("import type { Minor } from '../money/minor.js';"); // ['../money/minor.js']
 */
export function importsOf(text: string): string[] {
  const code = stripComments(text);
  return [...code.matchAll(IMPORT)].map((match) => (match[1] ?? match[2])!);
}

/** The source path a relative specifier names (`./minor.js` → `src/money/minor.ts`), if known. */
export function resolve(from: string, specifier: string, sources: Sources): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = normalize(join(dirname(from), specifier)).split('\\').join('/');
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((candidate) => sources.has(candidate));
}

const FORBIDDEN_PACKAGES = ['kysely', 'pg', '@electric-sql/pglite', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises'];
const FORBIDDEN_PATHS: readonly { readonly test: (path: string) => boolean; readonly what: string }[] = [
  { test: (path) => path.startsWith('src/db/') || path === 'src/db.ts', what: 'the database (src/db)' },
  { test: (path) => /^src\/data\/simulated-/.test(path), what: 'the simulator (src/data/simulated-*)' },
];
const CLOCK = /\bDate\.now\s*\(|\bnew\s+Date\s*\(\s*\)/;

/** One rule broken: `chain` runs from the pure file to the file that breaks it. */
export interface Impurity {
  readonly chain: readonly string[];
  readonly what: string;
}

/**
 * Walks the imports from each of `roots` (relative imports only; packages are leaves) and
 * returns every reachable use of a forbidden package, path or the clock, with the chain that
 * reaches it. The first chain found per (root, offence) is reported.
 */
export function findImpurities(sources: Sources, roots: readonly string[]): Impurity[] {
  const found: Impurity[] = [];
  for (const root of roots) {
    const seen = new Set<string>([root]);
    const queue: string[][] = [[root]];
    while (queue.length > 0) {
      const chain = queue.shift()!;
      const file = chain[chain.length - 1]!;
      const text = sources.get(file) ?? '';
      for (const path of FORBIDDEN_PATHS) if (path.test(file)) found.push({ chain, what: path.what });
      if (CLOCK.test(stripComments(text, true))) found.push({ chain, what: 'the clock (Date.now() or new Date())' });
      for (const specifier of importsOf(text)) {
        const bare = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (FORBIDDEN_PACKAGES.includes(specifier) || FORBIDDEN_PACKAGES.includes(bare)) found.push({ chain, what: `'${specifier}'` });
        const target = resolve(file, specifier, sources);
        if (target !== undefined && !seen.has(target)) {
          seen.add(target);
          queue.push([...chain, target]);
        }
      }
    }
  }
  return found;
}
