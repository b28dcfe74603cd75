/**
 * The model file: everything needed to score an applicant and to explain and audit the score —
 * bins with their counts and WOE, coefficients with standard errors, points, the scaling, the
 * training metrics, the selection verdicts and the training data's fingerprint. It is JSON,
 * versioned by `format` and `version`; the decision engine loads it with {@link parseScorecardModel}.
 *
 * @example
 * const model = parseScorecardModel(JSON.parse(readFileSync('model.json', 'utf8')));
 * model.variables.map((v) => v.name);
 */
import { ValidationError } from '../errors.js';
import type { BinRule } from './bin-rule.js';
import type { BinSummary } from './bin-variable.js';
import type { ScoreScaling } from './score-scaling.js';
import type { Selection } from './variable-selection.js';
import type { ScoreDistribution } from './population-stability.js';

/** The `format` field of every Sprout scorecard model file. */
export const MODEL_FORMAT = 'sprout-scorecard';
/** Bumped on any change a reader of version 1 would misread. */
export const MODEL_VERSION = 1;

/** A bin of the scorecard: its summary and the points it gives. */
export interface ScorecardBin extends BinSummary {
  readonly points: number;
}

/** A variable of the scorecard. */
export interface ScorecardVariable {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  readonly method: 'tree' | 'chimerge' | 'manual';
  readonly trend: 'ascending' | 'descending' | 'none';
  readonly iv: number;
  readonly coefficient: number;
  readonly standardError: number;
  readonly pValue: number;
  readonly bins: readonly ScorecardBin[];
  /** Bin for values no rule claims (the riskiest). */
  readonly fallbackBin: number;
}

/** Discrimination on a data set. */
export interface ModelMetrics {
  readonly rows: number;
  readonly auc: number;
  readonly gini: number;
  readonly ks: number;
}

/** A trained scorecard. */
export interface ScorecardModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly target: { readonly column: string; readonly bad: string };
  readonly data: {
    readonly fingerprint: string;
    readonly rows: number;
    readonly goods: number;
    readonly bads: number;
    readonly columns: readonly string[];
  };
  /** The training options as resolved (defaults filled in), so the model can be retrained. */
  readonly options: unknown;
  readonly scaling: ScoreScaling;
  readonly intercept: { readonly coefficient: number; readonly standardError: number; readonly pValue: number; readonly points: number };
  readonly variables: readonly ScorecardVariable[];
  readonly selection: readonly Selection[];
  readonly training: ModelMetrics;
  /**
   * The training scores' decile cuts and counts (`population-stability.ts`), which live scores are
   * compared with; absent in models trained before it was kept.
   */
  readonly scoreDistribution?: ScoreDistribution;
}

function fail(field: string, message: string): never {
  throw new ValidationError(`model.${field}`, message);
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, 'must be a finite number');
  return value;
}

function parseRule(value: unknown, field: string): BinRule {
  const rule = value as Record<string, unknown> | null;
  if (typeof rule !== 'object' || rule === null) fail(field, 'must be an object');
  switch (rule.kind) {
    case 'missing':
      return { kind: 'missing' };
    case 'special':
      return { kind: 'special', value: finite(rule.value, `${field}.value`) };
    case 'range': {
      const bound = (b: unknown, name: string) => (b === null ? null : finite(b, `${field}.${name}`));
      return { kind: 'range', lower: bound(rule.lower, 'lower'), upper: bound(rule.upper, 'upper') };
    }
    case 'categories':
      if (!Array.isArray(rule.values) || !rule.values.every((v) => typeof v === 'string')) fail(`${field}.values`, 'must be a list of strings');
      return { kind: 'categories', values: rule.values as string[] };
    default:
      return fail(`${field}.kind`, 'must be missing, special, range or categories');
  }
}

/**
 * Checks a parsed JSON value is a scorecard this version of Sprout can use, and returns it
 * typed. Everything scoring reads is checked, so a corrupt file fails here, not mid-batch.
 *
 * @example
 * parseScorecardModel({ format: 'other' }); // throws ValidationError on model.format
 */
export function parseScorecardModel(value: unknown): ScorecardModel {
  const model = value as Record<string, unknown> | null;
  if (typeof model !== 'object' || model === null) fail('', 'must be a JSON object');
  if (model.format !== MODEL_FORMAT) fail('format', `must be "${MODEL_FORMAT}"`);
  if (model.version !== MODEL_VERSION) fail('version', `is ${String(model.version)}; this Sprout reads version ${MODEL_VERSION}`);
  const scaling = model.scaling as Record<string, unknown> | undefined;
  if (typeof scaling !== 'object' || scaling === null) fail('scaling', 'is required');
  for (const key of ['basePoints', 'goodBadOdds', 'pdo', 'factor', 'offset']) finite(scaling[key], `scaling.${key}`);
  const intercept = model.intercept as Record<string, unknown> | undefined;
  if (typeof intercept !== 'object' || intercept === null) fail('intercept', 'is required');
  finite(intercept.coefficient, 'intercept.coefficient');
  finite(intercept.points, 'intercept.points');
  if (!Array.isArray(model.variables)) fail('variables', 'must be a list');
  model.variables.forEach((variable: Record<string, unknown>, i: number) => {
    const at = `variables[${i}]`;
    if (typeof variable.name !== 'string') fail(`${at}.name`, 'must be a string');
    if (variable.kind !== 'numeric' && variable.kind !== 'categorical') fail(`${at}.kind`, 'must be numeric or categorical');
    finite(variable.coefficient, `${at}.coefficient`);
    if (!Array.isArray(variable.bins) || variable.bins.length === 0) fail(`${at}.bins`, 'must be a non-empty list');
    variable.bins.forEach((bin: Record<string, unknown>, b: number) => {
      parseRule(bin.rule, `${at}.bins[${b}].rule`);
      finite(bin.points, `${at}.bins[${b}].points`);
      finite(bin.woe, `${at}.bins[${b}].woe`);
    });
    const fallback = variable.fallbackBin;
    if (!Number.isInteger(fallback) || (fallback as number) < 0 || (fallback as number) >= variable.bins.length) fail(`${at}.fallbackBin`, 'must index one of the bins');
  });
  const target = model.target as Record<string, unknown> | undefined;
  if (typeof target?.column !== 'string' || typeof target.bad !== 'string') fail('target', 'must name the column and bad value');
  return model as unknown as ScorecardModel;
}
