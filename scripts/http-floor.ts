/**
 * The HTTP floor of `sprout bench servicing` (issue 21): what one request costs a server process
 * that does nothing but answer it. An empty Fastify route (`POST /floor`, a JSON body parsed, a
 * small JSON answer, status 201) is hit by N clients at once, each on a fresh keep-alive
 * connection of one agent (as the bench's clients open theirs), with the bench's headers (a bearer
 * token, an Idempotency-Key, a JSON body). Reported per round: the server's core-ms per request
 * (every thread of each server process, from /proc: the workers apart from a cluster's primary),
 * the client's, wall time, p50/p99 and the errors by code (an ECONNRESET is a connection the
 * listen queue refused).
 *
 * Whatever the real path costs comes on top of this, so it bounds what two cores can do: p99 under
 * 1 s at N simultaneous requests needs at most 2 cores × 1,000 ms / N core-ms a request in every
 * process together, and R requests a second at most 2,000 / R.
 *
 * Run: node --import tsx scripts/http-floor.ts --requests 2800 --rounds 6 --workers 1
 *      [--listen round-robin|reuse-port] [--backlog 511] [--per-connection 1]
 * `--workers 1` is one process (no cluster); more are a node cluster whose workers share the port
 * through the primary (round-robin, node's default) or each listen on their own SO_REUSEPORT socket.
 */
import { readFileSync } from 'node:fs';
import cluster from 'node:cluster';
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { freePort } from '../src/system/free-port.js';
import { percentile } from '../src/servicing/servicing-benchmark.js';
import { announceListening, whenListening } from '../src/cli/worker-socket.js';

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    port: { type: 'string' },
    requests: { type: 'string', default: '2800' },
    rounds: { type: 'string', default: '6' },
    workers: { type: 'string', default: '1' },
    listen: { type: 'string', default: 'round-robin' },
    backlog: { type: 'string' },
    'per-connection': { type: 'string', default: '1' },
  },
});
const workers = Number(values.workers);
const listen = values.listen;
if (listen !== 'round-robin' && listen !== 'reuse-port') throw new Error(`--listen round-robin|reuse-port, got ${listen}`);
const backlog = values.backlog === undefined ? undefined : Number(values.backlog);

if (values.serve) await serve(Number(values.port));
else await drive();

/** The server: one process, or a cluster's primary forking `workers` of them. */
async function serve(port: number): Promise<void> {
  if (workers > 1 && cluster.isPrimary) {
    process.stdout.write(`primary ${process.pid}\n`);
    let listening = 0;
    for (let i = 0; i < workers; i++) {
      whenListening(cluster.fork(), () => {
        if (++listening === workers) process.stdout.write('listening\n');
      });
    }
    process.once('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
      process.exit(0);
    });
    return;
  }
  const app = Fastify({ logger: false });
  app.post('/floor', async (_request, reply) => reply.code(201).send({ ok: true }));
  await app.listen({ port, host: '127.0.0.1', ...(listen === 'reuse-port' && workers > 1 ? { reusePort: true } : {}), ...(backlog === undefined ? {} : { backlog }) });
  process.stdout.write(`worker ${process.pid}\n`);
  if (cluster.isWorker) announceListening();
  else process.stdout.write('listening\n');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

