/**
 * Pre-lending features (三品三表) and cross-checks, pure.
 *
 * @example
 * import { extractFeatures, featureValues } from './features/index.js';
 */
export { extractFeatures, featureValues, MIN_MONTHS, type Feature, type FeatureGroup, type FeatureSet, type FeatureEnterprise, type FeatureOptions, type CrossCheck, type Provenance } from './extract-features.js';
export { toleranceFor, CROSS_CHECK_TOLERANCES, TOLERANCES_2025, type CrossCheckTolerances } from './cross-check-tolerances.js';
export { FEATURE_NAMES, CROSS_CHECK_IDS, isFeatureName, type FeatureName, type CrossCheckId } from './feature-names.js';
export { mean, olsSlope, relativeSlope, coefficientOfVariation, growth } from './series.js';
