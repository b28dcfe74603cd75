import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { burstCpu, cpuSnapshot, type CpuSnapshot } from '../../src/servicing/burst-cpu.js';
import { processCpuSeconds, processTree } from '../../src/system/process-stats.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const linux = process.platform === 'linux';

describe('where the burst CPU went (src/servicing/burst-cpu.ts)', () => {
  it('each side is what its processes used between the snapshots, a process first seen after counted whole; per money request in ms, and the cores busy', () => {
    const before: CpuSnapshot = { server: new Map([[1, 1.0], [2, 0.5]]), database: new Map([[10, 5.0]]), bench: 1.0 };
    const after: CpuSnapshot = { server: new Map([[1, 1.8], [2, 0.9], [3, 0.2]]), database: new Map([[10, 5.3], [11, 0.1]]), bench: 1.1 };
    const cpu = burstCpu(before, after, 0.7, 1000, 1.0);
    const cores = availableParallelism();
    assert.deepEqual(cpu, {
      cores,
      serverSeconds: 1.4,
      databaseSeconds: 0.4,
      clientsSeconds: 0.7,
      benchSeconds: 0.1,
      perRequestMs: { server: 1.4, database: 0.4, clients: 0.7, bench: 0.1 },
      busy: Math.round((2.6 / cores) * 1000) / 1000,
    });
  });

  it('a side /proc does not show is null, not 0, and the cores busy count what was seen', () => {
    const before: CpuSnapshot = { server: null, database: null, bench: 2.0 };
    const cpu = burstCpu(before, { ...before, bench: 2.5 }, 1.5, 500, 2.0);
    assert.deepEqual([cpu.serverSeconds, cpu.databaseSeconds, cpu.perRequestMs.server, cpu.perRequestMs.database], [null, null, null, null]);
    assert.deepEqual([cpu.clientsSeconds, cpu.benchSeconds, cpu.perRequestMs.clients, cpu.perRequestMs.bench], [1.5, 0.5, 3, 1]);
    assert.equal(cpu.busy, Math.round((2.0 / (cpu.cores * 2)) * 1000) / 1000);
  });

  it('a server is its process and every process under it, and their CPU is counted', { skip: !linux && 'needs /proc' }, async () => {
    // A parent that starts a busy child, as a cluster primary starts its workers.
    // Busy until it has used 0.4 s of CPU (not of the clock: the machine may be loaded), then idle.
    const busy = 'while (process.cpuUsage().user < 400000); setTimeout(() => {}, 60000);';
    const parent = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(busy)}], { stdio: 'inherit' }); setTimeout(() => {}, 60000);`], { stdio: 'ignore' });
    try {
      let tree: number[] = [];
      for (let tries = 0; tries < 100 && tree.length < 2; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        tree = processTree(parent.pid!);
      }
      assert.equal(tree.length, 2, `the parent and its child: ${tree.join(', ')}`);
      assert.equal(tree[0], parent.pid);
      assert.ok(processTree(process.pid).includes(parent.pid!) && processTree(process.pid).includes(tree[1]!), 'and this process is above both');
      let child = 0;
      for (let tries = 0; tries < 600 && child < 0.3; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        child = processCpuSeconds(tree[1]!)!;
      }
      assert.ok(child >= 0.3, `the busy child used ${child} s`);
      const snapshot = await cpuSnapshot({ serverPid: parent.pid! });
      assert.deepEqual([...snapshot.server!.keys()], tree);
      assert.ok(snapshot.server!.get(tree[1]!)! >= 0.3);
      assert.equal(snapshot.database, null);
    } finally {
      parent.kill('SIGKILL');
      for (const pid of processTree(parent.pid!)) if (pid !== parent.pid) process.kill(pid, 'SIGKILL');
    }
  });

  for (const backend of BACKENDS.filter((name) => name === 'postgres')) {
    it(`PostgreSQL's side is the database's backends: a busy statement on one of them is counted (${backend})`, { skip: !linux && 'needs /proc' }, async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await db.connection().execute(async (connection) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(connection);
          const pid = Number(rows[0]!.pid);
          const before = await cpuSnapshot({ database: db });
          assert.ok(before.database!.has(pid), `backend ${pid} among ${[...before.database!.keys()].join(', ')}`);
          await sql`select count(*) from generate_series(1, 3000000)`.execute(connection);
          const after = await cpuSnapshot({ database: db });
          const used = after.database!.get(pid)! - before.database!.get(pid)!;
          assert.ok(used >= 0.05, `the backend used ${used} s`);
          assert.ok(burstCpu(before, after, 0, 1, 1).databaseSeconds! >= used - 0.001);
        });
      });
    });
  }
});
