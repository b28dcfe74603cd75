import type { ReactNode } from 'react';
import { useI18n } from '../i18n';

/**
 * The text table behind a chart, folded under it: what a screen reader reads, what a person copies,
 * and the exact figures the chart rounds. Cells are already formatted; a cell may be a link.
 *
 * @example
 * <ChartTable name="classification" headers={['类别', '余额']} rows={[['正常', '¥100.00']]} />
 */
export function ChartTable({ name, headers, rows }: { readonly name: string; readonly headers: readonly ReactNode[]; readonly rows: readonly (readonly ReactNode[])[] }) {
  const { t } = useI18n();
  return (
    <details className="chart-table" data-testid={`table-${name}`}>
      <summary>{t('asTable')}</summary>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {headers.map((header, i) => (
                <th key={i} className={i === 0 ? '' : 'num'}>
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) => (
                  <td key={i} className={i === 0 ? '' : 'num'}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
