// Loads Sprout's TypeScript: imported first by `bin/sprout.js`, and by the test runner
// (`node --import ./bin/typescript.js`, scripts/run-tests.js). There is no build step.
//
// Compiled code is kept between runs (in the system's temporary directory): a `sprout serve`
// start, a bench's server or a test process then reads V8's cached compilation of node's modules and
// Sprout's own instead of compiling them again (docs/benchmarks.md, s12i).
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

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
