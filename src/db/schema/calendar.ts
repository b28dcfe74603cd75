/** The holiday calendar: the days that differ from "Monday to Friday work" (src/calendar/working-days.ts). */
import type { Generated } from 'kysely';
import type { DateColumn } from './columns.js';

export interface HolidayCalendarTable {
  day: DateColumn;
  /** true: a make-up working day (调休上班) on a weekend; false: a public holiday. */
  working: boolean;
  /** The holiday's name (国庆节), from the loaded file (migration 0048). */
  name: Generated<string>;
}

export interface CalendarTables {
  holiday_calendar: HolidayCalendarTable;
}
