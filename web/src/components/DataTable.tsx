import type { Key, ReactNode } from 'react';

/**
 * One column of a {@link DataTable}: its header, its class on the header and the cells (`num`
 * aligns figures), a class on the cells only (`mono`, `wrap`, `small`…), and what a cell shows.
 */
export interface Column<Row> {
  readonly header: ReactNode;
  readonly className?: string;
  readonly cellClassName?: string;
  readonly cell: (row: Row) => ReactNode;
}

/**
 * A scrolling table (`div.table-scroll > table`) with a header row and a row per item; `empty`,
 * when given, is a muted row across all columns while there are no rows. `rowClassName` and
 * `rowData` (`data-*` attributes) set each row's own attributes; `foot` goes in a `tfoot`.
 *
 * @example
 * <DataTable testId="lines-table" rows={lines} rowKey={(line) => line.id} empty={t('empty')}
 *   columns={[{ header: t('limit'), className: 'num', cell: (line) => yuan(line.limit) }]} />
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  empty,
  testId,
  className,
  rowClassName,
  rowData,
  foot,
}: {
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row, index: number) => Key;
  readonly empty?: ReactNode;
  readonly testId?: string;
  readonly className?: string;
  readonly rowClassName?: (row: Row) => string;
  readonly rowData?: (row: Row) => Readonly<Record<`data-${string}`, string>>;
  readonly foot?: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className={className} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {empty !== undefined && rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty}
              </td>
            </tr>
          )}
          {rows.map((row, index) => (
            <tr key={rowKey(row, index)} className={rowClassName?.(row)} {...rowData?.(row)}>
              {columns.map((column, cellIndex) => (
                <td key={cellIndex} className={cellClass(column)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {foot !== undefined && <tfoot>{foot}</tfoot>}
      </table>
    </div>
  );
}

const cellClass = (column: { readonly className?: string; readonly cellClassName?: string }): string | undefined => [column.className, column.cellClassName].filter(Boolean).join(' ') || undefined;
