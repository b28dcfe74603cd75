#!/usr/bin/env node
// Runs every `*.test.ts` under test/ with node's test runner. This lists the files, so that the
// same command works on every Node the project has run on. Browser tests (`*.browser.test.ts`)
// run separately (npm run test:browser).
// Pass file names to run only those: `node scripts/run-tests.js test/http/health.test.ts`;
// `--browser` runs the browser tests instead (they need Chromium and a built web app);
// `--typecheck` (what `npm test` passes) also type-checks the server and the web app, beside the
// tests, and fails the run if either fails.
//
// Before the tests, one migrated, seeded PGlite database is dumped to a file that every test
// process loads (test/support/backends.ts), or an earlier run's dump of the same sources is reused
// (.tmp/pglite-template/; SPROUT_TEST_TEMPLATE_CACHE=off makes it afresh); files run as many at
// once as the machine has cores (SPROUT_TEST_CONCURRENCY overrides; SPROUT_TEST_SHARDS sets how
// many processes share the files).
// Every schema a test makes on the PostgreSQL server is named
// after this run, and what a crashed process left is dropped at the end.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
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
// How test processes load TypeScript: the loader `sprout` itself uses (Node's own type stripping and
// V8's compile cache, or tsx where Node cannot strip; docs/decisions.md).
const TYPESCRIPT = './bin/typescript.js';
// Test processes compile PGlite's WebAssembly with V8's baseline compiler (Liftoff) only. By default
// V8 also recompiles its hot functions with the optimising compiler (TurboFan), and for PGlite that
// never paid back in a test process: PostgreSQL's start makes thousands of functions hot, whose
// recompilation cost ≈ 3 s of CPU and ≈ 480 MB per process (a PGlite `sprout ledger trial-balance`:
// 4.8 → 1.6 s of CPU), and four PGlite-heavy test files took 74.4 → 54.1 s of CPU (docs/benchmarks.md,
// s12p). What the tests prove is the same: the same WebAssembly, compiled by the other compiler.
const WASM = '--liftoff-only';
const CPU_HOOKS = './scripts/test-cpu-hooks.js';
const COMMITTED_TIMINGS = 'test/timings.json';
const LOCAL_TIMINGS = '.tmp/test-cpu-timings.json';
const LOCAL_CPU = '.tmp/test-cpu.json';
const TEMPLATE_CACHE = '.tmp/pglite-template';
/** The totals node's spec reporter ends with, in its order. */
const SUMMARY_KEYS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo', 'duration_ms'];

// Node 23.6+ can run many test files in one process (--test-isolation=none): node, tsx, the
// program and both test databases are then loaded once per shard instead of once per file, which
// took the CPU of a sample of eight database test files from 145 s to 52 s (docs/benchmarks.md).
// Browser tests keep a process per file (each starts its own server and browser).
const shared = !browser && Number(process.versions.node.split('.')[0]) >= 23 && process.env.SPROUT_TEST_ISOLATION !== 'process';
// Shards wait on PostgreSQL and on the processes some tests start, so two shards per core keep the
// cores busy: the whole suite took 6 min 45 s at four at once on 2 cores (docs/benchmarks.md).
const concurrency = Number(process.env.SPROUT_TEST_CONCURRENCY) || (shared ? 2 : 1) * availableParallelism();
const run = `r${randomBytes(4).toString('hex')}`;
const template = join(tmpdir(), `sprout-test-${run}.tar`);
const dataDir = join(tmpdir(), `sprout-test-${run}-data-dir.tar`);
console.log(`node ${process.version}; ${files.length} test files, ${shared ? `in ${shardCount(files.length)} processes, ` : ''}${concurrency} at once; database backends: pglite${process.env.TEST_DATABASE_URL ? ' and postgres (TEST_DATABASE_URL)' : ' only (set TEST_DATABASE_URL to add postgres)'}`);

