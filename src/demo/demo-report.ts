/**
 * How the demo is reported: its summary with the ledger's checks as JSON, and the one-line
 * progress a terminal shows while it runs. Shared by `sprout demo` and `sprout serve`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { reconcile } from '../ledger/reconcile.js';
import { trialBalance } from '../ledger/trial-balance.js';
import { formatMoney } from '../money/format-money.js';
import type { DemoProgress, DemoSummary } from './generate-demo.js';

/** The summary as printed by `sprout demo --format json`. */
export interface DemoSummaryJson extends Omit<DemoSummary, 'seconds'> {
  readonly seconds: number;
  readonly ledger: { readonly totalDebit: string; readonly totalCredit: string; readonly balanced: boolean; readonly reconciled: boolean };
}

/**
 * The summary with the trial balance and the loans-to-ledger reconciliation after the demo.
 *
 * @example
 * const json = await demoSummaryJson(db, await generateDemo(db, { enterprises: 50, months: 2 }));
 * json.ledger.reconciled; // true
 */
export async function demoSummaryJson(db: Kysely<Database>, summary: DemoSummary): Promise<DemoSummaryJson> {
  const balance = await trialBalance(db, null);
  const reconciliation = await reconcile(db);
  return {
    ...summary,
    seconds: Math.round(summary.seconds * 10) / 10,
    ledger: { totalDebit: formatMoney(balance.totalDebit), totalCredit: formatMoney(balance.totalCredit), balanced: balance.balanced, reconciled: reconciliation.balanced },
  };
}

/**
 * A progress line for a terminal (written with a leading carriage return).
 *
 * @example
 * progressLine({ phase: 'history', done: 31, total: 184, date: '2026-06-23' }); // "demo: history 2026-06-23  31/184 days  17%"
 */
export function progressLine(progress: DemoProgress): string {
  const percent = Math.floor((progress.done * 100) / Math.max(1, progress.total));
  return progress.phase === 'register'
    ? `demo: registering enterprises ${progress.done}/${progress.total}  ${percent}%`
    : `demo: history ${progress.date ?? ''}  ${progress.done}/${progress.total} days  ${percent}%`;
}
