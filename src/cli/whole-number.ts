/**
 * A command-line count or seed: up to eight digits, nothing else, and within `min`–`max` when
 * given; otherwise a ValidationError naming the option.
 *
 * @example
 * wholeNumber('2800', 'borrowers', 1, 1_000_000); // 2800
 * wholeNumber('2.5', 'workers'); // ValidationError: workers must be a whole number, got "2.5"
 */
import { ValidationError } from '../errors.js';

export function wholeNumber(text: string, field: string, min?: number, max?: number): number {
  if (!/^[0-9]{1,8}$/.test(text)) throw new ValidationError(field, `must be a whole number, got "${text}"`);
  const value = Number(text);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw new ValidationError(field, `must be ${min ?? 0} to ${max ?? 99_999_999}`);
  return value;
}
