/**
 * The resident identity card number (公民身份号码), GB 11643-1999: 18 characters — a 6-digit
 * administrative division code, the birth date YYYYMMDD, a 3-digit sequence, and a check
 * character over the first 17: (12 − Σ digitᵢ × 2^(17−i) mod 11) mod 11, where 10 is written 'X'.
 *
 * @example
 * parseResidentIdNumber('330106198001011235', 'owners[0].idNumber'); // '330106198001011235'
 * residentIdCheckCharacter('33010619800101123'); // '5'
 */
import { ValidationError } from '../errors.js';

/** 2^(17−i) mod 11 for positions 1–17 (GB 11643-1999 §8.2). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * The check character of 17 digits.
 *
 * @example
 * residentIdCheckCharacter('11010119900307123'); // '3'
 */
export function residentIdCheckCharacter(body: string): string {
  if (!/^\d{17}$/.test(body)) throw new ValidationError('idNumber', 'the check character is computed over 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * WEIGHTS[i]!;
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/**
 * Validates a resident ID number: 17 digits and a check character (a lower-case 'x' is
 * upper-cased), a real birth date, and the right check character. The error names `field` and
 * what is wrong, never the number itself (it is personal data).
 *
 * @example
 * parseResidentIdNumber('33010619800101123x', 'idNumber'); // throws: the check character should be '5'
 */
export function parseResidentIdNumber(text: string, field = 'idNumber'): string {
  if (typeof text !== 'string') throw new ValidationError(field, 'must be an 18-character resident ID number (公民身份号码)', 'id-number-format');
  const id = text.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) throw new ValidationError(field, 'must be an 18-character resident ID number: 17 digits and a check digit or X', 'id-number-format');
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== birth || birth < '18900101') {
    throw new ValidationError(field, 'characters 7–14 must be a birth date YYYYMMDD', 'id-number-birth-date');
  }
  const expected = residentIdCheckCharacter(id.slice(0, 17));
  if (id[17] !== expected) throw new ValidationError(field, `the check character (GB 11643-1999) should be '${expected}'`, 'id-number-check', { expected });
  return id;
}

/**
 * Validates a mainland mobile number (11 digits starting 13–19); spaces and dashes are dropped.
 *
 * @example
 * parseMobilePhone('138 1234 5678', 'owners[0].phone'); // '13812345678'
 */
export function parseMobilePhone(text: string, field = 'phone'): string {
  if (typeof text !== 'string') throw new ValidationError(field, 'must be an 11-digit mobile number', 'mobile-format');
  const phone = text.replace(/[\s-]/g, '');
  if (!/^1[3-9]\d{9}$/.test(phone)) throw new ValidationError(field, 'must be an 11-digit mobile number starting 13–19, e.g. "13812345678"', 'mobile-format');
  return phone;
}
