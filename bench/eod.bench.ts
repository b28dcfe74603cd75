/**
 * End of day over a synthetic book on an in-memory PGlite, small enough for `npm run bench`
 * (20,000 loans by default). The large figures (100,000 and 1,000,000 loans, PGlite on disk and
 * PostgreSQL) come from `sprout bench eod --loans N` (docs/benchmarks.md).
 *
 * Run: `node --import tsx bench/eod.bench.ts`, or import `run()`.
 *
 * @example
 * const result = await run({ loans: 5000 }); // { benchmark: 'eod', loans: 5000, seconds: …, floorSeconds: …, balanced: true, … }
 */
import { pathToFileURL } from 'node:url';
import { migrateToLatest } from '../src/db/migrate.js';
import { kyselyOverPglite, openPglite } from '../src/db/pglite-backend.js';
import { benchmarkEod } from '../src/eod/eod-benchmark.js';
import { seedReferenceData } from '../src/system/reference-data.js';
import { parseBusinessDate } from '../src/calendar/business-date.js';

export interface EodBenchResult {
  readonly benchmark: 'eod';
  readonly backend: 'pglite (memory)';
  readonly loans: number;
  readonly seconds: number;
  readonly floorSeconds: number;
  readonly ratio: number;
  /** One UPDATE of a narrow table as long as the book (src/eod/eod-benchmark.ts). */
  readonly leanFloorSeconds: number;
  readonly leanRatio: number;
  readonly balanced: boolean;
  readonly loadSeconds: number;
  readonly seed: number;
}

/**
 * @example
 * const { seconds, floorSeconds } = await run();
 */
export async function run(options: { loans?: number; seed?: number } = {}): Promise<EodBenchResult> {
  const loans = options.loans ?? 20_000;
  const seed = options.seed ?? 20250630;
  const db = kyselyOverPglite(await openPglite('memory://'));
  try {
    await migrateToLatest(db);
    await seedReferenceData(db, parseBusinessDate('2025-06-30', 'date'));
    const result = await benchmarkEod(db, { loans, seed });
    return {
      benchmark: 'eod',
      backend: 'pglite (memory)',
      loans: result.loans,
      seconds: result.seconds,
      floorSeconds: result.floorSeconds,
      ratio: Math.round((result.seconds / result.floorSeconds) * 100) / 100,
      leanFloorSeconds: result.leanFloorSeconds,
      leanRatio: Math.round((result.seconds / result.leanFloorSeconds) * 100) / 100,
      balanced: result.balanced,
      loadSeconds: result.loadSeconds,
      seed,
    };
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run()));
}
