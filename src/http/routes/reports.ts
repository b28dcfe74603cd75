/**
 * Management reports, read-only. The figures are computed in `src/reporting/`; this file only
 * turns fen into decimal strings.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { formatMoney } from '../../money/format-money.js';
import { exportCsv } from '../../csv/index.js';
import { formatPercent, portfolioReport, type PortfolioFigures } from '../../reporting/portfolio.js';
import { BREAKDOWNS, groupNames, portfolioBreakdown, portfolioHistory, type Breakdown, type PortfolioPoint } from '../../reporting/portfolio-history.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { roles } from '../access.js';
import { Money } from './servicing-schemas.js';
import { CLASSIFICATIONS, literals } from '../api-codes.js';
import { BusinessDateText } from './date-schemas.js';
import { coverage, DPD_BUCKETS } from '../../reporting/past-due.js';
import { DASHBOARD_SHARED_MS, sharedPortfolioDashboard } from '../../reporting/portfolio-dashboard.js';
import { readSource, type ReadSource } from '../../db/read-replica.js';

/** Where a report was read: the standby of DATABASE_READ_URL (and how far behind), or the primary. */
const ReadFromSchema = Type.Object(
  {
    standby: Type.Boolean({ description: 'read from a hot standby (DATABASE_READ_URL); false: the primary' }),
    lagSeconds: Type.Number({ minimum: 0, description: 'how far behind the primary the figures may be, in seconds (0: current)' }),
    ageSeconds: Type.Optional(
      Type.Number({ minimum: 0, description: 'the dashboard: how long before this answer its figures were read, in seconds (one read serves every request of up to a second, SPROUT_DASHBOARD_SHARED_MS)' }),
    ),
  },
  { description: 'where these figures were read, and the replication lag' },
);

const Percent = Type.String({ description: 'percent, two decimals, e.g. "3.25"' });

const Figures = {
  loans: Type.Integer(),
  balance: Money,
  overdueBalance: Money,
  nplBalance: Money,
  provision: Money,
  overdueRatio: Percent,
  nplRatio: Percent,
  averageRate: Type.String({ description: 'balance-weighted average annual rate, percent' }),
};

const BreakdownGroupSchema = Type.Object({ key: Type.String(), name: Type.String(), nameZh: Type.String(), ...Figures, borrowers: Type.Integer(), share: Percent });

const PortfolioSchema = Type.Object({
  asOf: Type.String(),
  totals: Type.Object({ ...Figures, borrowers: Type.Integer() }),
  classification: Type.Array(Type.Object({ category: literals(CLASSIFICATIONS), loans: Type.Integer(), balance: Money, share: Percent })),
  products: Type.Array(Type.Object({ code: Type.String(), name: Type.String({ description: "the product's Chinese name" }), nameEn: Type.String({ description: "the product's English name" }), ...Figures, share: Percent })),
  breakdown: Type.Optional(Type.Object({ by: literals(BREAKDOWNS), groups: Type.Array(BreakdownGroupSchema) })),
  pastDue: Type.Array(Type.Object({ bucket: literals(DPD_BUCKETS), loans: Type.Integer({ description: 'active loans in the bucket (the loans list with dpdBucket lists exactly these)' }), financings: Type.Integer({ description: 'supply-chain financings in the bucket, unpaid by their core enterprise' }), balance: Money, share: Percent }), {
    description: 'active loans by days past due: 1-30, 31-60, 61-90, over-90 (always all four); GET /v1/loans?dpdBucket= lists the loans behind each',
  }),
  readFrom: ReadFromSchema,
  coverage: Type.Object({
    provision: Money,
    coverageRatio: Type.Union([Percent, Type.Null()], { description: '拨备覆盖率: loan-loss reserves ÷ NPL balance, percent; null with no NPL' }),
    provisionRatio: Type.Union([Percent, Type.Null()], { description: '贷款拨备率: loan-loss reserves ÷ all loans, percent; null with no loans' }),
  }),
});

const HistoryPointSchema = Type.Object({
  date: Type.String(),
  balance: Money,
  loans: Type.Integer(),
  borrowers: Type.Integer(),
  overdueBalance: Money,
  nplBalance: Money,
  overdueRatio: Percent,
  nplRatio: Percent,
  averageRate: Type.String(),
  newLoans: Type.Integer(),
  newLending: Money,
});

