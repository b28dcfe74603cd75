import { exportCsv } from '../csv/write-csv.js';
import { formatMoney } from '../money/format-money.js';
import type { Schedule } from './schedule.js';

/**
 * A schedule as a CSV export (see `src/csv/write-csv.ts`: UTF-8 with a byte-order mark, `\r\n`
 * after every record): the header `number,dueDate,days,principal,interest,total,balance`, then
 * one record per installment. No totals line, so every row has the same shape for spreadsheet
 * and database imports; the totals are sums of the columns. Every cell is an integer, a date or a
 * plain decimal, so nothing is quoted or neutralised.
 *
 * @example
 * scheduleToCsv(schedule);
 * // "\uFEFFnumber,dueDate,days,principal,interest,total,balance\r\n1,2022-12-01,30,255.00,50.00,305.00,4745.00\r\n…"
 */
export function scheduleToCsv(s: Schedule): string {
  return exportCsv([
    ['number', 'dueDate', 'days', 'principal', 'interest', 'total', 'balance'],
    ...s.installments.map((row) => [row.number, row.dueDate, row.days, formatMoney(row.principal), formatMoney(row.interest), formatMoney(row.total), formatMoney(row.balance)]),
  ]);
}
