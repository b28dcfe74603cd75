/**
 * Password hashing with scrypt (RFC 7914) from node:crypto: memory-hard, no native addon.
 *
 * The stored form carries its parameters, `scrypt$N$r$p$salt$hash` (base64url), so the cost can
 * be raised without invalidating existing hashes: a hash below the current cost still verifies,
 * and `needsRehash` tells the login to store a new one (`auth/users.ts`).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP Password Storage Cheat Sheet's scrypt setting: N=2^17, r=8, p=1 (128 MiB, one thread;
 * about 0.1–0.3 s a hash on a server core). The one place the cost is set.
 */
export const SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;

/** The cost new hashes get; only `useScryptCostForTests` changes it. */
let current: ScryptCost = SCRYPT_COST;

/**
 * TEST ONLY: hash at a cheaper cost so suites that create many users stay fast (each production
 * hash costs ~0.1 s or more). Pass nothing to go back to `SCRYPT_COST`. Never called by `src/`.
 *
 * @example
 * useScryptCostForTests({ N: 1024, r: 8, p: 1 });
 */
export function useScryptCostForTests(cost: ScryptCost = SCRYPT_COST): void {
  current = cost;
}

/**
 * The cost the test harness hashes at (`test/support/backends.ts` passes it to
 * `useScryptCostForTests`): N = 1024, the least a stored hash may carry, about 2 ms a hash instead of
 * the production cost's 0.1 s or more for every test app's nine demo logins.
 */
export const TEST_SCRYPT_COST: ScryptCost = { N: 1024, r: 8, p: 1 };

/** The cost new hashes are made at. */
export function currentScryptCost(): ScryptCost {
  return current;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; allow twice that so the current cost always fits.
  const maxmem = Math.max(64 * 1024 * 1024, 256 * cost.N * cost.r);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * The cost for a password that is published on purpose (the demo logins, demo mode only): no
 * hash protects a password printed in the README, so their nine hashes at start need not cost
 * 9 × 128 MiB; the next login raises them like any old hash (`needsRehash`).
 */
export const PUBLISHED_PASSWORD_COST: ScryptCost = { N: 1024, r: 8, p: 1 };

/**
 * Hashes a password for storage, at the current cost unless told otherwise.
 *
 * @example
 * const stored = await hashPassword('correct horse battery'); // 'scrypt$131072$8$1$…$…'
 */
export async function hashPassword(password: string, cost: ScryptCost = current): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of nothing at the current cost, to spend the same time when the user is unknown. */
export function decoyHash(): string {
  return ['scrypt', current.N, current.r, current.p, 'AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'].join('$');
}

/**
 * Checks a password against a stored hash in constant time. A malformed hash never matches.
 *
 * @example
 * await verifyPassword('correct horse battery', stored); // true
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const cost = costOf(stored);
  const [, , , , salt, hash] = stored.split('$');
  if (cost === undefined || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * True when a stored hash was made below the current cost (or is not a scrypt hash at all), so
 * the next successful login should store a new one.
 *
 * @example
 * needsRehash('scrypt$16384$8$1$…$…'); // true at the OWASP cost
 */
export function needsRehash(stored: string): boolean {
  const cost = costOf(stored);
  return cost === undefined || cost.N < current.N || cost.r < current.r || cost.p < current.p;
}

/** The parameters of a stored hash; undefined when it is not one Sprout can check. */
function costOf(stored: string): ScryptCost | undefined {
  const [scheme, n, r, p] = stored.split('$');
  if (scheme !== 'scrypt' || !/^[0-9]{1,8}$/.test(n ?? '') || !/^[0-9]{1,3}$/.test(r ?? '') || !/^[0-9]{1,3}$/.test(p ?? '')) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // A power of two from 2^10 to 2^20: anything else is damage, not a setting.
  if (cost.N < 1024 || cost.N > 2 ** 20 || (cost.N & (cost.N - 1)) !== 0 || cost.r < 1 || cost.p < 1) return undefined;
  return cost;
}
