/**
 * The Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters.
 *
 * | position | meaning |
 * |---|---|
 * | 1 | registration authority (登记管理部门码: 1 机构编制, 5 民政, 9 工商, Y 其他…) |
 * | 2 | organisation type (机构类别码: for 工商, 1 enterprise, 2 individual business, 3 cooperative) |
 * | 3–8 | administrative division of the registration authority (登记管理机关行政区划码) |
 * | 9–17 | the organisation code (主体标识码 / 组织机构代码, GB 11714-1997), with its own check character |
 * | 18 | check character over positions 1–17 (GB 32100-2015 §5) |
 *
 * The alphabet is the 31 characters 0-9 A-H J-N P-R T-U W-Y (no I, O, S, V, Z, which are read as
 * digits or each other).
 *
 * @example
 * parseCreditCode('91350100M000100Y43', 'creditCode'); // '91350100M000100Y43'
 * creditCodeCheckCharacter('91350100M000100Y4'); // '3'
 */
import { ValidationError } from '../errors.js';

/** The 31 characters of GB 32100-2015, in value order (the value of a character is its index). */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17: 3^(i) mod 31 (GB 32100-2015 §5, table 2). */
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Weights of the eight body characters of an organisation code (GB 11714-1997 §5). */
const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** A validated 18-character Unified Social Credit Code. */
export type CreditCode = string & { readonly __brand: 'CreditCode' };

/**
 * The check character (position 18) for the first 17 characters: 31 − (Σ value × weight mod 31),
 * where 31 becomes 0. `body` must use the alphabet (an invariant for callers: validate first).
 *
 * @example
 * creditCodeCheckCharacter('91350100M000100Y4'); // '3'
 */
export function creditCodeCheckCharacter(body: string): string {
  if (body.length !== 17) throw new ValidationError('creditCode', `the check character is computed over 17 characters, got ${body.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(body[i]!);
    if (value < 0) throw new ValidationError('creditCode', `character ${i + 1} '${body[i]}' is not in the alphabet 0-9 A-H J-N P-R T-U W-Y`);
    sum += value * CODE_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[check === 31 ? 0 : check]!;
}

/**
 * The check character of an organisation code (GB 11714-1997) over its eight body characters:
 * 11 − (Σ value × weight mod 11), where 10 is written 'X' and 11 is written '0'. Digits are worth
 * their value, letters A=10 … Z=35.
 *
 * @example
 * organisationCodeCheckCharacter('M000100Y'); // '4'
 */
export function organisationCodeCheckCharacter(body: string): string {
  if (body.length !== 8) throw new ValidationError('creditCode', `the organisation code check is computed over 8 characters, got ${body.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += characterValue36(body[i]!) * ORGANISATION_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

function characterValue36(char: string): number {
  const value = parseInt(char, 36);
  if (Number.isNaN(value)) throw new ValidationError('creditCode', `'${char}' is not a digit or a letter`);
  return value;
}

/** Options for {@link parseCreditCode}. */
export interface CreditCodeOptions {
  /**
   * Also check the organisation code's own check character (position 17). On by default: every
   * code issued since 2015 embeds a GB 11714 code; turn it off only for legacy data.
   */
  readonly checkOrganisationCode?: boolean;
}

/**
 * Validates a Unified Social Credit Code: 18 characters of the alphabet (lower case is accepted
 * and upper-cased), positions 3–8 digits, the organisation-code check at position 17 and the
 * check character at position 18. Throws a {@link ValidationError} on `field` that names the
 * wrong character and the expected one.
 *
 * @example
 * parseCreditCode('91350100m000100y43', 'creditCode'); // '91350100M000100Y43'
 * parseCreditCode('91350100M000100Y44', 'creditCode'); // throws: character 18 is '4', expected '3'
 */
export function parseCreditCode(text: string, field = 'creditCode', options: CreditCodeOptions = {}): CreditCode {
  if (typeof text !== 'string') throw new ValidationError(field, 'must be an 18-character Unified Social Credit Code (统一社会信用代码)', 'credit-code-length', { length: 0 });
  const code = text.trim().toUpperCase();
  if (code.length !== 18) throw new ValidationError(field, `must be 18 characters (统一社会信用代码), got ${code.length}`, 'credit-code-length', { length: code.length });
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_CODE_ALPHABET.includes(code[i]!)) {
      throw new ValidationError(field, `character ${i + 1} '${code[i]}' is not allowed: use 0-9 and A-H J-N P-R T-U W-Y (no I, O, S, V, Z)`, 'credit-code-character', { position: i + 1, character: code[i]! });
    }
  }
  for (let i = 2; i < 8; i++) {
    if (code[i]! < '0' || code[i]! > '9') throw new ValidationError(field, `character ${i + 1} '${code[i]}' must be a digit: positions 3-8 are the administrative division code`, 'credit-code-division', { position: i + 1, character: code[i]! });
  }
  if (options.checkOrganisationCode ?? true) {
    const expected = organisationCodeCheckCharacter(code.slice(8, 16));
    if (code[16] !== expected) {
      throw new ValidationError(field, `character 17 '${code[16]}' is wrong: the organisation code ${code.slice(8, 17)} (GB 11714) needs check character '${expected}'`, 'credit-code-organisation-check', { position: 17, character: code[16]!, expected });
    }
  }
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) throw new ValidationError(field, `character 18 '${code[17]}' is wrong: the check character (GB 32100-2015) should be '${expected}'`, 'credit-code-check', { position: 18, character: code[17]!, expected });
  return code as CreditCode;
}

/**
 * True when `text` is a valid code (see {@link parseCreditCode}).
 *
 * @example
 * isCreditCode('91350100M000100Y43'); // true
 */
export function isCreditCode(text: string, options: CreditCodeOptions = {}): boolean {
  try {
    parseCreditCode(text, 'creditCode', options);
    return true;
  } catch {
    return false;
  }
}

/**
 * Completes 16 characters (positions 1–16: authority, type, region, organisation body) into a
 * valid code by appending both check characters. Used by the simulated population.
 *
 * @example
 * completeCreditCode('91350100M000100Y'); // '91350100M000100Y43'
 */
export function completeCreditCode(first16: string): CreditCode {
  const organisationCheck = organisationCodeCheckCharacter(first16.slice(8, 16));
  const body = first16 + organisationCheck;
  return parseCreditCode(body + creditCodeCheckCharacter(body));
}
