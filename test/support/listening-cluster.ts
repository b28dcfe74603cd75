/**
 * A cluster of two workers that listen as `sprout serve --workers 2`'s do (src/cli/worker-socket.ts),
 * each answering a request with its pid; the primary prints `listening <pid> <pid>` once both
 * said they listen. Started by test/cli/worker-socket.test.ts:
 * `node --import ./bin/typescript.js test/support/listening-cluster.ts <port>`.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { listenOptions, announceListening, whenListening } from '../../src/cli/worker-socket.js';

const port = Number(process.argv[2]);
if (cluster.isPrimary) {
  const pids: number[] = [];
  for (let i = 0; i < 2; i++) {
    const worker = cluster.fork();
    whenListening(worker, () => {
      pids.push(worker.process.pid ?? 0);
      if (pids.length === 2) process.stdout.write(`listening ${pids.join(' ')}\n`);
    });
  }
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const server = createServer((_request, response) => response.end(String(process.pid)));
  server.listen({ port, host: '127.0.0.1', ...listenOptions({ platform: process.platform, worker: true }) }, () => announceListening());
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
