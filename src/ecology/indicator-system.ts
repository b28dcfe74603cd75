/**
 * The indicator system of the regional financial ecology index (金融生态环境指数) as data: each
 * indicator's dimension, direction, unit and source, under a version. The five dimensions are
 * seed 000's: the economic base, financial resources, the legal environment, the credit
 * environment and the administrative environment (经济基础、金融资源、法制环境、信用环境、行政环境).
 */
import { parseCsvRows as parseCsvText } from '../csv/index.js';
import { ValidationError } from '../errors.js';

export const DIMENSIONS = ['economic', 'financial', 'legal', 'credit', 'administrative'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** `+`: higher is better; `-`: lower is better (e.g. unemployment, NPL ratio). */
export type Direction = '+' | '-';

export interface IndicatorDefinition {
  /** The column of the data (wide CSV) or the `indicator` of a long row. */
  readonly indicator: string;
  readonly dimension: Dimension;
  readonly direction: Direction;
  readonly unit?: string;
  readonly source?: string;
}

export interface IndicatorSystem {
  readonly version: string;
  readonly indicators: readonly IndicatorDefinition[];
}

const NBS = 'National Bureau of Statistics, provincial annual data (src/ecology/data/SOURCE.md)';

/**
 * The default system: the six indicators the shipped NBS file has, mapped to four dimensions. The
 * legal dimension, and the places marked "bank" in docs/ecology.md (loans and deposits, bank
 * outlets, NPL ratio, court enforcement rate, lawyers per 10,000 people, fiscal expenditure), are
 * for indicators a bank loads from its own CSV and adds with an indicator file.
 */
export const DEFAULT_INDICATOR_SYSTEM: IndicatorSystem = {
  version: 'ecology-indicators-2025-06',
  indicators: [
    { indicator: 'gdp_per_capita_yuan', dimension: 'economic', direction: '+', unit: '元', source: NBS },
    { indicator: 'gdp_growth_pct', dimension: 'economic', direction: '+', unit: '%', source: NBS },
    { indicator: 'tertiary_share_pct', dimension: 'economic', direction: '+', unit: '%', source: NBS },
    { indicator: 'finance_va_share_pct', dimension: 'financial', direction: '+', unit: '%', source: NBS },
    // Fewer registered unemployed: fewer borrowers in distress, a better credit environment.
    { indicator: 'urban_registered_unemployed_10k', dimension: 'credit', direction: '-', unit: '万人', source: NBS },
    { indicator: 'fiscal_revenue_to_gdp_pct', dimension: 'administrative', direction: '+', unit: '%', source: NBS },
  ],
};

/** Bounds on what a file may define: a province panel, not a data lake. */
export const MAX_INDICATORS = 200;

/**
 * Checks a system: known dimensions, directions `+` or `-`, unique indicator names, at least one.
 *
 * @example
 * checkIndicatorSystem(DEFAULT_INDICATOR_SYSTEM); // returns it
 */
export function checkIndicatorSystem(system: IndicatorSystem, field = 'indicators'): IndicatorSystem {
  if (system.indicators.length === 0) throw new ValidationError(field, 'defines no indicator');
  if (system.indicators.length > MAX_INDICATORS) throw new ValidationError(field, `more than ${MAX_INDICATORS} indicators`);
  const seen = new Set<string>();
  system.indicators.forEach((definition, index) => {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(definition.indicator)) throw new ValidationError(`${field}.${index}.indicator`, `'${definition.indicator}' is not an indicator name (letters, digits, _ . -)`);
    if (seen.has(definition.indicator)) throw new ValidationError(`${field}.${index}.indicator`, `'${definition.indicator}' is defined twice`);
    seen.add(definition.indicator);
    if (!(DIMENSIONS as readonly string[]).includes(definition.dimension)) throw new ValidationError(`${field}.${index}.dimension`, `must be one of ${DIMENSIONS.join(', ')}`);
    if (definition.direction !== '+' && definition.direction !== '-') throw new ValidationError(`${field}.${index}.direction`, "must be '+' or '-'");
  });
  return system;
}

/**
 * An indicator system from CSV text with the columns `indicator,dimension,direction` and,
 * optionally, `unit,source`.
 *
 * @example
 * parseIndicatorSystem('indicator,dimension,direction\nnpl_ratio_pct,credit,-\n', 'bank-v1', 'ind.csv').indicators[0];
 * // { indicator: 'npl_ratio_pct', dimension: 'credit', direction: '-' }
 */
export function parseIndicatorSystem(text: string, version: string, file: string): IndicatorSystem {
  const [header, ...rows] = parseCsvText(text, file);
  if (header === undefined) throw new ValidationError(file, 'is empty');
  const columns = header.map((name) => name.trim().toLowerCase());
  const at = (name: string): number => columns.indexOf(name);
  for (const required of ['indicator', 'dimension', 'direction']) {
    if (at(required) < 0) throw new ValidationError(file, `has no '${required}' column (indicator,dimension,direction[,unit,source])`);
  }
  const indicators = rows.map((row, index): IndicatorDefinition => {
    const cell = (name: string): string => (at(name) < 0 ? '' : (row[at(name)] ?? '').trim());
    const dimension = cell('dimension').toLowerCase();
    if (!(DIMENSIONS as readonly string[]).includes(dimension)) throw new ValidationError(`${file}:${index + 2}`, `dimension '${dimension}' is not one of ${DIMENSIONS.join(', ')}`);
    const direction = cell('direction');
    if (direction !== '+' && direction !== '-') throw new ValidationError(`${file}:${index + 2}`, `direction '${direction}' must be '+' or '-'`);
    return { indicator: cell('indicator'), dimension: dimension as Dimension, direction, ...(cell('unit') === '' ? {} : { unit: cell('unit') }), ...(cell('source') === '' ? {} : { source: cell('source') }) };
  });
  return checkIndicatorSystem({ version, indicators }, file);
}
