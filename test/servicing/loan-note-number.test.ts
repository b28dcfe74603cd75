import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEod } from '../../src/eod/run-eod.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { formatLoanNoteNo, LOAN_NOTE_NO, nextLoanNoteNo } from '../../src/servicing/loan-note-number.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';

describe('loan note numbers (借据号)', () => {
  it('read JJ, the disbursement date and the place among that day\'s drawdowns, five digits at least', () => {
    assert.equal(formatLoanNoteNo(parseBusinessDate('2026-01-15', 'd'), 42), 'JJ20260115-00042');
    assert.equal(formatLoanNoteNo(parseBusinessDate('2026-01-15', 'd'), 123_456), 'JJ20260115-123456');
    assert.throws(() => formatLoanNoteNo(parseBusinessDate('2026-01-15', 'd'), 0));
    assert.match('JJ20260115-00042', LOAN_NOTE_NO);
  });
});

for (const backend of BACKENDS) {
  describe(`loan note numbers on ${backend}`, () => {
    it('drawdowns count 1, 2, 3 within a day and start again the next day; a rolled-back drawdown gives its number back', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '80000.00', 'SHORT-TERM');
        const draw = () => inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1000.00', termDays: 30 }, 'owner'));
        const today = await getBusinessDate(db);
        const day = today.replaceAll('-', '');
        const first = await draw();
        const second = await draw();
        // A drawdown that fails after taking its number: the counter rolls back with it.
        await assert.rejects(inTransaction(db, async (trx) => {
          await nextLoanNoteNo(trx, today);
          throw new Error('refused later in the same transaction');
        }));
        const third = await draw();
        assert.deepEqual([first.noteNo, second.noteNo, third.noteNo], [`JJ${day}-00001`, `JJ${day}-00002`, `JJ${day}-00003`]);
        const stored = await db.selectFrom('loan').select(['id', 'note_no']).orderBy('note_no').execute();
        assert.deepEqual(stored.map((row) => [row.id, row.note_no]), [[first.loanId, first.noteNo], [second.loanId, second.noteNo], [third.loanId, third.noteNo]]);
        await runEod(db);
        const tomorrow = (await getBusinessDate(db)).replaceAll('-', '');
        assert.equal((await draw()).noteNo, `JJ${tomorrow}-00001`);
      });
    });
  });
}
