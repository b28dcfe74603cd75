import { formatMoney } from '../money/format-money.js';
import type { Schedule } from './schedule.js';

/**
 * A schedule as CSV: the header `number,dueDate,days,principal,interest,total,balance`, then one
 * line per installment, every line ending in `\n`. No totals line, so every row has the same
 * shape for spreadsheet and database imports; the totals are sums of the columns. No field needs
 * quoting: they are integers, dates and plain decimals.
 *
 * @example
 * scheduleToCsv(schedule);
 * // "number,dueDate,days,principal,interest,total,balance\n1,2022-12-01,30,255.00,50.00,305.00,4745.00\n…"
 */
export function scheduleToCsv(s: Schedule): string {
  const lines = ['number,dueDate,days,principal,interest,total,balance'];
  for (const row of s.installments) {
    lines.push(
      [
        row.number,
        row.dueDate,
        row.days,
        formatMoney(row.principal),
        formatMoney(row.interest),
        formatMoney(row.total),
        formatMoney(row.balance),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
