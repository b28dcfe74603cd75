/**
 * The pure core stays pure: money, calendar, schedule, classification, pricing and the scoring
 * toolkit (all of it but `model-store.ts`, the registry's directory) must not reach — directly
 * or through what they import — the database (kysely, pg, PGlite, `src/db/`), the file system,
 * the clock or the simulator. Read from the sources' text, so it needs no build.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findImpurities, importsOf, readSources, stripComments } from './import-graph.js';

const PURE_FOLDERS = ['src/money/', 'src/calendar/', 'src/schedule/', 'src/classification/', 'src/pricing/', 'src/scoring/'];
/** The impure edges inside the pure folders, named one by one. */
const IMPURE_FILES = new Set(['src/scoring/model-store.ts']);

const sources = readSources('src');
const pureFiles = [...sources.keys()].filter((path) => PURE_FOLDERS.some((folder) => path.startsWith(folder)) && !IMPURE_FILES.has(path));
const describeChain = (impurity: { chain: readonly string[]; what: string }) => `${impurity.chain.join(' → ')} uses ${impurity.what}`;

describe('the pure core', () => {
  it('covers every pure folder', () => {
    for (const folder of PURE_FOLDERS) assert.ok(pureFiles.some((path) => path.startsWith(folder)), `no files found in ${folder}`);
    assert.ok(pureFiles.length >= 50, `only ${pureFiles.length} pure files found`);
  });

  it('imports no database, file system, clock or simulator, directly or transitively', () => {
    assert.deepEqual(findImpurities(sources, pureFiles).map(describeChain), []);
  });

  it('the model registry keeps its transitions pure; its files are in model-store.ts', () => {
    assert.deepEqual(importsOf(sources.get('src/scoring/model-registry.ts')!).filter((s) => !s.startsWith('.')), []);
    assert.ok(importsOf(sources.get('src/scoring/model-store.ts')!).includes('node:fs'));
  });
});

describe('the purity check itself', () => {
  // The same sources with one forbidden import planted: the check must name it and its chain.
  const planted = (file: string, line: string) => new Map([...sources].map(([path, text]) => [path, path === file ? `${line}\n${text}` : text]));

  it('fails on a direct database import', () => {
    const found = findImpurities(planted('src/money/minor.ts', "import type { Database } from '../db/schema.js';"), pureFiles).map(describeChain);
    assert.ok(found.includes('src/money/minor.ts → src/db/schema.ts uses the database (src/db)'), found.join('\n'));
    assert.ok(found.some((line) => line.startsWith('src/schedule/') && line.includes('src/money/minor.ts → src/db/schema.ts')), 'reached transitively from the schedule engine');
  });

  it('fails on kysely, node:fs, the simulator and the clock', () => {
    const cases: readonly [string, string][] = [
      ["import { sql } from 'kysely';", "src/pricing/lpr.ts uses 'kysely'"],
      ["import { readFileSync } from 'node:fs';", "src/pricing/lpr.ts uses 'node:fs'"],
      ["import * as fs from 'fs';", "src/pricing/lpr.ts uses 'fs'"],
      ["import { simulatedPopulation } from '../data/simulated-firm.js';", 'src/pricing/lpr.ts → src/data/simulated-firm.ts uses the simulator (src/data/simulated-*)'],
      ['const today = new Date();', 'src/pricing/lpr.ts uses the clock (Date.now() or new Date())'],
      ['const t = Date.now();', 'src/pricing/lpr.ts uses the clock (Date.now() or new Date())'],
    ];
    for (const [line, expected] of cases) {
      const found = findImpurities(planted('src/pricing/lpr.ts', line), ['src/pricing/lpr.ts']).map(describeChain);
      assert.ok(found.includes(expected), `${line}: ${found.join('\n')}`);
    }
  });

  it('ignores comments and strings, and a Date made from a given time', () => {
    const text = "// new Date() in a comment\n/* import 'kysely' */\nconst s = 'Date.now()';\nconst d = new Date(ms);\n";
    assert.deepEqual(importsOf(text), []);
    assert.equal(/new Date\(\)|Date\.now\(/.test(stripComments(text, true)), false);
    assert.deepEqual(findImpurities(new Map([['src/money/x.ts', text]]), ['src/money/x.ts']), []);
  });
});
