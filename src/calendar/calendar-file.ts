/**
 * The holiday calendar as a file a bank loads once a year, when the State Council publishes the
 * next year's holidays (each November): CSV with the header `day,kind,name`, one row per day that
 * differs from "Monday to Friday work" — `holiday` for a public holiday (any day of the week, the
 * weekends inside a holiday run included), `workday` for a make-up working day (调休上班), which
 * must fall on a Saturday or Sunday. The shipped file for 2025–2026 is
 * `reference/holidays-cn-2025-2026.csv`; `sprout calendar load FILE` replaces the years it covers.
 *
 * @example
 * parseCalendarFile('day,kind,name\n2025-10-01,holiday,国庆节\n2025-09-28,workday,国庆节调休\n');
 * // { years: [2025], days: [{ day: '2025-10-01', working: false, name: '国庆节' }, { day: '2025-09-28', working: true, name: '国庆节调休' }] }
 */
import { ValidationError } from '../errors.js';
import { parseCsvRows } from '../csv/parse-csv.js';
import { parseBusinessDate, toDayNumber, type BusinessDate } from './business-date.js';
import type { CalendarDay } from './working-days.js';

/** A calendar day as the file names it. */
export interface NamedCalendarDay extends CalendarDay {
  /** The day, checked when the file was read. */
  readonly day: BusinessDate;
  /** The holiday's name (国庆节), shown to staff; may be empty. */
  readonly name: string;
}

/** A parsed calendar file: the whole years it replaces, and their days. */
export interface CalendarFile {
  readonly years: readonly number[];
  readonly days: readonly NamedCalendarDay[];
}

/** More rows than any real year has (about 40); a bound on what a load may write. */
export const MAX_CALENDAR_ROWS = 2000;

/**
 * Parses and checks a calendar file. Throws a ValidationError naming the row for a bad date, an
 * unknown kind, a day listed twice, or a make-up working day that is not a weekend day.
 */
export function parseCalendarFile(text: string): CalendarFile {
  const rows = parseCsvRows(text, 'file');
  const header = rows[0]?.map((cell) => cell.trim());
  if (header === undefined || header[0] !== 'day' || header[1] !== 'kind') throw new ValidationError('file', 'the first line must be the header "day,kind,name"');
  if (rows.length - 1 > MAX_CALENDAR_ROWS) throw new ValidationError('file', `at most ${MAX_CALENDAR_ROWS} days; got ${rows.length - 1}`);
  const seen = new Set<string>();
  const years = new Set<number>();
  const days: NamedCalendarDay[] = [];
  for (let index = 1; index < rows.length; index++) {
    const row = rows[index]!;
    if (row.length === 1 && row[0]!.trim() === '') continue;
    const line = `line ${index + 1}`;
    const day = parseBusinessDate((row[0] ?? '').trim(), `${line} day`);
    const kind = (row[1] ?? '').trim();
    if (kind !== 'holiday' && kind !== 'workday') throw new ValidationError('file', `${line}: kind must be holiday or workday; got "${kind}"`);
    if (seen.has(day)) throw new ValidationError('file', `${line}: ${day} is listed twice`);
    // Day 0 (1970-01-01) was a Thursday: 2 = Saturday, 3 = Sunday.
    const weekday = ((toDayNumber(day) % 7) + 7) % 7;
    if (kind === 'workday' && weekday !== 2 && weekday !== 3) throw new ValidationError('file', `${line}: ${day} is a weekday; a make-up working day falls on a Saturday or Sunday`);
    seen.add(day);
    years.add(Number(day.slice(0, 4)));
    days.push({ day, working: kind === 'workday', name: (row[2] ?? '').trim() });
  }
  if (days.length === 0) throw new ValidationError('file', 'lists no days');
  return { years: [...years].sort((a, b) => a - b), days };
}

/**
 * The file text for a calendar, the inverse of parseCalendarFile.
 *
 * @example
 * writeCalendarFile([{ day: '2025-10-01', working: false, name: '国庆节' }]); // "day,kind,name\n2025-10-01,holiday,国庆节\n"
 */
export function writeCalendarFile(days: readonly NamedCalendarDay[]): string {
  return `day,kind,name\n${days.map((d) => `${d.day},${d.working ? 'workday' : 'holiday'},${d.name}`).join('\n')}\n`;
}
