/**
 * `sprout bench growth --loans N` (issue 21): how the daily costs grow with the book, on one fresh
 * database, in one process, by the existing benchmarks in sequence:
 *
 * 1. end of day (`benchmarkEod`: the synthetic book, its first night, the floors, the second night
 *    timed);
 * 2. the regulatory reports as of that night (`benchmarkReports`: their sum and the slowest);
 * 3. decisions for new firms on the database holding the book (`benchmarkDecisions`, one at a time,
 *    so each time is one decision's and not a queue's);
 * 4. repayments of loans spread over the book through the service layer (`benchmarkRepayments`).
 *
 * Beside the wall clock: this process's CPU in each phase, the CPU of the database's PostgreSQL
 * backends on this host (from `/proc`; a lower bound, as a backend that ended between two reads is
 * not counted), this process's peak resident set (`process.resourceUsage().maxRSS`: on PGlite the
 * database is in it) and the largest backend's (`VmHWM`), and the one-minute load at the start and
 * the end, since the machine this runs on is shared.
 */
import { loadavg } from 'node:os';
import type { Kysely } from 'kysely';
import type { Backend } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { benchmarkDecisions } from '../decision/decision-benchmark.js';
import { benchmarkEod, type ServerSettings } from '../eod/eod-benchmark.js';
import { benchmarkReports } from '../reporting/report-benchmark.js';
import { benchmarkRepayments } from '../servicing/repayment-benchmark.js';
import { cpuSpent, databaseBackendPids, processesCpuSeconds, processPeakRssKb } from './process-stats.js';

export interface GrowthBenchmarkOptions {
  readonly loans: number;
  /** The book's PRNG seed (default 20250630, as `sprout bench eod`). */
  readonly seed?: number | undefined;
  readonly decisions: number;
  readonly repayments: number;
  /** Untimed decisions and repayments before the timed ones, each. */
  readonly warmup: number;
  readonly workers?: number | undefined;
  /** A line per phase for the operator (a long run says how far it got). */
  readonly onPhase?: ((line: string) => void) | undefined;
}

/**
 * CPU of a whole phase, its untimed set-up and warm-up included: this process's, and the database's
 * backends' when `/proc` shows them.
 */
export interface PhaseCpu {
  /** To the millisecond: a small book's phase can take under 0.05 s of this process's CPU. */
  readonly nodeSeconds: number;
  readonly serverSeconds: number | null;
}

export interface GrowthBenchmarkResult {
  readonly backend: Backend;
  readonly loans: number;
  readonly seed: number;
  /** The book's second night, wall seconds (`sprout bench eod`'s `seconds`). */
  readonly eodSeconds: number;
  readonly firstNightSeconds: number;
  readonly leanFloorSeconds: number;
  readonly loadSeconds: number;
  readonly balanced: boolean;
  /** The end-of-day workers (PGlite: 1). */
  readonly workers: number;
  /** The database server's settings end of day's figures depend on (`sprout bench eod`'s `server`). */
  readonly server: ServerSettings;
  /** The whole eod phase (book, both nights, floors), not the second night alone. */
  readonly eodPhaseCpu: PhaseCpu;
  readonly decisions: number;
  readonly decisionP50Ms: number;
  readonly decisionMeanMs: number;
  /** This process's CPU per timed decision (the machine's load moves it far less than the wall clock). */
  readonly decisionNodeCpuMs: number;
  readonly decisionCpu: PhaseCpu;
  readonly repayments: number;
  readonly repaymentP50Ms: number;
  readonly repaymentMeanMs: number;
  readonly repaymentNodeCpuMs: number;
  readonly repaymentCpu: PhaseCpu;
  /** The reports that ran, summed; and the slowest of them. */
  readonly reportsSeconds: number;
  readonly slowestReport: { readonly report: string; readonly seconds: number };
  readonly reportsCpu: PhaseCpu;
  readonly peakRssMb: number;
  /**
   * This process's peak resident set when the benchmark began, after the database was opened: on
   * PGlite, creating a data directory and migrating it peaks near 1.1 GB whatever the book.
   */
  readonly peakRssAtStartMb: number;
  /** The largest `VmHWM` of the database's backends at the end; null on PGlite or another host. */
  readonly serverPeakRssMb: number | null;
  readonly loadAtStart: number;
  readonly loadAtEnd: number;
  readonly totalSeconds: number;
}

