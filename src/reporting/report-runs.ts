/**
 * Report runs: a report as run for a date, stored with its figures (the report's JSON), the
 * definition version it applied and a SHA-256 digest of the figures, audited. The figures are
 * never changed: a correction is a new run. Running the same report for the same date again
 * computes the same figures from the same history, so the same digest. Filing a run for the
 * regulator is maker-checker (`report.file`): one person asks, a second confirms.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { CheckedAction } from '../approvals/maker-checker.js';
import type { Database, ReportRunTable } from '../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { inclusiveDefinitionOn } from './inclusive-definition.js';
import { runReport, type ReportJson, type ReportName } from './regulatory-reports.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface ReportRun {
  readonly id: string;
  readonly report: string;
  readonly asOf: string;
  readonly from: string | null;
  readonly definitionVersion: string;
  readonly digest: string;
  readonly status: 'draft' | 'filed';
  readonly createdBy: string;
  readonly createdAt: string;
  readonly filedBy: string | null;
  readonly filedAt: string | null;
  readonly figures: ReportJson;
}

/**
 * JSON with object keys sorted at every level: the text the digest is taken over, so it does
 * not depend on the order a report's fields were built in.
 *
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }); // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the canonical figures, hex. */
export function figuresDigest(figures: ReportJson): string {
  return createHash('sha256').update(canonicalJson(figures)).digest('hex');
}

/**
 * Runs a report and stores the run (a draft until filed), audited.
 *
 * @example
 * const run = await storeReportRun(trx, 'inclusive', { asOf: '2025-06-30' }, 'management');
 * run.digest; // the same for every run of June 2025 on the same history
 */
export async function storeReportRun(trx: Transaction<Database>, name: ReportName, options: { readonly asOf?: string | undefined; readonly from?: string | undefined; readonly to?: string | undefined }, actor: string): Promise<ReportRun> {
  const figures = await runReport(trx, name, options);
  const digest = figuresDigest(figures);
  const from = 'from' in figures ? figures.from : null;
  const row = {
    id: uuidv7(),
    report: name,
    as_of: figures.asOf,
    from_date: from,
    definition_version: inclusiveDefinitionOn(figures.asOf).version,
    figures: canonicalJson(figures),
    digest,
    status: 'draft' as const,
    created_by: actor,
    created_at: new Date(),
    filed_by: null,
    filed_at: null,
  };
  await trx.insertInto('report_run').values(row).execute();
  await appendAudit(trx, { actor, action: 'report.run', entityType: 'report_run', entityId: row.id, after: { report: name, asOf: figures.asOf, from, definition: row.definition_version, digest } });
  return toRun({ ...row });
}

/** A stored run; NOT_FOUND when there is none. */
export async function getReportRun(db: Executor, id: string): Promise<ReportRun> {
  const row = await db.selectFrom('report_run').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`report run ${id}`);
  return toRun(row);
}

/** The latest runs, newest first (at most `limit`, ≤ 200), optionally of one report. */
export async function listReportRuns(db: Executor, options: { readonly report?: string | undefined; readonly limit?: number | undefined } = {}): Promise<ReportRun[]> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError('limit', 'must be 1 to 200');
  let query = db.selectFrom('report_run').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
  if (options.report !== undefined) query = query.where('report', '=', options.report);
  return (await query.execute()).map(toRun);
}

/** Marks a draft run filed; refuses one already filed. The figures stay as they were. */
export async function fileReportRun(trx: Transaction<Database>, id: string, actor: string): Promise<ReportRun> {
  const run = await getReportRun(trx, id);
  const result = await trx.updateTable('report_run').set({ status: 'filed', filed_by: actor, filed_at: new Date() }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new ConflictError(`report run ${id} is already ${run.status}`, 'runId');
  await appendAudit(trx, { actor, action: 'report.file', entityType: 'report_run', entityId: id, before: { status: run.status }, after: { status: 'filed', digest: run.digest } });
  return getReportRun(trx, id);
}

/** Filing a report run (报送): asked by management or a risk officer, confirmed by another. */
export const REPORT_FILE: CheckedAction<{ runId: string; digest: string }> = {
  kind: 'report.file',
  makers: ['management', 'risk-officer', 'admin'],
  checkers: ['management', 'risk-officer', 'admin'],
  execute: async (trx, payload, maker, checker) => {
    const run = await getReportRun(trx, payload.runId);
    // The checker confirms the figures the maker saw.
    if (run.digest !== payload.digest) throw new ConflictError(`report run ${run.id} has digest ${run.digest}, not the one requested`, 'runId');
    const filed = await fileReportRun(trx, payload.runId, `${maker} (checked by ${checker})`);
    return { runId: filed.id, report: filed.report, asOf: filed.asOf, digest: filed.digest, status: filed.status };
  },
};

function toRun(row: Selectable<ReportRunTable>): ReportRun {
  return {
    id: row.id,
    report: row.report,
    asOf: row.as_of,
    from: row.from_date,
    definitionVersion: row.definition_version,
    digest: row.digest,
    status: row.status,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    filedBy: row.filed_by,
    filedAt: row.filed_at === null ? null : new Date(row.filed_at).toISOString(),
    figures: JSON.parse(row.figures) as ReportJson,
  };
}
