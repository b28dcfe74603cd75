/**
 * The regulatory reports over HTTP (src/reporting/regulatory-reports.ts), each as of a closed
 * business date from the loan history; their CSV and XLSX exports; stored report runs and their
 * filing under maker-checker (`report.file`).
 */
import { Type } from '@sinclair/typebox';
import { REPORT_FILE } from '../../approvals/checked-actions.js';
import { makeRequest } from '../../approvals/maker-checker.js';
import { inTransaction } from '../../db/transaction.js';
import { CHECK_IDS, CHECK_STATUSES, fiveCategoryReport, foreignTradeReport, inclusiveReport, migrationReport, MIGRATION_DESTINATIONS, REPORT_NAMES, renewalsReport, runReport } from '../../reporting/regulatory-reports.js';
import { getReportRun, listReportRuns, storeReportRun, type ReportRun } from '../../reporting/report-runs.js';
import { reportCsv, reportXlsx } from '../../reporting/report-sheets.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { CLASSIFICATIONS, literals } from '../api-codes.js';
import { ApprovalRequestSchema } from './approvals.js';
import { BusinessDateText } from './date-schemas.js';
import { IdParams, Money } from './servicing-schemas.js';

const READERS = roles('management', 'risk-officer', 'auditor', 'admin');
const RUNNERS = roles('management', 'risk-officer', 'admin');
const Percent = Type.String({ description: 'percent, two decimals, e.g. "3.25"' });
const Rate = Type.String({ description: 'annual rate, percent' });

const Figures = { balance: Money, loans: Type.Integer(), borrowers: Type.Integer(), nplBalance: Money, nplRatio: Percent, averageRate: Rate };
const FiguresSchema = Type.Object(Figures);
const BreakdownRow = Type.Object({ key: Type.String(), name: Type.String(), nameZh: Type.String(), ...Figures, categories: Type.Array(Money, { description: 'balance by category, normal to loss' }) });
const Breakdowns = Type.Object({ province: Type.Array(BreakdownRow), city: Type.Array(BreakdownRow), industry: Type.Array(BreakdownRow), size: Type.Array(BreakdownRow) });

export const InclusiveReportSchema = Type.Object({
  report: Type.Literal('inclusive'),
  asOf: Type.String(),
  definition: Type.String(),
  startOfYear: Type.String(),
  inclusive: FiguresSchema,
  all: FiguresSchema,
  checks: Type.Array(Type.Object({ id: literals(CHECK_IDS), status: literals(CHECK_STATUSES), inputs: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])) })),
  breakdowns: Breakdowns,
});
export const FiveCategoryReportSchema = Type.Object({
  report: Type.Literal('five-category'),
  asOf: Type.String(),
  total: Type.Object({ ...Figures, provision: Money }),
  categories: Type.Array(Type.Object({ category: literals(CLASSIFICATIONS), balance: Money, loans: Type.Integer(), share: Percent })),
  breakdowns: Breakdowns,
});
const MigrationRows = Type.Array(Type.Object({
  from: literals(CLASSIFICATIONS),
  loans: Type.Integer(),
  balance: Money,
  to: Type.Array(Type.Object({ to: literals(MIGRATION_DESTINATIONS), loans: Type.Integer(), balance: Money, rate: Percent })),
  downgradeRate: Percent,
}));
const MigrationSegments = Type.Array(Type.Object({ key: Type.String(), name: Type.String(), nameZh: Type.String(), rows: MigrationRows }));
const MigrationReportSchema = Type.Object({
  report: Type.Literal('migration'),
  from: Type.String(),
  to: Type.String(),
  asOf: Type.String(),
  rows: MigrationRows,
  segments: Type.Object(
    { province: MigrationSegments, city: MigrationSegments, industry: MigrationSegments, size: MigrationSegments },
    { description: 'the matrix per province, city, industry section and size class of the borrower at `from`' },
  ),
});
const RenewalRow = Type.Object({ key: Type.String(), loans: Type.Integer(), principal: Money, balance: Money, name: Type.Optional(Type.String()), nameZh: Type.Optional(Type.String()) });
const RenewalsReportSchema = Type.Object({
  report: Type.Literal('renewals'),
  from: Type.String(),
  to: Type.String(),
  asOf: Type.String(),
  total: Type.Object({ loans: Type.Integer(), principal: Money, balance: Money }),
  workingCapital: Type.Object({ dueLoans: Type.Integer(), duePrincipal: Money, renewedLoans: Type.Integer(), renewedPrincipal: Money, renewedShare: Percent }),
  byClassificationNow: Type.Array(Type.Object({ category: literals(MIGRATION_DESTINATIONS), loans: Type.Integer(), balance: Money })),
  bySize: Type.Array(RenewalRow),
  byProduct: Type.Array(RenewalRow),
  byProvince: Type.Array(RenewalRow),
  byCity: Type.Array(RenewalRow),
  byIndustry: Type.Array(RenewalRow),
});
const ForeignTradeReportSchema = Type.Object({
  report: Type.Literal('foreign-trade'),
  asOf: Type.String(),
  from: Type.String(),
  foreignTrade: Type.Object({ ...Figures, share: Percent }),
  newLending: Type.Object({ loans: Type.Integer(), principal: Money }),
  all: FiguresSchema,
  breakdowns: Breakdowns,
});

