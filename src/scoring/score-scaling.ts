/**
 * Turning log-odds into points: a score of `basePoints` at good:bad odds of `goodBadOdds`, and
 * every `pdo` points doubling the good:bad odds (Siddiqi, *Credit Risk Scorecards*, ch. 9). So
 * score = offset + factor × ln(good:bad odds) = offset − factor × logit(P(bad)), with
 * factor = pdo / ln 2 and offset = basePoints − factor × ln(goodBadOdds).
 *
 * Defaults: 600 points at odds 1:19 bad:good (a 5% bad rate), 50 points to double the odds.
 *
 * @example
 * const s = scoreScaling();
 * scoreFromLogit(s, Math.log(1 / 19)); // 600
 * scoreFromLogit(s, Math.log(1 / 38)); // 650
 */
import { ValidationError } from '../errors.js';

/** The scaling parameters and the derived factor and offset. */
export interface ScoreScaling {
  readonly basePoints: number;
  /** Good:bad odds at `basePoints` (19 means 1 bad to 19 goods). */
  readonly goodBadOdds: number;
  /** Points to double the odds. */
  readonly pdo: number;
  readonly factor: number;
  readonly offset: number;
}

/** The defaults. */
export const DEFAULT_SCALING = { basePoints: 600, goodBadOdds: 19, pdo: 50 } as const;

/**
 * Derives factor and offset.
 *
 * @example
 * scoreScaling({ basePoints: 600, goodBadOdds: 19, pdo: 50 }).factor; // 72.13…
 */
export function scoreScaling(parameters: { basePoints?: number; goodBadOdds?: number; pdo?: number } = {}): ScoreScaling {
  const basePoints = parameters.basePoints ?? DEFAULT_SCALING.basePoints;
  const goodBadOdds = parameters.goodBadOdds ?? DEFAULT_SCALING.goodBadOdds;
  const pdo = parameters.pdo ?? DEFAULT_SCALING.pdo;
  if (!Number.isFinite(basePoints)) throw new ValidationError('basePoints', 'must be a number');
  if (!(goodBadOdds > 0 && Number.isFinite(goodBadOdds))) throw new ValidationError('goodBadOdds', 'must be positive');
  if (!(pdo > 0 && Number.isFinite(pdo))) throw new ValidationError('pdo', 'must be positive');
  const factor = pdo / Math.LN2;
  return { basePoints, goodBadOdds, pdo, factor, offset: basePoints - factor * Math.log(goodBadOdds) };
}

/**
 * The score for a log-odds of bad.
 *
 * @example
 * scoreFromLogit(scoreScaling(), 0); // 600 − 72.13 × ln 19 ≈ 387.6
 */
export function scoreFromLogit(scaling: ScoreScaling, logitBad: number): number {
  return scaling.offset - scaling.factor * logitBad;
}

/**
 * The probability of bad a score stands for.
 *
 * @example
 * probabilityFromScore(scoreScaling(), 600); // 0.05
 */
export function probabilityFromScore(scaling: ScoreScaling, score: number): number {
  const logit = (scaling.offset - score) / scaling.factor;
  return 1 / (1 + Math.exp(-logit));
}
