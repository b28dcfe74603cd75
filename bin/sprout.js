#!/usr/bin/env node
// The `sprout` command. Its TypeScript is loaded by ./typescript.js (Node's own type stripping, or
// tsx), so there is no build step.
//
// Sprout needs Node 22 or later. `npm install` puts a supported Node in node_modules (the `node`
// package), and npm scripts and `npx sprout` find it first on PATH; started by an older system
// Node directly (`node bin/sprout.js`, `./bin/sprout.js`), this hands over to that one.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const bundled = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(bundled)) {
    process.stderr.write(`sprout: needs Node 22 or later (this is ${process.version}); run npm install, which adds one to node_modules\n`);
    process.exit(1);
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await import('./typescript.js');
  await import('../src/cli/main.ts');
}
