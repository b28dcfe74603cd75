import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { addGuarantee, createGuarantor } from '../../src/collateral/guarantees.js';
import { checkGuarantor, grantGuarantorAuthorisation, guarantorChecks } from '../../src/collateral/guarantor-data.js';
import { securityInputFor } from '../../src/collateral/security-input.js';
import type { DataProvider } from '../../src/data/data-provider.js';
import { personKey } from '../../src/data/person-key.js';
import { simulatedProvider } from '../../src/data/simulated-provider.js';
import type { DataRecord } from '../../src/data/data-records.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { trialBalance } from '../../src/ledger/trial-balance.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { minor } from '../../src/money/minor.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { loanById } from '../../src/servicing/loans.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { simulate } from '../support/simulate.js';

const COMPANY_CODE = '91330000MA27U0AA6C';
const NOW = new Date('2025-06-30T02:00:00Z');

/** A provider whose court records hold `courts` and whose tax records are empty. */
function courtProvider(courts: readonly DataRecord[]): DataProvider {
  return { name: 'test-courts', sources: ['tax', 'courts'], fetch: async (request) => (request.source === 'courts' ? courts : []) as never };
}

const LISTED: DataRecord = { source: 'courts', kind: 'dishonest-debtor', date: '2025-03-01' as never, removedOn: null, court: '杭州市中级人民法院', caseNumber: '(2025)浙01执123号', amount: minor(80_000_00n) };

const balance = async (db: Kysely<Database>, purpose: string) => (await trialBalance(db, null)).rows.find((row) => row.purpose === purpose)?.balance ?? 0n;

/** A borrower with line A (4,000,000) guaranteed 1,200,000 by a guarantee company, and line B (1,500,000); 1,000,000 drawn on A. */
async function guaranteedBorrower(db: Kysely<Database>, guarantee: { type?: 'joint-and-several' | 'general'; amount?: string } = {}) {
  const ids = await inTransaction(db, async (trx) => {
    const firm = await createEnterprise(trx, { name: '浙江青禾机械有限公司', sizeClass: 'small' }, 'test');
    const a = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'TERM-LOAN', limit: '4000000.00' }, 'test');
    const b = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'TERM-LOAN', limit: '1500000.00' }, 'test');
    const company = await createGuarantor(trx, { kind: 'company', name: '浙江省融资担保有限公司', creditCode: COMPANY_CODE, exposureCap: '10000000.00', marginRatioBp: 1000 }, 'wang.am');
    await addGuarantee(trx, { guarantorId: company.id, enterpriseId: firm.id, lineId: a.id, type: guarantee.type ?? 'joint-and-several', amount: guarantee.amount ?? '1200000.00', startOn: '2025-06-30', endOn: '2028-06-30' }, 'wang.am');
    return { firmId: firm.id, a: a.id, b: b.id, guarantorId: company.id };
  });
  const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: ids.a, amount: '1000000.00', installments: 12 }, 'u'));
  return { ...ids, loanId };
}

/** The loan 30 days past due tonight (overdue since 06-01) yet substandard, as the debtor rule or a reviewer left it. */
const SUBSTANDARD_AT_30 = { principalDue: 80_000_00n, interestDue: 3_000_00n, dpd: 29, overdueSince: '2025-06-01', classification: 'substandard' as const, provision: 250_000_00n };

