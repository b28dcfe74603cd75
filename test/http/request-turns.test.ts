/**
 * Requests that change something start a bounded number a turn of the event loop, reads at once
 * (src/http/request-turns.ts); every request is still answered, the held ones in arrival order.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { inTurns, startRequestsInTurns } from '../../src/http/request-turns.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A fake request of `method`, and a response that records it was answered. */
function fake(method: string, id: number): [IncomingMessage, ServerResponse] {
  return [{ method, url: `/${id}` } as IncomingMessage, {} as ServerResponse];
}

/** A turn is one pass of the loop: an immediate queued now runs in the next one. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('requests in turns', () => {
  it('of 100 repayments arriving in one turn, 8 start in it and 8 in each turn after, in arrival order; a read that arrives with them starts at once', async () => {
    const started: string[] = [];
    const handler: Handler = (request) => started.push(`${request.method} ${request.url}`);
    const start = inTurns(handler, 8);
    for (let i = 0; i < 100; i++) start(...fake('POST', i));
    start(...fake('GET', 1000));
    assert.equal(started.length, 9);
    assert.equal(started.at(-1), 'GET /1000');
    const perTurn = [started.length - 1];
    while (started.length < 101) {
      const before = started.length;
      await nextTurn();
      perTurn.push(started.length - before);
    }
    assert.deepEqual(perTurn, [8, ...Array.from({ length: 11 }, () => 8), 4]);
    assert.deepEqual(started.filter((line) => line.startsWith('POST')), Array.from({ length: 100 }, (_, i) => `POST /${i}`));
  });

  it('reads are never held, however many changes wait', async () => {
    const started: string[] = [];
    const start = inTurns((request) => started.push(`${request.method}`), 2);
    for (let i = 0; i < 10; i++) start(...fake('DELETE', i));
    for (let i = 0; i < 5; i++) start(...fake(i % 2 === 0 ? 'GET' : 'HEAD', i));
    start(...fake('OPTIONS', 99));
    assert.deepEqual(started, ['DELETE', 'DELETE', 'GET', 'HEAD', 'GET', 'HEAD', 'GET', 'OPTIONS']);
    while (started.length < 16) await nextTurn();
  });

  it('a bound that is not a whole number of at least one is refused', () => {
    assert.throws(() => inTurns(() => {}, 0), RangeError);
    assert.throws(() => inTurns(() => {}, 1.5), RangeError);
  });

  it('a server\'s POSTs sent together over many connections are all answered, through its one request listener', async () => {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => response.end(`${request.method} ${body}`));
    });
    assert.equal(startRequestsInTurns(server, 4), true);
    assert.equal(server.listeners('request').length, 1);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: false, maxSockets: 100 });
    try {
      const send = (method: string, body: string) =>
        new Promise<string>((resolve, reject) => {
          const req = httpRequest({ agent, host: '127.0.0.1', port, method, path: '/', headers: { 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
            res.on('end', () => resolve(text));
          });
          req.on('error', reject);
          req.end(body);
        });
      const answers = await Promise.all([...Array.from({ length: 60 }, (_, i) => send('POST', `repay ${i}`)), send('GET', '')]);
      assert.deepEqual(answers, [...Array.from({ length: 60 }, (_, i) => `POST repay ${i}`), 'GET ']);
    } finally {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // A server with a second request listener is left alone.
    const two = createServer(() => {});
    two.on('request', () => {});
    assert.equal(startRequestsInTurns(two), false);
  });
});