const DateText = BusinessDateText;
const ByQuery = Type.Union(BREAKDOWNS.map((by) => Type.Literal(by)));
const HistoryQuery = Type.Object({ from: Type.Optional(DateText), to: Type.Optional(DateText) }, { additionalProperties: false });
const READERS = roles('management', 'risk-officer', 'auditor', 'admin');

const HISTORY_COLUMNS = ['date', 'loans', 'borrowers', 'balance', 'overdueBalance', 'overdueRatio', 'nplBalance', 'nplRatio', 'averageRate', 'newLoans', 'newLending'] as const;
const PRODUCT_COLUMNS = ['code', 'name', 'nameEn', 'loans', 'balance', 'share', 'overdueBalance', 'overdueRatio', 'nplBalance', 'nplRatio', 'averageRate', 'provision'] as const;
const BREAKDOWN_COLUMNS = ['key', 'name', 'nameZh', 'loans', 'borrowers', 'balance', 'share', 'overdueBalance', 'overdueRatio', 'nplBalance', 'nplRatio', 'averageRate', 'provision'] as const;

/** Rows of objects as an export (BOM, formula cells neutralised) with a header, in the given columns. */
function csvText<C extends string>(columns: readonly C[], rows: readonly Record<C, string | number>[]): string {
  return exportCsv([columns, ...rows.map((row) => columns.map((column) => row[column]))]);
}

function pointJson(point: PortfolioPoint) {
  return { ...figuresJson(point), borrowers: point.borrowers };
}

/** Reports read from the standby when there is one. */
function readDb(context: AppContext) {
  return context.readDb ?? context.db;
}

async function historyJson(context: AppContext, query: { from?: string | undefined; to?: string | undefined }) {
  const history = await portfolioHistory(readDb(context), query);
  const points = history.points.map((point) => {
    const json = pointJson(point);
    return {
      date: point.date,
      balance: json.balance,
      loans: json.loans,
      borrowers: json.borrowers,
      overdueBalance: json.overdueBalance,
      nplBalance: json.nplBalance,
      overdueRatio: json.overdueRatio,
      nplRatio: json.nplRatio,
      averageRate: json.averageRate,
      newLoans: point.newLoans,
      newLending: formatMoney(point.newLending),
    };
  });
  return { from: history.from, to: history.to, points };
}

async function breakdownJson(context: AppContext, by: Breakdown) {
  const breakdown = await portfolioBreakdown(readDb(context), by);
  return { asOf: breakdown.asOf, by, groups: breakdown.groups.map((group) => ({ key: group.key, ...groupNames(by, group.key), ...pointJson(group), share: formatPercent(group.share) })) };
}

function figuresJson(figures: PortfolioFigures) {
  return {
    loans: figures.loans,
    balance: formatMoney(figures.balance),
    overdueBalance: formatMoney(figures.overdueBalance),
    nplBalance: formatMoney(figures.nplBalance),
    provision: formatMoney(figures.provision),
    overdueRatio: formatPercent(figures.overdueRatio),
    nplRatio: formatPercent(figures.nplRatio),
    averageRate: figures.averageRate,
  };
}

/**
 * A CSV has no room for `readFrom`, so its answer says in two headers where it was read and how far
 * behind: `x-sprout-read-from: standby` and `x-sprout-read-lag-seconds: 0.42`.
 */
function withReadFrom(reply: FastifyReply, readFrom: ReadSource): FastifyReply {
  return reply.header('x-sprout-read-from', readFrom.standby ? 'standby' : 'primary').header('x-sprout-read-lag-seconds', String(readFrom.lagSeconds));
}

