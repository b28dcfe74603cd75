/** Amounts entering supply-chain finance: positive, at most two decimals, and bounded. */
import { ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { parseMoney } from '../money/parse-money.js';

/**
 * Largest amount anywhere in supply-chain finance (a programme limit, an invoice): 10 billion yuan.
 * Keeps face × advance rate and principal × rate × days far inside what the ledger's int8 holds.
 */
export const MAX_SCF_AMOUNT: Minor = minor(1_000_000_000_000n);

/**
 * Parses a positive amount of at most {@link MAX_SCF_AMOUNT}; a ValidationError on `field` otherwise.
 *
 * @example
 * positiveAmount('1000.00', 'amount'); // 100000n
 */
export function positiveAmount(text: string, field: string): Minor {
  const amount = parseMoney(text, field);
  if (amount <= 0n) throw new ValidationError(field, 'must be more than zero', 'too-small', { min: '0.01' });
  if (amount > MAX_SCF_AMOUNT) throw new ValidationError(field, `must be at most ${formatMoney(MAX_SCF_AMOUNT)}`, 'too-large', { max: formatMoney(MAX_SCF_AMOUNT) });
  return amount;
}
