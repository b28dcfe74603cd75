/**
 * Requests that change something (POST, PUT, PATCH, DELETE) started a bounded number a turn of the
 * event loop; page reads (GET, HEAD, OPTIONS) at once.
 *
 * Node parses every request that arrived on the server's sockets in one turn of the loop and hands
 * each to Fastify there and then: routing, the hooks up to the token lookup, the body. At month end
 * 2,800 repayments arrive within half a second (`sprout bench servicing`); the server's loop then
 * ran turns of 100–140 ms starting them, and a page read that arrived in such a turn waited for
 * every one of them before its own token lookup was sent, and again, behind the next such turn,
 * before each of its statements' answers was read (docs/benchmarks.md, session 23, s23e). Here a
 * read goes on as soon as it is parsed; the money requests wait in arrival order and
 * {@link WRITES_PER_TURN} of them start in each turn, so no turn is long with them, and a read's
 * next turn comes soon. A money request waits its turns instead of waiting behind the others inside
 * one; the work is the same, and the batches it feeds (src/servicing/group-commit.ts) still take
 * whatever has arrived when they start.
 *
 * Only for a server's own sockets: `app.inject` (the tests) calls Fastify's handler directly.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Money requests started in one turn: 32 × ≈ 0.1–0.2 ms (routing, hooks, body) ≈ 3–6 ms of a turn. */
export const WRITES_PER_TURN = 32;

/** Methods that only read: never held back. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Puts `handler` (what `server` gave its requests to) behind a scheduler that starts reads at once
 * and at most `perTurn` other requests a turn, in arrival order.
 *
 * @example
 * const start = inTurns(fastifyHandler);
 */
export function inTurns(handler: RequestHandler, perTurn: number = WRITES_PER_TURN): RequestHandler {
  if (!Number.isInteger(perTurn) || perTurn < 1) throw new RangeError(`requests per turn must be a whole number ≥ 1, got ${perTurn}`);
  const waiting: [IncomingMessage, ServerResponse][] = [];
  let startedThisTurn = 0;
  let scheduled = false;
  const nextTurn = () => {
    scheduled = false;
    startedThisTurn = 0;
    for (const [request, response] of waiting.splice(0, perTurn)) {
      startedThisTurn++;
      handler(request, response);
    }
    // Once more while requests start, so that the count starts again; an idle server schedules nothing.
    if (waiting.length > 0 || startedThisTurn > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(nextTurn);
  };
  return (request, response) => {
    if (READS.has(request.method ?? '')) return handler(request, response);
    if (waiting.length === 0 && startedThisTurn < perTurn) {
      startedThisTurn++;
      schedule();
      return handler(request, response);
    }
    waiting.push([request, response]);
    schedule();
  };
}

/**
 * Makes `server`'s requests go through {@link inTurns}; returns false (and changes nothing) unless it
 * has exactly one request listener, the framework's.
 *
 * @example
 * const app = await buildApp(context);
 * startRequestsInTurns(app.server);
 */
export function startRequestsInTurns(server: Server, perTurn: number = WRITES_PER_TURN): boolean {
  const listeners = server.listeners('request') as RequestHandler[];
  if (listeners.length !== 1) return false;
  const handler = listeners[0]!;
  server.removeListener('request', handler);
  server.on('request', inTurns(handler, perTurn));
  return true;
}
