/**
 * End of day on promises to pay (还款承诺), for business date D, in the transaction that closes D:
 *
 * - **kept** once the repayments on the loan from the day the promise was made through D reach
 *   the promised amount (or the loan is paid off), whatever the promised date;
 * - **broken** when its promised date, rolled forward to a working day (a promise for a Sunday
 *   may be kept on Monday: the same grace the schedule gives a rest-day due date,
 *   src/calendar/working-days.ts), is D or earlier and the repayments fall short.
 *
 * A broken promise raises the next step, due the next working day after D: the first broken
 * promise on a loan is a **follow-up** for its collector; a second or later one is an
 * **escalation** to the risk officer. Running D again changes nothing (a promise is settled
 * once; a step per promise is unique).
 *
 * @example
 * const settled = await settlePromises(trx, '2025-07-04', 'eod');
 * settled; // { kept: 1, broken: 1, steps: 1 }
 */
import { sql, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import { rollToWorkingDay, type HolidayCalendar } from '../calendar/working-days.js';
import type { Database } from '../db/schema.js';
import { invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import { minor } from '../money/minor.js';
import { loadHolidayCalendar } from '../system/holiday-calendar.js';
import type { CollectionStepKind } from './collection-codes.js';

/** Promises settled per batch; the loop ends when a batch comes back short. */
export const PROMISE_BATCH = 500;
/** Upper bound on batches per night: 10,000 × 500 = 5 million open promises, far past any book. */
const MAX_BATCHES = 10_000;

export interface PromiseSettlement {
  readonly kept: number;
  readonly broken: number;
  /** Steps raised on broken promises. */
  readonly steps: number;
}

export async function settlePromises(trx: Transaction<Database>, date: BusinessDate, actor: string): Promise<PromiseSettlement> {
  const calendars = new Map<BusinessDate, HolidayCalendar>();
  const calendarFrom = async (day: BusinessDate) => {
    let calendar = calendars.get(day);
    if (calendar === undefined) calendars.set(day, (calendar = await loadHolidayCalendar(trx, day)));
    return calendar;
  };
  // The first working day after D, when a follow-up falls due: read only on a night that breaks a promise.
  let nextWorkingDay: BusinessDate | undefined;
  const totals = { kept: 0, broken: 0, steps: 0 };
  let after = '';
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    // Repaid on the loan since the promise was made, through D: the settlement account's debits
    // of repayment entries not reversed (the ledger, as repayment-history.ts reads it).
    const rows = await trx
      .selectFrom('promise_to_pay as p')
      .innerJoin('loan', (join) => join.onRef('loan.id', '=', 'p.loan_id').onRef('loan.enterprise_id', '=', 'p.enterprise_id'))
      .select([
        'p.id',
        'p.loan_id',
        'p.enterprise_id',
        'p.amount',
        'p.made_on',
        'p.promised_on',
        'loan.status as loan_status',
        sql<string>`cast(coalesce((
          select sum(l.amount) from journal_entry e
          join journal_line l on l.entry_id = e.id and l.enterprise_id = e.enterprise_id
          join ledger_account a on a.code = l.account_code
          where e.loan_id = p.loan_id and e.enterprise_id = p.enterprise_id and e.kind = 'repayment' and a.purpose = 'settlement'
            and e.business_date >= p.made_on and e.business_date <= ${date}
            and not exists (select 1 from journal_entry r where r.reverses_id = e.id and r.enterprise_id = e.enterprise_id)
        ), 0) as text)`.as('repaid'),
      ])
      .where('p.status', '=', 'open')
      .where('p.made_on', '<=', date)
      .where('p.id', '>', after === '' ? '00000000-0000-0000-0000-000000000000' : after)
      .orderBy('p.id')
      .limit(PROMISE_BATCH)
      .execute();
    for (const row of rows) {
      const repaid = minor(BigInt(row.repaid));
      invariant(repaid >= 0n, `promise ${row.id}: repayments sum to ${repaid}`);
      const kept = repaid >= row.amount || row.loan_status === 'closed';
      // Not kept yet: open until its promised date, rolled to a working day, has closed.
      if (!kept && (row.promised_on > date || rollToWorkingDay(row.promised_on, await calendarFrom(row.promised_on)) > date)) continue;
      const status = kept ? 'kept' : 'broken';
      await trx.updateTable('promise_to_pay').set({ status, repaid, settled_on: date }).where('id', '=', row.id).where('enterprise_id', '=', row.enterprise_id).where('status', '=', 'open').execute();
      await appendAudit(trx, {
        actor,
        action: kept ? 'collection.promise-kept' : 'collection.promise-broken',
        entityType: 'loan',
        entityId: row.loan_id,
        before: { promiseId: row.id, status: 'open' },
        after: { promiseId: row.id, status, amount: formatMoney(row.amount), repaid: formatMoney(repaid), promisedOn: row.promised_on, businessDate: date },
      });
      if (kept) {
        totals.kept++;
        continue;
      }
      totals.broken++;
      nextWorkingDay ??= rollToWorkingDay(addDays(date, 1), await loadHolidayCalendar(trx, addDays(date, 1)));
      if (await raiseNextStep(trx, row, date, nextWorkingDay, actor)) totals.steps++;
    }
    if (rows.length < PROMISE_BATCH) return totals;
    after = rows[rows.length - 1]!.id;
  }
  invariant(false, `more than ${MAX_BATCHES * PROMISE_BATCH} open promises on ${date}`);
}

/** The step a broken promise raises: a follow-up the first time, an escalation after; false if it exists already. */
async function raiseNextStep(
  trx: Transaction<Database>,
  promise: { readonly id: string; readonly loan_id: string; readonly enterprise_id: string; readonly amount: bigint; readonly promised_on: BusinessDate },
  date: BusinessDate,
  dueOn: BusinessDate,
  actor: string,
): Promise<boolean> {
  const existing = await trx.selectFrom('collection_step').select('id').where('promise_id', '=', promise.id).executeTakeFirst();
  if (existing !== undefined) return false;
  const broken = await trx.selectFrom('promise_to_pay').select((eb) => eb.fn.countAll().as('n')).where('loan_id', '=', promise.loan_id).where('status', '=', 'broken').executeTakeFirstOrThrow();
  const kind: CollectionStepKind = Number(broken.n) >= 2 ? 'escalation' : 'follow-up';
  const id = uuidv7();
  await trx
    .insertInto('collection_step')
    .values({
      id,
      loan_id: promise.loan_id,
      enterprise_id: promise.enterprise_id,
      kind,
      reason: 'promise-broken',
      promise_id: promise.id,
      note: `promise of ${formatMoney(promise.amount)} by ${promise.promised_on} broken (${Number(broken.n)} broken on this loan)`,
      due_on: dueOn,
      status: 'open',
      created_by: actor,
      created_on: date,
      created_at: new Date(),
      done_by: null,
      done_on: null,
    })
    .execute();
  await appendAudit(trx, { actor, action: 'collection.step', entityType: 'loan', entityId: promise.loan_id, after: { stepId: id, kind, reason: 'promise-broken', promiseId: promise.id, dueOn, businessDate: date } });
  return true;
}
