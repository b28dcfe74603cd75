import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { BENCH_DRAWDOWN, BENCH_REPAYMENT, draws, LOGIN_SAMPLE, retries, runLoadClients, type LoadBorrower, type LoadClientsResult, type WarmupFigures } from '../../src/servicing/load-clients.js';

interface Seen {
  readonly connection: number;
  readonly method: string;
  readonly path: string;
  readonly key: string | undefined;
  readonly token: string | undefined;
  readonly body: unknown;
}

/**
 * A stand-in for the server: counts the connections opened, records every request, answers a
 * login 200 and a money request 201 with an answer that is its key's (so a retry's answer is the
 * first's), and holds the first money answers until `hold` requests wait at once: clients that did
 * not all start at once would never be answered.
 */
async function fakeServer(hold: number) {
  const seen: Seen[] = [];
  let connections = 0;
  let mostWaiting = 0;
  let holding = true;
  const waiting: (() => void)[] = [];
  const ids = new WeakMap<object, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const key = req.headers['idempotency-key'] as string | undefined;
      seen.push({ connection: ids.get(req.socket)!, method: req.method!, path: req.url!, key, token: req.headers.authorization?.replace(/^Bearer /, ''), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/v1/auth/token') return answer(200, { token: 'login' });
      waiting.push(() => answer(201, { key }));
      mostWaiting = Math.max(mostWaiting, waiting.length);
      if (waiting.length < hold && holding) return;
      holding = false;
      for (const release of waiting.splice(0)) release();
    });
  });
  server.on('connection', (socket) => ids.set(socket, ++connections));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    connections: () => connections,
    mostWaiting: () => mostWaiting,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const borrowers = (n: number): LoadBorrower[] =>
  Array.from({ length: n }, (_, i) => ({ username: `b${i}`, token: `token-${i}`, loanId: `loan-${i}`, lineId: draws(i) ? `line-${i}` : null }));

async function drive(n: number, concurrency: number, warmup: readonly LoadBorrower[] = []) {
  const server = await fakeServer(Math.min(n, concurrency));
  const messages: { kind: string; result?: LoadClientsResult; warmup?: WarmupFigures }[] = [];
  try {
    await runLoadClients(
      { url: server.url, borrowers: borrowers(n), concurrency, nice: 0, runId: 'r', warmup, warmupConcurrency: Math.min(concurrency, warmup.length) },
      (message) => messages.push(message),
      Promise.resolve(),
    );
    return { server, messages };
  } finally {
    await server.close();
  }
}

