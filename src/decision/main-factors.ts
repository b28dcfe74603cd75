/**
 * The main factors behind a declined or referred score: the scorecard's reason codes (the
 * variables where the applicant lost most points against the best bin), so a decline says more than
 * "综合信用评估未达到要求" — e.g. "近 12 个月用电趋势、近 12 个月零纳税月数". The decision engine
 * (`decide`) names them at decision time and the record keeps them (`Decision.mainFactors`), so a
 * replay reproduces them; `recordedMainFactors` reads them back, deriving them for records written
 * before the engine named them.
 *
 * @example
 * mainFactors({ outcome: 'declined', scoreReasons: [{ variable: 'power_trend_12m', pointsLost: 21.3, bin: '< -0.05' }] }); // ['power_trend_12m']
 */
import { FEATURE_NAMES, type FeatureName } from '../features/feature-names.js';

/** How many factors a decline names: enough to act on, few enough to read. */
export const MAIN_FACTOR_COUNT = 3;

/** Up to three features that cost the most points, largest first; none for an approval. */
export function mainFactors(decision: { readonly outcome: string; readonly scoreReasons?: readonly { readonly variable: string; readonly pointsLost: number }[] }): FeatureName[] {
  if (decision.outcome === 'approved') return [];
  return [...(decision.scoreReasons ?? [])]
    .filter((reason) => reason.pointsLost > 0 && (FEATURE_NAMES as readonly string[]).includes(reason.variable))
    .sort((a, b) => b.pointsLost - a.pointsLost || a.variable.localeCompare(b.variable))
    .slice(0, MAIN_FACTOR_COUNT)
    .map((reason) => reason.variable as FeatureName);
}

/**
 * The main factors of a stored decision: those the engine recorded, or — for a record written
 * before the engine named them — derived from its score reasons the same way.
 */
export function recordedMainFactors(decision: { readonly outcome: string; readonly mainFactors?: readonly string[]; readonly scoreReasons?: readonly { readonly variable: string; readonly pointsLost: number }[] }): FeatureName[] {
  if (decision.mainFactors === undefined) return mainFactors(decision);
  return decision.mainFactors.filter((name): name is FeatureName => (FEATURE_NAMES as readonly string[]).includes(name));
}
