/**
 * A report as sheets of typed columns, the one shape the table, CSV and spreadsheet outputs are
 * drawn from: money and percents stay decimal strings here ("305.00", "3.25"); the spreadsheet
 * turns them into numbers with a number format, CSV writes them as they are.
 */
import { CATEGORIES } from '../classification/classify.js';
import { exportCsv } from '../csv/index.js';
import type { BreakdownRowJson, FiguresJson, ReportJson } from './regulatory-reports.js';
import { MIGRATION_DESTINATIONS } from './regulatory-reports.js';

export type ColumnKind = 'text' | 'money' | 'percent' | 'count';

export interface Sheet {
  /** At most 31 characters (a spreadsheet's limit). */
  readonly name: string;
  readonly columns: readonly { readonly key: string; readonly header: string; readonly kind: ColumnKind }[];
  readonly rows: readonly Readonly<Record<string, string | number | null>>[];
}

export const REPORT_FORMATS = ['table', 'json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FIGURE_COLUMNS = [
  { key: 'balance', header: 'balance', kind: 'money' },
  { key: 'loans', header: 'loans', kind: 'count' },
  { key: 'borrowers', header: 'borrowers', kind: 'count' },
  { key: 'nplBalance', header: 'NPL balance', kind: 'money' },
  { key: 'nplRatio', header: 'NPL ratio %', kind: 'percent' },
  { key: 'averageRate', header: 'average rate %', kind: 'percent' },
] as const;

function figuresRow(label: string, figures: FiguresJson): Record<string, string | number> {
  return { item: label, balance: figures.balance, loans: figures.loans, borrowers: figures.borrowers, nplBalance: figures.nplBalance, nplRatio: figures.nplRatio, averageRate: figures.averageRate };
}

function breakdownSheets(breakdowns: { readonly province: readonly BreakdownRowJson[]; readonly city: readonly BreakdownRowJson[]; readonly industry: readonly BreakdownRowJson[]; readonly size: readonly BreakdownRowJson[] }, withCategories: boolean): Sheet[] {
  return (['province', 'city', 'industry', 'size'] as const).map((dimension) => ({
    name: `by ${dimension}`,
    columns: [
      { key: 'key', header: dimension === 'industry' ? 'section' : 'code', kind: 'text' },
      { key: 'nameZh', header: '名称', kind: 'text' },
      { key: 'name', header: 'name', kind: 'text' },
      ...FIGURE_COLUMNS,
      ...(withCategories ? CATEGORIES.map((category) => ({ key: category, header: category, kind: 'money' as const })) : []),
    ],
    rows: breakdowns[dimension].map((row) => ({
      key: row.key, nameZh: row.nameZh, name: row.name, ...figuresRow(row.key, row),
      ...(withCategories ? Object.fromEntries(CATEGORIES.map((category, i) => [category, row.categories[i]!])) : {}),
    })),
  }));
}

const ITEM = { key: 'item', header: 'item', kind: 'text' } as const;

/**
 * The report's sheets.
 *
 * @example
 * reportSheets(await fiveCategoryReport(db, '2025-06-30'))[0].name; // 'categories'
 */
