/**
 * What `/proc` says about another process on this host (a PostgreSQL server backend, say): its CPU
 * and its peak resident memory. The machine is shared, so benchmarks report CPU beside wall time.
 * Both are undefined when `/proc` does not show the process (another host, another OS, ended).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * User + system CPU seconds of a local process.
 *
 * @example
 * processCpuSeconds(4242); // 12.37
 */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch (error) {
    return gone(error);
  }
}

/**
 * CPU seconds of each of `pids` that `/proc` shows now, by pid.
 *
 * @example
 * processesCpuSeconds([4242, 4250]); // Map { 4242 => 12.37, 4250 => 3.1 }
 */
export function processesCpuSeconds(pids: readonly number[]): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== undefined) cpu.set(pid, seconds);
  }
  return cpu;
}

/**
 * What the processes seen in `after` spent since `before` ({@link processesCpuSeconds} twice); a
 * process new since then spent all it shows. Null when either is missing or `/proc` showed none.
 *
 * @example
 * cpuSpent(new Map([[1, 1.0]]), new Map([[1, 1.8], [2, 0.2]])); // 1.0
 */
export function cpuSpent(before: ReadonlyMap<number, number> | null | undefined, after: ReadonlyMap<number, number> | null | undefined): number | null {
  if (before == null || after == null || after.size === 0) return null;
  let spent = 0;
  for (const [pid, seconds] of after) spent += seconds - (before.get(pid) ?? 0);
  return spent;
}

/**
 * The process ids of the PostgreSQL server's backends of this database (the pool's connections,
 * any parallel workers now) and, with `background`, the server's own processes (writer,
 * checkpointer, WAL writer, autovacuum).
 *
 * @example
 * await databaseBackendPids(db, { background: true }); // [31200, 31201, 29870, …]
 */
export async function databaseBackendPids(db: Kysely<Database>, options: { readonly background?: boolean } = {}): Promise<number[]> {
  const found = options.background
    ? await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() or backend_type <> 'client backend'`.execute(db)
    : await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  return found.rows.map((row) => Number(row.pid));
}

/**
 * A local process and every process under it (a server's cluster workers), by `/proc`'s parent
 * links; just `[pid]` where `/proc` lists nothing (another OS).
 *
 * @example
 * processTree(4242); // [4242, 4250, 4251]
 */
export function processTree(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^[0-9]+$/.test(entry));
  } catch {
    return [pid];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // Ended meanwhile.
    }
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/**
 * Peak resident set of a local process in kilobytes (`VmHWM`). For a PostgreSQL backend it counts
 * the pages of shared buffers it touched, which every backend shares.
 *
 * @example
 * processPeakRssKb(4242); // 151232
 */
export function processPeakRssKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const found = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return found === null ? undefined : Number(found[1]);
  } catch (error) {
    return gone(error);
  }
}

/** A process that `/proc` no longer (or never) shows reads as unknown; any other failure is thrown. */
function gone(error: unknown): undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ESRCH') return undefined;
  throw error;
}
