/**
 * Issue 21: the dashboard's one statement (src/reporting/portfolio-dashboard.ts) answers what its
 * separate readers answered — the portfolio report, the past-due buckets, where it was read — on a
 * book with loans in every bucket and a supply-chain financing past due, before and after a day of
 * repayments (partial, one paying an overdue loan off, so a borrower leaves the book), and on an
 * empty book. And its read shared by the requests of a second (`sharedPortfolioDashboard`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { readSource } from '../../src/db/read-replica.js';
import { inTransaction } from '../../src/db/transaction.js';
import { pastDueBuckets } from '../../src/reporting/past-due.js';
import { DASHBOARD_SHARED_MS, dashboardSharedMsFromEnv, portfolioDashboard, sharedPortfolioDashboard } from '../../src/reporting/portfolio-dashboard.js';
import { sql } from 'kysely';
import { portfolioReport } from '../../src/reporting/portfolio.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { loanById } from '../../src/servicing/loans.js';
import { repay } from '../../src/servicing/repayment.js';
import { minor } from '../../src/money/minor.js';
import { financeCertificate } from '../../src/supply-chain/financing.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { simulate } from '../support/simulate.js';
import { confirmedCertificate, supplyChain, TODAY } from '../supply-chain/scf-fixtures.js';

/** The dashboard's statement and the separate readers, side by side. */
async function bothWays(db: Kysely<Database>) {
  const dashboard = await portfolioDashboard(db);
  const separate = { report: await portfolioReport(db), pastDue: await pastDueBuckets(db), readFrom: await readSource(db) };
  return { dashboard, separate };
}

