/**
 * Any sequence of drawdowns, repayments, end-of-day runs, write-offs and recoveries leaves the
 * ledger balanced, the loan sub-ledger reconciled to it, and every fen of cash accounted for.
 *
 * The classification rules are shortened (doubtful after 3 days, loss after 5) so that write-offs
 * are reachable within a short sequence; the rules are configuration, the mechanics are the same.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RULES_2023, type ClassificationRules } from '../../src/classification/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEod } from '../../src/eod/index.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { getCreditLine } from '../../src/lines/credit-lines.js';
import { formatMoney } from '../../src/money/format-money.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { balancesOf, loanById } from '../../src/servicing/loans.js';
import { repay } from '../../src/servicing/repayment.js';
import { recover, writeOff } from '../../src/servicing/write-off.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';

const FAST_RULES: ClassificationRules = { ...RULES_2023, version: 'test-fast', overdueDaysAbove: { 'special-mention': 0, substandard: 1, doubtful: 3, loss: 5 } };

type Command =
  | { kind: 'draw'; amount: bigint; termDays: number }
  | { kind: 'repay'; loan: number; amount: bigint; payoff: boolean }
  | { kind: 'eod'; nights: number }
  | { kind: 'write-off'; loan: number }
  | { kind: 'recover'; loan: number; amount: bigint };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('draw' as const), amount: fc.bigInt({ min: 1n, max: 50_000_00n }), termDays: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ kind: fc.constant('repay' as const), loan: fc.nat(9), amount: fc.bigInt({ min: 1n, max: 60_000_00n }), payoff: fc.boolean() }),
  fc.record({ kind: fc.constant('eod' as const), nights: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('write-off' as const), loan: fc.nat(9) }),
  fc.record({ kind: fc.constant('recover' as const), loan: fc.nat(9), amount: fc.bigInt({ min: 1n, max: 10_000_00n }) }),
);

for (const backend of BACKENDS) {
  describe(`ledger properties on ${backend}`, () => {
    it('every sequence of operations leaves the ledger balanced, reconciled and the cash accounted for', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 14 }), async (commands) => {
          await withTestDatabase(backend, async ({ db }) => {
            const line = await borrowerWithLine(db, '100000.00');
            const loans: string[] = [];
            let cash = 0n;
            for (const step of commands) {
              const loanId = 'loan' in step ? loans[step.loan % Math.max(loans.length, 1)] : undefined;
              try {
                if (step.kind === 'draw') {
                  const result = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: formatMoney(step.amount), termDays: step.termDays }, 'p'));
                  loans.push(result.loanId);
                  cash -= step.amount;
                } else if (step.kind === 'repay' && loanId) {
                  const amount = step.payoff ? balancesOf(await loanById(db, loanId)).payoff : step.amount;
                  if (amount > 0n) {
                    await inTransaction(db, (trx) => repay(trx, { loanId, amount: formatMoney(amount) }, 'p'));
                    cash += amount;
                  }
                } else if (step.kind === 'eod') {
                  for (let night = 0; night < step.nights; night++) await runEod(db, { rules: FAST_RULES, createdBy: 'p' });
                } else if (step.kind === 'write-off' && loanId) {
                  await inTransaction(db, (trx) => writeOff(trx, { loanId, reason: 'property test' }, 'p'));
                } else if (step.kind === 'recover' && loanId) {
                  await inTransaction(db, (trx) => recover(trx, { loanId, amount: formatMoney(step.amount) }, 'p'));
                  cash += step.amount;
                }
              } catch (error) {
                // Refusals (limit exceeded, wrong state) are expected outcomes and must change nothing.
                const code = (error as { code?: string }).code;
                assert.ok(code === 'LIMIT_EXCEEDED' || code === 'CONFLICT', `unexpected ${String(error)}`);
              }
            }
            const tb = await trialBalance(db, null);
            assert.equal(tb.balanced, true, 'trial balance');
            const settlement = tb.rows.find((row) => row.purpose === 'settlement')!.balance;
            assert.equal(settlement, cash, 'settlement account = cash paid in less cash lent');
            const rec = await reconcile(db);
            assert.deepEqual(rec.lines.filter((row) => row.difference !== 0n), [], 'sub-ledger = general ledger');
            const available = (await getCreditLine(db, line.id)).available;
            assert.ok(available >= 0n && available <= 100_000_00n);
          });
        }),
        { numRuns: backend === 'pglite' ? 25 : 15, seed: 20251123 },
      );
    });
  });
}
