/**
 * The node flags of this process that tune V8's WebAssembly, which runs PGlite, for a `sprout`
 * process it starts: `node --liftoff-only bin/sprout.js bench servicing` then runs its server on the
 * same engine as itself. The test runner runs its processes with `--liftoff-only`, which saves a
 * started PGlite process ≈ 3 s of CPU recompiling PGlite's hot WebAssembly with TurboFan
 * (scripts/run-tests.js, docs/benchmarks.md s12p). Put before the script in the child's arguments.
 *
 * @example
 * spawn(process.execPath, [...wasmFlags(), SPROUT, 'serve', …]);
 */
export function wasmFlags(): string[] {
  return process.execArgv.filter((flag) => /^--(no-)?(liftoff|wasm)[-a-z]*(=.*)?$/.test(flag));
}