let status = 1;
try {
  // TypeScript 7 (the compiler ported to Go, installed beside TypeScript 5 as `typescript-7`:
  // openapi-typescript needs 5's API) checks the same configuration in a fifth of the CPU: 8.4 s
  // for both projects against 34 s (docs/benchmarks.md, s12e). One thread each: the cores are the
  // limit, and its parallel checkers spend more CPU in all for less wall time.
  const tsc = 'node_modules/typescript-7/bin/tsc';
  // The type checks run beside the tests rather than before them: the cores are the limit, and
  // waiting for the checks left them half idle at the start. Each prints its output when it ends,
  // between the shards' reports, and the run fails if either fails.
  const typeChecks = typecheck
    ? [['type check (server)', [tsc, '--noEmit', '--singleThreaded']], ['type check (web)', [tsc, '-p', 'web', '--singleThreaded']]].map(([name, args]) =>
        outputOf(args, process.env).then(({ code, output }) => {
          process.stdout.write(`\n# ${name}, exit ${code}\n${output.trimEnd()}${output.trim() === '' ? '' : '\n'}`);
          return { name, code };
        }),
      )
    : [];
  const key = process.env.SPROUT_TEST_TEMPLATE_CACHE === 'off' ? undefined : templateKey();
  const reused = key !== undefined && reuseCachedTemplate(key);
  const made = reused ? 0 : await exitCodeOf([WASM, '--import', TYPESCRIPT, 'test/support/make-pglite-template.ts', template, dataDir]);
  // Kept only if no source changed while the dumps were made (they might hold either version).
  if (made === 0 && !reused && key !== undefined && templateKey() === key) {
    try {
      cacheTemplate(key);
    } catch (error) {
      console.log(`the migrated PGlite template was not cached: ${error.message}`);
    }
  }
  if (made !== 0) {
    console.error('failed: the migrated PGlite template');
  } else {
    // Test databases are small: PGlite with 16 MB of shared buffers (not 128) starts in half the
    // CPU, and tests open one often (src/db/pglite-backend.ts, docs/decisions.md).
    // Test sessions on the PostgreSQL server commit without waiting for the WAL to reach the disk
    // (synchronous_commit=off, through libpq's PGOPTIONS, which node-postgres reads): a flush costs
    // about 6 ms here (pg_test_fsync) and the tests commit thousands of times. What a commit makes
    // visible, and every constraint, is the same; only a server crash could lose the last commits,
    // and the test databases are thrown away anyway (docs/decisions.md).
    const env = {
      SPROUT_PGLITE_SHARED_BUFFERS: '16MB',
      PGOPTIONS: '-c synchronous_commit=off',
      ...process.env,
      SPROUT_TEST_RUN: run,
      SPROUT_TEST_PGLITE_TEMPLATE: template,
      SPROUT_TEST_PGLITE_DATA_DIR: dataDir,
    };
    if (shared) {
      status = await runInShards(files, concurrency, env);
    } else {
      const result = spawnSync(process.execPath, [WASM, '--import', TYPESCRIPT, '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit', env });
      status = result.status ?? 1;
    }
  }
  for (const { name, code } of await Promise.all(typeChecks)) {
    if (code !== 0) {
      console.error(`failed: ${name}`);
      status = 1;
    }
  }
} finally {
  rmSync(template, { force: true });
  rmSync(dataDir, { force: true });
  if (process.env.TEST_DATABASE_URL) await dropLeftovers(process.env.TEST_DATABASE_URL);
}
process.exit(status);

/** How many processes share the files: two per core, so that a heavy shard does not leave a core idle at the end. */
function shardCount(fileCount) {
  return Math.min(fileCount, Number(process.env.SPROUT_TEST_SHARDS) || concurrency * 2);
}

/**
 * Runs `files` in {@link shardCount} node processes, `concurrency` at a time, each running its
 * files one after another in itself (--test-isolation=none). Files are dealt heaviest first to the
 * lightest shard; a file's weight is the CPU its tests used when last measured (hooks loaded into
 * each shard write each file's CPU, scripts/test-cpu-hooks.js; see {@link knownTimings}), or an
 * estimate from its size for a new file. CPU, not
 * wall time: a run on the shared machine measures the same CPU as a quiet one, while its wall
 * times measure the load. The heaviest shards start first. Each shard's report is printed whole
 * when it ends (never interleaved), without its own totals; the totals of every shard follow at the
 * end, in node's format.
 */
