import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { CHECKED_ACTIONS } from '../../src/approvals/checked-actions.js';
import { decideRequest } from '../../src/approvals/maker-checker.js';
import { linkCollateral, recordPledgeRegistration, registerCollateral } from '../../src/collateral/collateral-register.js';
import { addGuarantee, callGuarantee, createGuarantor, guarantorExposure, linkGuarantee, maskedGuarantor } from '../../src/collateral/guarantees.js';
import { requestCollateralRelease, requestGuaranteeRelease } from '../../src/collateral/release.js';
import { valueCollateral, securityEvents } from '../../src/collateral/security-events.js';
import { bookSecuritySplit, borrowerSecurity, lineSecurity } from '../../src/collateral/security-views.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { openCreditLine, setCreditLineStatus } from '../../src/lines/credit-lines.js';
import { formatMoney } from '../../src/money/format-money.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { balancesOf, loanById } from '../../src/servicing/loans.js';
import { repay } from '../../src/servicing/repayment.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { simulate } from '../support/simulate.js';

const RISK = { username: 'li.risk', role: 'risk-officer' as const };
const AM = { username: 'wang.am', role: 'account-manager' as const };
const balance = async (db: Kysely<Database>, purpose: string) => (await trialBalance(db, null)).rows.find((row) => row.purpose === purpose)?.balance;

/** A borrower with two term-loan lines: A 4,000,000 and B 1,500,000. */
async function borrowerWithTwoLines(db: Kysely<Database>) {
  return inTransaction(db, async (trx) => {
    const firm = await createEnterprise(trx, { name: '浙江青禾机械有限公司', sizeClass: 'small' }, 'test');
    const a = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'TERM-LOAN', limit: '4000000.00' }, 'test');
    const b = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'TERM-LOAN', limit: '1500000.00' }, 'test');
    return { firmId: firm.id, a: a.id, b: b.id };
  });
}

async function registeredHouse(db: Kysely<Database>, firmId: string, value = '10000000.00', identifier = '浙(2024)杭州市不动产权第0012345号') {
  return inTransaction(db, async (trx) => {
    const house = await registerCollateral(trx, { enterpriseId: firmId, type: 'residential-real-estate', owner: 'borrower', ownerName: '浙江青禾机械有限公司', description: '杭州市西湖区文三路 1 号', identifier }, 'wang.am');
    await valueCollateral(trx, house.id, { value, method: 'appraisal', appraiser: '浙江中衡资产评估' }, 'wang.am');
    await recordPledgeRegistration(trx, house.id, { authority: '杭州市不动产登记中心', number: '浙(2025)杭州市不动产证明第0098765号', registeredOn: '2025-06-28', rank: 1 }, 'wang.am');
    return house.id;
  });
}

