import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { assertPortFree, LISTEN_BACKLOG, listenOptions, ownSockets } from '../../src/cli/worker-socket.js';
import { ConflictError } from '../../src/errors.js';
import { freePort } from '../../src/system/free-port.js';

const LOADER = fileURLToPath(new URL('../../bin/typescript.js', import.meta.url));
const CLUSTER = fileURLToPath(new URL('../support/listening-cluster.ts', import.meta.url));

/** The sockets listening on `port` on 127.0.0.1, from the kernel's table (Linux). */
function listeningSockets(port: number): number {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  // Column 4 is the state; 0A is LISTEN.
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1] === hex && fields[3] === '0A').length;
}

/** One request on a connection of its own: the kernel picks a worker's socket for each. */
function pidOf(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { connection: 'close' }, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('worker sockets', () => {
  it('a worker on Linux listens on a socket of its own; every process queues 4,096 connections', () => {
    assert.deepEqual(listenOptions({ platform: 'linux', worker: true }), { backlog: 4096, reusePort: true });
    assert.deepEqual(listenOptions({ platform: 'linux', worker: false }), { backlog: 4096 });
    assert.deepEqual(listenOptions({ platform: 'darwin', worker: true }), { backlog: 4096 });
    assert.deepEqual(listenOptions({ platform: 'win32', worker: true }), { backlog: 4096 });
    assert.equal(LISTEN_BACKLOG, 4096);
    assert.deepEqual([ownSockets('linux'), ownSockets('darwin'), ownSockets('win32')], [true, false, false]);
  });

  it('a port something listens on is refused, naming it; a free one is not', async () => {
    const port = await freePort();
    await assertPortFree(port, '127.0.0.1');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen({ port, host: '127.0.0.1' }, resolve));
    try {
      await assert.rejects(assertPortFree(port, '127.0.0.1'), (error: unknown) => error instanceof ConflictError && error.message.includes(`port ${port} on 127.0.0.1 is in use`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    await assertPortFree(port, '127.0.0.1');
  });

  it('two workers each listen on their own socket of one port, tell the primary, and both answer', { skip: !ownSockets(process.platform) }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', LOADER, CLUSTER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const pids = await new Promise<string[]>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const line = /listening (\d+) (\d+)\n/.exec(text);
          if (line) resolve([line[1]!, line[2]!]);
        });
        child.once('exit', (code) => reject(new Error(`the cluster ended (exit ${code})`)));
      });
      assert.equal(listeningSockets(port), 2, "two listening sockets: the workers', none of the primary's");
      // 32 connections: the kernel's hash leaves one worker without any once in 2^31 runs.
      const answered = new Set<string>();
      for (let i = 0; i < 32; i++) answered.add(await pidOf(port));
      assert.deepEqual([...answered].sort(), [...pids].sort());
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
  });
});
