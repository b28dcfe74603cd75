/**
 * The scorecard Sprout ships as its champion until a bank registers its own: trained on the
 * simulated population by scripts/train-default-model.ts (models/default-scorecard.json).
 */
import { readFileSync } from 'node:fs';
import { parseScorecardModel, type ScorecardModel } from '../scoring/index.js';

let cached: ScorecardModel | undefined;

/** The default model, read once. */
export function defaultScorecard(): ScorecardModel {
  cached ??= parseScorecardModel(JSON.parse(readFileSync(new URL('../../models/default-scorecard.json', import.meta.url), 'utf8')));
  return cached;
}
