/**
 * The index as the command line and the API show it: one JSON shape (weights to six decimals,
 * scores to two), and CSV and text tables made from it.
 */
import { exportCsv } from '../csv/index.js';
import { ValidationError } from '../errors.js';
import { ecologyIndex, type EcologyIndex, type EcologyMethod, type RegionGrade } from './ecology-index.js';
import { DIMENSIONS, type Dimension, type IndicatorSystem } from './indicator-system.js';
import { panelYears, type Panel } from './panel.js';

export interface EcologyReport {
  readonly year: number;
  readonly method: EcologyMethod;
  readonly weights: Readonly<Record<string, number>>;
  readonly dimensionWeights: Readonly<Record<Dimension, number>>;
  readonly regions: readonly {
    readonly region: string;
    readonly code: string;
    readonly score: number;
    readonly rank: number;
    readonly grade: RegionGrade;
    readonly dimensions: Readonly<Partial<Record<Dimension, number>>>;
  }[];
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * One year of an index (of its only year, or one year of a pooled one) as the report.
 *
 * @example
 * ecologyReport(index, 2023).regions[0]; // { region: '北京市', code: '110000', score: 100, rank: 1, grade: 'A', dimensions: { economic: 100, … } }
 */
export function ecologyReport(index: EcologyIndex, year: number): EcologyReport {
  if (!index.years.includes(year)) throw new ValidationError('year', `${year} is not scored (years ${index.years.join(', ')})`);
  return {
    year,
    method: index.method,
    weights: Object.fromEntries(Object.entries(index.weights).map(([name, w]) => [name, round(w, 6)])),
    dimensionWeights: Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, round(index.dimensionWeights[dimension], 6)])) as Record<Dimension, number>,
    regions: index.regions
      .filter((region) => region.year === year)
      .map((region) => ({
        region: region.name,
        code: region.code,
        score: round(region.score, 2),
        rank: region.rank,
        grade: region.grade,
        dimensions: Object.fromEntries(Object.entries(region.dimensions).map(([dimension, score]) => [dimension, round(score, 2)])),
      })),
  };
}

/** The report as CSV: one row per region, a column per dimension with indicators. */
export function ecologyReportCsv(report: EcologyReport): string {
  const dimensions = DIMENSIONS.filter((dimension) => report.regions.some((region) => region.dimensions[dimension] !== undefined));
  // A file people open: UTF-8 with a BOM so Excel reads the province names (src/csv).
  return exportCsv([
    ['year', 'rank', 'code', 'region', 'score', 'grade', ...dimensions],
    ...report.regions.map((region) => [String(report.year), String(region.rank), region.code, region.region, region.score.toFixed(2), region.grade, ...dimensions.map((dimension) => region.dimensions[dimension]?.toFixed(2) ?? '')]),
  ]);
}

/** The report as a text table, weights first. */
export function ecologyReportTable(report: EcologyReport): string {
  const lines = [`regional financial ecology index ${report.year} (${report.method})`, '', 'weights'];
  for (const [name, w] of Object.entries(report.weights)) lines.push(`  ${name.padEnd(34)} ${w.toFixed(4)}`);
  lines.push('dimensions');
  for (const [name, w] of Object.entries(report.dimensionWeights)) lines.push(`  ${name.padEnd(34)} ${w.toFixed(4)}`);
  lines.push('', `${'rank'.padStart(4)}  ${'code'.padEnd(6)}  ${'score'.padStart(6)}  grade  region`);
  for (const region of report.regions) lines.push(`${String(region.rank).padStart(4)}  ${region.code}  ${region.score.toFixed(2).padStart(6)}  ${region.grade.padEnd(5)}  ${region.region}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The years a pooled index covers: every year of the panel in which each indicator of the system
 * has data for at least half the regions (2019–2023 for the shipped file and default system).
 */
export function completeYears(panel: Panel, system: IndicatorSystem): number[] {
  return panelYears(panel).filter((year) => {
    try {
      return ecologyIndex(panel, system, { method: 'entropy', years: [year] }).excluded.length === 0;
    } catch (error) {
      if (error instanceof ValidationError) return false;
      throw error;
    }
  });
}
