import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import { RULES_2023 } from '../../src/classification/classification-rules.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { SproutError } from '../../src/errors.js';
import { minor, type Minor } from '../../src/money/minor.js';
import { certificateChain, certificateTree, getCertificate, splitCertificate, transferCertificate } from '../../src/supply-chain/certificates.js';
import { financeCertificate, quoteFinancing } from '../../src/supply-chain/financing.js';
import { financingTerms } from '../../src/supply-chain/financing-terms.js';
import { ageSupplyChainFinancing, payReceivable } from '../../src/supply-chain/maturity.js';
import { getProgramme, programmeUsage } from '../../src/supply-chain/programmes.js';
import { recordDilution, registerReceivable, type PledgeRegistry } from '../../src/supply-chain/receivables.js';
import { checkSplit, splitByWeights } from '../../src/supply-chain/split-certificate-amounts.js';
import { balanceByCoreAndTier, reconcileSupplyChain } from '../../src/supply-chain/supply-chain-views.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { balanceOf, confirmedCertificate, DUE, invite, supplyChain, TODAY, type Chain } from './scf-fixtures.js';

const tx = <T>(db: Kysely<Database>, body: Parameters<typeof inTransaction<T>>[1]) => inTransaction<T>(db, body);

/** The reason of the SproutError `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SproutError, String(error));
    return error.reason ?? error.code;
  }
  assert.fail('expected a refusal');
}

/** The refusal's code, field and reason. */
async function refusalOf(promise: Promise<unknown>): Promise<[string, string | undefined, string | undefined]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SproutError, String(error));
    return [error.code, error.field, error.reason];
  }
  assert.fail('expected a refusal');
}

async function assertReconciled(db: Kysely<Database>): Promise<void> {
  for (const row of await reconcileSupplyChain(db)) {
    assert.equal(row.financingInLedger, row.financingOutstanding, `programme ${row.programmeId}: financing against ledger`);
    assert.equal(row.certificatesInLedger, row.certificatesOutstanding, `programme ${row.programmeId}: certificates against ledger`);
    assert.equal(row.collectionsInLedger, 0n, 'nothing left in the collections account');
    assert.deepEqual([row.penaltyInLedger, row.provisionInLedger], [row.penaltyOutstanding, row.provisionHeld], 'penalty and provision against ledger');
  }
  assert.equal((await trialBalance(db, null)).balanced, true);
}

describe('supply-chain arithmetic', () => {
  it('a split by weights sums exactly to the whole, every part at least one fen when the weights allow (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.array(fc.bigInt({ min: 1n, max: 10n ** 6n }), { minLength: 2, maxLength: 50 }), (face, weights) => {
        const parts = splitByWeights(minor(face), weights);
        assert.equal(parts.length, weights.length);
        assert.equal(parts.reduce((sum, part) => sum + part, 0n), face);
        assert.ok(parts.every((part) => part >= 0n));
      }),
    );
  });

  it('a split must have parts summing exactly to the face amount', () => {
    checkSplit(minor(100_000n), [minor(60_000n), minor(40_000n)], 'parts');
    assert.throws(() => checkSplit(minor(100_000n), [minor(60_000n), minor(39_999n)], 'parts'), /sum exactly/);
    assert.throws(() => checkSplit(minor(100_000n), [minor(100_000n)], 'parts'), /at least two/);
    assert.throws(() => checkSplit(minor(100_000n), [minor(100_001n), minor(-1n)], 'parts'), /positive/);
  });

  it('terms: 90% of 1,000,000.00 for 90 days at 3.50% discounted, or borne by the core enterprise at maturity', () => {
    const base = { face: minor(100_000_000n), advanceRateBp: 9000, rateUnits: 35000n as never, financedOn: TODAY, dueOn: DUE } as const;
    const discounted = financingTerms({ ...base, interestPayer: 'supplier', interestTiming: 'discounted' });
    assert.deepEqual(
      [discounted.principal, discounted.days, discounted.interest, discounted.disbursed, discounted.corePays, discounted.surplusAtMaturity, discounted.holderReceives],
      [90_000_000n, 90, 787_500n, 89_212_500n, 100_000_000n, 10_000_000n, 99_212_500n],
    );
    const core = financingTerms({ ...base, interestPayer: 'core-enterprise', interestTiming: 'at-maturity' });
    assert.deepEqual([core.disbursed, core.corePays, core.surplusAtMaturity, core.holderReceives], [90_000_000n, 100_787_500n, 10_000_000n, 100_000_000n]);
  });
});

