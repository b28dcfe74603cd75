import { formatMoney } from '../money/format-money.js';
import type { Schedule } from './schedule.js';

const HEADER = ['#', 'Due date', 'Days', 'Principal', 'Interest', 'Total', 'Balance'] as const;
// Columns 0 and 1 (number, date) read left to right; the counts and amounts line up on the right.
const LEFT_ALIGNED = 2;

/**
 * A schedule as an aligned plain-text table for a terminal: a header, a rule, one line per
 * installment, a rule and a `Total` line with the principal, interest and repayment totals.
 * Columns are separated by two spaces; every line ends in `\n`; no trailing spaces.
 *
 * @example
 * scheduleToTable(schedule);
 * // #      Due date    Days  Principal  Interest    Total  Balance
 * // -----  ----------  ----  ---------  --------  -------  -------
 * // 1      2022-12-01    30     255.00     50.00   305.00  4745.00
 * // …
 * // -----  ----------  ----  ---------  --------  -------  -------
 * // Total                      5000.00    488.22  5488.22
 */
export function scheduleToTable(s: Schedule): string {
  const rows: string[][] = s.installments.map((row) => [
    String(row.number),
    row.dueDate,
    String(row.days),
    formatMoney(row.principal),
    formatMoney(row.interest),
    formatMoney(row.total),
    formatMoney(row.balance),
  ]);
  const totals = ['Total', '', '', formatMoney(s.totalPrincipal), formatMoney(s.totalInterest), formatMoney(s.totalRepayment), ''];
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, totals[column]?.length ?? 0, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column < LEFT_ALIGNED ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  const rule = render(widths.map((width) => '-'.repeat(width)));
  return `${[render(HEADER), rule, ...rows.map(render), rule, render(totals)].join('\n')}\n`;
}
