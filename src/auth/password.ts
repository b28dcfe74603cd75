/**
 * Password hashing with scrypt (RFC 7914) from node:crypto: memory-hard, no native addon.
 *
 * The stored form carries its parameters, `scrypt$N$r$p$salt$hash` (base64url), so the cost can
 * be raised later without invalidating existing hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/** The scrypt cost of new hashes: the production parameters unless a test harness lowered them. */
let cost: { readonly n: number; readonly r: number; readonly p: number } = { n: N, r: R, p: P };

/**
 * Test harnesses only: hash new passwords at a token scrypt cost (N = 16) instead of the
 * production one. Every test app hashes the nine demo users' passwords, which at the production
 * cost was seconds of CPU per test file (docs/decisions.md, "The test harness"). Verifying is
 * unchanged: a stored hash carries its own parameters. `test/support/backends.ts` calls this;
 * nothing in `src/` does.
 *
 * @example
 * useTestPasswordCost(); // in a test harness, before any user is created
 */
export function useTestPasswordCost(): void {
  cost = { n: 16, r: 8, p: 1 };
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password for storage.
 *
 * @example
 * const stored = await hashPassword('correct horse'); // 'scrypt$16384$8$1$…$…'
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { n, r, p } = cost;
  const key = await derive(password, salt, n, r, p);
  return ['scrypt', n, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a stored hash in constant time. A malformed hash never matches.
 *
 * @example
 * await verifyPassword('correct horse', stored); // true
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
