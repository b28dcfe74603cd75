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
import { isBusinessDate, type BusinessDate } from '../calendar/index.js';

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
  /**
   * The business date the event belongs to: the date the event itself records (a drawdown's
   * `disbursedOn`, a renewal request's `businessDate`…), else the date of the ledger entry its
   * transaction posted for the loan, else the date of the record it is about (an application's
   * business date, a pull's as-of date, a line's start), else the business date of the event
   * written just before it (an authorisation is signed on a calendar day, not a business date);
   * null before any dated event.
   */
  readonly businessDate: BusinessDate | null;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly after: unknown;
}

/** Most events a history shows; older ones are in the audit trail. */
export const MAX_HISTORY = 200;
/** Events read to sort by business date before the newest {@link MAX_HISTORY} are kept. */
const MAX_HISTORY_READ = 2_000;
/** A ledger entry posted in the same transaction as the audit event: their clocks are read milliseconds apart. */
const SAME_TRANSACTION_MS = 2_000;
/** Dates an event's own record may carry, in the order they are trusted. */
const DATE_KEYS = ['businessDate', 'paidOn', 'disbursedOn', 'asOf', 'date', 'startOn'] as const;

/**
 * Audit events about the enterprise and everything of it — authorisations, data pulls,
 * applications, lines, loans, renewal requests — newest business date first (the audit trail's
 * own clock breaks ties): an officer reads a firm's story in the bank's days, not in the order a
 * batch or a back-dated import happened to write it.
 */
export async function enterpriseHistory(db: Kysely<Database>, enterpriseId: string, limit = MAX_HISTORY): Promise<HistoryEvent[]> {
  await assertEnterprise(db, enterpriseId);
  const dates = new Map<string, BusinessDate>([]);
  const remember = (rows: readonly { id: string; on: BusinessDate }[]) => rows.forEach((row) => dates.set(row.id, row.on));
  remember(await db.selectFrom('application').select(['id', 'business_date as on']).where('enterprise_id', '=', enterpriseId).execute());
  remember(await db.selectFrom('credit_line').select(['id', 'start_on as on']).where('enterprise_id', '=', enterpriseId).execute());
  remember(await db.selectFrom('loan').select(['id', 'disbursed_on as on']).where('enterprise_id', '=', enterpriseId).execute());
  remember(await db.selectFrom('data_pull').select(['id', 'as_of as on']).where('enterprise_id', '=', enterpriseId).execute());
  const authorisations = (await db.selectFrom('data_authorisation').select('id').where('enterprise_id', '=', enterpriseId).execute()).map((row) => row.id);
  const ids = [enterpriseId, ...dates.keys(), ...authorisations];
  const rows = await db
    .selectFrom('audit_event')
    .select(['id', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'after'])
    .where('entity_id', 'in', ids)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_HISTORY_READ)
    .execute();
  // The ledger's dated entries for the firm's loans: an event on a loan (a repayment) takes the date of the entry its transaction posted.
  const entries = await db
    .selectFrom('journal_entry')
    .innerJoin('loan', (join) => join.onRef('loan.id', '=', 'journal_entry.loan_id').onRef('loan.enterprise_id', '=', 'journal_entry.enterprise_id'))
    .select(['journal_entry.loan_id', 'journal_entry.business_date', 'journal_entry.created_at'])
    .where('loan.enterprise_id', '=', enterpriseId)
    .limit(MAX_HISTORY_READ * 4)
    .execute();
  const postedOn = (loanId: string, at: Date): BusinessDate | null => {
    let best: { on: BusinessDate; gap: number } | null = null;
    for (const entry of entries) {
      if (entry.loan_id !== loanId) continue;
      const gap = Math.abs(new Date(entry.created_at).getTime() - at.getTime());
      if (gap <= SAME_TRANSACTION_MS && (best === null || gap < best.gap)) best = { on: entry.business_date, gap };
    }
    return best?.on ?? null;
  };
  const events: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] }[] = rows.map((row) => {
    const at = new Date(row.at);
    const businessDate = ownDate(row.after) ?? (row.entity_type === 'loan' ? postedOn(row.entity_id, at) : null) ?? dates.get(row.entity_id) ?? null;
    return { id: row.id, at: at.toISOString(), businessDate, actor: row.actor, action: row.action, entityType: row.entity_type, entityId: row.entity_id, after: row.after };
  });
  // Undated events take the business date of the event written before them (oldest first, carried forward).
  let carried: BusinessDate | null = null;
  for (const event of [...events].reverse()) {
    if (event.businessDate === null) event.businessDate = carried;
    else carried = event.businessDate;
  }
  // Newest business date first, the audit clock within a day; events before any dated one last.
  events.sort((a, b) => (b.businessDate ?? '').localeCompare(a.businessDate ?? '') || b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  return events.slice(0, limit);
}

/** The first business date the event's own record carries, if any. */
function ownDate(after: unknown): BusinessDate | null {
  if (typeof after !== 'object' || after === null) return null;
  for (const key of DATE_KEYS) {
    const value = (after as Record<string, unknown>)[key];
    if (isBusinessDate(value)) return value;
  }
  return null;
}

async function assertEnterprise(db: Kysely<Database>, enterpriseId: string): Promise<void> {
  const found = await db.selectFrom('enterprise').select('id').where('id', '=', enterpriseId).executeTakeFirst();
  if (!found) throw new NotFoundError(`enterprise ${enterpriseId}`);
}
