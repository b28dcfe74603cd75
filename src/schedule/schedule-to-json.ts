import { formatMoney } from '../money/format-money.js';
import type { Schedule } from './schedule.js';

/**
 * The JSON wire form of a schedule: amounts as decimal strings ("1234.56"), never numbers.
 *
 * @example
 * const body: ScheduleJson = scheduleToJson(schedule);
 */
export interface ScheduleJson {
  installments: {
    number: number;
    dueDate: string;
    days: number;
    principal: string;
    interest: string;
    total: string;
    balance: string;
  }[];
  totalPrincipal: string;
  totalInterest: string;
  totalRepayment: string;
}

/**
 * A schedule as plain JSON data. Money becomes a two-decimal string, because a JSON number is
 * a float to most parsers.
 *
 * @example
 * scheduleToJson(schedule).installments[0];
 * // { number: 1, dueDate: '2022-12-01', days: 30, principal: '255.00', interest: '50.00', total: '305.00', balance: '4745.00' }
 */
export function scheduleToJson(s: Schedule): ScheduleJson {
  return {
    installments: s.installments.map((row) => ({
      number: row.number,
      dueDate: row.dueDate,
      days: row.days,
      principal: formatMoney(row.principal),
      interest: formatMoney(row.interest),
      total: formatMoney(row.total),
      balance: formatMoney(row.balance),
    })),
    totalPrincipal: formatMoney(s.totalPrincipal),
    totalInterest: formatMoney(s.totalInterest),
    totalRepayment: formatMoney(s.totalRepayment),
  };
}
