import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { loanAsOf } from '../../src/reporting/loan-history.js';
import { runEod } from '../../src/eod/run-eod.js';
import { dailyHistoryFrom, keptDailyYears, MAX_DATES_PRUNED_PER_NIGHT, pruneLoanHistory, retainLoanHistory, setKeptDailyYears, yearsBefore } from '../../src/reporting/history-retention.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { fiveCategoryReport, inclusiveReport, migrationReport } from '../../src/reporting/regulatory-reports.js';
import { figuresDigest } from '../../src/reporting/report-runs.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { createRegulatoryBook } from './regulatory-book.js';

const rowsOn = async (db: Parameters<typeof pruneLoanHistory>[0]) =>
  new Map((await sql<{ d: string; n: string }>`select cast(business_date as text) as d, cast(count(*) as text) as n from loan_day group by business_date order by business_date`.execute(db)).rows.map((r) => [r.d, Number(r.n)]));

for (const backend of BACKENDS) {
  describe(`loan history retention on ${backend}`, () => {
    it('keeps every night within the window and month ends before it, refuses pruned days, and leaves month-end reports unchanged', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const book = await createRegulatoryBook(db);
        const before = await rowsOn(db);
        assert.deepEqual([...before.keys()], ['2024-12-31', '2025-01-15', '2025-01-31', '2025-02-28']);
        const total = [...before.values()].reduce((a, b) => a + b, 0);
        const digests = async () => [
          figuresDigest(await fiveCategoryReport(db, '2025-01-31')),
          figuresDigest(await fiveCategoryReport(db, '2024-12-31')),
          figuresDigest(await migrationReport(db, '2024-12-31', '2025-02-28')),
        ];
        const reportsBefore = await digests();
        const mid = book.nights.get('2025-01-15')![0]!;

        // The default window (two years back from the business date, 2025-03-01) reaches before the book: nothing goes.
        assert.deepEqual(await pruneLoanHistory(db), { dailyFrom: '2023-03-01', datesPruned: 0, rowsDeleted: 0 });
        assert.equal([...(await rowsOn(db)).values()].reduce((a, b) => a + b, 0), total);

        // Two years on (business date 2027-01-20): 15 January 2025 is outside the window and not a month end.
        await assert.rejects(pruneLoanHistory(db, { keepDailyYears: 1, today: parseBusinessDate('2027-01-20', 'today') }), { code: 'VALIDATION', field: 'keepDailyYears' });
        const pruned = await pruneLoanHistory(db, { keepDailyYears: 2, today: parseBusinessDate('2027-01-20', 'today') });
        assert.deepEqual(pruned, { dailyFrom: '2025-01-20', datesPruned: 1, rowsDeleted: before.get('2025-01-15')! });
        const after = await rowsOn(db);
        assert.deepEqual([...after.entries()], [['2024-12-31', before.get('2024-12-31')!], ['2025-01-31', before.get('2025-01-31')!], ['2025-02-28', before.get('2025-02-28')!]]);
        assert.equal([...after.values()].reduce((a, b) => a + b, 0), total - before.get('2025-01-15')!);
        assert.equal(await dailyHistoryFrom(db), '2025-01-20');

        // A pruned day is refused by name; month ends read as before, to the digest.
        await assert.rejects(loanAsOf(db, mid.id, '2025-01-15'), { code: 'VALIDATION', field: 'date', message: /only month ends before 2025-01-20/ });
        await assert.rejects(inclusiveReport(db, '2025-01-15'), { code: 'VALIDATION', field: 'date' });
        assert.deepEqual(await digests(), reportsBefore);
        assert.equal((await loanAsOf(db, mid.id, '2025-01-31')).onBooks, true);

        // Again, and with a shorter reach: nothing more goes and the window never moves back.
        assert.deepEqual(await pruneLoanHistory(db, { keepDailyYears: 3, today: parseBusinessDate('2027-01-20', 'today') }), { dailyFrom: '2025-01-20', datesPruned: 0, rowsDeleted: 0 });
        assert.deepEqual(yearsBefore(parseBusinessDate('2028-02-29', 'date'), 2), '2026-02-28');
      });
    });
    it('end of day prunes as configured: off keeps every night, the bound stops short and the next night catches up, a rerun prunes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createRegulatoryBook(db);
        const before = await rowsOn(db);
        const digest = async () => figuresDigest(await fiveCategoryReport(db, '2025-01-31'));
        const monthEndBefore = await digest();
        assert.equal(await keptDailyYears(db), 2);
        assert.equal(MAX_DATES_PRUNED_PER_NIGHT, 4);

        // Off: a night two years on keeps 15 January 2025.
        await setKeptDailyYears(db, null);
        await setBusinessDate(db, parseBusinessDate('2027-01-18', 'date'));
        await runEod(db, { shardsPerChunk: 256 });
        assert.equal((await rowsOn(db)).get('2025-01-15'), before.get('2025-01-15'));
        // What the book's own nights recorded (each found nothing older than two years): unchanged.
        assert.equal(await dailyHistoryFrom(db), '2023-03-01');
        await assert.rejects(setKeptDailyYears(db, 1), { code: 'VALIDATION', field: 'keepDailyYears' });

        // On, with a bound of no dates: nothing goes, and only the month end before the date is recorded as pruned.
        await setKeptDailyYears(db, 2);
        assert.deepEqual(await retainLoanHistory(db, parseBusinessDate('2027-01-18', 'date'), 0), { dailyFrom: '2025-01-01', datesPruned: 0, rowsDeleted: 0 });
        assert.equal((await rowsOn(db)).get('2025-01-15'), before.get('2025-01-15'));

        // The night of 2027-01-19: 15 January 2025 falls outside two years and goes; month ends stay.
        const night = await runEod(db, { shardsPerChunk: 256 });
        assert.equal(night.date, '2027-01-19');
        const after = await rowsOn(db);
        assert.deepEqual([...after.keys()], ['2024-12-31', '2025-01-31', '2025-02-28', '2027-01-18', '2027-01-19']);
        assert.equal(after.get('2024-12-31'), before.get('2024-12-31'));
        assert.equal(await dailyHistoryFrom(db), '2025-01-20');
        const audit = await db.selectFrom('audit_event').select('after').where('action', '=', 'eod.run').where('entity_id', '=', night.runId).executeTakeFirstOrThrow();
        const recorded = (typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after) as { historyRowsPruned: number };
        assert.equal(recorded.historyRowsPruned, before.get('2025-01-15'));
        assert.equal(await digest(), monthEndBefore);

        // Again: the closed night does nothing, and the step by itself finds nothing left.
        assert.equal((await runEod(db, { date: '2027-01-19' })).alreadyDone, true);
        assert.deepEqual(await retainLoanHistory(db, parseBusinessDate('2027-01-19', 'date')), { dailyFrom: '2025-01-20', datesPruned: 0, rowsDeleted: 0 });
        assert.deepEqual([...(await rowsOn(db)).keys()], [...after.keys()]);
      });
    });
  });
}
