import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { seedDemoUsers } from '../../src/auth/demo-users.js';
import { modelId } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { sprout as runSprout, type HeldDatabase } from '../support/cli.js';
import { BACKENDS } from '../support/backends.js';
import { newPlace, type Place } from '../support/cli-place.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** `sprout` on `place`, opened once for the test's commands (test/support/cli.ts holdDatabase). */
function sprout(place: Place, held: HeldDatabase, args: readonly string[]) {
  return runSprout([...args, ...place.args], place.env, held);
}

for (const backend of BACKENDS) {
  describe(`sprout calendar and sprout scorecard deploy on ${backend}`, () => {
    it('loads the shipped calendar file, shows a year, and replaces the years on a second load', async () => {
      const place = await newPlace(backend, 'sprout-calendar-');
      const held = await place.hold();
      try {
        const file = join(ROOT, 'reference', 'holidays-cn-2025-2026.csv');
        const empty = await sprout(place, held, ['calendar', 'show', '--year', '2030']);
        assert.equal(empty.status, 0, empty.stderr);
        assert.equal(empty.stdout, 'no calendar loaded for 2030: only weekends are rest days\n');
        const loaded = await sprout(place, held, ['calendar', 'load', file]);
        assert.equal(loaded.status, 0, loaded.stderr);
        const counts = /^calendar 2025, 2026: (\d+) holidays and (\d+) make-up working days loaded \(\d+ days replaced\)\n$/.exec(loaded.stdout);
        assert.ok(counts, loaded.stdout);
        const shown = await sprout(place, held, ['calendar', 'show', '--year', '2025']);
        assert.equal(shown.status, 0, shown.stderr);
        const lines = shown.stdout.trimEnd().split('\n');
        // National Day and the Mid-Autumn Festival, 1 to 8 October 2025, with the make-up Sunday 28 September and Saturday 11 October.
        assert.deepEqual(
          lines.filter((line) => line.startsWith('2025-09-28') || line.startsWith('2025-10')).map((line) => line.split(' ').slice(0, 2).join(' ')),
          ['2025-09-28 workday', '2025-10-01 holiday', '2025-10-02 holiday', '2025-10-03 holiday', '2025-10-04 holiday', '2025-10-05 holiday', '2025-10-06 holiday', '2025-10-07 holiday', '2025-10-08 holiday', '2025-10-11 workday'],
        );
        // The file's names come with the days.
        assert.equal(lines[0], '2025-01-01 holiday 元旦');
        const again = await sprout(place, held, ['calendar', 'load', file]);
        const total = Number(counts[1]) + Number(counts[2]);
        assert.equal(again.stdout, `calendar 2025, 2026: ${counts[1]} holidays and ${counts[2]} make-up working days loaded (${total} days replaced)\n`);
        const bad = await sprout(place, held, ['calendar', 'show', '--year', '25']);
        assert.notEqual(bad.status, 0);
        assert.match(bad.stderr, /year/);
      } finally {
        await held.close();
        await place.drop();
      }
    });

    it('a scorecard deploy from the command line waits for a second person', async () => {
      const place = await newPlace(backend, 'sprout-deploy-');
      const held = await place.hold();
      try {
        await seedDemoUsers(held.database.db);
        const proposed = await sprout(place, held, ['scorecard', 'deploy', join(ROOT, 'models', 'default-scorecard.json'), '--id', 'pd-shipped', '--by', 'risk-officer']);
        assert.equal(proposed.status, 0, proposed.stderr);
        const id = /request ([0-9a-f-]{36}) waits for a second person/.exec(proposed.stdout)?.[1];
        assert.ok(id, proposed.stdout);
        const self = await sprout(place, held, ['scorecard', 'approve', id, '--by', 'risk-officer']);
        assert.notEqual(self.status, 0);
        const approved = await sprout(place, held, ['scorecard', 'approve', id, '--by', 'admin']);
        assert.equal(approved.status, 0, approved.stderr);
        assert.equal(approved.stdout, `approved: ${JSON.stringify({ id: 'pd-shipped', role: 'champion', version: modelId(defaultScorecard()) })}\n`);
      } finally {
        await held.close();
        await place.drop();
      }
    });
  });
}
