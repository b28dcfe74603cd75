#!/usr/bin/env node
// Runs every `*.test.ts` under test/ with node's test runner. This lists the files, so that the
// same command works on every Node the project has run on. Browser tests (`*.browser.test.ts`)
// run separately (npm run test:browser).
// Pass file names to run only those: `node scripts/run-tests.js test/http/health.test.ts`;
// `--browser` runs the browser tests instead (they need Chromium and a built web app);
// `--typecheck` (what `npm test` passes) type-checks the server and the web app first, while the
// PGlite template below is made, and stops if either fails.
//
// Before the tests, one migrated, seeded PGlite database is dumped to a file that every test
// process loads (test/support/backends.ts); files run as many at once as the machine has cores
// (SPROUT_TEST_CONCURRENCY overrides). Every schema a test makes on the PostgreSQL server is named
// after this run, and what a crashed process left is dropped at the end.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const browser = process.argv.includes('--browser');
const typecheck = process.argv.includes('--typecheck');
const named = process.argv.slice(2).filter((arg) => arg !== '--browser' && arg !== '--typecheck');

function listTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listTests(path));
    else if (name.endsWith('.test.ts') && name.endsWith('.browser.test.ts') === browser) found.push(path);
  }
  return found;
}

const files = named.length > 0 ? named : listTests('test');
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = Number(process.env.SPROUT_TEST_CONCURRENCY) || availableParallelism();
const run = `r${randomBytes(4).toString('hex')}`;
const template = join(tmpdir(), `sprout-test-${run}.tar`);
console.log(`node ${process.version}; ${files.length} test files, ${concurrency} at once; database backends: pglite${process.env.TEST_DATABASE_URL ? ' and postgres (TEST_DATABASE_URL)' : ' only (set TEST_DATABASE_URL to add postgres)'}`);

let status = 1;
try {
  const tsc = 'node_modules/typescript/bin/tsc';
  const before = [
    ...(typecheck ? [['type check (server)', [tsc, '--noEmit']], ['type check (web)', [tsc, '-p', 'web']]] : []),
    ['the migrated PGlite template', ['--import', 'tsx', 'test/support/make-pglite-template.ts', template]],
  ];
  const failed = (await Promise.all(before.map(([name, args]) => exitCodeOf(args).then((code) => (code === 0 ? [] : [name]))))).flat();
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
  } else {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
      stdio: 'inherit',
      env: { ...process.env, SPROUT_TEST_RUN: run, SPROUT_TEST_PGLITE_TEMPLATE: template },
    });
    status = result.status ?? 1;
  }
} finally {
  rmSync(template, { force: true });
  if (process.env.TEST_DATABASE_URL) await dropLeftovers(process.env.TEST_DATABASE_URL);
}
process.exit(status);

/** Runs node with `args`, its output shown as it comes; resolves to its exit code. */
function exitCodeOf(args) {
  return new Promise((resolve) => {
    spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1));
  });
}

/** Drops the schemas of this run that a test process did not (it crashed or was killed); only those. */
async function dropLeftovers(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`select nspname from pg_namespace where nspname like $1`, [`t\\_${run}\\_%`]);
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
    if (rows.length > 0) console.log(`dropped ${rows.length} schemas left by this run`);
  } finally {
    await client.end();
  }
}
