/** The regulatory reports, their exports and stored runs (GET/POST /v1/reports/…), typed from the server's OpenAPI document. */
import { api, ok, type Answer } from './api';
import type { paths } from './api-schema';

export type InclusiveReport = Answer<'/v1/reports/inclusive', 'get'>;
export type FiveCategoryReport = Answer<'/v1/reports/five-category', 'get'>;
export type MigrationReport = Answer<'/v1/reports/migration', 'get'>;
export type RenewalsReport = Answer<'/v1/reports/renewals', 'get'>;
export type ForeignTradeReport = Answer<'/v1/reports/foreign-trade', 'get'>;
export type RegulatoryReport = InclusiveReport | FiveCategoryReport | MigrationReport | RenewalsReport | ForeignTradeReport;
export type ReportName = RegulatoryReport['report'];
export type ReportRun = Answer<'/v1/reports/runs', 'get'>[number];
export type BreakdownRow = InclusiveReport['breakdowns']['province'][number];
export type CheckId = InclusiveReport['checks'][number]['id'];
export type CheckStatus = InclusiveReport['checks'][number]['status'];
export type MigrationRow = MigrationReport['rows'][number];
export type MigrationDestination = MigrationRow['to'][number]['to'];

export const REPORT_NAMES = ['inclusive', 'five-category', 'migration', 'renewals', 'foreign-trade'] as const satisfies readonly ReportName[];
export const DIMENSIONS = ['province', 'city', 'industry', 'size'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** What a report is asked for: the report date, and the start of the period for migration and renewals. */
export interface ReportQuery {
  readonly asOf?: string | undefined;
  readonly from?: string | undefined;
}

const only = (query: Record<string, string | undefined>) => Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as Record<string, string>;

/** The report as of `asOf` (the server's default: the last month end closed). */
export function regulatoryReport(name: ReportName, query: ReportQuery): Promise<RegulatoryReport> {
  const { asOf, from } = query;
  switch (name) {
    case 'inclusive':
      return ok(api.GET('/v1/reports/inclusive', { params: { query: only({ asOf }) } }));
    case 'five-category':
      return ok(api.GET('/v1/reports/five-category', { params: { query: only({ asOf }) } }));
    case 'migration':
      return ok(api.GET('/v1/reports/migration', { params: { query: only({ from, to: asOf }) } }));
    case 'renewals':
      return ok(api.GET('/v1/reports/renewals', { params: { query: only({ from, to: asOf }) } }));
    case 'foreign-trade':
      return ok(api.GET('/v1/reports/foreign-trade', { params: { query: only({ asOf }) } }));
  }
}

/** A same-origin download of the report as CSV or XLSX (the session cookie goes with it). */
export function reportExportUrl(name: ReportName, format: 'csv' | 'xlsx', report: RegulatoryReport): string {
  const query = new URLSearchParams({ format, ...('from' in report && (name === 'migration' || name === 'renewals') ? { from: report.from, to: report.asOf } : { asOf: report.asOf }) });
  return `${'/v1/reports/{name}/export' satisfies keyof paths}`.replace('{name}', name) + `?${query.toString()}`;
}

export const reportRuns = () => ok(api.GET('/v1/reports/runs'));
export const storeReportRun = (name: ReportName, report: RegulatoryReport) =>
  ok(api.POST('/v1/reports/runs', { body: { report: name, ...('from' in report && (name === 'migration' || name === 'renewals') ? { from: report.from, to: report.asOf } : { asOf: report.asOf }) } }));
export const askToFile = (runId: string) => ok(api.POST('/v1/reports/runs/{id}/filing', { params: { path: { id: runId } } }));
