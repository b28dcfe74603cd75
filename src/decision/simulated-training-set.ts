/**
 * The training set the default scorecard learns from: a simulated population's features, as a
 * decision would compute them on the anchor date, and whether each firm later defaulted (the
 * simulator's latent health drives both, so the features carry real signal).
 */
import { DATA_SOURCES, simulatedDefault, simulatedPopulation, simulatedProvider, SIMULATION_ANCHOR, type PulledData, type SourceData } from '../data/index.js';
import { extractFeatures, featureValues } from '../features/index.js';
import { csvText } from '../csv/index.js';

/** Months of history a decision pulls, and the model is trained on. */
export const DECISION_MONTHS = 24;

/**
 * Pulls a simulated firm's data straight from the provider, without storing it: what a decision
 * sees, for training and benchmarks.
 */
export async function simulatedData(creditCode: string, industry: string, seed: number, asOf: string = SIMULATION_ANCHOR): Promise<PulledData> {
  const provider = simulatedProvider({ seed });
  const sources: Record<string, SourceData> = {};
  for (const source of DATA_SOURCES) {
    const records = await provider.fetch({ subject: { creditCode, industry: industry as never }, source, asOf: asOf as never, months: DECISION_MONTHS });
    sources[source] = { source, pullId: null, pulledAt: null, records } as SourceData;
  }
  return { asOf: asOf as never, sources: sources as PulledData['sources'] };
}

/**
 * A CSV (header first) of the population's features with a `default` column (`bad`/`good`).
 *
 * @example
 * const csv = await simulatedTrainingCsv({ seed: 2025, size: 4000 });
 */
export async function simulatedTrainingCsv(options: { seed: number; size: number }): Promise<string> {
  const firms = simulatedPopulation(options);
  const rows: Record<string, string | number | null>[] = [];
  for (const firm of firms) {
    const data = await simulatedData(firm.creditCode, firm.industry, firm.seed);
    const set = extractFeatures({ industry: firm.industry, registeredOn: firm.registeredOn, revenue: firm.declared.revenue, employees: firm.declared.employees }, data);
    rows.push({ ...featureValues(set), default: simulatedDefault(firm.creditCode, firm.seed).defaulted ? 'bad' : 'good' });
  }
  const columns = Object.keys(rows[0] ?? {});
  // Read back by the training scripts, not opened by people: plain CSV, cells exactly as they are.
  return csvText([columns, ...rows.map((row) => columns.map((column) => row[column]))]);
}
