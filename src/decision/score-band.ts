/**
 * Score bands: the scorecard's points turned into the grades limits and prices are set by.
 * Higher points mean lower risk (600 points at odds 1:19 bad:good, 50 points to double the odds).
 */

export type ScoreBand = 'A' | 'B' | 'C' | 'D' | 'E';

/** Lowest score of each band, best first; below the last band's floor is E (decline). */
export interface BandCuts {
  readonly version: string;
  readonly cuts: readonly { readonly band: Exclude<ScoreBand, 'E'>; readonly minScore: number }[];
}

/** At PDO 50 and 600 = 1:19, A ≥ 700 is about 1:76 bad:good, C ≥ 600 is 1:19, D ≥ 560 about 1:11. */
export const DEFAULT_BAND_CUTS: BandCuts = {
  version: 'bands-2025-06',
  cuts: [
    { band: 'A', minScore: 700 },
    { band: 'B', minScore: 650 },
    { band: 'C', minScore: 600 },
    { band: 'D', minScore: 560 },
  ],
};

/**
 * @example
 * scoreBand(655, DEFAULT_BAND_CUTS); // 'B'
 */
export function scoreBand(score: number, bands: BandCuts): ScoreBand {
  for (const cut of bands.cuts) if (score >= cut.minScore) return cut.band;
  return 'E';
}