async function runInShards(files, concurrency, env) {
  const dealt = Array.from({ length: shardCount(files.length) }, () => ({ files: [], weight: 0 }));
  const measured = knownTimings();
  const weighed = files.map((file) => ({ file, weight: measured[file] ?? estimatedMilliseconds(file) }));
  for (const { file, weight } of weighed.sort((a, b) => b.weight - a.weight)) {
    const lightest = dealt.reduce((best, shard) => (shard.weight < best.weight ? shard : best));
    lightest.files.push(file);
    lightest.weight += weight;
  }
  // Files timed at 0 ms can all land in one shard and leave another empty; an empty shard must not
  // start, since `node --test` given no file runs every test it finds (the whole suite).
  const shards = dealt.filter((shard) => shard.files.length > 0);
  shards.sort((a, b) => b.weight - a.weight);
  const totals = new Map(SUMMARY_KEYS.map((key) => [key, 0]));
  const started = Date.now();
  const cpu = {};
  let failed = false;
  let next = 0;
  const worker = async () => {
    while (next < shards.length) {
      const index = next++;
      const shard = shards[index];
      const began = Date.now();
      const timings = join(tmpdir(), `sprout-test-${run}-shard-${index}.json`);
      const { code, output } = await outputOf(
        [WASM, '--import', TYPESCRIPT, '--import', CPU_HOOKS, '--test', '--test-isolation=none', '--test-reporter=spec', ...shard.files.sort()],
        { ...env, SPROUT_TEST_CPU_OUT: timings },
      );
      const measured = readTimings(timings);
      Object.assign(cpu, measured.cpu);
      shard.cpu = measured.totalCpu;
      const kept = [];
      for (const line of output.split('\n')) {
        const summary = /^ℹ (\w+) ([0-9.]+)$/.exec(line);
        if (summary && totals.has(summary[1])) totals.set(summary[1], totals.get(summary[1]) + Number(summary[2]));
        else kept.push(line);
      }
      const shardCpu = shard.cpu === undefined ? '' : `, ${(shard.cpu / 1000).toFixed(1)} s of CPU`;
      process.stdout.write(`\n# shard ${index + 1} of ${shards.length} (${shard.files.length} files), exit ${code}, ${Math.round((Date.now() - began) / 1000)} s${shardCpu}\n${kept.join('\n').trimEnd()}\n`);
      if (code !== 0) failed = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, shards.length) }, worker));
  totals.set('duration_ms', Date.now() - started);
  if (Object.keys(cpu).length > 0) {
    rememberTimings(cpu);
    reportCpu(cpu, shards);
  }
  process.stdout.write(`${SUMMARY_KEYS.map((key) => `ℹ ${key} ${totals.get(key)}`).join('\n')}\n`);
  return failed || totals.get('fail') > 0 ? 1 : 0;
}

/**
 * Each file's measured CPU milliseconds: those of the last local run (.tmp/test-cpu-timings.json,
 * kept out of git) over the ones committed in test/timings.json, so that a fresh clone deals by
 * measurement too.
 */
function knownTimings() {
  const read = (path) => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return {};
    }
  };
  return { ...read(COMMITTED_TIMINGS), ...read(LOCAL_TIMINGS) };
}

