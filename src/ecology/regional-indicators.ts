/**
 * The bank's own regional indicators in the database (`regional_indicator`, migration 0017),
 * imported from its long CSV through the same parser the command line uses, and read back as a
 * panel that merges over the shipped NBS one.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { ValidationError } from '../errors.js';
import { shippedPanel } from './ecology-files.js';
import { mergePanels, parseLongPanel, type Panel } from './panel.js';

/** Bound on one import and on what is read back: 31 provinces × 50 years × 200 indicators. */
export const MAX_STORED_VALUES = 310_000;
const BATCH = 1_000;

/**
 * Imports a long CSV (`region_code,year,indicator,value,source`): each value is inserted, or
 * replaces the stored value of the same province, year and indicator. Empty values are skipped,
 * never stored as 0. Audited with the counts.
 *
 * @example
 * await importRegionalIndicators(db, text, 'bank-2023.csv', 'admin', new Date()); // { values: 62, indicators: ['npl_ratio_pct', …] }
 */
export async function importRegionalIndicators(db: Kysely<Database>, text: string, file: string, actor: string, now: Date): Promise<{ values: number; indicators: string[]; years: number[] }> {
  const panel = parseLongPanel(text, file);
  const rows = panel.observations.flatMap((observation) =>
    Object.entries(observation.values).map(([indicator, value]) => ({
      region_code: observation.code,
      year: observation.year,
      indicator,
      value,
      // The sources the file gives for this indicator ("source (file)"), or the file's name.
      source: (panel.sources[indicator] ?? [file]).join('; ').slice(0, 500),
      imported_by: actor,
      imported_at: now,
    })),
  );
  if (rows.length === 0) throw new ValidationError(file, 'has no value to import');
  if (rows.length > MAX_STORED_VALUES) throw new ValidationError(file, `more than ${MAX_STORED_VALUES} values`);
  const indicators = [...new Set(rows.map((row) => row.indicator))].sort();
  const years = [...new Set(rows.map((row) => row.year))].sort((a, b) => a - b);
  await inTransaction(db, async (trx) => {
    for (let start = 0; start < rows.length; start += BATCH) {
      await trx
        .insertInto('regional_indicator')
        .values(rows.slice(start, start + BATCH))
        .onConflict((conflict) => conflict.columns(['region_code', 'year', 'indicator']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), source: eb.ref('excluded.source'), imported_by: eb.ref('excluded.imported_by'), imported_at: eb.ref('excluded.imported_at') })))
        .execute();
    }
    await appendAudit(trx, { actor, action: 'ecology.import', entityType: 'regional_indicator', entityId: file.slice(0, 200), after: { values: rows.length, indicators, years } }, now);
  });
  return { values: rows.length, indicators, years };
}

/** The stored values as a panel. */
export async function storedPanel(db: Kysely<Database> | Transaction<Database>): Promise<Panel> {
  const rows = await db.selectFrom('regional_indicator').select(['region_code', 'year', 'indicator', 'value', 'source']).orderBy('region_code').orderBy('year').orderBy('indicator').limit(MAX_STORED_VALUES).execute();
  const cells = new Map<string, { code: string; year: number; values: Record<string, number> }>();
  const sources: Record<string, Set<string>> = {};
  for (const row of rows) {
    const key = `${row.region_code}/${row.year}`;
    const cell = cells.get(key) ?? { code: row.region_code, year: row.year, values: {} };
    cell.values[row.indicator] = Number(row.value);
    cells.set(key, cell);
    (sources[row.indicator] ??= new Set()).add(row.source);
  }
  return { observations: [...cells.values()], sources: Object.fromEntries(Object.entries(sources).map(([name, set]) => [name, [...set]])) };
}

/** The shipped NBS panel with the bank's stored values over it. */
export async function regionalPanel(db: Kysely<Database> | Transaction<Database>): Promise<Panel> {
  return mergePanels(shippedPanel(), await storedPanel(db));
}

/**
 * A short text that changes whenever the stored values do: cached indexes are keyed by it, and the
 * decision reads it inside its one context query (`regionalDataStamp` as a subquery).
 */
export const REGIONAL_STAMP_SQL = sql<string>`(select cast(count(*) as text) || '/' || coalesce(cast(max(imported_at) as text), '') from regional_indicator)`;

export async function regionalDataStamp(db: Kysely<Database> | Transaction<Database>): Promise<string> {
  const row = await db.selectNoFrom(REGIONAL_STAMP_SQL.as('stamp')).executeTakeFirstOrThrow();
  return row.stamp;
}
