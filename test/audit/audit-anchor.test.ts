import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileAuditAnchor, memoryAuditAnchor } from '../../src/audit/audit-anchor.js';
import { auditAnchorConformance } from './anchor-conformance.js';

auditAnchorConformance('file', (key) => {
  const path = join(mkdtempSync(join(tmpdir(), 'sprout-anchor-')), 'audit', 'checkpoints.jsonl');
  const rewrite = (change: (lines: string[]) => string[]) => writeFileSync(path, `${change(readFileSync(path, 'utf8').trim().split('\n')).join('\n')}\n`);
  return {
    anchor: fileAuditAnchor(path, key),
    reopen: (other) => fileAuditAnchor(path, other),
    editStored: (seq) => rewrite((lines) => lines.map((line) => (JSON.parse(line).seq === seq ? line.replace('"position":"', '"position":"9') : line))),
    removeStored: (seq) => rewrite((lines) => lines.filter((line) => JSON.parse(line).seq !== seq)),
  };
});

auditAnchorConformance('memory', (key) => {
  const anchor = memoryAuditAnchor(key);
  const entry = (seq: number) => anchor.stored.findIndex((item) => (item as { seq: number }).seq === seq);
  return {
    anchor,
    reopen: (other) => memoryAuditAnchor(other, anchor.stored),
    editStored: (seq) => {
      const heads = (anchor.stored[entry(seq)] as { heads: Record<string, { position: string }> }).heads;
      heads['0']!.position = `9${heads['0']!.position}`;
    },
    removeStored: (seq) => void anchor.stored.splice(entry(seq), 1),
  };
});
