import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import { BANK_ENTERPRISE_ID, postEntries, type NewEntry } from '../../src/ledger/post-entry.js';
import { inTransaction } from '../../src/db/transaction.js';
import { minor } from '../../src/money/minor.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';

const DATE = '2025-06-30' as BusinessDate;

/** Three entries as end of day's chunk posts them (src/eod/process-chunk.ts, `postTotals`), the second all zero. */
function chunkEntries(description: string): NewEntry[] {
  const entry = { enterpriseId: BANK_ENTERPRISE_ID, businessDate: DATE, description, createdBy: 'eod' };
  return [
    { ...entry, kind: 'eod-accrual', lines: [{ purpose: 'interest-receivable', amount: minor(1208n) }, { purpose: 'interest-income', amount: minor(-1208n) }, { purpose: 'penalty-receivable', amount: minor(0n) }, { purpose: 'penalty-income', amount: minor(0n) }] },
    { ...entry, kind: 'eod-reclassification', lines: [] },
    { ...entry, kind: 'eod-provision', lines: [{ purpose: 'provision-expense', amount: minor(500n) }, { purpose: 'loan-loss-provision', amount: minor(-300n) }, { purpose: 'loan-loss-provision', amount: minor(-200n) }] },
  ];
}

/** The entries posted with `description`, in the order they were made, each with its lines' accounts and amounts. */
async function posted(db: Kysely<Database>, description: string) {
  const entries = await db.selectFrom('journal_entry').select(['id', 'kind']).where('description', '=', description).orderBy('id').execute();
  return Promise.all(entries.map(async (entry) => ({
    kind: entry.kind,
    lines: (await db.selectFrom('journal_line').select(['line_no', 'account_code', 'amount']).where('entry_id', '=', entry.id).orderBy('line_no').execute()).map((line) => [line.line_no, line.account_code, String(line.amount)]),
  })));
}

for (const backend of BACKENDS) {
  describe(`postEntries (${backend})`, () => {
    it('posts a batch in two statements as it posts each entry alone: the same entries in order, lines merged and numbered, zero entries skipped', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const together = await inTransaction(db, (trx) => postEntries(trx, chunkEntries('together')));
        assert.equal(together[1], undefined);
        assert.ok(together[0]! < together[2]!, 'ids made in the order of the entries');
        const alone = await inTransaction(db, (trx) => postEntries(trx, chunkEntries('alone'), true));
        assert.equal(alone[1], undefined);
        const expected = [
          { kind: 'eod-accrual', lines: [[1, '1132', '1208'], [2, '6011', '-1208']] },
          { kind: 'eod-provision', lines: [[1, '6701', '500'], [2, '1304', '-500']] },
        ];
        assert.deepEqual(await posted(db, 'together'), expected);
        assert.deepEqual(await posted(db, 'alone'), expected);
      });
    });

    it('reads the chart with each posting: an account renumbered between two batches is posted to under its new code', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await inTransaction(db, (trx) => postEntries(trx, chunkEntries('before')));
        // The provision expense renumbered by the bank (its old lines moved with it, as a bank's own migration would).
        await inTransaction(db, async (trx) => {
          await trx.insertInto('ledger_account').values({ code: '6701.01', name: 'Credit impairment loss', name_zh: '信用减值损失', type: 'expense', purpose: 'provision-expense-new' as never }).execute();
          await trx.updateTable('journal_line').set({ account_code: '6701.01' }).where('account_code', '=', '6701').execute();
          await trx.deleteFrom('ledger_account').where('code', '=', '6701').execute();
          await trx.updateTable('ledger_account').set({ purpose: 'provision-expense' }).where('code', '=', '6701.01').execute();
        });
        await inTransaction(db, (trx) => postEntries(trx, chunkEntries('after')));
        assert.deepEqual((await posted(db, 'after'))[1], { kind: 'eod-provision', lines: [[1, '6701.01', '500'], [2, '1304', '-500']] });
        assert.deepEqual((await posted(db, 'before'))[1], { kind: 'eod-provision', lines: [[1, '6701.01', '500'], [2, '1304', '-500']] });
      });
    });

    it('posts nothing of a batch with a purpose the chart has no account for, even outside a transaction', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await db.deleteFrom('ledger_account').where('purpose', '=', 'provision-expense').execute();
        await assert.rejects(postEntries(db, chunkEntries('refused')), /no ledger account for purpose provision-expense/);
        assert.deepEqual(await posted(db, 'refused'), []);
        await assert.rejects(postEntries(db, chunkEntries('refused'), true), /no ledger account for purpose provision-expense/);
        assert.deepEqual(await posted(db, 'refused'), []);
      });
    });
  });
}
