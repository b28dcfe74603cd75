import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORIES } from '../../src/classification/classify.js';
import { loanAsOf } from '../../src/reporting/loan-history.js';
import { sql } from 'kysely';
import { fiveCategoryReport, foreignTradeReport, inclusiveReport, migrationReport, MIGRATION_DESTINATIONS, renewalsReport } from '../../src/reporting/regulatory-reports.js';
import { inTransaction } from '../../src/db/transaction.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { creditTotal, foreignOn, inclusiveOn, migration, newInclusive, pct, provinceOf, readRaw, sizeOf, totals, yuan } from './independent-figures.js';
import { createRegulatoryBook, NIGHTS } from './regulatory-book.js';

for (const backend of BACKENDS) {
  describe(`regulatory reports from history on ${backend}`, () => {
    it('every loan as of every night is what end of day left, and the reports agree with a second computation over the raw rows', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const book = await createRegulatoryBook(db);

        // History: each loan at each closed date, exactly as the loan row stood after that night.
        for (const [date, loans] of book.nights) {
          for (const loan of loans) {
            const state = await loanAsOf(db, loan.id, date);
            assert.ok(state.onBooks, `${loan.id} on ${date}`);
            assert.deepEqual(
              [state.principalNotDue, state.principalDue, state.interestAccrued, state.interestDue, state.penaltyDue, state.dpd, state.classification, state.provision],
              [loan.principal_not_due, loan.principal_due, loan.interest_accrued, loan.interest_due, loan.penalty_due, loan.dpd, loan.classification, loan.provision],
            );
          }
        }
        assert.deepEqual(await loanAsOf(db, book.writtenOff, '2025-02-28'), { loanId: book.writtenOff, date: '2025-02-28', onBooks: false, reason: 'written-off' });
        assert.deepEqual(await loanAsOf(db, book.renewedLoan, '2025-02-28'), { loanId: book.renewedLoan, date: '2025-02-28', onBooks: false, reason: 'renewed' });
        assert.deepEqual(await loanAsOf(db, book.renewal, '2025-01-31'), { loanId: book.renewal, date: '2025-01-31', onBooks: false, reason: 'not-yet-disbursed' });
        await assert.rejects(loanAsOf(db, book.renewal, '2025-03-01'), { code: 'VALIDATION', field: 'date' });

        const raw = await readRaw(db);
        // The named cases, seen by the independent computation first.
        assert.equal(creditTotal(raw, book.crossing, '2024-12-31'), 8_000_000_00n);
        assert.equal(creditTotal(raw, book.crossing, '2025-01-31'), 11_000_000_00n);
        assert.deepEqual([inclusiveOn(raw, book.crossing, '2024-12-31'), inclusiveOn(raw, book.crossing, '2025-01-31')], [true, false]);
        assert.deepEqual([inclusiveOn(raw, book.grown, '2025-01-15'), inclusiveOn(raw, book.grown, '2025-01-31')], [true, false]);

        for (const asOf of ['2025-01-31', '2025-02-28']) {
          const report = await inclusiveReport(db, asOf);
          const incl = totals(raw, asOf, (e) => inclusiveOn(raw, e, asOf));
          const all = totals(raw, asOf, () => true);
          const startIncl = totals(raw, '2024-12-31', (e) => inclusiveOn(raw, e, '2024-12-31'));
          const startAll = totals(raw, '2024-12-31', () => true);
          assert.equal(report.inclusive.balance, yuan(incl.balance));
          assert.equal(report.inclusive.borrowers, incl.borrowers);
          assert.equal(report.inclusive.loans, incl.loans);
          assert.equal(report.inclusive.nplRatio, pct(incl.npl, incl.balance));
          assert.equal(report.all.balance, yuan(all.balance));
          assert.equal(report.all.borrowers, all.borrowers);
          assert.equal(report.all.nplBalance, yuan(all.npl));
          const check = (id: string) => report.checks.find((c) => c.id === id)!;
          const inclGrowth = pct(incl.balance - startIncl.balance, startIncl.balance);
          const allGrowth = pct(all.balance - startAll.balance, startAll.balance);
          assert.deepEqual(check('balance-growth').inputs, {
            inclusiveBalance: yuan(incl.balance), inclusiveBalanceAtStart: yuan(startIncl.balance), inclusiveGrowth: inclGrowth,
            allBalance: yuan(all.balance), allBalanceAtStart: yuan(startAll.balance), allGrowth,
          });
          assert.equal(check('balance-growth').status, Number(inclGrowth) >= Number(allGrowth) ? 'met' : 'not-met');
          assert.deepEqual(check('borrowers').inputs, { inclusiveBorrowers: incl.borrowers, inclusiveBorrowersAtStart: startIncl.borrowers });
          assert.equal(check('borrowers').status, incl.borrowers >= startIncl.borrowers ? 'met' : 'not-met');
          assert.equal(check('npl-ratio').inputs.allNplRatio, pct(all.npl, all.balance));
          assert.equal(check('npl-ratio').status, Number(pct(incl.npl, incl.balance)) <= Number(pct(all.npl, all.balance)) + 3 ? 'met' : 'not-met');
          const thisYear = newInclusive(raw, '2025-01-01', asOf);
          const lastYear = newInclusive(raw, '2024-01-01', '2024-12-31');
          assert.equal(check('new-loan-rate').inputs.lendingThisYear, yuan(thisYear.principal));
          assert.equal(check('new-loan-rate').inputs.lendingLastYear, yuan(lastYear.principal));
          assert.equal(check('new-loan-rate').status, thisYear.weighted * lastYear.principal <= lastYear.weighted * thisYear.principal ? 'met' : 'not-met');
          // By province: the inclusive balance of each.
          const provinces = new Map<string, bigint>();
          for (const day of raw.days.filter((d) => d.business_date === asOf)) {
            const loan = raw.loans.get(day.loan_id)!;
            if (!inclusiveOn(raw, loan.enterprise_id, asOf)) continue;
            const key = provinceOf(raw, loan.enterprise_id, asOf);
            provinces.set(key, (provinces.get(key) ?? 0n) + day.principal_not_due + day.principal_due);
          }
          assert.deepEqual(new Map(report.breakdowns.province.map((row) => [row.key, row.balance])), new Map([...provinces].map(([k, v]) => [k, yuan(v)])));

          const five = await fiveCategoryReport(db, asOf);
          assert.equal(five.total.balance, yuan(all.balance));
          assert.deepEqual(five.categories.map((c) => [c.category, c.balance]), CATEGORIES.map((c, i) => [c, yuan(all.byCategory[i]!)]));

          const foreign = await foreignTradeReport(db, asOf);
          const f = totals(raw, asOf, (e) => foreignOn(raw, e, asOf));
          assert.deepEqual([foreign.foreignTrade.balance, foreign.foreignTrade.borrowers, foreign.foreignTrade.nplBalance], [yuan(f.balance), f.borrowers, yuan(f.npl)]);
          const fresh = [...raw.loans.values()].filter((l) => l.renewed_from_id === null && l.disbursed_on >= '2025-01-01' && l.disbursed_on <= asOf && foreignOn(raw, l.enterprise_id, l.disbursed_on));
          assert.equal(foreign.newLending.principal, yuan(fresh.reduce((s, l) => s + l.principal, 0n)));
        }

        // The crossing firm and the firm grown medium leave the inclusive figures in January.
        const december = await inclusiveReport(db, '2024-12-31');
        const january = await inclusiveReport(db, '2025-01-31');
        // December's start of year (2023-12-31) precedes every loan: an empty book, so growth has no base.
        assert.deepEqual(december.checks.map((c) => [c.id, c.status]), [['balance-growth', 'no-data'], ['borrowers', 'met'], ['npl-ratio', 'met'], ['new-loan-rate', 'no-data']]);
        assert.ok(BigInt(january.inclusive.balance.replace('.', '')) < BigInt(january.all.balance.replace('.', '')) - 6_000_000_00n);

        // Migration across the write-off and the renewal, against the raw rows.
        for (const [from, to] of [['2024-12-31', '2025-02-28'], ['2025-01-31', '2025-02-28']] as const) {
          const report = await migrationReport(db, from, to);
          const cells = migration(raw, from, to);
          for (const row of report.rows) {
            for (const cell of row.to) {
              const expected = cells.get(`${row.from}>${cell.to}`) ?? { loans: 0, balance: 0n };
              assert.deepEqual([cell.loans, cell.balance], [expected.loans, yuan(expected.balance)], `${from}→${to} ${row.from}>${cell.to}`);
            }
          }
          assert.deepEqual(report.rows[0]!.to.map((c) => c.to), [...MIGRATION_DESTINATIONS]);
          // The matrix per province and per size class of the borrower at the start date.
          for (const [dimension, segmentOf] of [['province', provinceOf], ['size', sizeOf]] as const) {
            const keys = new Set(raw.days.filter((d) => d.business_date === from).map((d) => segmentOf(raw, raw.loans.get(d.loan_id)!.enterprise_id, from)));
            assert.deepEqual(report.segments[dimension].map((s) => s.key).sort(), [...keys].sort(), `${dimension} segments ${from}→${to}`);
            for (const segment of report.segments[dimension]) {
              const segmentCells = migration(raw, from, to, (e) => segmentOf(raw, e, from) === segment.key);
              for (const row of segment.rows) {
                for (const cell of row.to) {
                  const expected = segmentCells.get(`${row.from}>${cell.to}`) ?? { loans: 0, balance: 0n };
                  assert.deepEqual([cell.loans, cell.balance], [expected.loans, yuan(expected.balance)], `${dimension} ${segment.key} ${from}→${to} ${row.from}>${cell.to}`);
                }
              }
            }
          }
        }
        const feb = await migrationReport(db, '2025-01-31', '2025-02-28');
        // Inside a caller's transaction: the same figures, and the report's planner settings end with its statement.
        const workMem = async (trx: typeof db) => (await sql<{ v: string }>`select current_setting('work_mem') as v`.execute(trx)).rows[0]!.v;
        await inTransaction(db, async (trx) => {
          const before = await workMem(trx);
          assert.deepEqual(await migrationReport(trx, '2025-01-31', '2025-02-28'), feb);
          assert.equal(await workMem(trx), before);
        });
        const doubtful = feb.rows.find((r) => r.from === 'doubtful')!;
        assert.deepEqual([doubtful.loans, doubtful.to.find((c) => c.to === 'written-off')!.balance, doubtful.to.find((c) => c.to === 'written-off')!.rate], [1, '250000.00', '100.00']);
        // The renewed loan is followed to its successor: still normal.
        const renewedAt = raw.days.find((d) => d.loan_id === book.renewal && d.business_date === '2025-02-28')!;
        assert.equal(renewedAt.classification, 'normal');

        const renewals = await renewalsReport(db, '2025-02-01', '2025-02-28');
        assert.deepEqual(renewals.total, { loans: 1, principal: '200000.00', balance: yuan(renewedAt.principal_not_due + renewedAt.principal_due) });
        assert.deepEqual(renewals.bySize.map((r) => [r.key, r.loans]), [['micro', 1]]);
        assert.deepEqual(renewals.byProduct.map((r) => [r.key, r.principal]), [['MICRO-LINE', '200000.00']]);
        assert.equal(renewals.byClassificationNow.find((r) => r.category === 'normal')!.loans, 1);
        const due = [...raw.loans.values()].filter((l) => l.working_capital && l.disbursed_on <= '2025-02-28' && ((l.maturity_on >= '2025-02-01' && l.maturity_on <= '2025-02-28') || l.id === book.renewedLoan));
        assert.equal(renewals.workingCapital.dueLoans, due.length);
        assert.equal(renewals.workingCapital.renewedShare, pct(200_000_00n, due.reduce((s, l) => s + l.principal, 0n)));
      });
    });

    it('a date end of day has not closed is refused, not reported from today\'s rows', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await assert.rejects(inclusiveReport(db, '2025-06-30'), { code: 'VALIDATION', field: 'date' });
        await assert.rejects(migrationReport(db, '2025-06-30', '2025-05-31'), { code: 'VALIDATION', field: 'from' });
      });
    });
  });
}
