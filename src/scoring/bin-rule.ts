/**
 * How a value finds its bin. A numeric variable has ranges `lower ≤ x < upper` (an open end is
 * `null`) covering the whole line, plus a bin per special value (say −999, "no bureau file") and
 * a bin for missing values when the training data had them. A categorical variable has bins that
 * are sets of categories, plus a missing bin.
 *
 * A value no bin claims (a category never seen in training, a missing value when training had
 * none) goes to the variable's `fallbackBin`, which training sets to its riskiest bin: an
 * unknown is not given the benefit of the doubt.
 *
 * @example
 * const assign = binAssigner({ kind: 'numeric', fallbackBin: 0, bins: [
 *   { rule: { kind: 'missing' } },
 *   { rule: { kind: 'range', lower: null, upper: 25 } },
 *   { rule: { kind: 'range', lower: 25, upper: null } },
 * ] });
 * assign(30); // 2
 * assign(Number.NaN); // 0
 */
import { invariant } from '../errors.js';

/** One bin's membership rule. */
export type BinRule =
  | { readonly kind: 'missing' }
  | { readonly kind: 'special'; readonly value: number }
  | { readonly kind: 'range'; readonly lower: number | null; readonly upper: number | null }
  | { readonly kind: 'categories'; readonly values: readonly string[] };

/** What {@link binAssigner} needs of a variable. */
export interface BinnedVariableShape {
  readonly kind: 'numeric' | 'categorical';
  readonly bins: readonly { readonly rule: BinRule }[];
  readonly fallbackBin: number;
}

/**
 * A function from a value (`NaN` or `null` when missing) to its bin index.
 *
 * @example
 * binAssigner(variable)('renter');
 */
export function binAssigner(variable: BinnedVariableShape): (value: number | string | null) => number {
  const { bins, fallbackBin } = variable;
  invariant(fallbackBin >= 0 && fallbackBin < bins.length, 'the fallback bin is one of the bins');
  const missing = bins.findIndex((bin) => bin.rule.kind === 'missing');
  if (variable.kind === 'categorical') {
    const byCategory = new Map<string, number>();
    bins.forEach((bin, i) => {
      if (bin.rule.kind === 'categories') for (const value of bin.rule.values) byCategory.set(value, i);
    });
    return (value) => {
      if (value === null || (typeof value === 'number' && Number.isNaN(value))) return missing >= 0 ? missing : fallbackBin;
      return byCategory.get(String(value)) ?? fallbackBin;
    };
  }
  const special = new Map<number, number>();
  const ranges: { upper: number; index: number }[] = [];
  bins.forEach((bin, i) => {
    if (bin.rule.kind === 'special') special.set(bin.rule.value, i);
    if (bin.rule.kind === 'range') ranges.push({ upper: bin.rule.upper ?? Number.POSITIVE_INFINITY, index: i });
  });
  ranges.sort((a, b) => a.upper - b.upper);
  const uppers = Float64Array.from(ranges, (range) => range.upper);
  return (value) => {
    const x = typeof value === 'number' ? value : value === null ? Number.NaN : Number(value);
    if (Number.isNaN(x)) return missing >= 0 ? missing : fallbackBin;
    const s = special.get(x);
    if (s !== undefined) return s;
    // Binary search: the first range whose (exclusive) upper bound exceeds x.
    let lo = 0;
    let hi = uppers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((uppers[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo < ranges.length ? (ranges[lo] as { index: number }).index : fallbackBin;
  };
}

/**
 * A rule as a risk officer reads it.
 *
 * @example
 * describeRule({ kind: 'range', lower: 25, upper: 40 }); // '[25, 40)'
 * describeRule({ kind: 'range', lower: null, upper: 25 }); // '< 25'
 */
export function describeRule(rule: BinRule): string {
  switch (rule.kind) {
    case 'missing':
      return 'missing';
    case 'special':
      return `= ${rule.value} (special)`;
    case 'range':
      if (rule.lower === null && rule.upper === null) return 'all values';
      if (rule.lower === null) return `< ${rule.upper}`;
      if (rule.upper === null) return `≥ ${rule.lower}`;
      return `[${rule.lower}, ${rule.upper})`;
    case 'categories':
      return rule.values.join(', ');
  }
}
