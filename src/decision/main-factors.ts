/**
 * The main factors behind a declined or referred score: the scorecard's reason codes (the
 * variables where the applicant lost most points against the best bin), so a decline says more than
 * "综合信用评估未达到要求" — e.g. "近 12 个月用电趋势、近 12 个月零纳税月数". Read from the stored
 * decision at the edge, so decisions and their replays are unchanged.
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
