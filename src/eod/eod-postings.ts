/**
 * The general-ledger lines end of day posts for a set of loans, from the set's totals. Pure: the
 * chunk and the debtor-level step compute totals in SQL and hand them here.
 *
 * Conventions (src/ledger/chart-of-accounts.ts): principal sits in `loans-<category>`, accrued and
 * billed interest in `interest-receivable`, penalty in `penalty-receivable`, and the provision is
 * a credit balance in `loan-loss-provision`. Debit positive, credit negative.
 */
import type { Classification } from '../classification/classification.js';
import { loansAccountPurpose, type AccountPurpose } from '../ledger/chart-of-accounts.js';
import type { PostingLine } from '../ledger/post-entry.js';
import { invariant } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';

/** Principal that moved from one category to another tonight. */
export interface CategoryMove {
  readonly from: Classification;
  readonly to: Classification;
  /** Fen, the loans' principal (not yet due + due). */
  readonly principal: Minor;
}

/**
 * Dr interest-receivable / Cr interest-income; Dr penalty-receivable / Cr penalty-income.
 *
 * @example
 * accrualLines(1208n, 0n); // interest-receivable +1208, interest-income −1208
 */
export function accrualLines(interest: Minor, penalty: Minor): PostingLine[] {
  invariant(interest >= 0n && penalty >= 0n, 'accrual is never negative');
  return [
    { purpose: 'interest-receivable', amount: interest },
    { purpose: 'interest-income', amount: minor(-interest) },
    { purpose: 'penalty-receivable', amount: penalty },
    { purpose: 'penalty-income', amount: minor(-penalty) },
  ];
}

/**
 * Dr loans-<new> / Cr loans-<old> for each move (`accountOf` names the accounts of another book by
 * category: supply-chain financing's, `scfAccountPurpose`). Lines to the same account are netted by postEntry.
 *
 * @example
 * reclassificationLines([{ from: 'normal', to: 'special-mention', principal: 500n }]);
 */
export function reclassificationLines(moves: readonly CategoryMove[], accountOf: (category: Classification) => AccountPurpose = loansAccountPurpose): PostingLine[] {
  const lines: PostingLine[] = [];
  for (const move of moves) {
    if (move.from === move.to || move.principal === 0n) continue;
    lines.push({ purpose: accountOf(move.to), amount: move.principal });
    lines.push({ purpose: accountOf(move.from), amount: minor(-move.principal) });
  }
  return lines;
}

/**
 * A rise of the provision: Dr provision-expense / Cr loan-loss-provision; a fall, the reverse.
 *
 * @example
 * provisionLines(200000n); // provision-expense +200000, loan-loss-provision −200000
 */
export function provisionLines(delta: Minor): PostingLine[] {
  return [
    { purpose: 'provision-expense', amount: delta },
    { purpose: 'loan-loss-provision', amount: minor(-delta) },
  ];
}
