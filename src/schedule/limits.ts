/**
 * Bounds on schedule terms. Every loop in the engine is bounded by these (TigerBeetle style: an
 * explicit limit on every loop), and they are generous enough for any real loan.
 *
 * @example
 * if (periods > MAX_PERIODS) throw new ValidationError('periods', `must be at most ${MAX_PERIODS}`);
 */

/**
 * The largest principal: 10^12 yuan in fen.
 * @example
 * formatMoney(MAX_PRINCIPAL_FEN); // "1000000000000.00"
 */
export const MAX_PRINCIPAL_FEN = 100_000_000_000_000n;
/**
 * Most installments in one schedule.
 * @example
 * MAX_PERIODS; // 1200
 */
export const MAX_PERIODS = 1200;
/**
 * Most units between installments (ten years of days).
 * @example
 * MAX_EVERY; // 3650
 */
export const MAX_EVERY = 3650;
/**
 * The last installment is due at most 100 years (1200 months) after disbursement, in any unit.
 * @example
 * MAX_TERM_MONTHS; // 1200
 */
export const MAX_TERM_MONTHS = 1200;
