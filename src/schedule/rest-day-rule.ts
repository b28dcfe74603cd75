/**
 * A due date on a rest day (a weekend day or a public holiday, src/calendar/working-days.ts),
 * per product (`product.schedule.restDayInterest`). Either way the borrower may pay on the next
 * working day without being overdue ("到期日为节假日的，顺延至下一工作日"); the products differ
 * on the interest for the days in between:
 *
 * - `to-due-date` (the default): the contractual due date stays in the schedule; end of day bills
 *   on it, interest runs to it, and payment is not overdue until the next working day has passed
 *   (src/eod/process-chunk.ts, `payableUntil`). No interest for the rolled days.
 * - `to-payment-date`: the due date itself moves to the next working day at booking, and interest
 *   runs to that actual date (the schedule's daily interest counts the longer period; the next
 *   period is shorter by as much, since later dates stay where the contract puts them).
 *
 * @example
 * // 100,000.00 for 30 days from 2025-09-01, due on National Day 2025-10-01
 * scheduleForRestDays(terms, 'to-payment-date', holidayCalendar(CHINA_HOLIDAYS)).installments[0].dueDate; // "2025-10-09"
 */
import type { BusinessDate } from '../calendar/business-date.js';
import { rollToWorkingDay, type HolidayCalendar } from '../calendar/working-days.js';
import { ValidationError } from '../errors.js';
import { buildSchedule, buildScheduleOnDates } from './build-schedule.js';
import { dueDates } from './due-dates.js';
import type { Schedule } from './schedule.js';
import type { ScheduleTerms } from './schedule-terms.js';

/** What a product does about interest for a due date rolled off a rest day. */
export type RestDayInterest = 'to-due-date' | 'to-payment-date';

/** Every accepted value, the default first. */
export const REST_DAY_INTERESTS: readonly RestDayInterest[] = ['to-due-date', 'to-payment-date'];

/**
 * The product's rule, read from its schedule defaults (absent: `to-due-date`).
 *
 * @example
 * restDayInterestOf({ method: 'bullet', restDayInterest: 'to-payment-date' }); // "to-payment-date"
 */
export function restDayInterestOf(defaults: Readonly<Record<string, unknown>>): RestDayInterest {
  const value = defaults.restDayInterest;
  if (value === undefined) return 'to-due-date';
  if (value !== 'to-due-date' && value !== 'to-payment-date') throw new ValidationError('restDayInterest', `must be one of ${REST_DAY_INTERESTS.join(', ')}; got "${String(value)}"`);
  return value;
}

/**
 * The schedule a loan is booked with under the product's rule: `buildSchedule(terms)` for
 * `to-due-date`, the same terms on due dates rolled to working days for `to-payment-date`.
 * Throws a ValidationError when two due dates would roll onto the same working day (weekly
 * installments across the Spring Festival).
 */
export function scheduleForRestDays(terms: ScheduleTerms, rule: RestDayInterest, calendar: HolidayCalendar): Schedule {
  if (rule === 'to-due-date') return buildSchedule(terms);
  const contractual = dueDates(terms).dates;
  const rolled: BusinessDate[] = contractual.map((date, index) => (index === 0 ? date : rollToWorkingDay(date, calendar)));
  if (rolled.every((date, index) => date === contractual[index])) return buildSchedule(terms);
  for (let k = 1; k < rolled.length; k++) {
    if (rolled[k]! <= rolled[k - 1]!) throw new ValidationError('installments', `installments ${k} and ${k + 1} would both fall due on ${rolled[k]} after rolling off rest days; choose a longer period`);
  }
  return buildScheduleOnDates(terms, rolled);
}
