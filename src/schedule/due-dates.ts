import { ValidationError, invariant } from '../errors.js';
import { addMonthsToCivil } from '../calendar/add-months.js';
import {
  civilFromDays,
  daysFromCivil,
  fromCivil,
  toCivil,
  type BusinessDate,
  type CivilDate,
} from '../calendar/business-date.js';
import { MAX_TERM_MONTHS } from './limits.js';
import type { ScheduleTerms } from './schedule-terms.js';

const LAST_DAY_NUMBER = daysFromCivil(9999, 12, 31);

/**
 * The due dates of a schedule, as day numbers for arithmetic and as dates for output.
 *
 * @example
 * const { days, dates, irregularFirst }: DueDates = dueDates(terms);
 */
export interface DueDates {
  /** `periods + 1` day numbers: the disbursement at 0, installment k at k. */
  readonly days: readonly number[];
  /** `periods + 1` dates, aligned with `days`. */
  readonly dates: readonly BusinessDate[];
  /** `firstDue` was given and is not one period after disbursement: the first period is irregular. */
  readonly irregularFirst: boolean;
}

function step(anchor: CivilDate, anchorDay: number, steps: number, terms: ScheduleTerms): CivilDate | number {
  switch (terms.unit) {
    case 'months':
      return addMonthsToCivil(anchor, steps * terms.every);
    case 'weeks':
      return anchorDay + steps * terms.every * 7;
    case 'days':
      return anchorDay + steps * terms.every;
  }
}

/**
 * Every due date of a schedule. Installment k falls due k periods after disbursement, or k − 1
 * periods after `firstDue` when one is given. Months are added to that anchor and clamped to
 * month end, never stepped cumulatively, so a loan disbursed on the 31st is due on the 31st
 * whenever the month has one.
 *
 * Throws a {@link ValidationError} when the last due date is more than 1200 months after the
 * disbursement or after 9999-12-31.
 *
 * @example
 * // disbursed 2024-01-31, 3 monthly periods
 * dueDates(terms).dates; // ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
 */
export function dueDates(terms: ScheduleTerms): DueDates {
  const n = terms.periods;
  const disbursed = toCivil(terms.disbursed);
  const disbursedDay = daysFromCivil(disbursed.year, disbursed.month, disbursed.day);
  const anchor = terms.firstDue === undefined ? disbursed : toCivil(terms.firstDue);
  const anchorDay = terms.firstDue === undefined ? disbursedDay : daysFromCivil(anchor.year, anchor.month, anchor.day);
  // With firstDue, installment k sits k − 1 periods after it; otherwise k periods after disbursement.
  const offset = terms.firstDue === undefined ? 0 : 1;
  const days: number[] = new Array<number>(n + 1);
  const dates: BusinessDate[] = new Array<BusinessDate>(n + 1);
  days[0] = disbursedDay;
  dates[0] = terms.disbursed;

  let irregularFirst = false;
  if (terms.firstDue !== undefined) {
    const natural = step(disbursed, disbursedDay, 1, terms);
    const naturalDay = typeof natural === 'number' ? natural : daysFromCivil(natural.year, natural.month, natural.day);
    irregularFirst = naturalDay !== anchorDay;
  }

  // Month steps already give the civil date; keep it to format without converting back.
  const civil: (CivilDate | undefined)[] = new Array<CivilDate | undefined>(n + 1);
  for (let k = 1; k <= n; k++) {
    const due = step(anchor, anchorDay, k - offset, terms);
    if (typeof due === 'number') {
      days[k] = due;
    } else {
      days[k] = daysFromCivil(due.year, due.month, due.day);
      civil[k] = due;
    }
  }

  const lastDay = days[n] ?? disbursedDay;
  const limit = addMonthsToCivil(disbursed, MAX_TERM_MONTHS);
  if (lastDay > daysFromCivil(limit.year, limit.month, limit.day)) {
    throw new ValidationError(
      terms.firstDue === undefined ? 'periods' : 'firstDue',
      `the last installment must fall due within ${MAX_TERM_MONTHS} months (100 years) of disbursement`,
    );
  }
  if (lastDay > LAST_DAY_NUMBER) throw new ValidationError('periods', 'the schedule must end by 9999-12-31');

  // Formatted only now that the bounds hold: a date after 9999-12-31 cannot be written.
  for (let k = 1; k <= n; k++) {
    const day = days[k] ?? 0;
    invariant(day > (days[k - 1] ?? 0), 'due dates strictly increase');
    dates[k] = fromCivil(civil[k] ?? civilFromDays(day));
  }
  return { days, dates, irregularFirst };
}