const AsOfQuery = Type.Object({ asOf: Type.Optional(BusinessDateText) }, { additionalProperties: false });
const PeriodQuery = Type.Object({ from: Type.Optional(BusinessDateText), to: Type.Optional(BusinessDateText) }, { additionalProperties: false });
const ForeignQuery = Type.Object({ asOf: Type.Optional(BusinessDateText), from: Type.Optional(BusinessDateText) }, { additionalProperties: false });

const ReportRunSchema = Type.Object({
  id: Type.String(),
  report: literals(REPORT_NAMES),
  asOf: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  definitionVersion: Type.String(),
  digest: Type.String({ description: 'SHA-256 of the canonical figures; the same report for the same date gives the same digest' }),
  status: Type.Union([Type.Literal('draft'), Type.Literal('filed')]),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  filedBy: Type.Union([Type.String(), Type.Null()]),
  filedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const ReportRunWithFiguresSchema = Type.Object({ ...ReportRunSchema.properties, figures: Type.Unknown({ description: "the report's JSON as run" }) });

function runSummaryJson(run: ReportRun) {
  const { figures: _figures, ...rest } = run;
  return { ...rest, report: rest.report as (typeof REPORT_NAMES)[number] };
}

function runJson(run: ReportRun) {
  return { ...runSummaryJson(run), figures: run.figures as unknown };
}

export function regulatoryReportRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;
  app.get(
    '/v1/reports/inclusive',
    { config: { access: READERS }, schema: { summary: 'Inclusive small-micro loans (普惠型小微企业贷款) against all loans, with the 两增两控 checks, as of a closed date (default: the last month end)', tags: ['reports'], querystring: AsOfQuery, response: { 200: InclusiveReportSchema } } },
    async (request) => inclusiveReport(db, request.query.asOf),
  );

  app.get(
    '/v1/reports/five-category',
    { config: { access: READERS }, schema: { summary: 'Balance and count by five-category classification (五级分类) as of a closed date, by region, industry and size', tags: ['reports'], querystring: AsOfQuery, response: { 200: FiveCategoryReportSchema } } },
    async (request) => fiveCategoryReport(db, request.query.asOf),
  );

  app.get(
    '/v1/reports/migration',
    { config: { access: READERS }, schema: { summary: 'The five-category migration matrix (迁徙) between two closed dates; rates are shares of the starting balance', tags: ['reports'], querystring: PeriodQuery, response: { 200: MigrationReportSchema } } },
    async (request) => migrationReport(db, request.query.from, request.query.to),
  );

  app.get(
    '/v1/reports/renewals',
    { config: { access: READERS }, schema: { summary: 'Renewals without repaying principal (无还本续贷) in a period: by size class and product, the share of working-capital loans renewed, how the renewed loans are classified now', tags: ['reports'], querystring: PeriodQuery, response: { 200: RenewalsReportSchema } } },
    async (request) => renewalsReport(db, request.query.from, request.query.to),
  );

  app.get(
    '/v1/reports/foreign-trade',
    { config: { access: READERS }, schema: { summary: 'Lending to foreign-trade firms: balance, borrowers, NPL as of a closed date, and new lending since a date (default 1 January)', tags: ['reports'], querystring: ForeignQuery, response: { 200: ForeignTradeReportSchema } } },
    async (request) => foreignTradeReport(db, request.query.asOf, request.query.from),
  );

  app.get(
    '/v1/reports/:name/export',
    {
      config: { access: READERS },
      schema: {
        summary: 'A regulatory report as CSV (UTF-8 with a BOM) or as an XLSX workbook (number formats, frozen header rows)',
        tags: ['reports'],
        params: Type.Object({ name: literals(REPORT_NAMES) }),
        querystring: Type.Object({ format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]), asOf: Type.Optional(BusinessDateText), from: Type.Optional(BusinessDateText), to: Type.Optional(BusinessDateText) }, { additionalProperties: false }),
        response: { 200: Type.String({ description: 'the file' }) },
      },
    },
    async (request, reply) => {
      const { format, asOf, from, to } = request.query;
      const report = await runReport(db, request.params.name, { asOf, from, to });
      const file = `${report.report}-${report.asOf}.${format}`;
      reply.header('content-disposition', `attachment; filename="${file}"`);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(report));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send((await reportXlsx(report)) as unknown as string);
    },
  );

  app.post(
    '/v1/reports/runs',
    {
      config: { access: RUNNERS },
      schema: {
        summary: 'Run a regulatory report and store the run: its figures, the definition version and a digest (a draft until filed)',
        tags: ['reports'],
        body: Type.Object({ report: literals(REPORT_NAMES), asOf: Type.Optional(BusinessDateText), from: Type.Optional(BusinessDateText), to: Type.Optional(BusinessDateText) }, { additionalProperties: false }),
        response: { 201: ReportRunWithFiguresSchema },
      },
    },
    async (request, reply) => {
      const { report, ...options } = request.body;
      const run = await inTransaction(db, (trx) => storeReportRun(trx, report, options, caller(request).username));
      return reply.status(201).send(runJson(run));
    },
  );

  app.get(
    '/v1/reports/runs',
    {
      config: { access: READERS },
      schema: { summary: 'Stored report runs, newest first', tags: ['reports'], querystring: Type.Object({ report: Type.Optional(literals(REPORT_NAMES)) }, { additionalProperties: false }), response: { 200: Type.Array(ReportRunSchema) } },
    },
    async (request) => (await listReportRuns(db, { report: request.query.report })).map(runSummaryJson),
  );

  app.get(
    '/v1/reports/runs/:id',
    { config: { access: READERS }, schema: { summary: 'A stored report run with its figures', tags: ['reports'], params: IdParams, response: { 200: ReportRunWithFiguresSchema } } },
    async (request) => runJson(await getReportRun(db, request.params.id)),
  );

  app.post(
    '/v1/reports/runs/:id/filing',
    {
      config: { access: RUNNERS },
      schema: {
        summary: 'Ask to file a stored run with the regulator (maker-checker: a second person approves the `report.file` request, which checks the digest)',
        tags: ['reports'],
        params: IdParams,
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const made = await inTransaction(db, async (trx) => {
        const run = await getReportRun(trx, request.params.id);
        return makeRequest(trx, REPORT_FILE, run.id, { runId: run.id, digest: run.digest }, user);
      });
      return reply.status(202).send(made);
    },
  );
}
