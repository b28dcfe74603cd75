import { ValidationError } from '../errors.js';
import { minor, type Minor } from './minor.js';

/**
 * Options for {@link parseMoney}.
 *
 * @example
 * parseMoney('-3.10', 'adjustment', { allowNegative: true } satisfies ParseMoneyOptions);
 */
export interface ParseMoneyOptions {
  /** Accept a leading `-` (refunds, adjustments). Off by default: most inputs are amounts owed. */
  readonly allowNegative?: boolean;
}

// Digits, then at most two decimals. No exponent, grouping, spaces or currency signs: a money
// field that accepts "1,234" will one day receive "1.234,00" from a European spreadsheet.
const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a decimal yuan amount into fen.
 *
 * Accepts `"1234"`, `"1234.5"`, `"1234.56"` (and `"-3.10"` with `allowNegative`). Rejects more
 * than two decimals, exponents, spaces, commas, a bare or trailing point and the empty string,
 * with a {@link ValidationError} on `field`.
 *
 * @example
 * parseMoney('1234.5', 'principal'); // 123450n
 * parseMoney('-3.10', 'adjustment', { allowNegative: true }); // -310n
 * parseMoney('1e3', 'principal'); // throws ValidationError('principal', …)
 */
export function parseMoney(text: string, field: string, options: ParseMoneyOptions = {}): Minor {
  const expected = options.allowNegative
    ? 'must be an amount like "1234.56" or "-3.10": digits, an optional leading minus and at most two decimals'
    : 'must be an amount like "1234.56": digits with at most two decimals, no sign, spaces or separators';
  if (typeof text !== 'string') throw new ValidationError(field, `${expected} (given as a string, not a number)`, 'invalid-amount');
  const match = MONEY.exec(text);
  if (match === null) throw new ValidationError(field, expected, 'invalid-amount');
  const [, sign, whole, decimals] = match;
  if (sign === '-' && !options.allowNegative) throw new ValidationError(field, expected, 'negative-amount');
  const fen = BigInt(whole ?? '0') * 100n + BigInt((decimals ?? '').padEnd(2, '0'));
  return minor(sign === '-' ? -fen : fen);
}
