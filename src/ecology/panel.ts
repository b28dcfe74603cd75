/**
 * The regional panel: indicator values by province and year, from CSV text. Two shapes feed the
 * same panel: the wide file the NBS export has (a `province` or `region` column, a `year` column,
 * one column per indicator, empty cells for missing values) and a bank's long file (`region_code,
 * year, indicator, value, source`: one value a row) for the indicators the NBS file lacks.
 * Missing values stay missing here: the index decides what to do with them, in the open.
 */
import { parseCsvRows as parseCsvText } from '../csv/index.js';
import { ValidationError } from '../errors.js';
import { findProvince, type Province } from './provinces.js';

export interface Observation {
  /** The province's GB/T 2260 code. */
  readonly code: string;
  readonly year: number;
  /** Indicator → value; an indicator without a value is absent (never 0). */
  readonly values: Readonly<Record<string, number>>;
}

export interface Panel {
  readonly observations: readonly Observation[];
  /** Where each indicator's values come from (file names and the long rows' `source`). */
  readonly sources: Readonly<Record<string, readonly string[]>>;
}

const YEAR_MIN = 1949;
const YEAR_MAX = 2100;

function parseYear(text: string, field: string): number {
  const year = Number(text.trim());
  if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new ValidationError(field, `year '${text}' is not a year from ${YEAR_MIN} to ${YEAR_MAX}`);
  return year;
}

function parseValue(text: string, field: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!/^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(trimmed)) throw new ValidationError(field, `'${text}' is not a number (leave the cell empty when the value is missing)`);
  return Number(trimmed);
}

function provinceOf(text: string, field: string): Province {
  const province = findProvince(text);
  if (province === undefined) throw new ValidationError(field, `'${text}' is not one of the 31 mainland provinces (a name such as 吉林省 or a GB/T 2260 code such as 220000 or 220102)`);
  return province;
}

/**
 * A panel from a wide CSV: `province` or `region` (a name or a GB/T 2260 code), `year`, then one
 * column per indicator. `file` names the file in errors and in the sources.
 *
 * @example
 * parseWidePanel('province,year,gdp_growth_pct\n吉林省,2023,6.5\n北京市,2023,\n', 'nbs.csv').observations;
 * // [{ code: '220000', year: 2023, values: { gdp_growth_pct: 6.5 } }, { code: '110000', year: 2023, values: {} }]
 */
export function parseWidePanel(text: string, file: string): Panel {
  const [header, ...rows] = parseCsvText(text, file);
  if (header === undefined) throw new ValidationError(file, 'is empty');
  const columns = header.map((name) => name.trim());
  const regionColumn = columns.findIndex((name) => name.toLowerCase() === 'province' || name.toLowerCase() === 'region');
  const yearColumn = columns.findIndex((name) => name.toLowerCase() === 'year');
  if (regionColumn < 0) throw new ValidationError(file, "has no 'province' or 'region' column");
  if (yearColumn < 0) throw new ValidationError(file, "has no 'year' column");
  const indicatorColumns = columns.map((name, index) => ({ name, index })).filter(({ index }) => index !== regionColumn && index !== yearColumn);
  const seen = new Set<string>();
  const observations = rows.map((row, rowIndex): Observation => {
    const line = `${file}:${rowIndex + 2}`;
    const province = provinceOf(row[regionColumn] ?? '', line);
    const year = parseYear(row[yearColumn] ?? '', line);
    const key = `${province.code}/${year}`;
    if (seen.has(key)) throw new ValidationError(line, `${province.name} ${year} appears twice`);
    seen.add(key);
    const values: Record<string, number> = {};
    for (const { name, index } of indicatorColumns) {
      const value = parseValue(row[index] ?? '', `${line} ${name}`);
      if (value !== undefined) values[name] = value;
    }
    return { code: province.code, year, values };
  });
  return { observations, sources: Object.fromEntries(indicatorColumns.map(({ name }) => [name, [file]])) };
}

/**
 * A panel from a bank's long CSV: `region_code` (or `region`), `year`, `indicator`, `value`,
 * `source`. City and county codes count for their province only when the file has no row for the
 * province itself; a province is one observation, so two rows for the same province, year and
 * indicator are refused rather than silently averaged.
 *
 * @example
 * parseLongPanel('region_code,year,indicator,value,source\n220000,2023,npl_ratio_pct,2.1,PBOC Changchun\n', 'bank.csv').observations;
 * // [{ code: '220000', year: 2023, values: { npl_ratio_pct: 2.1 } }]
 */
export function parseLongPanel(text: string, file: string): Panel {
  const [header, ...rows] = parseCsvText(text, file);
  if (header === undefined) throw new ValidationError(file, 'is empty');
  const columns = header.map((name) => name.trim().toLowerCase());
  const at = (...names: string[]): number => columns.findIndex((name) => names.includes(name));
  const region = at('region_code', 'region', 'province');
  const year = at('year');
  const indicator = at('indicator');
  const value = at('value');
  const source = at('source');
  if (region < 0 || year < 0 || indicator < 0 || value < 0) throw new ValidationError(file, 'needs the columns region_code, year, indicator, value (and source)');
  const cells = new Map<string, { code: string; year: number; values: Record<string, number> }>();
  const sources: Record<string, Set<string>> = {};
  rows.forEach((row, rowIndex) => {
    const line = `${file}:${rowIndex + 2}`;
    const province = provinceOf(row[region] ?? '', line);
    const y = parseYear(row[year] ?? '', line);
    const name = (row[indicator] ?? '').trim();
    if (name === '') throw new ValidationError(line, 'has no indicator');
    const number = parseValue(row[value] ?? '', `${line} value`);
    if (number === undefined) return;
    const key = `${province.code}/${y}`;
    const cell = cells.get(key) ?? { code: province.code, year: y, values: {} };
    if (cell.values[name] !== undefined) throw new ValidationError(line, `${province.name} ${y} ${name} appears twice`);
    cell.values[name] = number;
    cells.set(key, cell);
    const from = source < 0 ? '' : (row[source] ?? '').trim();
    (sources[name] ??= new Set()).add(from === '' ? file : `${from} (${file})`);
  });
  return { observations: [...cells.values()], sources: Object.fromEntries(Object.entries(sources).map(([name, set]) => [name, [...set]])) };
}

/**
 * Panels merged: the values of later panels are added to the earlier ones' observations; a value
 * given twice for the same province, year and indicator takes the later panel's (a bank's own
 * figure overrides the shipped one), and both sources are kept.
 *
 * @example
 * mergePanels(nbs, bank).observations.find((o) => o.code === '220000' && o.year === 2023)?.values.npl_ratio_pct; // 2.1
 */
export function mergePanels(...panels: readonly Panel[]): Panel {
  const cells = new Map<string, { code: string; year: number; values: Record<string, number> }>();
  const sources: Record<string, string[]> = {};
  for (const panel of panels) {
    for (const observation of panel.observations) {
      const key = `${observation.code}/${observation.year}`;
      const cell = cells.get(key) ?? { code: observation.code, year: observation.year, values: {} };
      Object.assign(cell.values, observation.values);
      cells.set(key, cell);
    }
    for (const [name, from] of Object.entries(panel.sources)) sources[name] = [...new Set([...(sources[name] ?? []), ...from])];
  }
  return { observations: [...cells.values()], sources };
}

/** The years a panel covers, ascending. */
export function panelYears(panel: Panel): number[] {
  return [...new Set(panel.observations.map((observation) => observation.year))].sort((a, b) => a - b);
}
