/**
 * Every test skipped on Citus has its line in docs/scaling.md's "Tests that cannot pass on Citus"
 * table (file, test and reason), and the table names no test that is no longer skipped: the
 * operator reading the page sees exactly what the Citus smoke leaves out.
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CITUS_EXCLUSIONS } from '../support/citus.js';

/** The table's rows as [file, test], read from the section's markdown. */
function documentedExclusions(markdown: string): string[][] {
  const section = markdown.split('## Tests that cannot pass on Citus')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').slice(0, 2).map((cell) => cell.replace(/^\| /, '').replace(/`/g, '')));
}

describe('the Citus exclusions', () => {
  it('are the rows of docs/scaling.md\'s table, one for one', () => {
    const documented = documentedExclusions(readFileSync('docs/scaling.md', 'utf8'));
    const listed = CITUS_EXCLUSIONS.map((exclusion) => [exclusion.file, exclusion.test]);
    assert.deepEqual(documented, listed);
  });
});
