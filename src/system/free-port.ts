/** A free TCP port on loopback, for a server started on one (benchmarks and browser tests). */
import { createServer } from 'node:net';

/** A port nobody listens on now: the kernel's pick for a probe bound to port 0, closed again. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
