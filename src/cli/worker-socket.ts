/**
 * How the processes of `sprout serve --workers N` share one port.
 *
 * Node's cluster module, by default, has the primary accept every connection and pass it to a
 * worker in turn (round-robin over IPC): the primary spends CPU on every connection, on cores the
 * workers and PostgreSQL need. On Linux each worker can instead open its own listening socket on
 * the port with `SO_REUSEPORT` (node ≥ 22.12 / 23.1: `listen({ reusePort: true })`), and the kernel
 * hands each new connection to one of them by a hash of its addresses; the primary sees none.
 * Measured in docs/benchmarks.md (session 19, s21u).
 *
 * Two consequences. A worker that listens on its own socket does not tell the primary (cluster's
 * `listening` event is only emitted for handles the primary made), so it says so in a message
 * ({@link announceListening}). And `SO_REUSEPORT` lets any process of the same user bind the port
 * as well, so a server left running would silently share it with a new one: the primary checks
 * that nobody listens on the port before it forks ({@link assertPortFree}).
 */
import type { Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { ConflictError } from '../errors.js';

/**
 * The listen queue of each listening socket. Node's default (511) is below the connections a
 * month end opens at once (2,800 in `sprout bench servicing`); a connection that finds the queue
 * full has its handshake's last ACK dropped and is retried by the client a second or more later,
 * or reset. Linux caps it at `net.core.somaxconn` (4,096 by default since 5.4).
 */
export const LISTEN_BACKLOG = 4096;

/** What a server process passes to `listen` besides the port and host. */
export interface ListenOptions {
  readonly backlog: number;
  readonly reusePort?: true;
}

/**
 * The listen options of one server process: its own `SO_REUSEPORT` socket when it is one of
 * several workers on Linux, else the cluster's (or the only process's) socket.
 *
 * @example
 * listenOptions({ platform: 'linux', worker: true }); // { backlog: 4096, reusePort: true }
 * listenOptions({ platform: 'linux', worker: false }); // { backlog: 4096 }: the only process
 */
export function listenOptions(where: { readonly platform: NodeJS.Platform; readonly worker: boolean }): ListenOptions {
  return where.worker && ownSockets(where.platform) ? { backlog: LISTEN_BACKLOG, reusePort: true } : { backlog: LISTEN_BACKLOG };
}

/** Whether workers on this platform listen on sockets of their own (Linux's `SO_REUSEPORT` balances connections across them). */
export function ownSockets(platform: NodeJS.Platform): boolean {
  return platform === 'linux';
}

/** The message a worker on its own socket sends the primary once it listens. */
const LISTENING = 'sprout:listening';

/** In a worker, once it listens: tells the primary (a no-op outside a cluster). */
export function announceListening(): void {
  process.send?.({ cmd: LISTENING });
}

/**
 * In the primary: `then` once `worker` listens, whether on the cluster's shared socket (cluster's
 * `listening` event) or on its own (its message). Called once at most.
 */
export function whenListening(worker: Worker, then: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    worker.off('message', onMessage);
    then();
  };
  const onMessage = (message: unknown) => {
    if (typeof message === 'object' && message !== null && (message as { cmd?: unknown }).cmd === LISTENING) once();
  };
  worker.once('listening', once);
  worker.on('message', onMessage);
}

/**
 * Refuses a port something already listens on, as a plain `listen` would: with `SO_REUSEPORT`
 * the workers' own `listen` would succeed beside a server of the same user left running.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ConflictError(`port ${port} on ${host} is in use: another server (a sprout serve left running?) listens on it`) : error),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
