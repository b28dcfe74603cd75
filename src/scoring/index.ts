/**
 * Credit scorecards, pure: binning, WOE/IV, variable selection, logistic regression, scaling to
 * points, scoring with reason codes, discrimination and stability metrics, the model file and
 * the report, the model registry's transitions. The registry's directory (`model-store.ts`) is the
 * one part that touches files: import it directly, it is not exported here.
 *
 * @example
 * import { buildDataset, parseCsv, trainScorecard, scoreApplicant } from './scoring/index.js';
 * const data = buildDataset(parseCsv(text), { target: 'class', bad: 'bad' });
 * const model = trainScorecard(data, { column: 'class', bad: 'bad' });
 * scoreApplicant(model, { duration: '24', checking_status: '<0' }).reasons;
 */
export { fingerprintTable, type CsvTable } from './csv-table.js';
export { buildDataset, subsetDataset, MISSING_TOKENS, type Dataset, type Column, type DatasetOptions } from './dataset.js';
export { binVariable, DEFAULT_BINNING, type BinningOptions, type BinSummary, type VariableBinning } from './bin-variable.js';
export { binAssigner, describeRule, type BinRule } from './bin-rule.js';
export { weightOfEvidence, informationValue, binInformationValue, type GoodBad } from './woe-iv.js';
export { chiMerge, chiSquare, CHI_SQUARE_95 } from './chi-merge.js';
export { treeBins } from './tree-binning.js';
export { enforceMonotonic, type Trend } from './monotonic-trend.js';
export { selectVariables, correlation, varianceInflationFactors, type Selection } from './variable-selection.js';
export { fitLogisticRegression, type LogisticFit, type LogisticOptions } from './logistic-regression.js';
export { scoreScaling, scoreFromLogit, probabilityFromScore, DEFAULT_SCALING, type ScoreScaling } from './score-scaling.js';
export { trainScorecard, DEFAULT_TRAINING, type TrainOptions } from './train-scorecard.js';
export { scoringDataset, scoreDataset, scoreApplicant, reasonCodes, type ApplicantScore, type ReasonCode, type ScoredRows } from './apply-scorecard.js';
export { parseScorecardModel, MODEL_FORMAT, MODEL_VERSION, type ScorecardModel, type ScorecardVariable, type ScorecardBin } from './scorecard-model.js';
export { auc, gini, ks, rocCurve, type RocPoint } from './discrimination.js';
export { gainsTable, type GainsRow } from './gains-table.js';
export { psi, psiContributions, PSI_FLOOR } from './psi.js';
export { bandCounts, populationStability, scoreBands, scoreDistribution, scoreStability, type PopulationStability, type PsiTable, type ScoreDistribution } from './population-stability.js';
export { stratifiedFolds, type Fold } from './cross-validation.js';
export { seededRandom, shuffled } from '../random/seeded-random.js';
export { scorecardReportHtml } from './scorecard-report.js';
export * from './model-registry.js';
