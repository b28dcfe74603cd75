/**
 * What a new password must be: at least 12 characters (OWASP ASVS 4.0 §2.1.1), at most 128
 * (§2.1.2; scrypt takes any length, the cap bounds the work of one request), not one of the
 * common passwords shipped in `common-passwords.txt` (§2.1.7, NIST SP 800-63B §5.1.1.2), not
 * mostly the username, and not one character repeated. No composition rules (a digit, a
 * capital): NIST advises against them; length and the blocklist do the work.
 *
 * @example
 * checkPasswordPolicy('correct horse battery', 'li.lei'); // passes
 * checkPasswordPolicy('password1234', 'li.lei');          // ValidationError on `password`
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../errors.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** The shipped blocklist, lower-case; read once. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

/** How many passwords the blocklist holds (for `sprout` diagnostics and tests). */
export const COMMON_PASSWORD_COUNT = COMMON_PASSWORDS.size;

/**
 * Throws a {@link ValidationError} on `field` when `password` breaks the policy. Length counts
 * Unicode code points of the NFC form, as the hash sees it.
 */
export function checkPasswordPolicy(password: string, username: string, field = 'password'): void {
  const normal = password.normalize('NFC');
  const length = [...normal].length;
  if (length < MIN_PASSWORD_LENGTH) throw new ValidationError(field, `must be at least ${MIN_PASSWORD_LENGTH} characters (a few words make a good one)`, 'password-too-short', { limit: MIN_PASSWORD_LENGTH });
  if (length > MAX_PASSWORD_LENGTH) throw new ValidationError(field, `must be at most ${MAX_PASSWORD_LENGTH} characters`, 'password-too-long', { limit: MAX_PASSWORD_LENGTH });
  const lower = normal.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) throw new ValidationError(field, 'is one of the most common passwords; choose another', 'password-common');
  const name = username.toLowerCase();
  // The username is the first guess: what is left without it must still be a password.
  if (name.length >= 3 && [...lower.split(name).join('')].length < 8) throw new ValidationError(field, 'must not be mostly the username', 'password-like-username');
  if (new Set(lower).size <= 2) throw new ValidationError(field, 'must not be one or two characters repeated', 'password-repetitive');
}