/** The client: starts the server, runs the rounds, prints one JSON line per round and a summary. */
async function drive(): Promise<void> {
  const n = Number(values.requests);
  const rounds = Number(values.rounds);
  const perConnection = Number(values['per-connection']);
  const port = await freePort();
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, '--serve', '--port', String(port), '--workers', String(workers), '--listen', listen!, ...(backlog === undefined ? [] : ['--backlog', String(backlog)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = { primary: null as number | null, workers: [] as number[] };
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      for (const line of text.split('\n')) {
        const [role, pid] = line.split(' ');
        if (role === 'primary' && pids.primary === null) pids.primary = Number(pid);
        if (role === 'worker' && !pids.workers.includes(Number(pid))) pids.workers.push(Number(pid));
      }
      if (text.includes('listening\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the server ended (exit ${code})`)));
  });
  const body = JSON.stringify({ amount: '100.00' });
  const token = 'x'.repeat(43);
  const results: Round[] = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      // A new agent a round: every client's first request opens a connection, as the bench's do.
      const agent = new Agent({ keepAlive: true, maxSockets: n + 8 });
      const errors: Record<string, number> = {};
      const latencies: number[] = [];
      const send = (key: string) =>
        new Promise<void>((resolve) => {
          const started = performance.now();
          const req = httpRequest(
            { agent, host: '127.0.0.1', port, path: '/floor', method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'idempotency-key': key } },
            (res) => {
              res.resume();
              res.on('end', () => {
                if (res.statusCode === 201) latencies.push(performance.now() - started);
                else errors[`status ${res.statusCode}`] = (errors[`status ${res.statusCode}`] ?? 0) + 1;
                resolve();
              });
            },
          );
          req.on('error', (error: NodeJS.ErrnoException) => {
            errors[error.code ?? error.message] = (errors[error.code ?? error.message] ?? 0) + 1;
            resolve();
          });
          req.end(body);
        });
      const client = async (i: number) => {
        for (let k = 0; k < perConnection; k++) await send(`floor-${round}-${i}-${k}`);
      };
      const queueBefore = listenQueue();
      const serverBefore = cpuOf(pids);
      const clientBefore = process.cpuUsage();
      const started = performance.now();
      await Promise.all(Array.from({ length: n }, (_, i) => client(i)));
      const wallMs = performance.now() - started;
      const clientCpu = process.cpuUsage(clientBefore);
      const serverAfter = cpuOf(pids);
      const queueAfter = listenQueue();
      agent.destroy();
      const requests = n * perConnection;
      const result: Round = {
        round,
        warmUp: round === 0,
        requests,
        ok: latencies.length,
        errors,
        wallMs: Math.round(wallMs),
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        workersCoreMsPerRequest: round2((serverAfter.workers - serverBefore.workers) / requests),
        primaryCoreMsPerRequest: pids.primary === null ? null : round2((serverAfter.primary - serverBefore.primary) / requests),
        clientCoreMsPerRequest: round2((clientCpu.user + clientCpu.system) / 1000 / requests),
        listenOverflows: queueAfter.overflows - queueBefore.overflows,
      };
      if (round > 0) results.push(result);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      // Let the server close the round's connections before the next round opens its own.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    child.kill('SIGTERM');
  }
  const mean = (pick: (r: (typeof results)[number]) => number) => round2(results.reduce((sum, r) => sum + pick(r), 0) / results.length);
  const summary = {
    requests: n,
    perConnection,
    workers,
    listen: workers > 1 ? listen : null,
    backlog: backlog ?? 'default',
    rounds: results.length,
    workersCoreMsPerRequest: mean((r) => r.workersCoreMsPerRequest),
    primaryCoreMsPerRequest: pids.primary === null ? null : mean((r) => r.primaryCoreMsPerRequest ?? 0),
    clientCoreMsPerRequest: mean((r) => r.clientCoreMsPerRequest),
    p99Ms: mean((r) => r.p99Ms),
    listenOverflows: results.reduce((sum, r) => sum + r.listenOverflows, 0),
    failed: results.reduce((sum, r) => sum + (r.requests - r.ok), 0),
  };
  process.stdout.write(`${JSON.stringify({ summary })}\n`);
}

interface Round {
  readonly round: number;
  readonly warmUp: boolean;
  readonly requests: number;
  readonly ok: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly wallMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly workersCoreMsPerRequest: number;
  readonly primaryCoreMsPerRequest: number | null;
  readonly clientCoreMsPerRequest: number;
  /** Connections the kernel could not queue for accept (TcpExt ListenOverflows, the whole host's). */
  readonly listenOverflows: number;
}

/**
 * The host's TcpExt ListenOverflows so far: a handshake completed when the listening socket's
 * accept queue (its backlog) was full. The client's ACK is dropped and its SYN or data sent again
 * after a timeout of a second or more, which is what a p99 of seconds on an empty route is.
 */
function listenQueue(): { overflows: number } {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('TcpExt:'));
  const names = lines[header]!.split(' ');
  const numbers = lines[header + 1]!.split(' ');
  return { overflows: Number(numbers[names.indexOf('ListenOverflows')]) };
}

/** CPU (ms, every thread) of the server's processes so far, from /proc/<pid>/stat: utime + stime. */
function cpuOf(pids: { primary: number | null; workers: readonly number[] }): { primary: number; workers: number } {
  const ticks = 100; // USER_HZ on Linux
  const of = (pid: number) => {
    // The command name may hold spaces; the fields after it are fixed.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  };
  return { primary: pids.primary === null ? 0 : of(pids.primary), workers: pids.workers.reduce((sum, pid) => sum + of(pid), 0) };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
