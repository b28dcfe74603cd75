/**
 * The environment for a real `sprout` process a test starts (a cluster, a bench's server, its
 * workers): the test's, plus a preload that gives the process the test process's own costs
 * (test/support/test-costs-preload.js: passwords hashed at the tests' scrypt cost). Node passes
 * NODE_OPTIONS on to what that process starts in turn (a cluster's workers, a bench's server).
 *
 * A login or a refused guess then costs the server ≈ 2 ms, not a production-cost scrypt's 128 MiB
 * and ≈ 0.3 s of a core (docs/benchmarks.md, s12p). Hashing at the production cost is
 * test/auth/login.test.ts's.
 *
 * @example
 * const child = spawn(process.execPath, [SPROUT, 'serve', …], { env: withTestCosts(place.env) });
 */
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./test-costs-preload.js', import.meta.url));

export function withTestCosts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = env.NODE_OPTIONS?.trim() ?? '';
  return { ...env, NODE_OPTIONS: `${options === '' ? '' : `${options} `}--import ${JSON.stringify(PRELOAD)}` };
}
