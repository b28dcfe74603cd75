/**
 * Borrower types of the registry, as the inclusive-finance statistics distinguish them: an
 * enterprise (企业), an individual business (个体工商户, registered under the 2022 促进个体工商户发展条例),
 * and a small-business owner (小微企业主) borrowing for the firm's operation.
 */
import { ValidationError } from '../errors.js';

export const BORROWER_TYPES = ['enterprise', 'individual-business', 'small-business-owner'] as const;
export type BorrowerType = (typeof BORROWER_TYPES)[number];

/**
 * Parses a borrower type.
 *
 * @example
 * parseBorrowerType('individual-business'); // 'individual-business'
 */
export function parseBorrowerType(text: unknown, field = 'borrowerType'): BorrowerType {
  if (typeof text !== 'string' || !(BORROWER_TYPES as readonly string[]).includes(text)) throw new ValidationError(field, `must be one of ${BORROWER_TYPES.join(', ')}`);
  return text as BorrowerType;
}