export function reportRoutes(app: TypedApp, context: AppContext): void {
  app.get(
    '/v1/reports/portfolio',
    {
      config: { access: READERS },
      schema: {
        summary: 'The portfolio: balance, five-category distribution, overdue and NPL ratios, average rate, by product; with by=, also by region, industry or size',
        description:
          'Active loans as of the business date. NPL = substandard + doubtful + loss. Overdue balance = outstanding principal of loans with days past due. ' +
          'With by=region|industry|size the response adds `breakdown` (groups largest balance first). The same as CSV: GET /v1/reports/portfolio.csv.',
        tags: ['reports'],
        querystring: Type.Object({ by: Type.Optional(ByQuery) }, { additionalProperties: false }),
        response: { 200: PortfolioSchema },
      },
    },
    async (request) => {
      // One statement for the figures, the buckets and the lag (src/reporting/portfolio-dashboard.ts), read in one snapshot and
      // shared by the requests of up to a second: the answer says how old its figures are.
      const { report, pastDue: buckets, readFrom, ageSeconds } = await sharedPortfolioDashboard(readDb(context), context.dashboardSharedMs ?? DASHBOARD_SHARED_MS);
      const by = request.query.by;
      const breakdown = by === undefined ? undefined : await breakdownJson(context, by);
      const products = report.products.map((row) => ({ code: row.code, name: row.name, nameEn: row.nameEn, ...figuresJson(row), share: formatPercent(row.share) }));
      const ratios = coverage(report.totals.provision, report.totals.nplBalance, report.totals.balance);
      return {
        asOf: report.asOf,
        totals: { ...figuresJson(report.totals), borrowers: report.totals.borrowers },
        classification: report.classification.map((row) => ({ category: row.category, loans: row.loans, balance: formatMoney(row.balance), share: formatPercent(row.share) })),
        products,
        ...(breakdown ? { breakdown: { by: breakdown.by, groups: breakdown.groups } } : {}),
        pastDue: buckets.map((row) => ({ bucket: row.bucket, loans: row.loans, financings: row.financings, balance: formatMoney(row.balance), share: formatPercent(row.share) })),
        readFrom: { ...readFrom, ageSeconds },
        coverage: {
          provision: formatMoney(report.totals.provision),
          coverageRatio: ratios.coverageRatio === null ? null : formatPercent(ratios.coverageRatio),
          provisionRatio: ratios.provisionRatio === null ? null : formatPercent(ratios.provisionRatio),
        },
      };
    },
  );

  app.get(
    '/v1/reports/portfolio/history',
    {
      config: { access: READERS },
      schema: {
        summary: 'The portfolio over time: one point per business date closed by end of day',
        description:
          'Daily snapshots written by end of day as it closes each date: balance, loans, borrowers, overdue and NPL ratios, average rate, and the new lending of the day (drawdowns, not renewals). ' +
          'from/to inclusive, default the year up to the business date, at most 3,660 days. The same as CSV: GET /v1/reports/portfolio/history.csv.',
        tags: ['reports'],
        querystring: HistoryQuery,
        response: { 200: Type.Object({ from: Type.String(), to: Type.String(), points: Type.Array(HistoryPointSchema), readFrom: ReadFromSchema }) },
      },
    },
    async (request) => {
      const readFrom = await readSource(readDb(context));
      return { ...(await historyJson(context, request.query)), readFrom };
    },
  );

  app.get(
    '/v1/reports/portfolio/history.csv',
    {
      config: { access: READERS },
      schema: { summary: 'The portfolio over time as CSV (the columns of /v1/reports/portfolio/history)', tags: ['reports'], querystring: HistoryQuery },
    },
    async (request, reply) => {
      const readFrom = await readSource(readDb(context));
      const history = await historyJson(context, request.query);
      return withReadFrom(reply, readFrom)
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="sprout-portfolio-history-${history.from}-${history.to}.csv"`)
        .send(csvText(HISTORY_COLUMNS, history.points));
    },
  );

  app.get(
    '/v1/reports/portfolio.csv',
    {
      config: { access: READERS },
      schema: {
        summary: 'The portfolio as CSV: by product, or with by= by region, industry or size',
        tags: ['reports'],
        querystring: Type.Object({ by: Type.Optional(ByQuery) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const readFrom = await readSource(readDb(context));
      const by = request.query.by;
      let csv: string;
      let asOf: string;
      if (by === undefined) {
        const report = await portfolioReport(readDb(context));
        asOf = report.asOf;
        csv = csvText(PRODUCT_COLUMNS, report.products.map((row) => ({ code: row.code, name: row.name, nameEn: row.nameEn, ...figuresJson(row), share: formatPercent(row.share) })));
      } else {
        const breakdown = await breakdownJson(context, by);
        asOf = breakdown.asOf;
        csv = csvText(BREAKDOWN_COLUMNS, breakdown.groups);
      }
      return withReadFrom(reply, readFrom)
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="sprout-portfolio-${by ?? 'products'}-${asOf}.csv"`)
        .send(csv);
    },
  );
}