for (const backend of BACKENDS) {
  describe(`supply-chain finance on ${backend}`, () => {
    it('a certificate passes three tiers, is financed at tiers 1 and 3, and the core enterprise pays: financings settle, holders get the rest, headroom returns', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db);
        await invite(db, chain, chain.tier2, chain.tier3);
        const { receivableId, certificateId, face } = await confirmedCertificate(db, chain, 'INV-2025-001', '1000000.00');
        assert.equal(face, 100_000_000n);
        assert.equal(await balanceOf(db, 'scf-certificates'), 100_000_000n);
        const [keep, pass] = await tx(db, (trx) => splitCertificate(trx, certificateId, chain.tier1, [minor(60_000_000n), minor(40_000_000n)], TODAY, 'tier1-user'));
        const atTier2 = await tx(db, (trx) => transferCertificate(trx, pass!.id, chain.tier1, chain.tier2, TODAY, 'tier1-user'));
        assert.equal(atTier2.tier, 2);
        const [tier2Keeps, tier2Pays] = await tx(db, (trx) => splitCertificate(trx, atTier2.id, chain.tier2, [minor(25_000_001n), minor(14_999_999n)], TODAY, 'tier2-user'));
        const atTier3 = await tx(db, (trx) => transferCertificate(trx, tier2Pays!.id, chain.tier2, chain.tier3, TODAY, 'tier2-user'));
        assert.deepEqual((await certificateChain(db, atTier3.id)).map((c) => [c.holderId, c.tier, c.faceAmount, c.status]), [
          [chain.tier1, 1, 100_000_000n, 'split'],
          [chain.tier1, 1, 40_000_000n, 'transferred'],
          [chain.tier2, 2, 40_000_000n, 'split'],
          [chain.tier2, 2, 14_999_999n, 'transferred'],
          [chain.tier3, 3, 14_999_999n, 'held'],
        ]);
        // Splitting and transferring change nothing the core enterprise owes.
        assert.equal(await balanceOf(db, 'scf-certificates'), 100_000_000n);

        const quote = await quoteFinancing(db, atTier3.id, chain.tier3, TODAY);
        assert.deepEqual([quote.principal, quote.interest, quote.disbursed, quote.surplusAtMaturity], [13_499_999n, 118_125n, 13_381_874n, 1_500_000n]);
        const atTier3Financed = await tx(db, (trx) => financeCertificate(trx, atTier3.id, chain.tier3, TODAY, 'tier3-user'));
        assert.deepEqual([atTier3Financed.principal, atTier3Financed.disbursed], [13_499_999n, 13_381_874n]);
        const tier1Financed = await tx(db, (trx) => financeCertificate(trx, keep!.id, chain.tier1, TODAY, 'tier1-user'));
        assert.deepEqual([tier1Financed.principal, tier1Financed.interest, tier1Financed.disbursed], [54_000_000n, 472_500n, 53_527_500n]);

        const programme = await getProgramme(db, chain.programmeId);
        assert.equal((await programmeUsage(db, programme)).headroom, 500_000_000n - 67_499_999n);
        assert.equal(await balanceOf(db, 'scf-normal'), 67_499_999n);
        assert.equal(await balanceOf(db, 'interest-income'), -(472_500n + 118_125n));
        assert.equal(await balanceOf(db, 'settlement'), -(13_381_874n + 53_527_500n));
        assert.deepEqual(
          (await balanceByCoreAndTier(db)).map((row) => [row.tier, row.certificates, row.outstanding, row.financed]),
          [[1, 1, 60_000_000n, 54_000_000n], [2, 1, 25_000_001n, 0n], [3, 1, 14_999_999n, 13_499_999n]],
        );
        await assertReconciled(db);

        const payment = await tx(db, (trx) => payReceivable(trx, chain.core, receivableId, DUE, 'core-user'));
        assert.equal(payment.total, 100_000_000n);
        const byHolder = new Map(payment.certificates.map((p) => [p.holderId, p]));
        assert.deepEqual([byHolder.get(chain.tier1)!.principal, byHolder.get(chain.tier1)!.toHolder], [54_000_000n, 6_000_000n]);
        assert.deepEqual([byHolder.get(chain.tier2)!.principal, byHolder.get(chain.tier2)!.toHolder], [0n, 25_000_001n]);
        assert.deepEqual([byHolder.get(chain.tier3)!.principal, byHolder.get(chain.tier3)!.toHolder], [13_499_999n, 1_500_000n]);
        assert.equal((await programmeUsage(db, programme)).headroom, 500_000_000n);
        assert.equal(await balanceOf(db, 'scf-normal'), 0n);
        assert.equal(await balanceOf(db, 'scf-certificates'), 0n);
        // The bank is out only the interest it earned: paid out 66,909,374 + 31,500,001, received 100,000,000.
        assert.equal(await balanceOf(db, 'settlement'), 590_625n);
        assert.equal((await getCertificate(db, tier2Keeps!.id)).status, 'paid');
        assert.equal((await certificateTree(db, receivableId)).children.length, 2);
        await assertReconciled(db);
        assert.equal(await refusal(tx(db, (trx) => payReceivable(trx, chain.core, receivableId, DUE, 'core-user'))), 'CONFLICT');
      });
    });

    it('two racing transfers, two racing financings, and a financing racing a transfer: each certificate moves once', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db);
        const other = chain.tier3;
        await invite(db, chain, chain.tier2, chain.tier3);
        for (const [index, race] of (['transfer-transfer', 'finance-finance', 'finance-transfer'] as const).entries()) {
          const { certificateId } = await confirmedCertificate(db, chain, `RACE-${index}`, '100000.00');
          const attempt = (kind: 'transfer' | 'finance', to: string) =>
            tx<unknown>(db, (trx) => (kind === 'transfer' ? transferCertificate(trx, certificateId, chain.tier1, to, TODAY, 'tier1-user') : financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user')));
          const [a, b] = race.split('-') as ['transfer' | 'finance', 'transfer' | 'finance'];
          const results = await Promise.allSettled([attempt(a, chain.tier2), attempt(b, other)]);
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          assert.equal(won.length, 1, `${race}: exactly one wins`);
          assert.equal(lost.length, 1);
          assert.equal((lost[0]!.reason as SproutError).reason, 'certificate-not-held', String(lost[0]!.reason));
          const children = await db.selectFrom('scf_certificate').select('id').where('parent_id', '=', certificateId).execute();
          const financings = await db.selectFrom('scf_financing').select('id').where('certificate_id', '=', certificateId).execute();
          assert.equal(children.length + financings.length, 1, `${race}: one child or one financing`);
        }
        // 90,000.00 for each financing that won, and no more.
        const financings = await db.selectFrom('scf_financing').select('id').execute();
        assert.equal((await programmeUsage(db, await getProgramme(db, chain.programmeId))).used, 9_000_000n * BigInt(financings.length));
        await assertReconciled(db);
      });
    });

    it('splitting into random parts keeps the whole to the fen, in the tables and the ledger (property)', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db);
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.bigInt({ min: 2n, max: 10n ** 9n }), fc.array(fc.bigInt({ min: 1n, max: 1000n }), { minLength: 2, maxLength: 12 }), async (face, weights) => {
            run++;
            const amount = `${face / 100n}.${(face % 100n).toString().padStart(2, '0')}`;
            const { certificateId } = await confirmedCertificate(db, chain, `PROP-${run}`, amount);
            const parts = splitByWeights(minor(face), weights).filter((part) => part > 0n);
            if (parts.length < 2) return;
            const children = await tx(db, (trx) => splitCertificate(trx, certificateId, chain.tier1, parts, TODAY, 'tier1-user'));
            const stored = await db.selectFrom('scf_certificate').select('face_amount').where('parent_id', '=', certificateId).execute();
            assert.equal(stored.reduce((sum, row) => sum + row.face_amount, 0n), face);
            assert.equal(children.length, parts.length);
          }),
          { numRuns: 15, seed: 18 },
        );
        await assertReconciled(db);
      });
    });

    it('a late core enterprise: overdue from the day after the due date, classified across all its financings, refused new financing; paying late settles from the substandard account', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db);
        const first = await confirmedCertificate(db, chain, 'LATE-1', '200000.00');
        const second = await confirmedCertificate(db, chain, 'LATE-2', '100000.00', '2025-12-27' as BusinessDate);
        await tx(db, (trx) => financeCertificate(trx, first.certificateId, chain.tier1, TODAY, 'tier1-user'));
        await tx(db, (trx) => financeCertificate(trx, second.certificateId, chain.tier1, TODAY, 'tier1-user'));
        // Due 2025-09-28 and not paid that day: one day past due at its end of day.
        await tx(db, (trx) => ageSupplyChainFinancing(trx, '2025-09-27' as BusinessDate, RULES_2023, 'eod'));
        assert.equal(await balanceOf(db, 'scf-normal'), 27_000_000n);
        const late = await tx(db, (trx) => ageSupplyChainFinancing(trx, DUE, RULES_2023, 'eod'));
        // Penalty at 1.5 × 3.50% on the 180,000.00 advanced: 180,000.00 × 5.25% / 360 = 26.25 a night; 2% provision on 270,000.00.
        assert.deepEqual(late, { overdue: 1, reclassified: 2, penalty: 2625n, provisionDelta: 540_000n });
        const rows = await db.selectFrom('scf_financing').select(['status', 'dpd', 'classification']).orderBy('due_on').execute();
        assert.deepEqual(rows.map((r) => [r.status, r.dpd, r.classification]), [['overdue', 1, 'special-mention'], ['active', 0, 'special-mention']]);
        assert.equal(await balanceOf(db, 'scf-special-mention'), 27_000_000n);
        // 91 days past due: substandard, for both.
        await tx(db, (trx) => ageSupplyChainFinancing(trx, '2025-12-27' as BusinessDate, RULES_2023, 'eod'));
        assert.equal(await balanceOf(db, 'scf-substandard'), 27_000_000n);
        const third = await confirmedCertificate(db, chain, 'LATE-3', '10000.00', '2026-03-01' as BusinessDate);
        assert.equal(await refusal(tx(db, (trx) => financeCertificate(trx, third.certificateId, chain.tier1, '2025-12-27' as BusinessDate, 'tier1-user'))), 'core-enterprise-impaired');
        await assertReconciled(db);
        const paid = await tx(db, (trx) => payReceivable(trx, chain.core, first.receivableId, '2025-12-28' as BusinessDate, 'core-user'));
        // The face, and two nights' penalty (the nights aged here: the due date and 2025-12-27), which the core enterprise owes, not the holder.
        assert.deepEqual([paid.total, paid.certificates[0]!.penalty, paid.certificates[0]!.toHolder], [20_005_250n, 5250n, 2_000_000n]);
        assert.equal(await balanceOf(db, 'scf-substandard'), 9_000_000n);
        assert.equal((await programmeUsage(db, await getProgramme(db, chain.programmeId))).used, 9_000_000n);
        await assertReconciled(db);
      });
    });

    it('a core enterprise bearing interest at maturity pays face plus interest, and the holder receives the face less the advance', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db, { interestPayer: 'core-enterprise', interestTiming: 'at-maturity' });
        const { receivableId, certificateId } = await confirmedCertificate(db, chain, 'CORE-PAYS', '1000000.00');
        const financing = await tx(db, (trx) => financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user'));
        assert.deepEqual([financing.principal, financing.interest, financing.disbursed, financing.corePays], [90_000_000n, 787_500n, 90_000_000n, 100_787_500n]);
        assert.equal(await balanceOf(db, 'interest-income'), 0n);
        const paid = await tx(db, (trx) => payReceivable(trx, chain.core, receivableId, DUE, 'core-user'));
        assert.deepEqual([paid.total, paid.certificates[0]!.interest, paid.certificates[0]!.toHolder], [100_787_500n, 787_500n, 10_000_000n]);
        assert.equal(await balanceOf(db, 'interest-income'), -787_500n);
        assert.equal(await balanceOf(db, 'settlement'), 787_500n);
        await assertReconciled(db);
      });
    });

    it('guards: one invoice per seller, the registry hook, invited suppliers only, headroom and concentration, tenor', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db, { limit: '1000000.00', supplierLimit: '500000.00', industryLimit: '1000000.00' });
        await confirmedCertificate(db, chain, 'DUP-1', '100.00');
        assert.equal(await refusal(confirmedCertificate(db, chain, 'DUP-1', '200.00')), 'invoice-already-registered');
        const pledged: PledgeRegistry = { check: async () => ({ clear: false, reference: 'ZD-2025-0001' }) };
        assert.equal(await refusal(tx(db, (trx) => registerReceivable(trx, chain.core, chain.tier1, { invoiceNo: 'PLEDGED', amount: '10.00', issuedOn: TODAY, dueOn: DUE }, TODAY, 'u', pledged))), 'registry-pledged');
        assert.equal(await refusal(tx(db, (trx) => registerReceivable(trx, chain.core, chain.tier2, { invoiceNo: 'T2', amount: '10.00', issuedOn: TODAY, dueOn: DUE }, TODAY, 'u'))), 'supplier-not-eligible');
        assert.equal(await refusal(tx(db, (trx) => registerReceivable(trx, chain.core, chain.tier1, { invoiceNo: 'BAD', amount: '10.001', issuedOn: TODAY, dueOn: DUE }, TODAY, 'u'))), 'invalid-amount');
        // 90% of 600,000.00 = 540,000.00 is above the 500,000.00 per supplier.
        const big = await confirmedCertificate(db, chain, 'BIG', '600000.00');
        assert.equal(await refusal(quoteFinancing(db, big.certificateId, chain.tier1, TODAY)), 'supplier-limit');
        const far = await confirmedCertificate(db, chain, 'FAR', '100.00', '2026-06-30' as BusinessDate);
        assert.equal(await refusal(quoteFinancing(db, far.certificateId, chain.tier1, TODAY)), 'tenor-too-long');
        // Headroom: transferred to tier 2 (no supplier limit used there), 90% of 1,200,000.00 is above the limit.
        const huge = await confirmedCertificate(db, chain, 'HUGE', '1200000.00');
        // A transfer only to a supplier invited to the programme: refused naming the field, the certificate still held.
        assert.deepEqual(await refusalOf(tx(db, (trx) => transferCertificate(trx, huge.certificateId, chain.tier1, chain.tier2, TODAY, 'u'))), ['LIMIT_EXCEEDED', 'toEnterpriseId', 'supplier-not-eligible']);
        assert.equal((await getCertificate(db, huge.certificateId)).status, 'held');
        assert.equal((await db.selectFrom('scf_certificate').select('id').where('holder_id', '=', chain.tier2).execute()).length, 0);
        await invite(db, chain, chain.tier2);
        const moved = await tx(db, (trx) => transferCertificate(trx, huge.certificateId, chain.tier1, chain.tier2, TODAY, 'u'));
        assert.equal(await refusal(quoteFinancing(db, moved.id, chain.tier2, TODAY)), 'programme-headroom');
        assert.equal(await db.selectFrom('scf_financing').select('id').executeTakeFirst(), undefined);
      });
    });

    it('dilution reduces the confirmed amount while the seller holds it whole, warns after a split, and a dispute blocks financing until resolved', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const chain = await supplyChain(db);
        const a = await confirmedCertificate(db, chain, 'DIL-1', '100000.00');
        assert.deepEqual(await tx(db, (trx) => recordDilution(trx, a.receivableId, { kind: 'credit-note', amount: '5000.00', note: '质量折让' }, TODAY, 'core-user')), { effect: 'reduced' });
        assert.equal((await getCertificate(db, a.certificateId)).faceAmount, 9_500_000n);
        assert.equal(await balanceOf(db, 'scf-certificates'), 9_500_000n);
        const [part] = await tx(db, (trx) => splitCertificate(trx, a.certificateId, chain.tier1, [minor(5_000_000n), minor(4_500_000n)], TODAY, 'u'));
        assert.deepEqual(await tx(db, (trx) => recordDilution(trx, a.receivableId, { kind: 'return', amount: '1000.00', note: '退货' }, TODAY, 'core-user')), { effect: 'warning' });
        assert.equal(await refusal(quoteFinancing(db, part!.id, chain.tier1, TODAY)), 'dilution-warning');
        const b = await confirmedCertificate(db, chain, 'DIL-2', '100000.00');
        await tx(db, (trx) => recordDilution(trx, b.receivableId, { kind: 'dispute', note: '数量争议' }, TODAY, 'core-user'));
        assert.equal(await refusal(quoteFinancing(db, b.certificateId, chain.tier1, TODAY)), 'receivable-disputed');
        await tx(db, (trx) => recordDilution(trx, b.receivableId, { kind: 'dispute-resolved', note: '已对账' }, TODAY, 'core-user'));
        assert.equal((await quoteFinancing(db, b.certificateId, chain.tier1, TODAY)).principal, 9_000_000n);
        await assertReconciled(db);
      });
    });
  });
}
