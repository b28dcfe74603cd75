/**
 * Collections (催收, issue 16): who works an overdue loan, what they did, what the borrower
 * promised, and the steps that follow.
 *
 * - `collection_assignment`: one collector per loan; reassignment overwrites the row and the audit
 *   trail keeps the previous collector (`collection.assign`, before/after).
 * - `collection_contact`: a call, visit or letter with its outcome, on a business date.
 * - `promise_to_pay`: an amount by a date; end of day marks it `kept` once repayments since it was
 *   made reach the amount, `broken` when its date (rolled to a working day) closes short.
 * - `collection_step`: the next step — a follow-up, an escalation (raised by end of day on a broken
 *   promise) or a legal action (recorded by staff) — open until done.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('collection_assignment')
    .addColumn('loan_id', 'uuid', (c) => c.primaryKey().references('loan.id'))
    .addColumn('collector', 'text', (c) => c.notNull())
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('assigned_on', 'date', (c) => c.notNull())
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collection_assignment_collector_idx').on('collection_assignment').column('collector').execute();

  await db.schema
    .createTable('collection_contact')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('loan_id', 'uuid', (c) => c.notNull().references('loan.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('call', 'visit', 'letter')`))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('reached', 'promise-made', 'no-answer', 'refused', 'disputed', 'wrong-contact', 'letter-sent')`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('contacted_on', 'date', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collection_contact_loan_idx').on('collection_contact').columns(['loan_id', 'contacted_on']).execute();
  await db.schema.createIndex('collection_contact_enterprise_idx').on('collection_contact').column('enterprise_id').execute();

  await db.schema
    .createTable('promise_to_pay')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('loan_id', 'uuid', (c) => c.notNull().references('loan.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('contact_id', 'uuid', (c) => c.references('collection_contact.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('made_on', 'date', (c) => c.notNull())
    .addColumn('promised_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'kept', 'broken')`))
    .addColumn('repaid', 'bigint')
    .addColumn('settled_on', 'date')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('promise_to_pay_dates', sql`promised_on >= made_on`)
    .execute();
  await db.schema.createIndex('promise_to_pay_open_idx').on('promise_to_pay').columns(['status', 'promised_on']).execute();
  await db.schema.createIndex('promise_to_pay_loan_idx').on('promise_to_pay').column('loan_id').execute();
  await db.schema.createIndex('promise_to_pay_enterprise_idx').on('promise_to_pay').column('enterprise_id').execute();

  await db.schema
    .createTable('collection_step')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('loan_id', 'uuid', (c) => c.notNull().references('loan.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('follow-up', 'escalation', 'legal-action')`))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('promise-broken', 'staff')`))
    .addColumn('promise_id', 'uuid', (c) => c.references('promise_to_pay.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'done')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('done_by', 'text')
    .addColumn('done_on', 'date')
    .execute();
  // One step per broken promise, however often end of day runs again.
  await db.schema.createIndex('collection_step_promise_idx').on('collection_step').column('promise_id').unique().execute();
  await db.schema.createIndex('collection_step_loan_idx').on('collection_step').columns(['loan_id', 'status']).execute();
  await db.schema.createIndex('collection_step_enterprise_idx').on('collection_step').column('enterprise_id').execute();
}