describe('the bench servicing money clients (src/servicing/load-clients.ts)', () => {
  it('every client starts at once on a connection of its own: twelve clients, twelve connections, twelve repayments waiting at once; each request sent as before', async () => {
    const { server, messages } = await drive(12, 12);
    assert.deepEqual(messages.map((message) => message.kind), ['ready', 'result']);
    const result = messages[1]!.result!;
    assert.deepEqual(
      { errors: result.errors, repayments: result.repayments, retried: result.retried, drawdowns: result.drawdowns, retriesReplayed: result.retriesReplayed, timed: result.repaymentMs.length, drawdownsTimed: result.drawdownMs.length },
      { errors: 0, repayments: 12, retried: 1, drawdowns: 2, retriesReplayed: 1, timed: 13, drawdownsTimed: 2 },
    );
    // One connection a client (the logins' is the first client's), and all twelve first repayments in flight together.
    assert.equal(server.connections(), 12);
    assert.equal(server.mostWaiting(), 12);
    assert.ok(result.seconds > 0 && [...result.repaymentMs, ...result.drawdownMs].every((ms) => ms > 0));
    // The process's own CPU over the burst, every thread of it: some, and no more than its threads could use in the time.
    assert.ok(result.cpuSeconds > 0 && result.cpuSeconds < result.seconds * 64, `cpu ${result.cpuSeconds} s in ${result.seconds} s`);

    const logins = server.seen.filter((request) => request.path === '/v1/auth/token');
    assert.deepEqual(logins.map((login) => login.body), Array.from({ length: LOGIN_SAMPLE }, (_, i) => ({ username: `b${i}`, password: 'bench-servicing-password-2026' })));
    const money = server.seen.filter((request) => request.path !== '/v1/auth/token');
    const expected = Array.from({ length: 12 }, (_, i) => [
      { method: 'POST', path: `/v1/loans/loan-${i}/repayments`, key: `bench-r-repay-${i}`, token: `token-${i}`, body: { amount: BENCH_REPAYMENT } },
      ...(retries(i) ? [{ method: 'POST', path: `/v1/loans/loan-${i}/repayments`, key: `bench-r-repay-${i}`, token: `token-${i}`, body: { amount: BENCH_REPAYMENT } }] : []),
      ...(draws(i) ? [{ method: 'POST', path: `/v1/lines/line-${i}/drawdowns`, key: `bench-r-draw-${i}`, token: `token-${i}`, body: { amount: BENCH_DRAWDOWN, termDays: 30 } }] : []),
    ]).flat();
    const strip = ({ connection: _connection, ...request }: Seen) => request;
    const order = (a: Omit<Seen, 'connection'>, b: Omit<Seen, 'connection'>) => `${a.key}${a.path}`.localeCompare(`${b.key}${b.path}`);
    assert.deepEqual(money.map(strip).sort(order), [...expected].sort(order));
    // A borrower's retry and drawdown go on the connection of its first repayment, as a phone's would.
    for (let i = 0; i < 12; i++) {
      const own = money.filter((request) => request.token === `token-${i}`);
      assert.equal(new Set(own.map((request) => request.connection)).size, 1, `borrower ${i}`);
    }
  });

  it('fewer clients than borrowers: four connections, each client taking the next borrower when its last is done', async () => {
    const { server, messages } = await drive(12, 4);
    const result = messages[1]!.result!;
    assert.deepEqual([result.errors, result.repayments, result.retried, result.drawdowns, result.retriesReplayed], [0, 12, 1, 2, 1]);
    assert.equal(server.connections(), 4);
    assert.equal(server.seen.filter((request) => request.path !== '/v1/auth/token').length, 15);
  });

  it('the warm-up: its borrowers repay (the fourth retried, the first drawing) with keys of their own on connections of their own, all before the clients say they are ready; the timed figures are the timed borrowers\' alone', async () => {
    const warm = Array.from({ length: 5 }, (_, i) => ({ username: `w${i}`, token: `warm-${i}`, loanId: `warm-loan-${i}`, lineId: i === 0 ? 'warm-line-0' : null }));
    const { server, messages } = await drive(12, 4, warm);
    assert.deepEqual(messages.map((message) => message.kind), ['ready', 'result']);
    const ready = messages[0]!.warmup!;
    assert.deepEqual({ ...ready, seconds: 0 }, { borrowers: 5, requests: 7, errors: 0, seconds: 0 });
    assert.ok(ready.seconds > 0);
    const result = messages[1]!.result!;
    assert.deepEqual([result.errors, result.repayments, result.retried, result.drawdowns, result.retriesReplayed, result.repaymentMs.length], [0, 12, 1, 2, 1, 13]);

    const money = server.seen.filter((request) => request.path !== '/v1/auth/token');
    const warming = money.filter((request) => request.token!.startsWith('warm-'));
    assert.deepEqual(
      warming.map((request) => `${request.path} ${request.key}`).sort(),
      [
        '/v1/lines/warm-line-0/drawdowns bench-r-warm-draw-0',
        ...[0, 1, 2, 3, 3, 4].map((i) => `/v1/loans/warm-loan-${i}/repayments bench-r-warm-repay-${i}`),
      ].sort(),
    );
    // Every warm-up request came before every timed one, on four connections none of the timed borrowers used.
    const firstTimed = money.findIndex((request) => !request.token!.startsWith('warm-'));
    assert.equal(firstTimed, warming.length);
    const warmConnections = new Set(warming.map((request) => request.connection));
    assert.equal(warmConnections.size, 4);
    assert.ok(money.slice(firstTimed).every((request) => !warmConnections.has(request.connection)));
  });

  it('a warm-up that fails stops the clients before the clock, saying why', async () => {
    // Logins answered; every money request refused.
    const server = createServer((req, res) => {
      req.resume().on('end', () => {
        res.writeHead(req.url === '/v1/auth/token' ? 200 : 409, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/v1/auth/token' ? { token: 'login' } : { error: 'conflict' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const messages: { kind: string }[] = [];
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await assert.rejects(
        runLoadClients({ url, borrowers: borrowers(2), concurrency: 2, nice: 0, runId: 'r', warmup: [{ username: 'w', token: 't', loanId: 'l', lineId: null }], warmupConcurrency: 1 }, (message) => messages.push(message), Promise.resolve()),
        /the warm-up failed: 1 errors, 0 of 0 retries replayed; repayment: 409 \{"error":"conflict"\}/,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.deepEqual(messages, [], 'never ready');
  });
});
