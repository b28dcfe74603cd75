/**
 * Where the CPU of `bench servicing`'s timed burst went, side by side: the server (its processes),
 * PostgreSQL (the backends of the bench's database and the server's own background processes), the
 * money clients' process and the bench's (the page readers), each from `/proc` before and after the
 * burst; the clients' process measures its own (src/servicing/load-clients.ts). On one machine the
 * four share its cores, so the burst can end no sooner than their CPU divided by the cores: a money
 * request's p99 is bounded by that, whatever the code's latency.
 * A side `/proc` does not show (a server at --url, a database on another host, PGlite's database
 * inside the server) is null.
 */
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { cpuSpent, databaseBackendPids, processesCpuSeconds, processTree } from '../system/process-stats.js';

/** The processes to watch. */
export interface BurstSides {
  readonly serverPid?: number | undefined;
  /** The database the server uses, on PostgreSQL: its backends are found in `pg_stat_activity`. */
  readonly database?: Kysely<Database> | undefined;
}

/** CPU seconds by process, per side, at one moment. */
export interface CpuSnapshot {
  readonly server: ReadonlyMap<number, number> | null;
  readonly database: ReadonlyMap<number, number> | null;
  readonly bench: number;
}

/** Core-seconds each side used over the burst, per money request, and how busy the cores were. */
export interface BurstCpu {
  readonly cores: number;
  readonly serverSeconds: number | null;
  readonly databaseSeconds: number | null;
  readonly clientsSeconds: number | null;
  readonly benchSeconds: number;
  /** Milliseconds of each side's CPU per money request. */
  readonly perRequestMs: { readonly server: number | null; readonly database: number | null; readonly clients: number | null; readonly bench: number };
  /** The sides' CPU over the cores' time in the burst: 1 is every core busy with them throughout. */
  readonly busy: number;
}

/**
 * Each side's processes and their CPU now.
 *
 * @example
 * const before = await cpuSnapshot({ serverPid: child.pid, database: db });
 */
export async function cpuSnapshot(sides: BurstSides): Promise<CpuSnapshot> {
  const database = sides.database === undefined ? null : await databaseBackendPids(sides.database, { background: true });
  return {
    server: sides.serverPid === undefined ? null : processesCpuSeconds(processTree(sides.serverPid)),
    database: database === null ? null : processesCpuSeconds(database),
    bench: benchSeconds(),
  };
}

/**
 * The burst's CPU from two snapshots and the clients' own figure: a process first seen in the second
 * started during the burst (a pooled connection opened meanwhile), so all its CPU is counted.
 *
 * @example
 * burstCpu(before, after, 1.1, 3360, 3.1); // { cores: 2, serverSeconds: 2.1, …, busy: 0.82 }
 */
export function burstCpu(before: CpuSnapshot, after: CpuSnapshot, clients: number, requests: number, seconds: number): BurstCpu {
  const used = (first: ReadonlyMap<number, number> | null, last: ReadonlyMap<number, number> | null): number | null => {
    const spent = cpuSpent(first, last);
    return spent === null ? null : round(spent);
  };
  const serverSeconds = used(before.server, after.server);
  const databaseSeconds = used(before.database, after.database);
  const clientsSeconds = round(clients);
  const bench = round(after.bench - before.bench);
  const perRequest = (value: number | null) => (value === null || requests === 0 ? null : round((value * 1000) / requests));
  const cores = availableParallelism();
  const total = (serverSeconds ?? 0) + (databaseSeconds ?? 0) + (clientsSeconds ?? 0) + bench;
  return {
    cores,
    serverSeconds,
    databaseSeconds,
    clientsSeconds,
    benchSeconds: bench,
    perRequestMs: { server: perRequest(serverSeconds), database: perRequest(databaseSeconds), clients: perRequest(clientsSeconds), bench: perRequest(bench)! },
    busy: seconds > 0 ? round(total / (cores * seconds)) : 0,
  };
}

/** This process's CPU (its main thread and the page readers' thread). */
function benchSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
