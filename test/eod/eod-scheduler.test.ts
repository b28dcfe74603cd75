import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { dateToCloseAt, eodRunnerStatus, lastCutOffDate, parseCutOff, runScheduledEod, startEodSchedule, takeRunnerLease, type ScheduledRun } from '../../src/eod/eod-scheduler.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';

const day = (text: string) => parseBusinessDate(text, 'd');

describe('the scheduled end of day (pure)', () => {
  it('a 23:30 cut-off in Shanghai closes that day; a 01:00 cut-off closes the day before', () => {
    assert.equal(dateToCloseAt(new Date('2025-10-01T15:30:00Z'), 'Asia/Shanghai', 23), '2025-10-01');
    assert.equal(dateToCloseAt(new Date('2025-10-01T17:00:00Z'), 'Asia/Shanghai', 1), '2025-10-01');
    assert.deepEqual(parseCutOff('23:30'), { hour: 23, minute: 30 });
    assert.throws(() => parseCutOff('24:00'), /eod-at|HH:MM/);
  });

  it("the last cut-off before a moment: tonight's once its time has come, else the one before", () => {
    assert.equal(lastCutOffDate(new Date('2025-10-01T15:40:00Z'), 'Asia/Shanghai', 23, 30), '2025-10-01');
    assert.equal(lastCutOffDate(new Date('2025-10-01T15:30:00Z'), 'Asia/Shanghai', 23, 30), '2025-10-01');
    assert.equal(lastCutOffDate(new Date('2025-10-01T15:29:00Z'), 'Asia/Shanghai', 23, 30), '2025-09-30');
    // 00:30 on 10-02 in Shanghai: the last 01:00 cut-off was on 10-01 and closed 09-30.
    assert.equal(lastCutOffDate(new Date('2025-10-01T16:30:00Z'), 'Asia/Shanghai', 1, 0), '2025-09-30');
    assert.equal(lastCutOffDate(new Date('2025-10-01T17:00:00Z'), 'Asia/Shanghai', 1, 0), '2025-10-01');
  });
});

for (const backend of BACKENDS) {
  describe(`the scheduled end of day on ${backend}`, () => {
    it('of two servers at the cut-off one runs and closes the missed dates; the other steps aside; the outcome is kept', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createLoan(db, bullet(await createEnterprise(db, 'Sprout Night Co.'), 10_000_000n, '2025-09-30'));
        // Server A holds the lease (it is running); server B's attempt steps aside.
        assert.equal(await takeRunnerLease(db, 'a:1'), true);
        assert.deepEqual(await runScheduledEod(db, { holder: 'b:2', until: day('2025-07-02') }), { ran: false, heldBy: 'a:1' });
        assert.equal(await getBusinessDate(db), '2025-06-30');
        // A dies holding the lease; once it runs out, B takes over and catches up three dates.
        await sql`update eod_runner set lease_until = now() - interval '1 second'`.execute(db);
        const run = await runScheduledEod(db, { holder: 'b:2', until: day('2025-07-02') });
        assert.deepEqual(run, { ran: true, outcome: 'done', datesClosed: 3, message: 'closed 2025-06-30 to 2025-07-02' });
        assert.equal(await getBusinessDate(db), '2025-07-03');
        const status = await eodRunnerStatus(db);
        assert.deepEqual([status.holder, status.lastOutcome, status.lastFrom, status.lastUntil, status.lastDatesClosed], [null, 'done', '2025-06-30', '2025-07-02', 3]);
        assert.ok(status.lastFinishedAt !== null && status.lastStartedAt !== null);
        // The next night with nothing missed closes one date.
        assert.equal((await runScheduledEod(db, { holder: 'a:1', until: day('2025-07-03') })).ran, true);
        assert.equal(await getBusinessDate(db), '2025-07-04');
      });
    });

    it('a server started after a cut-off nobody ran closes that night at once; one started with nothing missed waits', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await createLoan(db, bullet(await createEnterprise(db, 'Sprout Restart Co.'), 10_000_000n, '2025-09-30'));
        // 00:10 on 07-02 in Shanghai: the 23:30 cut-off of 07-01 passed with the business date at 06-30.
        const ran = new Promise<ScheduledRun>((resolve) => {
          const stop = startEodSchedule(db, { at: '23:30', timezone: 'Asia/Shanghai', holder: 'c:3', now: () => new Date('2025-07-01T16:10:00Z'), onRun: (run) => { stop(); resolve(run); } });
        });
        assert.deepEqual(await ran, { ran: true, outcome: 'done', datesClosed: 2, message: 'closed 2025-06-30 to 2025-07-01' });
        assert.equal(await getBusinessDate(db), '2025-07-02');
        // Started again the same night: 07-01 is closed, so nothing runs before the next cut-off.
        let again: ScheduledRun | undefined;
        const stop = startEodSchedule(db, { at: '23:30', timezone: 'Asia/Shanghai', holder: 'c:3', now: () => new Date('2025-07-01T16:20:00Z'), onRun: (run) => (again = run) });
        await new Promise((resolve) => setTimeout(resolve, 300));
        stop();
        assert.equal(again, undefined);
        assert.equal(await getBusinessDate(db), '2025-07-02');
      });
    });

    it('a failed night is recorded with its reason and lets the lease go', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const run = await runScheduledEod(db, { holder: 'a:1', until: day('2026-07-02') });
        assert.deepEqual(run, { ran: true, outcome: 'failed', datesClosed: 0, message: 'until: would close 368 dates from 2025-06-30; at most 366 at once' });
        const status = await eodRunnerStatus(db);
        assert.deepEqual([status.holder, status.lastOutcome, status.lastMessage], [null, 'failed', run.ran ? run.message : '']);
        assert.equal(await takeRunnerLease(db, 'b:2'), true);
      });
    });
  });
}
