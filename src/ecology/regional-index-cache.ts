/**
 * The index computed once and kept: per stored-data stamp, indicator system, method and years.
 * Decisions read a province's grade from here, so a decision costs no index computation and no
 * query beyond its one context query (which carries the stamp); the API's pages read the same.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RegionalPolicy, RegionInput } from '../decision/regional-factor.js';
import { ecologyIndex, scoringYear, type EcologyIndex, type EcologyOptions } from './ecology-index.js';
import type { IndicatorSystem } from './indicator-system.js';
import type { Panel } from './panel.js';
import { provinceOfRegion } from './provinces.js';
import { regionalPanel } from './regional-indicators.js';

/** Bound on cached results: a few policies × a few years × the API's method choices. */
const MAX_CACHED = 64;
const indexes = new Map<string, EcologyIndex>();
const panels = new Map<string, Panel>();
const grades = new Map<string, { year: number; byProvince: Map<string, RegionInput> } | null>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

async function panelFor(db: Kysely<Database> | Transaction<Database>, stamp: string): Promise<Panel> {
  return panels.get(stamp) ?? remember(panels, stamp, await regionalPanel(db));
}

/**
 * The index over the shipped and stored data, computed on the first request for these settings
 * and this data stamp.
 */
export async function cachedEcologyIndex(db: Kysely<Database> | Transaction<Database>, stamp: string, system: IndicatorSystem, options: EcologyOptions): Promise<EcologyIndex> {
  const key = JSON.stringify([stamp, system, options]);
  const hit = indexes.get(key);
  if (hit !== undefined) return hit;
  return remember(indexes, key, ecologyIndex(await panelFor(db, stamp), system, options));
}

/** The panel behind `cachedEcologyIndex` (for the years it covers). */
export async function cachedPanel(db: Kysely<Database> | Transaction<Database>, stamp: string): Promise<Panel> {
  return panelFor(db, stamp);
}

/**
 * What a decision records about the enterprise's region: its province's score and grade on the
 * policy's index for the latest year with data up to the business date's year; null when the
 * region code is absent, names no mainland province, or the province has no data.
 *
 * @example
 * await regionInputFor(db, '220102', DEFAULT_REGIONAL_POLICY, '2025-06-30', stamp);
 * // { code: '220000', name: '吉林省', year: 2023, score: 12.58, grade: 'D' }
 */
export async function regionInputFor(db: Kysely<Database> | Transaction<Database>, regionCode: string | null, policy: RegionalPolicy, businessDate: string, stamp: string): Promise<RegionInput | null> {
  const province = regionCode === null ? undefined : provinceOfRegion(regionCode);
  if (province === undefined) return null;
  const upTo = Number(businessDate.slice(0, 4));
  const key = JSON.stringify([stamp, policy.index, upTo]);
  let table = grades.get(key);
  if (table === undefined) {
    const panel = await panelFor(db, stamp);
    const year = scoringYear(panel, policy.index.system, upTo);
    if (year === undefined) {
      table = null;
    } else {
      const index = ecologyIndex(panel, policy.index.system, { method: policy.index.method, alpha: policy.index.alpha, ...(policy.index.ahp === undefined ? {} : { ahp: policy.index.ahp }), gradeCuts: policy.index.gradeCuts, years: [year] });
      table = { year, byProvince: new Map(index.regions.map((region) => [region.code, { code: region.code, name: region.name, year, score: Math.round(region.score * 100) / 100, grade: region.grade }])) };
    }
    remember(grades, key, table);
  }
  return table?.byProvince.get(province.code) ?? null;
}
