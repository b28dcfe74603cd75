/**
 * The repayment-schedule engine: terms in, installments out, pure.
 *
 * @example
 * import { buildSchedule, parseScheduleRequest, scheduleToTable } from './schedule/index.js';
 * const terms = parseScheduleRequest({ principal: '12000.00', rate: '6', periods: 12, disbursed: '2024-01-15' });
 * process.stdout.write(scheduleToTable(buildSchedule(terms)));
 */
export type {
  Amortization,
  InterestMethod,
  InterestPeriod,
  PeriodUnit,
  DaysInYear,
  DaysInMonth,
  ScheduleTerms,
} from './schedule-terms.js';
export type { Installment, Schedule } from './schedule.js';
export { buildSchedule, buildScheduleOnDates } from './build-schedule.js';
export { restDayInterestOf, scheduleForRestDays, REST_DAY_INTERESTS, type RestDayInterest } from './rest-day-rule.js';
export { dueDates } from './due-dates.js';
export { parseScheduleRequest, type ScheduleRequest } from './parse-schedule-request.js';
export { scheduleToJson, type ScheduleJson } from './schedule-to-json.js';
export { scheduleToCsv } from './schedule-to-csv.js';
export { scheduleToTable } from './schedule-to-table.js';
