/**
 * What every AuditAnchor must do, whatever it stores checkpoints in (as provider-conformance.ts
 * does for data providers). A new anchor (WORM storage, a syslog host) is added by calling
 * `auditAnchorConformance` with a factory for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditAnchor } from '../../src/audit/audit-anchor.js';

/** An anchor under test, and the attacker's hands on its storage. */
export interface AnchorUnderTest {
  readonly anchor: AuditAnchor;
  /** The same storage opened again (a restart), with `key`. */
  reopen(key: Buffer): AuditAnchor;
  /** Changes a head's position in the stored checkpoint `seq` without re-signing it. */
  editStored(seq: number): void;
  /** Removes the stored checkpoint `seq`. */
  removeStored(seq: number): void;
}

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 9);
const heads = (position: number) => ({ '0': { position: String(position), hash: `hmac:${'a'.repeat(64)}` }, '5': { position: String(position * 2), hash: 'b'.repeat(64) } });

export function auditAnchorConformance(name: string, make: (key: Buffer) => AnchorUnderTest): void {
  describe(`audit anchor conformance: ${name}`, () => {
    it('starts empty, numbers checkpoints 1, 2, 3 and reads them back in order, also after a restart', async () => {
      const subject = make(KEY);
      assert.deepEqual(await subject.anchor.read(), { checkpoints: [], problems: [] });
      for (let position = 1; position <= 3; position++) {
        const written = await subject.anchor.append({ at: `2025-06-30T00:0${position}:00.000Z`, heads: heads(position) });
        assert.equal(written.seq, position);
      }
      const again = await subject.reopen(KEY).read();
      assert.deepEqual(again.problems, []);
      assert.deepEqual(again.checkpoints.map((checkpoint) => [checkpoint.seq, checkpoint.heads['0']?.position, checkpoint.heads['5']?.position]), [[1, '1', '2'], [2, '2', '4'], [3, '3', '6']]);
      // Appending after a restart goes on from the last.
      assert.equal((await subject.reopen(KEY).append({ at: '2025-06-30T00:04:00.000Z', heads: heads(4) })).seq, 4);
    });

    it('reports an edited checkpoint and one removed from the middle, and keeps the valid ones', async () => {
      const subject = make(KEY);
      for (let position = 1; position <= 4; position++) await subject.anchor.append({ at: '2025-06-30T00:00:00.000Z', heads: heads(position) });
      subject.editStored(2);
      subject.removeStored(3);
      const { checkpoints, problems } = await subject.anchor.read();
      assert.deepEqual(checkpoints.map((checkpoint) => checkpoint.seq), [1, 4]);
      assert.equal(problems.length, 2, problems.join('; '));
      assert.match(problems[0]!, /checkpoint 2: signature does not match/);
      assert.match(problems[1]!, /checkpoint 4: expected 2; checkpoints 2\.\.3 are missing/);
    });

    it('refuses checkpoints signed with another key', async () => {
      const subject = make(KEY);
      await subject.anchor.append({ at: '2025-06-30T00:00:00.000Z', heads: heads(1) });
      const { checkpoints, problems } = await subject.reopen(OTHER_KEY).read();
      assert.deepEqual([checkpoints.length, problems.length], [0, 1]);
    });
  });
}
