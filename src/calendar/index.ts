/**
 * Calendar: business dates, month arithmetic and day-count conventions, over integer day numbers.
 *
 * @example
 * import { parseBusinessDate, addMonths } from './calendar/index.js';
 * addMonths(parseBusinessDate('2024-01-31', 'disbursed'), 1); // "2024-02-29"
 */
export {
  parseBusinessDate,
  isBusinessDate,
  isLeapYear,
  daysInMonth,
  daysFromCivil,
  civilFromDays,
  toCivil,
  fromCivil,
  toDayNumber,
  fromDayNumber,
  addDays,
  daysBetween,
  type BusinessDate,
  type CivilDate,
} from './business-date.js';
export { addMonths, addMonthsToCivil } from './add-months.js';
export { yearFraction, yearFractionOfDays, days30E, actualActualIsda, type DayCountConvention } from './day-count.js';
export { holidayCalendar, isWorkingDay, rollToWorkingDay, CHINA_HOLIDAYS, WEEKDAYS_ONLY, type CalendarDay, type HolidayCalendar } from './working-days.js';
