// Loaded with `--import` into the `sprout` processes a test starts (test/support/child-env.ts):
// they hash passwords at the tests' scrypt cost, as the test process does (test/support/backends.ts),
// instead of the production cost's 128 MiB and ≈ 0.3 s of a core per hash (docs/benchmarks.md, s12p).
// Sprout's loader goes first, so that this process and `bin/sprout.js` share one instance of
// src/auth/password.ts (bin/sprout.js's own import of the loader is then a cached module).
await import('../../bin/typescript.js');
const { TEST_SCRYPT_COST, useScryptCostForTests } = await import('../../src/auth/password.ts');
useScryptCostForTests(TEST_SCRYPT_COST);
