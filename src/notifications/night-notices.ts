/**
 * The notices end of day writes for the date it closes, in the transaction that closes it:
 * a reminder for every installment due `reminderDays` after tomorrow (so it is read that many days
 * before), and an overdue notice for every loan that became overdue tonight. Each has a dedupe key
 * (loan and due date; loan and the date it fell overdue), so a night closed again, or caught up,
 * writes nothing twice: a reminder is sent once.
 */
import type { Transaction } from 'kysely';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { formatMoney } from '../money/format-money.js';
import { enqueueNotices, type NewNotice } from './outbox.js';

/** Loans read per batch; the loops below end when a batch comes back short. */
const BATCH = 1000;
/** A night never writes more than this many of each kind (a bound, not a limit a real book meets). */
const MAX_BATCHES = 1000;

/**
 * Writes the night's reminders and overdue notices; returns how many were new. `citus`: the
 * database is Citus (each batch then goes in as a VALUES, which Citus routes).
 *
 * @example
 * await writeNightNotices(trx, '2026-03-07', 3); // reminders for installments due 2026-03-11
 */
export async function writeNightNotices(trx: Transaction<Database>, date: BusinessDate, reminderDays: number, citus = false): Promise<{ reminders: number; overdue: number }> {
  const enqueue = (notices: readonly NewNotice[]) => enqueueNotices(trx, notices, citus);
  let reminders = 0;
  if (reminderDays > 0) {
    const dueOn = addDays(date, 1 + reminderDays);
    let after = '';
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const rows = await trx
        .selectFrom('loan_installment as i')
        .innerJoin('loan', (join) => join.onRef('loan.id', '=', 'i.loan_id').onRef('loan.enterprise_id', '=', 'i.enterprise_id'))
        .select(['loan.id', 'loan.enterprise_id', 'loan.note_no', 'i.due_on', 'i.principal', 'i.interest'])
        .where('i.due_on', '=', dueOn)
        .where('loan.status', '=', 'active')
        // Keyed by the installment's loan id (the loan's own): the due-date index (migration 0064)
        // gives the batch in that order, where keying by loan.id walked the loan table's key
        // (13.6 s for 15 batches on a million loans; docs/benchmarks.md, s21j).
        .$if(after !== '', (qb) => qb.where('i.loan_id', '>', after))
        .orderBy('i.loan_id')
        .limit(BATCH)
        .execute();
      const notices: NewNotice[] = rows.map((row) => ({
        kind: 'due-reminder',
        dedupeKey: `due-reminder:${row.id}:${row.due_on}`,
        enterpriseId: row.enterprise_id,
        loanId: row.id,
        businessDate: date,
        params: { noteNo: row.note_no, dueOn: row.due_on, amount: formatMoney(row.principal + row.interest), daysBefore: String(reminderDays) },
      }));
      reminders += await enqueue(notices);
      if (rows.length < BATCH) break;
      after = rows.at(-1)!.id;
    }
  }
  let overdue = 0;
  let after = '';
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const rows = await trx
      .selectFrom('loan')
      .select(['id', 'enterprise_id', 'note_no', 'overdue_since', 'principal_due', 'interest_due', 'penalty_due'])
      .where('status', '=', 'active')
      .where('overdue_since', '=', date)
      .$if(after !== '', (qb) => qb.where('id', '>', after))
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const notices: NewNotice[] = rows.map((row) => ({
      kind: 'overdue',
      dedupeKey: `overdue:${row.id}:${row.overdue_since}`,
      enterpriseId: row.enterprise_id,
      loanId: row.id,
      businessDate: date,
      params: { noteNo: row.note_no, overdueSince: row.overdue_since!, amountOverdue: formatMoney(row.principal_due + row.interest_due + row.penalty_due) },
    }));
    overdue += await enqueue(notices);
    if (rows.length < BATCH) break;
    after = rows.at(-1)!.id;
  }
  return { reminders, overdue };
}
