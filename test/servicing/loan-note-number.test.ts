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
import { withTestApp } from '../support/test-app.js';

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

for (const backend of BACKENDS) {
  describe(`the loan book CSV on ${backend}`, () => {
    it('names each loan by its note number, with the same filters as the book, amounts in yuan', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const line = await borrowerWithLine(db, '80000.00', 'SHORT-TERM');
        const first = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1000.00', termDays: 30 }, 'owner'));
        const second = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '2500.50', termDays: 30 }, 'owner'));
        const headers = { authorization: `Bearer ${await tokenFor('operator')}` };
        const response = await app.inject({ method: 'GET', url: `/v1/book/loans.csv?q=${second.noteNo.slice(-5)}`, headers });
        assert.equal(response.statusCode, 200, response.body);
        assert.match(String(response.headers['content-type']), /^text\/csv/);
        const lines = response.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
        assert.equal(lines[0], 'noteNo,enterpriseName,creditCode,productName,productNameEn,principal,outstanding,annualRate,disbursedOn,maturityOn,daysPastDue,classification,status');
        assert.equal(lines.length, 2, 'the search by note number finds the one loan');
        assert.deepEqual(lines[1]!.split(',').slice(0, 2).concat(lines[1]!.split(',').slice(5, 7)), [second.noteNo, '杭州绿芽茶叶有限公司', '2500.50', '2500.50']);
        const all = await app.inject({ method: 'GET', url: '/v1/book/loans.csv?sort=disbursedOn&order=asc', headers });
        assert.deepEqual(all.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((row) => row.split(',')[0]), [first.noteNo, second.noteNo].sort());
      });
    });

    it("lists one line's loans by note number, paged with their total, for the staff line page", async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const line = await borrowerWithLine(db, '80000.00', 'SHORT-TERM');
        const other = await borrowerWithLine(db, '50000.00', 'SHORT-TERM');
        const first = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '1000.00', termDays: 30 }, 'owner'));
        await inTransaction(db, (trx) => drawdown(trx, { lineId: other.id, amount: '2000.00', termDays: 30 }, 'owner'));
        const second = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '3000.00', termDays: 30 }, 'owner'));
        const headers = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const response = await app.inject({ method: 'GET', url: `/v1/book/loans?lineId=${line.id}&sort=disbursedOn&order=asc&limit=1`, headers });
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json() as { total: number; items: { noteNo: string; lineId: string; outstanding: string }[] };
        assert.equal(page.total, 2, 'the two loans of this line, not the other');
        assert.deepEqual(page.items.map((row) => [row.noteNo, row.lineId, row.outstanding]), [[first.noteNo, line.id, '1000.00']]);
        const next = (await app.inject({ method: 'GET', url: `/v1/book/loans?lineId=${line.id}&sort=disbursedOn&order=asc&offset=1&limit=1`, headers })).json() as { items: { noteNo: string }[] };
        assert.deepEqual(next.items.map((row) => row.noteNo), [second.noteNo]);
        const csv = await app.inject({ method: 'GET', url: `/v1/book/loans.csv?lineId=${other.id}`, headers });
        assert.equal(csv.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).length, 2, 'the CSV takes the same line filter');
        assert.equal((await app.inject({ method: 'GET', url: '/v1/book/loans?lineId=not-a-line', headers })).statusCode, 400);
      });
    });
  });
}
