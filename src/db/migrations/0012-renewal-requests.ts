/**
 * A borrower's request to renew a loan before it matures (续贷申请): staff see the open ones and
 * act through the renewal route, which settles the request either way.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('renewal_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('loan_id', 'uuid', (c) => c.notNull().references('loan.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('term_days', 'integer')
    .addColumn('installments', 'integer')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'renewed', 'refused')`))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('settled_by', 'text')
    .addColumn('new_loan_id', 'uuid')
    .execute();
  await db.schema.createIndex('renewal_request_loan_idx').on('renewal_request').columns(['loan_id']).execute();
  await db.schema.createIndex('renewal_request_status_idx').on('renewal_request').columns(['status']).execute();
}
