/**
 * Specific provision (专项准备) for one loan: principal × the category's rate.
 *
 * Rounded down to the fen: a provision is an estimate, and flooring keeps the SQL of end of day
 * (`principal * rate_bp / 10000`, integer division of non-negative numbers) and this function
 * identical to the fen.
 */
import type { Classification } from './classification.js';
import type { ClassificationRules } from './classification-rules.js';

/**
 * @example
 * provisionFor(10_000_000n, 'special-mention', RULES_2023); // 200000n (2% of 100,000.00)
 */
export function provisionFor(principal: bigint, category: Classification, rules: ClassificationRules): bigint {
  return (principal * BigInt(rules.provisionRateBp[category])) / 10000n;
}