for (const backend of BACKENDS) {
  describe(`the dashboard in one statement on ${backend}`, () => {
    it('gives the figures of the separate readers, before and after a day of repayments', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const empty = await bothWays(db);
        assert.deepEqual(empty.dashboard, empty.separate, 'an empty book');
        assert.equal(empty.dashboard.report.totals.loans, 0);

        const micro = await borrowerWithLine(db, '2000000.00', 'MICRO-LINE', '4.35');
        const short = await borrowerWithLine(db, '2000000.00', 'SHORT-TERM', '6.00');
        const other = await borrowerWithLine(db, '2000000.00', 'MICRO-LINE', '5.10');
        const draw = (lineId: string, amount: string, termDays: number) => inTransaction(db, (trx) => drawdown(trx, { lineId, amount, termDays }, 'test'));
        const a = await draw(micro.id, '100000.00', 30);
        const b = await draw(micro.id, '200000.00', 60);
        const c = await draw(short.id, '350000.00', 90);
        const d = await draw(short.id, '80000.00', 90);
        const e = await draw(other.id, '60000.00', 30);
        await simulate(db, a.loanId, { provision: 1000_00n });
        await simulate(db, b.loanId, { classification: 'special-mention', dpd: 10, overdueSince: '2025-06-20', principalDue: 200000_00n, provision: 4000_00n });
        await simulate(db, c.loanId, { classification: 'substandard', dpd: 100, overdueSince: '2025-03-22', principalDue: 350000_00n, provision: 87500_00n });
        await simulate(db, d.loanId, { classification: 'special-mention', dpd: 45, overdueSince: '2025-05-16', principalDue: 80000_00n, provision: 1600_00n });
        await simulate(db, e.loanId, { classification: 'special-mention', dpd: 70, overdueSince: '2025-04-21', principalDue: 60000_00n, provision: 1200_00n });
        // A financing its core enterprise has not paid, 40 days past due (as end of day would leave it).
        const chain = await supplyChain(db);
        const { certificateId } = await confirmedCertificate(db, chain, 'DASH-1', '100000.00');
        await inTransaction(db, (trx) => financeCertificate(trx, certificateId, chain.tier1, TODAY, 'tier1-user'));
        await db.updateTable('scf_financing').set({ dpd: 40, classification: 'special-mention', provision: minor(1800_00n) }).execute();

        const morning = await bothWays(db);
        assert.deepEqual(morning.dashboard, morning.separate, 'the morning book');
        assert.deepEqual(
          morning.dashboard.pastDue.map((row) => [row.bucket, row.loans, row.financings]),
          [['1-30', 1, 0], ['31-60', 1, 1], ['61-90', 1, 0], ['over-90', 1, 0]],
        );
        assert.equal(morning.dashboard.report.totals.borrowers, 4);

        // The day's repayments: part of two overdue loans, and all of the 61-90 one (its borrower's only loan).
        await inTransaction(db, (trx) => repay(trx, { loanId: b.loanId, amount: '50000.00' }, 'test'));
        await inTransaction(db, (trx) => repay(trx, { loanId: c.loanId, amount: '120000.00' }, 'test'));
        const owed = await loanById(db, e.loanId);
        const all = owed.principal_not_due + owed.principal_due + owed.interest_accrued + owed.interest_due + owed.penalty_due;
        await inTransaction(db, (trx) => repay(trx, { loanId: e.loanId, amount: `${all / 100n}.${String(all % 100n).padStart(2, '0')}` }, 'test'));
        assert.equal((await loanById(db, e.loanId)).status, 'closed');

        const evening = await bothWays(db);
        assert.deepEqual(evening.dashboard, evening.separate, 'after the repayments');
        // The figures moved with the repayments: the dashboard reads them live.
        assert.ok(evening.dashboard.report.totals.balance < morning.dashboard.report.totals.balance);
        assert.equal(evening.dashboard.report.totals.borrowers, 3);
        assert.deepEqual(evening.dashboard.pastDue.find((row) => row.bucket === '61-90')?.loans, 0);
      });
    });

    it('one read shared for a second: a request within it gets that read\'s figures and their age, one after it reads again, and requests at once share one statement', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '2000000.00', 'MICRO-LINE', '4.35');
        const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '100000.00', termDays: 30 }, 'test'));
        let now = 10_000;
        const clock = () => now;
        const first = await sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock);
        assert.equal(first.report.totals.balance, 100000_00n);
        assert.equal(first.ageSeconds, 0);

        await inTransaction(db, (trx) => repay(trx, { loanId, amount: '30000.00' }, 'test'));
        now += 999;
        const shared = await sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock);
        assert.equal(shared.report, first.report, 'the same read');
        assert.equal(shared.report.totals.balance, 100000_00n, 'the figures from before the repayment');
        assert.equal(shared.ageSeconds, 0.999);

        now += 2; // 1,001 ms after the first read was sent
        const next = await sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock);
        assert.equal(next.report.totals.balance, 70000_00n, 'read again: the repayment is in');
        assert.equal(next.ageSeconds, 0);
        assert.deepEqual({ ...next, ageSeconds: undefined }, { ...(await portfolioDashboard(db)), ageSeconds: undefined }, 'what the live statement reads');

        // Three requests at once, a second later: one read between them.
        now += 5_000;
        const together = await Promise.all([1, 2, 3].map(() => sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock)));
        assert.ok(together.every((answer) => answer.report === together[0]!.report));
        assert.notEqual(together[0]!.report, next.report);

        // A read still running is joined however long ago it was sent: one read at a time.
        now += 5_000;
        const running = sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock);
        now += 3_000;
        const joined = await sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock);
        assert.equal(joined.report, (await running).report);
        assert.equal(joined.ageSeconds, 3);

        // Shared for 0 ms: every request reads.
        await db.updateTable('loan').set({ principal_not_due: minor(55000_00n) }).where('id', '=', loanId).execute();
        const live = await sharedPortfolioDashboard(db, 0, clock);
        assert.equal(live.report.totals.balance, 55000_00n);
        assert.notEqual((await sharedPortfolioDashboard(db, 0, clock)).report, live.report);
      });
    });

    it('a read that fails is not shared: the next request, in the same second, reads again', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const clock = () => 5_000;
        await sql`alter table scf_financing rename to scf_financing_away`.execute(db);
        try {
          await assert.rejects(sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock), /scf_financing/);
        } finally {
          await sql`alter table scf_financing_away rename to scf_financing`.execute(db);
        }
        const answer = await sharedPortfolioDashboard(db, DASHBOARD_SHARED_MS, clock);
        assert.equal(answer.report.totals.loans, 0);
      });
    });
  });
}

describe('SPROUT_DASHBOARD_SHARED_MS', () => {
  it('a second by default; 0 to 60000 ms; anything else refused, naming the variable', () => {
    assert.equal(dashboardSharedMsFromEnv({}), 1000);
    assert.equal(dashboardSharedMsFromEnv({ SPROUT_DASHBOARD_SHARED_MS: '' }), 1000);
    assert.equal(dashboardSharedMsFromEnv({ SPROUT_DASHBOARD_SHARED_MS: '0' }), 0);
    assert.equal(dashboardSharedMsFromEnv({ SPROUT_DASHBOARD_SHARED_MS: '60000' }), 60000);
    for (const bad of ['60001', '-1', '1.5', 'soon']) {
      assert.throws(() => dashboardSharedMsFromEnv({ SPROUT_DASHBOARD_SHARED_MS: bad }), (error: Error) => /SPROUT_DASHBOARD_SHARED_MS/.test(`${(error as { field?: string }).field ?? ''} ${error.message}`), bad);
    }
  });
});
