#!/usr/bin/env node
// Runs every `*.test.ts` under test/ with node's test runner. Node 20 does not expand globs, so
// this lists the files. Browser tests (`*.browser.test.ts`) run separately (npm run test:browser).
// Pass file names to run only those: `node scripts/run-tests.js test/http/health.test.ts`;
// `--browser` runs the browser tests instead (they need Chromium and a built web app).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const browser = process.argv.includes('--browser');
const named = process.argv.slice(2).filter((arg) => arg !== '--browser');

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
console.log(`database backends: pglite${process.env.TEST_DATABASE_URL ? ' and postgres (TEST_DATABASE_URL)' : ' only (set TEST_DATABASE_URL to add postgres)'}`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
