/**
 * Money: bigint fen, parsing and formatting, exact rounding, allocation and rates.
 *
 * @example
 * import { parseMoney, formatMoney, splitEvenly } from './money/index.js';
 * splitEvenly(parseMoney('100.00', 'amount'), 3).map(formatMoney); // ["33.34", "33.33", "33.33"]
 */
export { minor, FEN_PER_YUAN, type Minor } from './minor.js';
export type { Fraction } from './fraction.js';
export { parseMoney, type ParseMoneyOptions } from './parse-money.js';
export { formatMoney } from './format-money.js';
export { divideRounded, roundToMultiple, ROUNDING_MODES, type RoundingMode } from './rounding.js';
export { allocate, splitEvenly } from './allocate.js';
export { parseRate, rateFraction, MAX_RATE_PERCENT, type Rate } from './rate.js';
