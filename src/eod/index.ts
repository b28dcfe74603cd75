/**
 * End of day (日终批处理): accrual, billing, days past due, classification, provision and their
 * postings for every active loan, set-based, chunked and resumable. See docs/end-of-day.md.
 */
export { runEod, type EodOptions, type EodSummary } from './run-eod.js';
export { processChunk, postTotals, type ChunkWork, type ChunkTotals } from './process-chunk.js';
export { applyDebtorContagion } from './debtor-contagion.js';
export { SHARDS, TARGET_LOANS_PER_CHUNK, defaultShardsPerChunk, openRun, findRun, claimChunk, chunkProgress, runTotals, type ClaimedChunk, type EodRun } from './eod-run.js';
export { accrualLines, reclassificationLines, provisionLines, type CategoryMove } from './eod-postings.js';
