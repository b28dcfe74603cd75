import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { parseCalendarFile } from '../../src/calendar/calendar-file.js';
import { CHINA_HOLIDAYS, holidayCalendar } from '../../src/calendar/working-days.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { applyProductChange } from '../../src/products/product-changes.js';
import { parseScheduleRequest, scheduleForRestDays } from '../../src/schedule/index.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { loanById } from '../../src/servicing/loans.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { calendarYear, loadCalendarYears } from '../../src/system/holiday-calendar.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';

const SHIPPED = 'reference/holidays-cn-2025-2026.csv';
const china = holidayCalendar(CHINA_HOLIDAYS);

describe('the shipped holiday calendar', () => {
  it('the 2025–2026 file lists exactly the days the database is seeded with', () => {
    const file = parseCalendarFile(readFileSync(SHIPPED, 'utf8'));
    assert.deepEqual(file.years, [2025, 2026]);
    const key = (d: { day: string; working: boolean }) => `${d.day} ${d.working}`;
    assert.deepEqual(file.days.map(key).sort(), CHINA_HOLIDAYS.map(key).sort());
    assert.equal(file.days.find((d) => d.day === '2025-10-01')?.name, '国庆节、中秋节');
  });

  it('a bad file is refused naming the line', () => {
    assert.throws(() => parseCalendarFile('day,kind,name\n2025-10-01,holiday,国庆节\n2025-10-01,holiday,国庆节\n'), /line 3: 2025-10-01 is listed twice/);
    assert.throws(() => parseCalendarFile('day,kind,name\n2025-09-29,workday,调休\n'), /line 2: 2025-09-29 is a weekday/);
    assert.throws(() => parseCalendarFile('day,kind,name\n2025-10-01,rest,国庆节\n'), /line 2: kind must be holiday or workday/);
    assert.throws(() => parseCalendarFile('date,type\n'), /header/);
  });
});

describe('a due date on a rest day, per product rule (pure)', () => {
  const terms = parseScheduleRequest({ principal: '100000.00', rate: '4.35', method: 'bullet', periods: 1, every: 30, unit: 'days', interestPeriod: 'daily', daysInYear: '360', disbursed: '2025-09-01' });
  it('to-due-date keeps National Day 2025-10-01 and 30 days of interest; to-payment-date moves it to 2025-10-09 with 38', () => {
    const kept = scheduleForRestDays(terms, 'to-due-date', china).installments[0]!;
    const moved = scheduleForRestDays(terms, 'to-payment-date', china).installments[0]!;
    // 100,000.00 × 4.35% × 30/360 = 362.50; × 38/360 = 459.1666… → 459.17.
    assert.deepEqual([kept.dueDate, kept.days, kept.interest], ['2025-10-01', 30, 36250n]);
    assert.deepEqual([moved.dueDate, moved.days, moved.interest], ['2025-10-09', 38, 45917n]);
  });

  it('weekly installments that would meet on one working day after the Spring Festival are refused', () => {
    const weekly = parseScheduleRequest({ principal: '10000.00', rate: '6', periods: 4, every: 1, unit: 'weeks', interestPeriod: 'daily', disbursed: '2026-02-06' });
    // Due 02-13 (Fri, a working day), 02-20 and 02-27 … 02-20 rolls to 02-24; 02-27 stays: fine.
    assert.deepEqual(scheduleForRestDays(weekly, 'to-payment-date', china).installments.map((row) => row.dueDate), ['2026-02-13', '2026-02-24', '2026-02-27', '2026-03-06']);
    const daily = parseScheduleRequest({ principal: '10000.00', rate: '6', periods: 4, every: 2, unit: 'days', interestPeriod: 'daily', disbursed: '2026-02-13' });
    assert.throws(() => scheduleForRestDays(daily, 'to-payment-date', china), /would both fall due on 2026-02-24/);
  });
});

/** The loan as the service reads it: a row end of day did not write is as of its last_eod_on (src/servicing/lazy-accrual.ts). */
async function loanRow(db: Kysely<Database>, id: string) {
  return loanById(db, id);
}

