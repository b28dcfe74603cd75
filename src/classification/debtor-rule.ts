/**
 * The debtor-level rule of the 2023 classification rules: when more than a share (10%) of a
 * borrower's claims at the bank are non-performing, all of its claims are non-performing. End of
 * day applies it after every loan has been classified, as a set-based step (src/eod/).
 */
import type { Classification } from './classification.js';
import type { ClassificationRules } from './classification-rules.js';
import { isNonPerforming, worseOf } from './classify.js';

/** One active loan of a borrower: its principal outstanding (fen) and category. */
export interface DebtorLoan {
  readonly principal: bigint;
  readonly classification: Classification;
}

/**
 * True when strictly more than `rules.debtorNonPerformingShareBp` of the principal is
 * non-performing. Exact: `nonPerforming × 10000 > total × share`, no division.
 *
 * @example
 * debtorIsNonPerforming([{ principal: 10n, classification: 'substandard' }, { principal: 90n, classification: 'normal' }], RULES_2023); // false: exactly 10%
 */
export function debtorIsNonPerforming(loans: readonly DebtorLoan[], rules: ClassificationRules): boolean {
  let total = 0n;
  let nonPerforming = 0n;
  for (const loan of loans) {
    total += loan.principal;
    if (isNonPerforming(loan.classification)) nonPerforming += loan.principal;
  }
  return nonPerforming * 10000n > total * BigInt(rules.debtorNonPerformingShareBp);
}

/**
 * The borrower's loans' categories after the rule: at least substandard when it applies.
 *
 * @example
 * applyDebtorRule(loans, RULES_2023).map((loan) => loan.classification);
 */
export function applyDebtorRule<L extends DebtorLoan>(loans: readonly L[], rules: ClassificationRules): L[] {
  if (!debtorIsNonPerforming(loans, rules)) return [...loans];
  return loans.map((loan) => ({ ...loan, classification: worseOf(loan.classification, 'substandard') }));
}