export function reportSheets(report: ReportJson): Sheet[] {
  switch (report.report) {
    case 'inclusive':
      return [
        { name: 'inclusive', columns: [ITEM, ...FIGURE_COLUMNS], rows: [figuresRow('inclusive', report.inclusive), figuresRow('all', report.all)] },
        {
          name: 'checks',
          columns: [{ key: 'check', header: 'check', kind: 'text' }, { key: 'status', header: 'status', kind: 'text' }, { key: 'input', header: 'input', kind: 'text' }, { key: 'value', header: 'value', kind: 'text' }],
          rows: report.checks.flatMap((check) => Object.entries(check.inputs).map(([input, value]) => ({ check: check.id, status: check.status, input, value: value === null ? null : String(value) }))),
        },
        ...breakdownSheets(report.breakdowns, false),
      ];
    case 'five-category':
      return [
        {
          name: 'categories',
          columns: [{ key: 'category', header: 'category', kind: 'text' }, { key: 'balance', header: 'balance', kind: 'money' }, { key: 'loans', header: 'loans', kind: 'count' }, { key: 'share', header: 'share %', kind: 'percent' }],
          rows: [...report.categories.map((c) => ({ ...c })), { category: 'total', balance: report.total.balance, loans: report.total.loans, share: '100.00' }],
        },
        ...breakdownSheets(report.breakdowns, true),
      ];
    case 'migration': {
      const matrixColumns = [
        { key: 'from', header: 'from', kind: 'text' },
        { key: 'loans', header: 'loans at start', kind: 'count' },
        { key: 'balance', header: 'balance at start', kind: 'money' },
        ...MIGRATION_DESTINATIONS.flatMap((d) => [{ key: `${d} balance`, header: `→ ${d}`, kind: 'money' as const }, { key: `${d} rate`, header: `→ ${d} %`, kind: 'percent' as const }]),
        { key: 'downgradeRate', header: 'downgrade %', kind: 'percent' },
      ] as const;
      const matrixRow = (row: (typeof report.rows)[number]) => ({
        from: row.from, loans: row.loans, balance: row.balance, downgradeRate: row.downgradeRate,
        ...Object.fromEntries(row.to.flatMap((cell) => [[`${cell.to} balance`, cell.balance], [`${cell.to} rate`, cell.rate]])),
      });
      return [
        { name: 'migration', columns: matrixColumns, rows: report.rows.map(matrixRow) },
        ...(['province', 'city', 'industry', 'size'] as const).map((dimension) => ({
          name: `migration by ${dimension}`,
          columns: [{ key: 'key', header: dimension === 'industry' ? 'section' : 'code', kind: 'text' as const }, { key: 'nameZh', header: '名称', kind: 'text' as const }, ...matrixColumns],
          // Only the categories a segment had loans in at the start.
          rows: report.segments[dimension].flatMap((segment) => segment.rows.filter((row) => row.loans > 0).map((row) => ({ key: segment.key, nameZh: segment.nameZh, ...matrixRow(row) }))),
        })),
      ];
    }
    case 'renewals': {
      const list = (name: string, rows: readonly { key: string; loans: number; principal: string; balance: string; name?: string; nameZh?: string }[]): Sheet => ({
        name,
        columns: [{ key: 'key', header: 'key', kind: 'text' }, { key: 'nameZh', header: '名称', kind: 'text' }, { key: 'loans', header: 'renewals', kind: 'count' }, { key: 'principal', header: 'renewed', kind: 'money' }, { key: 'balance', header: 'balance now', kind: 'money' }],
        rows: rows.map((row) => ({ key: row.key, nameZh: row.nameZh ?? row.key, loans: row.loans, principal: row.principal, balance: row.balance })),
      });
      return [
        {
          name: 'renewals',
          columns: [ITEM, { key: 'loans', header: 'loans', kind: 'count' }, { key: 'amount', header: 'amount', kind: 'money' }, { key: 'share', header: 'share %', kind: 'percent' }],
          rows: [
            { item: 'renewed', loans: report.total.loans, amount: report.total.principal, share: null },
            { item: 'renewed, balance now', loans: report.total.loans, amount: report.total.balance, share: null },
            { item: 'working capital due', loans: report.workingCapital.dueLoans, amount: report.workingCapital.duePrincipal, share: null },
            { item: 'working capital renewed', loans: report.workingCapital.renewedLoans, amount: report.workingCapital.renewedPrincipal, share: report.workingCapital.renewedShare },
          ],
        },
        { name: 'classified now', columns: [{ key: 'category', header: 'category', kind: 'text' }, { key: 'loans', header: 'loans', kind: 'count' }, { key: 'balance', header: 'balance', kind: 'money' }], rows: report.byClassificationNow.map((row) => ({ ...row })) },
        list('by size', report.bySize),
        list('by product', report.byProduct),
        list('by province', report.byProvince),
        list('by city', report.byCity),
        list('by industry', report.byIndustry),
      ];
    }
    case 'foreign-trade':
      return [
        {
          name: 'foreign trade',
          columns: [ITEM, ...FIGURE_COLUMNS],
          rows: [figuresRow('foreign-trade firms', report.foreignTrade), figuresRow('all', report.all)],
        },
        {
          name: 'new lending',
          columns: [{ key: 'from', header: 'from', kind: 'text' }, { key: 'to', header: 'to', kind: 'text' }, { key: 'loans', header: 'loans', kind: 'count' }, { key: 'principal', header: 'new lending', kind: 'money' }],
          rows: [{ from: report.from, to: report.asOf, loans: report.newLending.loans, principal: report.newLending.principal }],
        },
        ...breakdownSheets(report.breakdowns, false),
      ];
  }
}

/** The sheets as CSV: each sheet's title line, header and rows, a blank line between; UTF-8 with a BOM. */
export function reportCsv(report: ReportJson): string {
  const rows: (string | number | null)[][] = [];
  for (const sheet of reportSheets(report)) {
    if (rows.length > 0) rows.push([]);
    rows.push([`${report.report} ${sheet.name} as of ${report.asOf}`]);
    rows.push(sheet.columns.map((c) => c.header));
    for (const row of sheet.rows) rows.push(sheet.columns.map((c) => row[c.key] ?? null));
  }
  return exportCsv(rows);
}

/** The sheets as plain-text tables for a terminal. */
export function reportTable(report: ReportJson): string {
  const out: string[] = [];
  for (const sheet of reportSheets(report)) {
    const cells = [sheet.columns.map((c) => c.header), ...sheet.rows.map((row) => sheet.columns.map((c) => String(row[c.key] ?? '')))];
    const widths = sheet.columns.map((_, i) => Math.max(...cells.map((line) => [...line[i]!].length)));
    out.push(`${report.report} — ${sheet.name} — as of ${report.asOf}`);
    for (const line of cells) out.push(line.map((cell, i) => (sheet.columns[i]!.kind === 'text' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
    out.push('');
  }
  return out.join('\n');
}

const NUMBER_FORMATS: Readonly<Record<ColumnKind, string | undefined>> = { text: undefined, money: '#,##0.00', percent: '0.00', count: '#,##0' };

/**
 * The sheets as an .xlsx workbook (exceljs): money and percents as numbers with formats, the
 * header row bold and frozen.
 */
export async function reportXlsx(report: ReportJson): Promise<Buffer> {
  // Loaded when a workbook is asked for: exceljs costs every process that starts Sprout ~0.3 s of CPU to load.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sprout';
  // Fixed, so the same report makes the same file.
  workbook.created = new Date(`${report.asOf}T00:00:00Z`);
  workbook.modified = workbook.created;
  for (const sheet of reportSheets(report)) {
    const worksheet = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.header.length + 2), style: NUMBER_FORMATS[c.kind] === undefined ? {} : { numFmt: NUMBER_FORMATS[c.kind]! } }));
    worksheet.getRow(1).font = { bold: true };
    for (const row of sheet.rows) {
      worksheet.addRow(Object.fromEntries(sheet.columns.map((c) => {
        const value = row[c.key] ?? null;
        // Money and percents are exact decimal strings; a spreadsheet cell is a double, exact to the fen below 2^53 fen.
        return [c.key, value !== null && c.kind !== 'text' ? Number(value) : value];
      })));
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
