/**
 * Scoring with a trained scorecard: each variable's value finds its bin, the bins' points add up
 * to the score, and the score gives the probability of bad. Reason codes name the variables that
 * cost the applicant most points against the best bin of each (the adverse-action reasons a
 * lender must be able to give).
 *
 * @example
 * const result = scoreApplicant(model, { duration: '24', checking_status: '<0', age: '31' });
 * result.score; // 512.3
 * result.reasons[0]; // { variable: 'checking_status', pointsLost: 61.2, bin: '<0' }
 */
import { ValidationError } from '../errors.js';
import { binAssigner, describeRule } from './bin-rule.js';
import { buildDataset, parseNumericCell, MISSING_TOKENS, type Dataset } from './dataset.js';
import type { CsvTable } from './csv-table.js';
import { probabilityFromScore } from './score-scaling.js';
import type { ScorecardModel, ScorecardVariable } from './scorecard-model.js';

/** Scores of many rows, in row order. */
export interface ScoredRows {
  readonly scores: Float64Array;
  /** Probability of bad. */
  readonly probabilities: Float64Array;
  /** Per model variable, each row's bin index. */
  readonly bins: readonly Int32Array[];
}

/** One reason an applicant scored lower than the best possible. */
export interface ReasonCode {
  readonly variable: string;
  /** Best bin's points minus the applicant's bin's points. */
  readonly pointsLost: number;
  /** The applicant's bin, as a rule (`< 26`, `renter`). */
  readonly bin: string;
}

/** One applicant's score with its explanation. */
export interface ApplicantScore {
  readonly score: number;
  readonly probability: number;
  readonly points: Readonly<Record<string, number>>;
  readonly reasons: readonly ReasonCode[];
}

/**
 * Reads a table for scoring with a model: only the model's variables, each with the kind the
 * model expects. Other columns (a target, ids) are ignored unless `target` asks for the target
 * (to measure the model); a missing variable is an error.
 *
 * @example
 * const data = scoringDataset(model, parseCsv(text, '--data'));
 * const labelled = scoringDataset(model, table, { column: 'class', bad: 'bad' });
 */
export function scoringDataset(model: ScorecardModel, table: CsvTable, target?: { column: string; bad: string }): Dataset {
  const kinds = Object.fromEntries(model.variables.map((v) => [v.name, v.kind] as const));
  const only = model.variables.map((v) => v.name).filter((name) => name !== target?.column);
  return buildDataset(table, { only, kinds, ...(target === undefined ? {} : { target: target.column, bad: target.bad }) });
}

/**
 * Scores every row of a data set read with {@link scoringDataset}.
 *
 * @example
 * const { scores, probabilities } = scoreDataset(model, data);
 */
export function scoreDataset(model: ScorecardModel, data: Dataset): ScoredRows {
  const scores = new Float64Array(data.rows).fill(model.intercept.points);
  const bins = model.variables.map((variable) => {
    const column = data.columns.find((c) => c.name === variable.name);
    if (column === undefined) throw new ValidationError('data', `the model needs column "${variable.name}"`);
    const assign = binAssigner(variable);
    const assigned = new Int32Array(data.rows);
    for (let r = 0; r < data.rows; r++) {
      const b = assign(column.kind === 'numeric' ? (column.values[r] as number) : (column.values[r] ?? null));
      assigned[r] = b;
      scores[r] = (scores[r] as number) + (variable.bins[b]?.points as number);
    }
    return assigned;
  });
  const probabilities = Float64Array.from(scores, (score) => probabilityFromScore(model.scaling, score));
  return { scores, probabilities, bins };
}

/**
 * The variables that cost most points, against each variable's best bin, largest loss first;
 * variables where the applicant is already in the best bin are not reasons.
 *
 * @example
 * reasonCodes(model, [2, 0, 1], 4);
 */
export function reasonCodes(model: ScorecardModel, binIndices: readonly number[], limit = 4): ReasonCode[] {
  const reasons = model.variables.map((variable: ScorecardVariable, i): ReasonCode => {
    const best = Math.max(...variable.bins.map((bin) => bin.points));
    const bin = variable.bins[binIndices[i] as number];
    if (bin === undefined) throw new ValidationError('bins', `no bin ${binIndices[i]} in ${variable.name}`);
    return { variable: variable.name, pointsLost: best - bin.points, bin: describeRule(bin.rule) };
  });
  return reasons
    .filter((reason) => reason.pointsLost > 1e-9)
    .sort((a, b) => b.pointsLost - a.pointsLost || (a.variable < b.variable ? -1 : 1))
    .slice(0, limit);
}

/**
 * Scores one applicant given as field values (strings as read from a form or CSV, numbers, or
 * `null` for missing). This is the decision engine's entry point.
 *
 * @example
 * scoreApplicant(model, { age: 31, housing: 'rent' }).probability;
 */
export function scoreApplicant(model: ScorecardModel, applicant: Readonly<Record<string, string | number | null | undefined>>, reasonLimit = 4): ApplicantScore {
  let score = model.intercept.points;
  const points: Record<string, number> = {};
  const binIndices = model.variables.map((variable) => {
    const raw = applicant[variable.name];
    let value: number | string | null;
    if (raw === undefined || raw === null) value = null;
    else if (variable.kind === 'numeric') value = typeof raw === 'number' ? raw : parseNumericCell(raw, variable.name, 0);
    else value = MISSING_TOKENS.has(String(raw).trim()) ? null : String(raw).trim();
    const b = binAssigner(variable)(value);
    const p = variable.bins[b]?.points as number;
    points[variable.name] = p;
    score += p;
    return b;
  });
  return { score, probability: probabilityFromScore(model.scaling, score), points, reasons: reasonCodes(model, binIndices, reasonLimit) };
}
