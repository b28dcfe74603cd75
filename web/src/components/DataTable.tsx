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
  /** The cell's label when a phone shows the row as a card; the header when it is text. */
  readonly label?: string;
}

/**
 * A scrolling table (`div.table-scroll > table`) with a header row and a row per item; `empty`,
 * when given, is a muted row across all columns while there are no rows. `rowClassName` and
 * `rowData` (`data-*` attributes) set each row's own attributes; `foot` goes in a `tfoot`.
 * With `cards`, a phone (≤ 640 px) shows each row as a card, every cell under its label, so no
 * column — and no button — is scrolled out of reach.
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
  cards,
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
  readonly cards?: boolean;
}) {
  return (
    <div className="table-scroll">
      <table className={[className, cards ? 'cards' : undefined].filter(Boolean).join(' ') || undefined} data-testid={testId}>
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
                <td key={cellIndex} className={cellClass(column)} data-label={column.label ?? (typeof column.header === 'string' ? column.header : undefined)}>
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
