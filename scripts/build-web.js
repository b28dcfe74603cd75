#!/usr/bin/env node
// Builds the web app (web/) into web/dist with Vite, only when a source is newer than the last
// build, so `npm start` (whose prestart runs this) costs a few milliseconds when nothing changed.
// `--force` rebuilds anyway (npm run build:web). Without Vite (an install with --omit=dev) an
// existing build is kept and a missing one is reported; the server still serves the API.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const force = process.argv.includes('--force');
const output = 'web/dist/index.html';

/** The newest modification time under `path` (bounded: the web app is a few dozen files). */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).slice(0, 10_000).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stats.mtimeMs);
}

// src/csv/write-csv.ts is shared: the web app's downloads use the server's CSV writer.
const sources = Math.max(...['web/index.html', 'web/vite.config.ts', 'web/src', 'web/public', 'src/csv/write-csv.ts', 'package-lock.json'].map(newest));
const built = newest(output);
if (!force && built > sources) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  if (built > 0) {
    console.warn('web app: Vite is not installed; serving the existing build in web/dist');
    process.exit(0);
  }
  console.warn('web app: not built and Vite is not installed (npm install without --omit=dev); the server will serve the API only');
  process.exit(0);
}
const started = performance.now();
await vite.build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
console.log(`web app built into web/dist in ${((performance.now() - started) / 1000).toFixed(1)} s`);
