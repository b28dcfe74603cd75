/**
 * Whatever happens to collateral and guarantees — registered, valued again and again, pledged,
 * released, guarantees taken and released — the memo (off-balance) accounts equal the register:
 * `collateral-held` is the latest value of every registered piece, `guarantees-held` the amount of
 * every held guarantee, each against its contra account, and the trial balance balances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { recordPledgeRegistration, registerCollateral } from '../../src/collateral/collateral-register.js';
import { addGuarantee, createGuarantor } from '../../src/collateral/guarantees.js';
import { releaseCollateral, releaseGuarantee } from '../../src/collateral/release.js';
import { valueCollateral } from '../../src/collateral/security-events.js';
import { latestValuations } from '../../src/collateral/security-views.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { formatMoney } from '../../src/money/format-money.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

type Step =
  | { kind: 'enter'; value: bigint }
  | { kind: 'value'; item: number; value: bigint }
  | { kind: 'register'; item: number }
  | { kind: 'release'; item: number }
  | { kind: 'guarantee'; amount: bigint }
  | { kind: 'release-guarantee'; item: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('enter' as const), value: fc.bigInt({ min: 1n, max: 50_000_000_00n }) }),
  fc.record({ kind: fc.constant('value' as const), item: fc.nat(7), value: fc.bigInt({ min: 1n, max: 50_000_000_00n }) }),
  fc.record({ kind: fc.constant('register' as const), item: fc.nat(7) }),
  fc.record({ kind: fc.constant('release' as const), item: fc.nat(7) }),
  fc.record({ kind: fc.constant('guarantee' as const), amount: fc.bigInt({ min: 1n, max: 9_000_000_00n }) }),
  fc.record({ kind: fc.constant('release-guarantee' as const), item: fc.nat(7) }),
);

for (const backend of BACKENDS) {
  describe(`memo accounts on ${backend}`, () => {
    it('always equal the register of collateral and guarantees held', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 12 }), async (steps) => {
          await withTestDatabase(backend, async ({ db }) => {
            const { firmId, guarantorId } = await inTransaction(db, async (trx) => {
              const firm = await createEnterprise(trx, { name: '浙江青禾机械有限公司', sizeClass: 'small' }, 't');
              const guarantor = await createGuarantor(trx, { kind: 'company', name: '担保公司', creditCode: '91330000MA27U0AA6C', exposureCap: '1000000000.00', marginRatioBp: 500 }, 't');
              return { firmId: firm.id, guarantorId: guarantor.id };
            });
            const items: string[] = [];
            const guarantees: string[] = [];
            for (const [index, s] of steps.entries()) {
              const item = 'item' in s ? (s.kind === 'release-guarantee' ? guarantees : items)[s.item % Math.max(1, (s.kind === 'release-guarantee' ? guarantees : items).length)] : undefined;
              try {
                await inTransaction(db, async (trx) => {
                  if (s.kind === 'enter') {
                    const c = await registerCollateral(trx, { enterpriseId: firmId, type: 'equipment-vehicles', owner: 'borrower', ownerName: 'x', description: 'CNC', identifier: `VIN${index}` }, 't');
                    await valueCollateral(trx, c.id, { value: formatMoney(s.value), method: 'appraisal', appraiser: 'a' }, 't');
                    items.push(c.id);
                  } else if (s.kind === 'value' && item) await valueCollateral(trx, item, { value: formatMoney(s.value), method: 'market-index', appraiser: 'idx' }, 't');
                  else if (s.kind === 'register' && item) await recordPledgeRegistration(trx, item, { authority: '市场监管局', number: `D${index}`, registeredOn: '2025-06-30', rank: 1 }, 't');
                  else if (s.kind === 'release' && item) await releaseCollateral(trx, item, 't');
                  else if (s.kind === 'guarantee') guarantees.push((await addGuarantee(trx, { guarantorId, enterpriseId: firmId, type: 'joint-and-several', amount: formatMoney(s.amount), startOn: '2025-06-30', endOn: '2026-06-30' }, 't')).id);
                  else if (s.kind === 'release-guarantee' && item) await releaseGuarantee(trx, item, 't');
                });
              } catch (error) {
                // Refusals (registering twice, valuing a released piece…) change nothing.
                if ((error as { code?: string }).code !== 'CONFLICT') throw error;
              }
            }
            const registered = await db.selectFrom('collateral').select('id').where('status', '=', 'registered').execute();
            const values = await latestValuations(db, registered.map((r) => r.id));
            const expectedCollateral = [...values.values()].reduce((sum, v) => sum + v.value, 0n);
            const held = await db.selectFrom('guarantee').select('amount').where('status', '=', 'held').execute();
            const expectedGuarantees = held.reduce((sum, g) => sum + g.amount, 0n);
            const tb = await trialBalance(db, null);
            const balanceOf = (purpose: string) => tb.rows.find((row) => row.purpose === purpose)?.balance ?? 0n;
            assert.equal(balanceOf('collateral-held'), expectedCollateral);
            assert.equal(balanceOf('collateral-held-contra'), -expectedCollateral);
            assert.equal(balanceOf('guarantees-held'), expectedGuarantees);
            assert.equal(balanceOf('guarantees-held-contra'), -expectedGuarantees);
            assert.equal(tb.balanced, true);
          });
        }),
        { numRuns: 12 },
      );
    });
  });
}
