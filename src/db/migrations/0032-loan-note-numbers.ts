/**
 * Issue 14: every loan gets a loan note number (借据号) that borrowers and staff read instead of an id
 * tail: "JJ" + the disbursement date + "-" + the loan's place among that day's drawdowns
 * ("JJ20260115-00042"). The place comes from `loan_note_counter`, one row per business date bumped
 * in the drawdown's own transaction (no database sequences: portable, and a rolled-back drawdown
 * gives its number back). Loans written before are numbered here in disbursement order.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('loan_note_counter')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('loan').addColumn('note_no', 'text').execute();
  await sql`update loan set note_no = numbered.note_no
    from (select id, 'JJ' || to_char(disbursed_on, 'YYYYMMDD') || '-' || lpad(cast(row_number() over (partition by disbursed_on order by created_at, id) as text), 5, '0') as note_no from loan) numbered
    where numbered.id = loan.id`.execute(db);
  await sql`insert into loan_note_counter (day, last) select disbursed_on, cast(count(*) as integer) from loan group by disbursed_on`.execute(db);
  await db.schema.alterTable('loan').alterColumn('note_no', (c) => c.setNotNull()).execute();
  await db.schema.createIndex('loan_note_no').unique().on('loan').column('note_no').execute();
}
