/**
 * Read-only views of one enterprise for the officer console and the borrower portal: its monthly
 * data as series for charts, and its history from the audit trail.
 */
import type { Kysely } from 'kysely';
import { loadPulledData } from '../data/pull-data.js';
import type { DataRecord } from '../data/data-records.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';

/** Monthly series from the latest pull: power, water and tax over the same months. */
export interface DataSeries {
  readonly months: string[];
  readonly electricityKwh: number[];
  readonly waterTonnes: number[];
  readonly invoicedSales: string[];
  readonly taxPaid: string[];
}

/**
 * The enterprise's electricity, water and tax by month, from its latest pull of each source. A
 * month present in one source but missing in another shows 0 there (a gap in the chart is a
 * finding, not an error); no pull at all gives empty series.
 *
 * @example
 * const series = await enterpriseDataSeries(db, enterpriseId);
 * series.months[0]; // "2024-07"
 */
export async function enterpriseDataSeries(db: Kysely<Database>, enterpriseId: string): Promise<DataSeries> {
  await assertEnterprise(db, enterpriseId);
  const data = await loadPulledData(db, enterpriseId, { sources: ['electricity', 'water', 'tax'] });
  const records: DataRecord[] = data === null ? [] : Object.values(data.sources).flatMap((source) => [...(source?.records ?? [])]);
  const byMonth = new Map<string, { kwh: number; water: number; sales: bigint; tax: bigint }>();
  const at = (month: string) => {
    let row = byMonth.get(month);
    if (!row) byMonth.set(month, (row = { kwh: 0, water: 0, sales: 0n, tax: 0n }));
    return row;
  };
  for (const record of records) {
    if (record.kind === 'electricity-month') at(record.month).kwh += record.kwh;
    else if (record.kind === 'water-month') at(record.month).water += record.cubicMetres;
    else if (record.kind === 'tax-month') {
      const row = at(record.month);
      row.sales += record.invoicedSales;
      row.tax += record.taxPaid;
    }
  }
  const months = [...byMonth.keys()].sort();
  const rows = months.map((month) => byMonth.get(month)!);
  return {
    months,
    electricityKwh: rows.map((row) => row.kwh),
    waterTonnes: rows.map((row) => row.water),
    invoicedSales: rows.map((row) => formatMoney(row.sales)),
    taxPaid: rows.map((row) => formatMoney(row.tax)),
  };
}

export interface HistoryEvent {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly after: unknown;
}

/** Most events a history shows; older ones are in the audit trail. */
export const MAX_HISTORY = 200;

/**
 * Audit events about the enterprise and everything of it — authorisations, data pulls,
 * applications, lines, loans, renewal requests — newest first.
 */
export async function enterpriseHistory(db: Kysely<Database>, enterpriseId: string, limit = MAX_HISTORY): Promise<HistoryEvent[]> {
  await assertEnterprise(db, enterpriseId);
  const idsOf = async (table: 'application' | 'credit_line' | 'loan' | 'data_pull' | 'data_authorisation') =>
    (await db.selectFrom(table).select('id').where('enterprise_id', '=', enterpriseId).execute()).map((row) => row.id);
  const ids = [enterpriseId];
  for (const table of ['application', 'credit_line', 'loan', 'data_pull', 'data_authorisation'] as const) ids.push(...(await idsOf(table)));
  const rows = await db
    .selectFrom('audit_event')
    .select(['id', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'after'])
    .where('entity_id', 'in', ids)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, at: new Date(row.at).toISOString(), actor: row.actor, action: row.action, entityType: row.entity_type, entityId: row.entity_id, after: row.after }));
}

async function assertEnterprise(db: Kysely<Database>, enterpriseId: string): Promise<void> {
  const found = await db.selectFrom('enterprise').select('id').where('id', '=', enterpriseId).executeTakeFirst();
  if (!found) throw new NotFoundError(`enterprise ${enterpriseId}`);
}
