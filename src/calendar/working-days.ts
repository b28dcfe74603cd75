/**
 * Working days (工作日) under a holiday calendar: Saturdays and Sundays are rest days unless the
 * calendar marks them as make-up working days (调休), and the calendar's public holidays are rest
 * days. A payment falling due on a rest day may be paid on the next working day without being
 * overdue ("到期日为节假日的，顺延至下一工作日"), so end of day counts days past due from the rolled
 * date, not the contractual one.
 *
 * The calendar is data a bank loads each November when the State Council publishes the next year
 * (table `holiday_calendar`, seeded with {@link CHINA_HOLIDAYS}); this file only reads it.
 *
 * @example
 * const calendar = holidayCalendar(CHINA_HOLIDAYS);
 * rollToWorkingDay(parseBusinessDate('2025-07-05', 'd'), calendar); // "2025-07-07" (Sat → Mon)
 * rollToWorkingDay(parseBusinessDate('2025-10-01', 'd'), calendar); // "2025-10-09"
 */
import { invariant } from '../errors.js';
import { addDays, toDayNumber, type BusinessDate } from './business-date.js';

/** One day the calendar overrides: a holiday on a weekday, or a working weekend day. */
export interface CalendarDay {
  readonly day: string;
  /** true: a make-up working day (调休上班); false: a public holiday. */
  readonly working: boolean;
}

/** A holiday calendar: the days that differ from "Monday to Friday work". */
export interface HolidayCalendar {
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
}

/** The longest run of rest days a roll may cross (Spring Festival with its weekends is 9). */
export const MAX_REST_RUN = 31;

/** Builds a calendar from its override days. */
export function holidayCalendar(days: readonly CalendarDay[]): HolidayCalendar {
  return {
    holidays: new Set(days.filter((d) => !d.working).map((d) => d.day)),
    workdays: new Set(days.filter((d) => d.working).map((d) => d.day)),
  };
}

/** A calendar with no holidays: Monday to Friday. */
export const WEEKDAYS_ONLY: HolidayCalendar = holidayCalendar([]);

/**
 * Whether `date` is a working day.
 *
 * @example
 * isWorkingDay(parseBusinessDate('2025-09-28', 'd'), holidayCalendar(CHINA_HOLIDAYS)); // true (Sunday make-up day)
 */
export function isWorkingDay(date: BusinessDate, calendar: HolidayCalendar): boolean {
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  // Day 0 (1970-01-01) was a Thursday: 0 = Thursday … 2 = Saturday, 3 = Sunday.
  const weekday = (((toDayNumber(date) % 7) + 7) % 7);
  return weekday !== 2 && weekday !== 3;
}

/**
 * `date` itself when it is a working day, else the first working day after it.
 *
 * @example
 * rollToWorkingDay(parseBusinessDate('2025-07-05', 'd'), WEEKDAYS_ONLY); // "2025-07-07"
 */
export function rollToWorkingDay(date: BusinessDate, calendar: HolidayCalendar): BusinessDate {
  let day = date;
  for (let step = 0; step <= MAX_REST_RUN; step++) {
    if (isWorkingDay(day, calendar)) return day;
    day = addDays(day, 1);
  }
  invariant(false, `rollToWorkingDay: more than ${MAX_REST_RUN} rest days in a row after ${date}`);
}

const range = (from: string, to: string, working = false): CalendarDay[] => {
  const days: CalendarDay[] = [];
  for (let day = from as BusinessDate; day <= to; day = addDays(day, 1)) days.push({ day, working });
  return days;
};

/**
 * Mainland China's public holidays and make-up working days for 2025 and 2026, from the General
 * Office of the State Council's notices (国办发明电〔2024〕12号, 〔2025〕7号).
 */
export const CHINA_HOLIDAYS: readonly CalendarDay[] = [
  // 2025
  ...range('2025-01-01', '2025-01-01'),
  ...range('2025-01-28', '2025-02-04'),
  { day: '2025-01-26', working: true },
  { day: '2025-02-08', working: true },
  ...range('2025-04-04', '2025-04-06'),
  ...range('2025-05-01', '2025-05-05'),
  { day: '2025-04-27', working: true },
  ...range('2025-05-31', '2025-06-02'),
  ...range('2025-10-01', '2025-10-08'),
  { day: '2025-09-28', working: true },
  { day: '2025-10-11', working: true },
  // 2026
  ...range('2026-01-01', '2026-01-03'),
  { day: '2026-01-04', working: true },
  ...range('2026-02-15', '2026-02-23'),
  { day: '2026-02-14', working: true },
  { day: '2026-02-28', working: true },
  ...range('2026-04-04', '2026-04-06'),
  ...range('2026-05-01', '2026-05-05'),
  { day: '2026-05-09', working: true },
  ...range('2026-06-19', '2026-06-21'),
  ...range('2026-09-25', '2026-09-27'),
  ...range('2026-10-01', '2026-10-07'),
  { day: '2026-09-20', working: true },
  { day: '2026-10-10', working: true },
];
