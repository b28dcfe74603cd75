import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { holdDatabase, sprout as runSprout, type HeldDatabase } from '../support/cli.js';
import { simulatedCreditCode } from '../../src/data/index.js';
import { unpackMigratedCluster } from '../support/data-dir.js';


/** `sprout` run in this process (test/support/cli.ts), on a database the test holds open for its commands if it gives one. */
const sprout = (env: Record<string, string>, ...args: string[]) => runSprout(args, { ...process.env, DATABASE_URL: '', ...env });
const sproutOn = (held: HeldDatabase, env: Record<string, string>, ...args: string[]) => runSprout(args, { ...process.env, DATABASE_URL: '', ...env }, held);

describe('origination commands', () => {
  it('sprout prospects import reads credit_code,name rows, reports invalid ones per row, and stores the batch; user create takes --approval-limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-prospects-'));
    let held: HeldDatabase | undefined;
    try {
      const csv = join(dir, 'list.csv');
      const codes = Array.from({ length: 5 }, (_, i) => simulatedCreditCode(91, i));
      writeFileSync(csv, ['credit_code,name', ...codes.map((code, i) => `${code},商户${i + 1}`), '91350100M000100Y44,错码商户', 'TOO-SHORT,短码'].join('\n'));
      const dataDir = join(dir, 'data');
      unpackMigratedCluster(dataDir);
      held = await holdDatabase({ dataDir });
      const result = await sproutOn(held, { SPROUT_MODE: 'demo' }, 'prospects', 'import', csv, '--source', 'business-district', '--source-name', '杭州四季青服装市场', '--data-dir', dataDir, '--format', 'json');
      assert.equal(result.status, 0, result.stderr);
      const batch = JSON.parse(result.stdout) as { total: number; invalid: number; preApproved: number; declined: number; source: string; prospects: { status: string; indicativeLimit: string | null; reasons: string[]; detail: string | null }[] };
      assert.deepEqual([batch.total, batch.invalid, batch.preApproved + batch.declined, batch.source], [7, 2, 5, 'business-district']);
      assert.deepEqual(batch.prospects[5]!.reasons, ['INVALID_CREDIT_CODE']);
      assert.match(batch.prospects[5]!.detail!, /^character 18 '4' is wrong/);
      assert.deepEqual(batch.prospects[6]!.reasons, ['INVALID_CREDIT_CODE']);
      assert.match(batch.prospects[6]!.detail!, /^must be 18 characters/);
      for (const prospect of batch.prospects.filter((row) => row.status === 'pre-approved')) assert.ok(['200000.00', '100000.00'].includes(prospect.indicativeLimit!));

      const text = await sproutOn(held, { SPROUT_MODE: 'demo' }, 'prospects', 'import', csv, '--source', 'platform', '--source-name', '某电商平台', '--data-dir', dataDir);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /7 prospects, \d+ pre-approved, \d+ declined, 2 invalid/);
      assert.match(text.stdout, /row 6 91350100M000100Y44 错码商户: invalid/);

      const user = await sproutOn(held, { SPROUT_PASSWORD: 'a long secret' }, 'user', 'create', '--username', 'wang.approver', '--role', 'credit-approver', '--approval-limit', '2000000.00', '--data-dir', dataDir, '--format', 'json');
      assert.equal(user.status, 0, user.stderr);
      assert.equal((JSON.parse(user.stdout) as { approvalLimit: string }).approvalLimit, '2000000.00');
      const bad = await sproutOn(held, { SPROUT_PASSWORD: 'a long secret' }, 'user', 'create', '--username', 'li.approver', '--role', 'credit-approver', '--approval-limit', 'lots', '--data-dir', dataDir);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /approval-limit/);
    } finally {
      await held?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sprout bench decide prints the decisions, their latency and rate as JSON, and refuses a bad --warmup naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sprout-bench-'));
    try {
      unpackMigratedCluster(join(dir, 'data'));
      const result = await sprout({}, 'bench', 'decide', '--n', '12', '--warmup', '3', '--data-dir', join(dir, 'data'), '--format', 'json');
      assert.equal(result.status, 0, result.stderr);
      const out = JSON.parse(result.stdout) as Record<string, number>;
      assert.deepEqual(Object.keys(out), ['decisions', 'p50Ms', 'p99Ms', 'perSecond', 'workers', 'nodeCpuMsPerDecision']);
      assert.equal(out.decisions, 12);
      assert.equal(out.workers, 1, 'PGlite is one process');
      assert.ok(out.p50Ms! > 0 && out.p99Ms! >= out.p50Ms! && out.perSecond! > 0 && out.nodeCpuMsPerDecision! > 0);
      const bad = await sprout({}, 'bench', 'decide', '--n', '12', '--warmup', 'some', '--data-dir', join(dir, 'data'));
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /warmup/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