/** A file never measured: about a millisecond of CPU per 10 characters, more for the databases and real processes. */
function estimatedMilliseconds(file) {
  const text = readFileSync(file, 'utf8');
  return text.length / 10 + (/\bspawn(Sync)?\(/.test(text) ? 8_000 : 0) + (text.includes('BACKENDS') ? 2_000 : 0);
}

/**
 * What one shard's CPU hooks wrote (scripts/test-cpu-hooks.js): each file's CPU milliseconds, keyed
 * by the file's path relative to the project, and the shard process's whole CPU.
 */
function readTimings(path) {
  try {
    const { cpu, totalCpu } = JSON.parse(readFileSync(path, 'utf8'));
    rmSync(path, { force: true });
    // Tests a test file makes through a shared helper (a conformance suite) count for the test file.
    const byTestFile = (entries) =>
      Object.fromEntries(
        Object.entries(entries)
          .filter(([file]) => file.endsWith('.test.ts'))
          .map(([file, ms]) => [relative(process.cwd(), file), Math.round(ms)]),
      );
    return { cpu: byTestFile(cpu), totalCpu };
  } catch {
    return { cpu: {} };
  }
}

/**
 * Prints where the test processes' CPU went (user + system, with the `sprout` processes tests
 * waited for; not the PostgreSQL server's): the files that used most and the shards' totals, and
 * writes every file's figure to .tmp/test-cpu.json.
 */
function reportCpu(cpu, shards) {
  const total = shards.reduce((sum, shard) => sum + (shard.cpu ?? 0), 0);
  const inFiles = Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
  const heaviest = Object.entries(cpu).sort((a, b) => b[1] - a[1]).slice(0, 12);
  const seconds = (ms) => (ms / 1000).toFixed(1);
  process.stdout.write(
    `\n# CPU of the test processes: ${seconds(total)} s (${seconds(inFiles)} s in the files' tests, ${seconds(total - inFiles)} s outside them); ` +
      `shards ${shards.map((shard) => seconds(shard.cpu ?? 0)).join(', ')} s\n` +
      heaviest.map(([file, ms]) => `#   ${seconds(ms).padStart(6)} s  ${file}`).join('\n') + '\n',
  );
  mkdirSync(dirname(LOCAL_CPU), { recursive: true });
  writeFileSync(LOCAL_CPU, `${JSON.stringify(Object.fromEntries(Object.entries(cpu).sort((a, b) => b[1] - a[1])), null, 2)}\n`);
}

/** Keeps this run's CPU per file for the next local run to deal by. */
function rememberTimings(times) {
  mkdirSync(dirname(LOCAL_TIMINGS), { recursive: true });
  writeFileSync(LOCAL_TIMINGS, `${JSON.stringify({ ...knownTimings(), ...times }, Object.keys({ ...knownTimings(), ...times }).sort(), 2)}\n`);
}

/** Runs node with `args` and `env`, its output (stdout and stderr) collected; resolves to its exit code and output. */
function outputOf(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Runs node with `args`, its output shown as it comes; resolves to its exit code. */
function exitCodeOf(args) {
  return new Promise((resolve) => {
    spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * What the PGlite dumps are made from: every file under src/ (the migrations, the reference data and
 * everything they import) and test/support/ (make-pglite-template.ts, template.ts and whatever
 * helper they may import), the installed packages (PGlite's version) and node's. Any change to one
 * makes a new key, so a cached dump is never stale.
 */
function templateKey() {
  const hash = createHash('sha256').update(`${process.version}\0${process.env.SPROUT_PGLITE_SHARED_BUFFERS ?? ''}\0`);
  const listed = (dir) => readdirSync(dir, { recursive: true }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile()).sort();
  for (const path of [...listed('src'), ...listed('test/support'), 'package-lock.json']) {
    hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * The dumps of the last run whose sources were the same (kept in .tmp/pglite-template/), linked to
 * this run's names: making them costs a process ≈ 6–12 s of CPU at the start (docs/benchmarks.md,
 * s12m). Links, not the cached files themselves, so that another run replacing the cache never
 * takes a file from under this one's tests. `SPROUT_TEST_TEMPLATE_CACHE=off` always makes them.
 */
function reuseCachedTemplate(key) {
  const cached = [join(TEMPLATE_CACHE, `${key}.tar`), join(TEMPLATE_CACHE, `${key}-data-dir.tar`)];
  if (!cached.every((path) => existsSync(path))) return false;
  linkOrCopy(cached[0], template);
  linkOrCopy(cached[1], dataDir);
  console.log(`the migrated PGlite template: reused (${TEMPLATE_CACHE}/${key}, the same sources as when made)`);
  return true;
}

/** Keeps this run's dumps for the next run on the same sources, and drops the cache's older ones. */
function cacheTemplate(key) {
  mkdirSync(TEMPLATE_CACHE, { recursive: true });
  for (const name of readdirSync(TEMPLATE_CACHE)) {
    if (!name.startsWith(key)) rmSync(join(TEMPLATE_CACHE, name), { force: true });
  }
  // The data directory first: a run takes the cache only when the template is there too.
  for (const [from, to] of [[dataDir, `${key}-data-dir.tar`], [template, `${key}.tar`]]) {
    if (!existsSync(join(TEMPLATE_CACHE, to))) linkOrCopy(from, join(TEMPLATE_CACHE, to));
  }
}

/**
 * A hard link (the same file under a second name), or where the file system has none a copy, made
 * under a name of this run's and renamed, so that no run ever reads half a copy.
 */
function linkOrCopy(from, to) {
  try {
    linkSync(from, to);
  } catch (error) {
    if (error.code === 'EEXIST') return;
    copyFileSync(from, `${to}.${run}`);
    renameSync(`${to}.${run}`, to);
  }
}

/** Drops the schemas of this run that a test process did not (it crashed or was killed); only those. */
async function dropLeftovers(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`select nspname from pg_namespace where nspname like $1`, [`t\\_${run}\\_%`]);
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
    // The CLI places' migrated source and its stored copy (test/support/cli-place.ts) live for the whole run by design.
    const shared = rows.filter(({ nspname }) => nspname.endsWith('_cli_source') || nspname.endsWith('_cli_ready')).length;
    const left = rows.length - shared;
    if (shared > 0) console.log(`dropped the CLI places' migrated source (${shared} schemas)`);
    if (left > 0) console.log(`dropped ${left} schemas a test process left behind (it crashed or was killed)`);
  } finally {
    await client.end();
  }
}