for (const backend of BACKENDS) {
  describe(`a due date on National Day on ${backend}`, () => {
    it('loading a year replaces only that year, and loading it again changes nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const file = parseCalendarFile('day,kind,name\n2026-10-01,holiday,国庆节\n2026-10-10,workday,国庆节调休上班\n');
        const first = await loadCalendarYears(db, file, 'ops');
        assert.deepEqual(first, { years: [2026], holidays: 1, workdays: 1, replaced: 39 });
        assert.deepEqual(await loadCalendarYears(db, file, 'ops'), { years: [2026], holidays: 1, workdays: 1, replaced: 2 });
        assert.deepEqual(await calendarYear(db, 2026), [
          { day: '2026-10-01', working: false, name: '国庆节' },
          { day: '2026-10-10', working: true, name: '国庆节调休上班' },
        ]);
        assert.equal((await calendarYear(db, 2025)).length, 33);
      });
    });

    it('a 30-day loan due on 2025-10-01 is billed on it or moved to 2025-10-09 by product rule; holidays still accrue; neither is overdue before 10-09 closes', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await setBusinessDate(db, parseBusinessDate('2025-09-01', 'd'));
        await inTransaction(db, (trx) =>
          applyProductChange(trx, {
            action: 'create',
            product: { code: 'HOLIDAY-LINE', name: '节假日顺延循环贷', kind: 'revolving-line', workingCapital: true, lprTenor: '1y', minAmount: '100.00', maxAmount: '3000000.00', minTermDays: 1, maxTermDays: 365, spread: '1.35', penaltyMultiplier: '1.5', compoundOverdueInterest: true, restDayInterest: 'to-payment-date' },
          }, 'test'),
        );
        const keptLine = await borrowerWithLine(db, '300000.00', 'MICRO-LINE', '4.35');
        const movedLine = await borrowerWithLine(db, '300000.00', 'HOLIDAY-LINE', '4.35');
        const kept = await inTransaction(db, (trx) => drawdown(trx, { lineId: keptLine.id, amount: '100000.00', termDays: 30 }, 'test'));
        const moved = await inTransaction(db, (trx) => drawdown(trx, { lineId: movedLine.id, amount: '100000.00', termDays: 30 }, 'test'));
        assert.deepEqual([kept.maturityOn, kept.schedule.installments[0]!.interest], ['2025-10-01', 36250n]);
        assert.deepEqual([moved.maturityOn, moved.schedule.installments[0]!.interest], ['2025-10-09', 45917n]);

        for (let night = 0; night < 30; night++) await runEod(db); // nights of 09-01 … 09-30: the kept loan is billed
        let a = await loanRow(db, kept.loanId);
        // 30 nights of 10,000,000 × 4.35% / 360 = 1208.33… a night: exactly 36,250 with the carry.
        assert.deepEqual([a.principal_due, a.interest_due, a.overdue_since, a.dpd], [10_000_000n, 36250n, '2025-10-09', 0]);
        let b = await loanRow(db, moved.loanId);
        assert.deepEqual([b.principal_due, b.interest_accrued, b.next_due_on], [0n, 36250n, '2025-10-09']);

        for (let night = 0; night < 8; night++) await runEod(db); // nights of 10-01 … 10-08, National Day: b accrues and is billed
        const holidayNights = await db.selectFrom('loan_day').select(['business_date', 'interest_accrued']).where('loan_id', '=', moved.loanId)
          .where('business_date', 'in', [parseBusinessDate('2025-10-03', 'd'), parseBusinessDate('2025-10-04', 'd')]).orderBy('business_date').execute();
        assert.deepEqual(holidayNights.map((row) => row.interest_accrued), [39875n, 41083n]); // 33 and 34 nights: accrual goes on over the holiday
        a = await loanRow(db, kept.loanId);
        b = await loanRow(db, moved.loanId);
        // Not overdue over the holiday: no penalty, no days past due.
        assert.deepEqual([a.penalty_due, a.dpd, a.classification], [0n, 0, 'normal']);
        // 38 nights: 45,916 (45,916.67 with 0.67 carried).
        assert.deepEqual([b.principal_due, b.interest_due, b.overdue_since, b.dpd], [10_000_000n, 45916n, '2025-10-09', 0]);

        await runEod(db); // 10-09, the working day both could still be paid on: unpaid
        a = await loanRow(db, kept.loanId);
        b = await loanRow(db, moved.loanId);
        assert.deepEqual([a.dpd, b.dpd], [1, 1]);
        assert.ok(a.penalty_due > 0n && b.penalty_due > 0n);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