for (const backend of BACKENDS) {
  describe(`guarantees in end of day's classification on ${backend}`, () => {
    it('a covering joint and several company guarantee takes a loan 30 days past due from substandard to special mention, releasing 230,000.00 of provision', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { loanId } = await guaranteedBorrower(db);
        await simulate(db, loanId, SUBSTANDARD_AT_30);
        const summary = await runEod(db); // night of 06-30: dpd 07-01 − 06-01 = 30
        const loan = await loanById(db, loanId);
        // Special mention at 2%: 1,000,000.00 × 200 / 10000 = 20,000.00.
        assert.deepEqual([loan.dpd, loan.classification, loan.provision], [30, 'special-mention', 20_000_00n]);
        assert.deepEqual([await balance(db, 'loans-substandard'), await balance(db, 'loans-special-mention'), await balance(db, 'loan-loss-provision')], [0n, 1_000_000_00n, -20_000_00n]);
        const history = await db.selectFrom('loan_day').select(['classification', 'provision']).where('loan_id', '=', loanId).where('business_date', '=', '2025-06-30' as never).executeTakeFirstOrThrow();
        assert.deepEqual([history.classification, history.provision], ['special-mention', 20_000_00n]);
        const entries = await db.selectFrom('journal_entry').select('kind').where('description', 'like', '%guarantee cover%').orderBy('kind').execute();
        assert.deepEqual(entries.map((e) => e.kind), ['eod-provision', 'eod-reclassification']);
        assert.equal(summary.debtorReclassified, 0);
        assert.equal((await trialBalance(db, null)).balanced, true);
        // The next night nothing moves back and forth: special mention by the overdue rule.
        await runEod(db);
        assert.deepEqual([(await loanById(db, loanId)).classification, (await loanById(db, loanId)).dpd], ['special-mention', 31]);
      });
    });

    it('no cover: more than 90 days past due, a general guarantee, a guarantee smaller than the line owes, or an adverse guarantor', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const beyond = await guaranteedBorrower(db);
        await simulate(db, beyond.loanId, { ...SUBSTANDARD_AT_30, dpd: 95, overdueSince: '2025-03-27' });
        await runEod(db);
        assert.deepEqual([(await loanById(db, beyond.loanId)).dpd, (await loanById(db, beyond.loanId)).classification], [96, 'substandard']);
      });
      await withTestDatabase(backend, async ({ db }) => {
        const general = await guaranteedBorrower(db, { type: 'general' });
        await simulate(db, general.loanId, SUBSTANDARD_AT_30);
        await runEod(db);
        assert.equal((await loanById(db, general.loanId)).classification, 'substandard');
      });
      await withTestDatabase(backend, async ({ db }) => {
        // 1,000,000.00 principal + 3,000.00 interest due and tonight's accrual > 1,002,000.00.
        const short = await guaranteedBorrower(db, { amount: '1002000.00' });
        await simulate(db, short.loanId, SUBSTANDARD_AT_30);
        await runEod(db);
        assert.equal((await loanById(db, short.loanId)).classification, 'substandard');
      });
      await withTestDatabase(backend, async ({ db }) => {
        const adverse = await guaranteedBorrower(db);
        await inTransaction(db, (trx) => grantGuarantorAuthorisation(trx, adverse.guarantorId, { sources: ['tax', 'courts'], grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'DA-G-2025-0042' }, 'wang.am'));
        const check = await inTransaction(db, (trx) => checkGuarantor(trx, adverse.guarantorId, courtProvider([LISTED]), NOW, 'wang.am'));
        assert.deepEqual([check.dishonestDebtor, check.lawsuitsAsDefendant, check.standing, check.recordCount], [true, 0, 'adverse', 1]);
        await simulate(db, adverse.loanId, SUBSTANDARD_AT_30);
        await runEod(db);
        assert.equal((await loanById(db, adverse.loanId)).classification, 'substandard');
      });
    });

    it('the debtor-level rule leaves a covered loan alone and takes the uncovered one', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { b, loanId } = await guaranteedBorrower(db);
        const other = await inTransaction(db, (trx) => drawdown(trx, { lineId: b, amount: '500000.00', installments: 12 }, 'u'));
        const third = await inTransaction(db, (trx) => drawdown(trx, { lineId: b, amount: '500000.00', installments: 6 }, 'u'));
        await simulate(db, other.loanId, { principalDue: 40_000_00n, dpd: 94, overdueSince: '2025-03-28', classification: 'substandard', provision: 125_000_00n });
        const summary = await runEod(db);
        // 500,000 of 2,000,000 non-performing (25% > 10%): the uncovered loan on B goes substandard, the covered one on A stays normal.
        assert.equal(summary.debtorReclassified, 1);
        assert.deepEqual([(await loanById(db, third.loanId)).classification, (await loanById(db, loanId)).classification], ['substandard', 'normal']);
      });
    });
  });

  describe(`guarantors' own data on ${backend}`, () => {
    it('is pulled only under the guarantor\'s authorisation; a person may authorise court records only and is looked up by person key; only a clean, recent check counts in a decision', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firm = await inTransaction(db, (trx) => createEnterprise(trx, { name: '浙江青禾机械有限公司', sizeClass: 'small' }, 'test'));
        const company = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'company', name: '浙江省融资担保有限公司', creditCode: COMPANY_CODE, exposureCap: '10000000.00', marginRatioBp: 1000 }, 'wang.am'));
        const person = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'person', name: '陈立', idNumber: '11010519491231002X' }, 'wang.am'));
        await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: company.id, enterpriseId: firm.id, type: 'joint-and-several', amount: '2000000.00', startOn: '2025-06-30', endOn: '2028-06-30' }, 'wang.am'));
        await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId: person.id, enterpriseId: firm.id, type: 'general', amount: '500000.00', startOn: '2025-06-30', endOn: '2026-06-30' }, 'wang.am'));
        // Neither guarantor is checked yet: nothing counts, and the input says why.
        const unchecked = await securityInputFor(db, firm.id, '2025-06-30');
        assert.deepEqual([unchecked.guaranteed, unchecked.countingPolicy, unchecked.guarantors?.map((g) => [g.kind, g.counted, g.reason])], ['0', 'guarantor-counting-2025-01', [['company', false, 'unchecked'], ['person', false, 'unchecked']]]);

        // The borrower's consent is not the guarantor's: nothing is pulled without the guarantor's own.
        await assert.rejects(inTransaction(db, (trx) => checkGuarantor(trx, company.id, courtProvider([LISTED]), NOW, 'wang.am')), { code: 'NOT_AUTHORISED', field: 'sources' });
        await assert.rejects(inTransaction(db, (trx) => checkGuarantor(trx, person.id, simulatedProvider({ seed: 7 }), NOW, 'wang.am')), { code: 'NOT_AUTHORISED', field: 'sources' });
        await assert.rejects(
          inTransaction(db, (trx) => grantGuarantorAuthorisation(trx, person.id, { sources: ['tax', 'courts'], grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'DA-P-1' }, 'wang.am')),
          { code: 'VALIDATION', field: 'sources', reason: 'not-a-choice' },
        );
        await inTransaction(db, (trx) => grantGuarantorAuthorisation(trx, person.id, { sources: ['courts'], grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'DA-P-1' }, 'wang.am'));
        // A provider without a court lookup for persons refuses in words; the simulated one answers by key.
        await assert.rejects(inTransaction(db, (trx) => checkGuarantor(trx, person.id, courtProvider([]), NOW, 'wang.am')), { code: 'VALIDATION', field: 'kind', reason: 'no-person-connector' });
        const asked: string[] = [];
        const seven = simulatedProvider({ seed: 7 });
        const spy: DataProvider = { ...seven, personCourts: async (request) => (asked.push(request.personKey), seven.personCourts!(request)) };
        const personClear = await inTransaction(db, (trx) => checkGuarantor(trx, person.id, spy, NOW, 'wang.am'));
        assert.deepEqual([personClear.standing, personClear.sources, personClear.recordCount, personClear.provider], ['clear', ['courts'], 0, 'simulated:7']);
        assert.deepEqual(asked, [personKey('11010519491231002X')]);

        // Courts only, not tax: an authorisation that does not cover every source of the check is refused too.
        await inTransaction(db, (trx) => grantGuarantorAuthorisation(trx, company.id, { sources: ['courts'], grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'DA-G-1' }, 'wang.am'));
        await assert.rejects(inTransaction(db, (trx) => checkGuarantor(trx, company.id, courtProvider([]), NOW, 'wang.am')), { code: 'NOT_AUTHORISED' });
        await inTransaction(db, (trx) => grantGuarantorAuthorisation(trx, company.id, { sources: ['tax', 'courts'], grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'DA-G-2' }, 'wang.am'));
        const clear = await inTransaction(db, (trx) => checkGuarantor(trx, company.id, courtProvider([]), NOW, 'wang.am'));
        assert.deepEqual([clear.standing, clear.asOf, clear.sources], ['clear', '2025-06-30', ['tax', 'courts']]);
        // Both clear on 06-30: both count; 181 days later both checks are stale.
        assert.equal((await securityInputFor(db, firm.id, '2025-06-30')).guaranteed, '250000000');
        assert.equal((await securityInputFor(db, firm.id, '2025-12-27')).guaranteed, '250000000');
        const stale = await securityInputFor(db, firm.id, '2025-12-28');
        assert.deepEqual([stale.guaranteed, stale.guarantors?.map((g) => g.reason)], ['0', ['check-stale', 'check-stale']]);

        const lawsuit: DataRecord = { source: 'courts', kind: 'lawsuit', date: '2025-05-10' as never, caseNumber: '(2025)浙0106民初2345号', role: 'defendant', cause: '借款合同纠纷', amount: minor(300_000_00n), status: 'pending' };
        const adverse = await inTransaction(db, (trx) => checkGuarantor(trx, company.id, courtProvider([lawsuit]), NOW, 'wang.am'));
        assert.deepEqual([adverse.standing, adverse.lawsuitsAsDefendant, adverse.dishonestDebtor], ['adverse', 1, false]);
        assert.deepEqual((await guarantorChecks(db, company.id)).map((c) => c.standing), ['adverse', 'clear']);

        // The decision's input: the adverse company's 2,000,000.00 no longer counts, the person's 500,000.00 does; the record says why.
        const input = await securityInputFor(db, firm.id, '2025-06-30');
        assert.equal(input.guaranteed, '50000000');
        assert.deepEqual(
          input.guarantors?.map((g) => [g.kind, g.standing, g.amount, g.counted, g.reason]),
          [['company', 'adverse', '200000000', false, 'adverse'], ['person', 'clear', '50000000', true, 'clean-check']],
        );

        // A person on the dishonest-debtor list (seed 7: listed 2025-04-29, two closed suits) is adverse.
        const listed = await inTransaction(db, async (trx) => {
          const g = await createGuarantor(trx, { kind: 'person', name: '周达', idNumber: '110105194912311153' }, 'wang.am');
          await grantGuarantorAuthorisation(trx, g.id, { sources: ['courts'], grantedOn: '2025-06-01', expiresOn: '2026-05-31', evidence: 'DA-P-2' }, 'wang.am');
          return checkGuarantor(trx, g.id, seven, NOW, 'wang.am');
        });
        assert.deepEqual([listed.standing, listed.dishonestDebtor, listed.lawsuitsAsDefendant, listed.recordCount], ['adverse', true, 0, 3]);
        const audit = await db.selectFrom('audit_event').select('action').where('entity_id', '=', company.id).orderBy('id').execute();
        assert.deepEqual(audit.map((a) => a.action), ['guarantor.create', 'guarantor.authorise', 'guarantor.authorise', 'guarantor.check', 'guarantor.check']);
      });
    });
  });
}