for (const backend of BACKENDS) {
  describe(`collateral and guarantees on ${backend}`, () => {
    it('allocates one house across two lines, gives each its loan-to-value, shares a fall in value pro rata and raises an event', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { firmId, a, b } = await borrowerWithTwoLines(db);
        const house = await registeredHouse(db, firmId);
        // Eligible: 10,000,000 × (1 − 30%) = 7,000,000.00; on the memo ledger at the appraised value.
        assert.equal(await balance(db, 'collateral-held'), 10_000_000_00n);
        assert.equal(await balance(db, 'collateral-held-contra'), -10_000_000_00n);
        const first = await inTransaction(db, (trx) => linkCollateral(trx, house, a, '4500000.00', 'wang.am'));
        assert.equal(first.free, 2_500_000_00n);
        await inTransaction(db, (trx) => linkCollateral(trx, house, b, '2500000.00', 'wang.am'));
        await assert.rejects(inTransaction(db, (trx) => linkCollateral(trx, house, b, '2500000.01', 'wang.am')), { code: 'LIMIT_EXCEEDED', field: 'allocated' });
        const lineA = await lineSecurity(db, a);
        assert.deepEqual([lineA.credit, lineA.eligible, lineA.ltvBp, lineA.capacity, lineA.maxLtvBp, lineA.overMaximum], [4_000_000_00n, 4_500_000_00n, 8889, 4_050_000_00n, 9000, false]);
        assert.equal((await lineSecurity(db, b)).ltvBp, 6000);
        const borrower = await borrowerSecurity(db, firmId);
        assert.deepEqual([borrower.credit, borrower.eligible, borrower.ltvBp], [5_500_000_00n, 7_000_000_00n, 7858]);

        // A market index takes 20% off: eligible 5,600,000 shared 4.5 : 2.5 → 3,600,000 and 2,000,000.
        const { events } = await inTransaction(db, (trx) => valueCollateral(trx, house, { value: '8000000.00', method: 'market-index', appraiser: '杭州住宅价格指数 2025-06' }, 'ops'));
        const after = await lineSecurity(db, a);
        assert.deepEqual([after.eligible, after.ltvBp, after.capacity, after.overMaximum], [3_600_000_00n, 11112, 3_240_000_00n, true]);
        const afterB = await lineSecurity(db, b);
        assert.deepEqual([afterB.eligible, afterB.ltvBp, afterB.overMaximum], [2_000_000_00n, 7500, false]);
        assert.deepEqual(events.map((e) => [e.lineId, e.ltvBp, e.maxLtvBp]), [[a, 11112, 9000]]);
        assert.equal((await securityEvents(db, { enterpriseId: firmId, limit: 10 })).length, 1);
        // The memo entry moved with the value: the old one reversed, the new one posted.
        assert.equal(await balance(db, 'collateral-held'), 8_000_000_00n);
        const memo = await db.selectFrom('journal_entry').select(['kind']).where('kind', 'in', ['collateral-held', 'reversal']).orderBy('created_at').orderBy('id').execute();
        assert.deepEqual(memo.map((m) => m.kind), ['collateral-held', 'reversal', 'collateral-held']);
        assert.equal((await trialBalance(db, null)).balanced, true);
      });
    });

    it('refuses release while a line is open or owes anything; releases on a checker\'s approval once repaid and closed', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { firmId, a } = await borrowerWithTwoLines(db);
        const house = await registeredHouse(db, firmId);
        await inTransaction(db, (trx) => linkCollateral(trx, house, a, '4500000.00', 'wang.am'));
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: a, amount: '1000000.00', installments: 12 }, 'u'));
        await assert.rejects(inTransaction(db, (trx) => requestCollateralRelease(trx, house, '贷款结清', AM)), { code: 'CONFLICT', field: 'lineId' });
        // Repaid but the line still open: still refused.
        const payoff = balancesOf(await loanById(db, loanId)).payoff;
        await inTransaction(db, (trx) => repay(trx, { loanId, amount: formatMoney(payoff) }, 'u'));
        await assert.rejects(inTransaction(db, (trx) => requestCollateralRelease(trx, house, '贷款结清', AM)), /still secures line/);
        await inTransaction(db, (trx) => setCreditLineStatus(trx, a, 'closed', 'u'));
        const request = await inTransaction(db, (trx) => requestCollateralRelease(trx, house, '贷款结清，授信终止', AM));
        assert.equal(request.kind, 'collateral.release');
        await assert.rejects(inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', { username: 'wang.am', role: 'admin' })), { code: 'NOT_AUTHORISED' });
        assert.equal(await balance(db, 'collateral-held'), 10_000_000_00n, 'held until the checker approves');
        const approved = await inTransaction(db, (trx) => decideRequest(trx, CHECKED_ACTIONS, request.id, 'approve', RISK));
        assert.equal(approved.status, 'approved');
        const row = await db.selectFrom('collateral').select(['status', 'released_on', 'memo_entry_id']).where('id', '=', house).executeTakeFirstOrThrow();
        assert.deepEqual([row.status, row.released_on, row.memo_entry_id], ['released', '2025-06-30', null]);
        assert.equal(await balance(db, 'collateral-held'), 0n);
        assert.equal((await db.selectFrom('collateral_link').select('released_on').where('collateral_id', '=', house).executeTakeFirstOrThrow()).released_on, '2025-06-30');
      });
    });

    it('a guarantee company stays within its cap; its exposure and margin deposit are exact; a person is masked', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { firmId, a, b } = await borrowerWithTwoLines(db);
        const company = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'company', name: '浙江省融资担保有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '10000000.00', marginRatioBp: 1000, rating: 'AA+' }, 'wang.am'));
        await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: company.id, enterpriseId: firmId, lineId: a, type: 'joint-and-several', amount: '3000000.00', startOn: '2025-06-30', endOn: '2028-06-30' }, 'wang.am'));
        await assert.rejects(
          inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: company.id, enterpriseId: firmId, lineId: b, type: 'joint-and-several', amount: '7000000.01', startOn: '2025-06-30', endOn: '2028-06-30' }, 'wang.am')),
          { code: 'LIMIT_EXCEEDED', field: 'amount' },
        );
        const exposure = await guarantorExposure(db, company.id);
        assert.deepEqual([exposure.guaranteed, exposure.room, exposure.marginDeposit, exposure.guarantees], [3_000_000_00n, 7_000_000_00n, 300_000_00n, 1]);
        assert.equal(await balance(db, 'guarantees-held'), 3_000_000_00n);
        const person = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'person', name: '陈立', idNumber: '11010519491231002X' }, 'wang.am'));
        assert.equal(maskedGuarantor(person).idNumber, '110105********002X');
        const personal = await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: person.id, enterpriseId: firmId, type: 'general', amount: '500000.00', startOn: '2025-06-30', endOn: '2026-06-30' }, 'wang.am'));
        assert.equal((await borrowerSecurity(db, firmId)).unlinkedGuaranteed, 500_000_00n);
        await inTransaction(db, (trx) => linkGuarantee(trx, personal.id, b, 'wang.am'));
        assert.deepEqual([(await lineSecurity(db, b)).guaranteed, await balance(db, 'guarantees-held')], [500_000_00n, 3_500_000_00n]);
        await assert.rejects(inTransaction(db, (trx) => requestGuaranteeRelease(trx, personal.id, '授信终止', AM)), { code: 'CONFLICT' });
      });
    });

    it('calls a guarantee on a loan more than 90 days past due: claim, recovery allocated penalty → interest → principal, memo reversed', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { firmId, a } = await borrowerWithTwoLines(db);
        const company = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'company', name: '浙江省融资担保有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '10000000.00', marginRatioBp: 1000 }, 'wang.am'));
        const guarantee = await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: company.id, enterpriseId: firmId, lineId: a, type: 'joint-and-several', amount: '800000.00', startOn: '2025-06-30', endOn: '2028-06-30' }, 'wang.am'));
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: a, amount: '1000000.00', installments: 12 }, 'u'));
        const call = () => inTransaction(db, (trx) => callGuarantee(trx, { guaranteeId: guarantee.id, loanId, recovered: '600000.00' }, 'li.risk'));
        await assert.rejects(call(), /has not defaulted/);
        await simulate(db, loanId, { principalDue: 250_000_00n, interestDue: 12_000_00n, penaltyDue: 1_500_00n, dpd: 95, overdueSince: '2025-03-27', classification: 'substandard', provision: 250_000_00n });
        const result = await call();
        // Payoff 1,013,500.00 > 800,000: the claim is the guaranteed amount.
        assert.deepEqual([result.claimed, result.recovered, result.toPenalty, result.toInterest, result.toPrincipal, result.loanStatus], [800_000_00n, 600_000_00n, 1_500_00n, 12_000_00n, 586_500_00n, 'active']);
        const loan = await loanById(db, loanId);
        assert.equal(loan.principal_not_due + loan.principal_due, 413_500_00n);
        assert.equal(await balance(db, 'guarantees-held'), 0n);
        assert.equal((await db.selectFrom('guarantee').select('status').where('id', '=', guarantee.id).executeTakeFirstOrThrow()).status, 'called');
        await assert.rejects(call(), { code: 'CONFLICT', field: 'guaranteeId' });
        assert.equal((await trialBalance(db, null)).balanced, true);
      });
    });

    it('a general guarantee waits for enforcement against the borrower to fail', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { firmId, a } = await borrowerWithTwoLines(db);
        const person = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'person', name: '陈立', idNumber: '11010519491231002X' }, 'wang.am'));
        const guarantee = await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: person.id, enterpriseId: firmId, lineId: a, type: 'general', amount: '100000.00', startOn: '2025-06-30', endOn: '2026-06-30' }, 'wang.am'));
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: a, amount: '50000.00', installments: 6 }, 'u'));
        await simulate(db, loanId, { dpd: 120, classification: 'substandard' });
        await assert.rejects(inTransaction(db, (trx) => callGuarantee(trx, { guaranteeId: guarantee.id, loanId, recovered: '0.00' }, 'r')), { field: 'enforcementExhausted' });
        const result = await inTransaction(db, (trx) => callGuarantee(trx, { guaranteeId: guarantee.id, loanId, recovered: '0.00', enforcementExhausted: true }, 'r'));
        assert.deepEqual([result.claimed, result.recovered], [50_000_00n, 0n]);
      });
    });

    it('splits the book into secured, guaranteed and pure-credit balances', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { firmId, a, b } = await borrowerWithTwoLines(db);
        const house = await registeredHouse(db, firmId);
        await inTransaction(db, (trx) => linkCollateral(trx, house, a, '4500000.00', 'wang.am'));
        const company = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'company', name: '浙江省融资担保有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '10000000.00', marginRatioBp: 1000 }, 'wang.am'));
        await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: company.id, enterpriseId: firmId, lineId: b, type: 'joint-and-several', amount: '1500000.00', startOn: '2025-06-30', endOn: '2028-06-30' }, 'wang.am'));
        const other = await inTransaction(db, async (trx) => {
          const firm = await createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro' }, 'test');
          return openCreditLine(trx, { enterpriseId: firm.id, productCode: 'MICRO-LINE', limit: '300000.00' }, 'test');
        });
        await inTransaction(db, (trx) => drawdown(trx, { lineId: a, amount: '1000000.00', installments: 12 }, 'u'));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: b, amount: '400000.00', installments: 12 }, 'u'));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: other.id, amount: '50000.00', termDays: 30 }, 'u'));
        assert.deepEqual(await bookSecuritySplit(db), {
          secured: { balance: 1_000_000_00n, loans: 1 },
          guaranteed: { balance: 400_000_00n, loans: 1 },
          pureCredit: { balance: 50_000_00n, loans: 1 },
        });
      });
    });
  });
}
