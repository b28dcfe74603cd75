import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, fromDayNumber, parseBusinessDate, toDayNumber } from '../../src/calendar/business-date.js';
import { CHINA_HOLIDAYS, holidayCalendar, isWorkingDay, rollToWorkingDay, WEEKDAYS_ONLY } from '../../src/calendar/working-days.js';

const day = (text: string) => parseBusinessDate(text, 'd');
const china = holidayCalendar(CHINA_HOLIDAYS);

describe('working days', () => {
  it('a Saturday or Sunday due date rolls to Monday; a weekday stays', () => {
    assert.equal(rollToWorkingDay(day('2025-07-05'), WEEKDAYS_ONLY), '2025-07-07');
    assert.equal(rollToWorkingDay(day('2025-07-06'), WEEKDAYS_ONLY), '2025-07-07');
    assert.equal(rollToWorkingDay(day('2025-07-04'), WEEKDAYS_ONLY), '2025-07-04');
  });

  it('holidays roll past the whole break; make-up Saturdays and Sundays are working days', () => {
    assert.equal(rollToWorkingDay(day('2025-10-01'), china), '2025-10-09');
    assert.equal(rollToWorkingDay(day('2025-01-28'), china), '2025-02-05');
    assert.equal(rollToWorkingDay(day('2026-02-15'), china), '2026-02-24');
    assert.equal(isWorkingDay(day('2025-09-28'), china), true); // Sunday, worked before National Day
    assert.equal(isWorkingDay(day('2026-02-14'), china), true); // Saturday, worked before Spring Festival
    assert.equal(isWorkingDay(day('2025-05-01'), china), false);
    assert.equal(isWorkingDay(day('2025-06-02'), china), false); // Dragon Boat, a Monday
    assert.equal(rollToWorkingDay(day('2025-05-31'), china), '2025-06-03');
  });

  it('the roll is the first working day on or after the date, never more than 31 days on', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber(day('2024-12-01')), max: toDayNumber(day('2027-01-31')) }), (n) => {
        const date = fromDayNumber(n);
        const rolled = rollToWorkingDay(date, china);
        assert.equal(isWorkingDay(rolled, china), true);
        for (let d = date; d < rolled; d = addDays(d, 1)) assert.equal(isWorkingDay(d, china), false);
        assert.ok(toDayNumber(rolled) - n <= 31);
      }),
    );
  });
});
