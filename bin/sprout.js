#!/usr/bin/env node
// The `sprout` command. Sprout runs its TypeScript through tsx, so there is no build step.
//
// Sprout needs Node 22 or later. `npm install` puts a supported Node in node_modules (the `node`
// package), and npm scripts and `npx sprout` find it first on PATH; started by an older system
// Node directly (`node bin/sprout.js`, `./bin/sprout.js`), this hands over to that one.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
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
  // Compiled code is kept between runs (in the system's temporary directory): a `sprout serve`
  // start, or a bench's server, then reads V8's cached compilation of node's modules and Sprout's
  // own instead of compiling them again (docs/benchmarks.md, s12i). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  module.enableCompileCache?.();
  if (process.features.typescript && typeof module.registerHooks === 'function' && !fileURLToPath(import.meta.url).includes('/node_modules/')) {
    // Node 22.18+ runs TypeScript itself, stripping the types (Sprout writes only erasable
    // syntax: tsconfig.json's erasableSyntaxOnly); its imports name files `.js`, as the compiler
    // wants, so they are resolved to the `.ts` beside them. Half tsx's CPU to load the program, and
    // its stripped code is cached with the rest. Node refuses to strip files inside node_modules
    // (Sprout installed as a dependency): tsx runs those.
    module.registerHooks({
      resolve(specifier, context, nextResolve) {
        if (specifier.endsWith('.js') && specifier.startsWith('.') && context.parentURL?.endsWith('.ts')) {
          const typescript = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
          if (existsSync(typescript)) return nextResolve(typescript.href, context);
        }
        return nextResolve(specifier, context);
      },
    });
  } else {
    const { register } = await import('tsx/esm/api');
    register();
  }
  await import('../src/cli/main.ts');
}