/**
 * Runs the four phases on `db`, which must hold no loans.
 *
 * @example
 * const row = await benchmarkGrowth(db, 'postgres', { loans: 100_000, decisions: 200, repayments: 200, warmup: 50 });
 * // { eodSeconds: 6.2, decisionP50Ms: 9.8, repaymentP50Ms: 4.1, reportsSeconds: 1.3, peakRssMb: 310, … }
 */
export async function benchmarkGrowth(db: Kysely<Database>, backend: Backend, options: GrowthBenchmarkOptions): Promise<GrowthBenchmarkResult> {
  const seed = options.seed ?? 20250630;
  const began = performance.now();
  const loadAtStart = round(loadavg()[0]!);
  const peakRssAtStartMb = peakRssMb();
  const phase = (name: string) => options.onPhase?.(`${name} (${round((performance.now() - began) / 1000)} s in, peak RSS ${peakRssMb()} MB, load ${round(loadavg()[0]!)})`);
  const measure = async <T>(run: () => Promise<T>): Promise<[T, PhaseCpu]> => {
    const serverBefore = backend === 'postgres' ? await backendsCpu(db) : undefined;
    const nodeBefore = process.cpuUsage();
    const result = await run();
    const node = process.cpuUsage(nodeBefore);
    const serverAfter = backend === 'postgres' ? await backendsCpu(db) : undefined;
    return [result, { nodeSeconds: round((node.user + node.system) / 1e6, 1000), serverSeconds: serverCpuSpent(serverBefore, serverAfter) }];
  };

  phase(`book of ${options.loans} loans and two nights`);
  const [eod, eodPhaseCpu] = await measure(() => benchmarkEod(db, { loans: options.loans, seed, workers: options.workers }));
  phase(`reports`);
  const [reports, reportsCpu] = await measure(() => benchmarkReports(db, backend));
  phase(`${options.decisions} decisions`);
  const [decided, decisionCpu] = await measure(() => benchmarkDecisions(db, { n: options.decisions, seed: 2025, concurrency: 1, warmup: options.warmup }));
  phase(`${options.repayments} repayments`);
  const [repaid, repaymentCpu] = await measure(() => benchmarkRepayments(db, { n: options.repayments, warmup: options.warmup }));

  const ran = reports.timings.filter((t): t is typeof t & { seconds: number } => t.seconds !== null);
  const slowest = ran.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const serverPeaksKb = backend === 'postgres' ? (await databaseBackendPids(db)).map(processPeakRssKb).filter((kb): kb is number => kb !== undefined) : [];
  const result: GrowthBenchmarkResult = {
    backend,
    loans: eod.loans,
    seed,
    eodSeconds: eod.seconds,
    firstNightSeconds: eod.firstNightSeconds,
    leanFloorSeconds: eod.leanFloorSeconds,
    loadSeconds: eod.loadSeconds,
    balanced: eod.balanced,
    workers: options.workers ?? 1,
    server: eod.server,
    eodPhaseCpu,
    decisions: decided.decisions,
    decisionP50Ms: decided.p50Ms,
    decisionMeanMs: round(decided.timingsMs.reduce((sum, t) => sum + t, 0) / decided.timingsMs.length),
    decisionNodeCpuMs: decided.nodeCpuMsPerDecision,
    decisionCpu,
    repayments: repaid.repayments,
    repaymentP50Ms: repaid.p50Ms,
    repaymentMeanMs: repaid.meanMs,
    repaymentNodeCpuMs: repaid.nodeCpuMsPerRepayment,
    repaymentCpu,
    reportsSeconds: round(ran.reduce((sum, t) => sum + t.seconds, 0), 1000),
    slowestReport: { report: slowest.report, seconds: slowest.seconds },
    reportsCpu,
    peakRssMb: peakRssMb(),
    peakRssAtStartMb,
    serverPeakRssMb: serverPeaksKb.length === 0 ? null : Math.round(Math.max(...serverPeaksKb) / 1024),
    loadAtStart,
    loadAtEnd: round(loadavg()[0]!),
    totalSeconds: round((performance.now() - began) / 1000),
  };
  phase('done');
  return result;
}

/** This process's peak resident set so far, MB (`maxRSS` is in kilobytes). */
function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** CPU seconds of each of the database's backends now, by pid. */
async function backendsCpu(db: Kysely<Database>): Promise<Map<number, number>> {
  return processesCpuSeconds(await databaseBackendPids(db));
}

/** What the backends seen at the end spent since the start (a backend new since then: all of it); null when `/proc` showed none. */
function serverCpuSpent(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | null {
  const spent = cpuSpent(before, after);
  return spent === null ? null : round(spent);
}

function round(value: number, scale = 10): number {
  return Math.round(value * scale) / scale;
}
