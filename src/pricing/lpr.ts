/**
 * The Loan Prime Rate (贷款市场报价利率), published on the 20th of each month at 09:00. A dated
 * table: the rate for a date is the last one in effect on or before it.
 */
import { ValidationError } from '../errors.js';

export type LprTenor = '1y' | '5y';

export interface LprRow {
  readonly tenor: LprTenor;
  readonly effectiveFrom: string;
  /** Percent per year, e.g. "3.00". */
  readonly rate: string;
}

/** The published LPR since August 2023 (DOMAIN.md); unchanged through at least 2025-12. */
export const LPR_TABLE: readonly LprRow[] = [
  { tenor: '1y', effectiveFrom: '2023-08-21', rate: '3.45' },
  { tenor: '5y', effectiveFrom: '2023-08-21', rate: '4.20' },
  { tenor: '1y', effectiveFrom: '2024-02-20', rate: '3.45' },
  { tenor: '5y', effectiveFrom: '2024-02-20', rate: '3.95' },
  { tenor: '1y', effectiveFrom: '2024-07-22', rate: '3.35' },
  { tenor: '5y', effectiveFrom: '2024-07-22', rate: '3.85' },
  { tenor: '1y', effectiveFrom: '2024-10-21', rate: '3.10' },
  { tenor: '5y', effectiveFrom: '2024-10-21', rate: '3.60' },
  { tenor: '1y', effectiveFrom: '2025-05-20', rate: '3.00' },
  { tenor: '5y', effectiveFrom: '2025-05-20', rate: '3.50' },
];

/**
 * The LPR of `tenor` in effect on `date`, from `table` (rows in any order).
 *
 * @example
 * lprOn(LPR_TABLE, '1y', '2025-06-30'); // '3.00'
 */
export function lprOn(table: readonly LprRow[], tenor: LprTenor, date: string): string {
  let best: LprRow | undefined;
  for (const row of table) {
    if (row.tenor === tenor && row.effectiveFrom <= date && (!best || row.effectiveFrom > best.effectiveFrom)) best = row;
  }
  if (!best) throw noLprOn(tenor, date);
  return best.rate;
}

/** The error for a date before the first published LPR of `tenor`. */
export function noLprOn(tenor: LprTenor, date: string): ValidationError {
  return new ValidationError('date', `no ${tenor} LPR in effect on ${date}`);
}
