/**
 * Expert judgements from CSV text. Each block is a matrix: a header row whose first cell is empty
 * and whose other cells name the items, then one row per item (its name, then its comparisons, as
 * numbers or fractions such as `1/3`). The block over the five dimensions is required; a block over
 * the indicators of one dimension sets the weights within that dimension.
 *
 *     ,economic,financial,legal,credit,administrative
 *     economic,1,2,3,2,3
 *     financial,1/2,1,2,1,2
 *     …
 *     ,gdp_per_capita_yuan,gdp_growth_pct,tertiary_share_pct
 *     gdp_per_capita_yuan,1,3,2
 *     …
 */
import { parseCsvRows as parseCsvText } from '../csv/index.js';
import { ValidationError } from '../errors.js';
import { parseJudgement } from './ahp.js';
import type { AhpJudgements, Judgements } from './ecology-index.js';
import { DIMENSIONS, type Dimension, type IndicatorSystem } from './indicator-system.js';

/**
 * @example
 * parseAhpJudgements(',economic,financial,legal,credit,administrative\neconomic,1,2,3,2,3\n…', DEFAULT_INDICATOR_SYSTEM, 'ahp.csv').dimensions[0]; // [1, 2, 3, 2, 3]
 */
export function parseAhpJudgements(text: string, system: IndicatorSystem, file: string): AhpJudgements {
  const rows = parseCsvText(text, file);
  const blocks: { line: number; items: string[]; rows: string[][] }[] = [];
  rows.forEach((row, index) => {
    if ((row[0] ?? '').trim() === '') blocks.push({ line: index + 1, items: row.slice(1).map((cell) => cell.trim()), rows: [] });
    else if (blocks.length === 0) throw new ValidationError(`${file}:${index + 1}`, 'a matrix begins with a header row whose first cell is empty');
    else blocks[blocks.length - 1]!.rows.push(row);
  });
  let dimensions: number[][] | undefined;
  const within: Partial<Record<Dimension, Judgements>> = {};
  for (const block of blocks) {
    const field = `${file}:${block.line}`;
    if (block.rows.length !== block.items.length) throw new ValidationError(field, `the matrix over ${block.items.length} items has ${block.rows.length} rows`);
    const matrix = block.rows.map((row, i) => {
      if ((row[0] ?? '').trim() !== block.items[i]) throw new ValidationError(`${file}:${block.line + i + 1}`, `row ${i + 1} must be '${block.items[i]}', as in the header`);
      return block.items.map((_, j) => parseJudgement(row[j + 1] ?? '', `${file}:${block.line + i + 1}`));
    });
    if (block.items.every((item) => (DIMENSIONS as readonly string[]).includes(item))) {
      if (block.items.join() !== DIMENSIONS.join()) throw new ValidationError(field, `the dimension matrix must list ${DIMENSIONS.join(', ')} in that order`);
      dimensions = matrix;
      continue;
    }
    const definitions = block.items.map((item) => system.indicators.find((definition) => definition.indicator === item));
    const unknown = block.items.filter((_, i) => definitions[i] === undefined);
    if (unknown.length > 0) throw new ValidationError(field, `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} neither a dimension nor an indicator of ${system.version}`);
    const dimension = definitions[0]!.dimension;
    if (definitions.some((definition) => definition!.dimension !== dimension)) throw new ValidationError(field, 'a matrix over indicators must stay within one dimension');
    if (within[dimension] !== undefined) throw new ValidationError(field, `a second matrix within ${dimension}`);
    within[dimension] = { items: block.items, matrix };
  }
  if (dimensions === undefined) throw new ValidationError(file, `has no matrix over the dimensions (${DIMENSIONS.join(', ')})`);
  return { dimensions, within };
}
