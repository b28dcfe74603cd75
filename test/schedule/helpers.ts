import { formatMoney } from '../../src/money/format-money.js';
import { buildSchedule, parseScheduleRequest, type Schedule, type ScheduleRequest } from '../../src/schedule/index.js';

/** Builds a schedule from the external form, as the API would. */
export function schedule(req: ScheduleRequest): Schedule {
  return buildSchedule(parseScheduleRequest(req));
}

/** Rows as `[dueDate, days, principal, interest, total, balance]` for compact exact assertions. */
export function rows(s: Schedule): [string, number, string, string, string, string][] {
  return s.installments.map((row) => [
    row.dueDate,
    row.days,
    formatMoney(row.principal),
    formatMoney(row.interest),
    formatMoney(row.total),
    formatMoney(row.balance),
  ]);
}

/** `[totalPrincipal, totalInterest, totalRepayment]` formatted. */
export function totals(s: Schedule): [string, string, string] {
  return [formatMoney(s.totalPrincipal), formatMoney(s.totalInterest), formatMoney(s.totalRepayment)];
}
