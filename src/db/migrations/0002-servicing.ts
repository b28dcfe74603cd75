/**
 * Ledger, products, credit lines, loans and their schedules, the business date, idempotency.
 *
 * Money columns are bigint fen. A loan row carries its own sub-ledger balances so that end of day
 * is one set-based UPDATE per chunk of loans (see src/eod/).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The one business date of the system; end of day advances it.
  await db.schema
    .createTable('system_state')
    .addColumn('id', 'smallint', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('business_date', 'date', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_account')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('asset', 'liability', 'equity', 'income', 'expense', 'off-balance')`))
    .addColumn('purpose', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('journal_entry')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('loan_id', 'uuid')
    .addColumn('reverses_id', 'uuid', (c) => c.references('journal_entry.id').unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('journal_entry_date_idx').on('journal_entry').columns(['business_date']).execute();
  await db.schema.createIndex('journal_entry_loan_idx').on('journal_entry').columns(['loan_id']).execute();

  // Debit positive, credit negative: an entry balances when its lines sum to zero.
  await db.schema
    .createTable('journal_line')
    .addColumn('entry_id', 'uuid', (c) => c.notNull().references('journal_entry.id'))
    .addColumn('line_no', 'smallint', (c) => c.notNull())
    .addColumn('account_code', 'text', (c) => c.notNull().references('ledger_account.code'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount <> 0`))
    .addPrimaryKeyConstraint('journal_line_pk', ['entry_id', 'line_no'])
    .execute();
  await db.schema.createIndex('journal_line_account_idx').on('journal_line').columns(['account_code']).execute();

  // A minimal borrower record; the enterprise registry (issue 5) extends it.
  await db.schema
    .createTable('enterprise')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.unique())
    .addColumn('size_class', 'text', (c) => c.notNull().check(sql`size_class in ('large', 'medium', 'small', 'micro')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('lpr_rate')
    .addColumn('tenor', 'text', (c) => c.notNull().check(sql`tenor in ('1y', '5y')`))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lpr_rate_pk', ['tenor', 'effective_from'])
    .execute();

  await db.schema
    .createTable('product')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('revolving-line', 'short-term', 'term-loan')`))
    .addColumn('working_capital', 'boolean', (c) => c.notNull())
    .addColumn('min_amount', 'bigint', (c) => c.notNull())
    .addColumn('max_amount', 'bigint', (c) => c.notNull())
    .addColumn('min_term_days', 'integer', (c) => c.notNull())
    .addColumn('max_term_days', 'integer', (c) => c.notNull())
    // The schedule terms other than amount, rate and dates, as the schedule engine reads them.
    .addColumn('schedule', 'jsonb', (c) => c.notNull())
    .addColumn('lpr_tenor', 'text', (c) => c.notNull())
    .addColumn('spread', 'text', (c) => c.notNull())
    .addColumn('penalty_multiplier', 'text', (c) => c.notNull())
    .addColumn('compound_overdue_interest', 'boolean', (c) => c.notNull())
    .addColumn('allocation_order', 'text', (c) => c.notNull())
    .addColumn('days_in_year', 'smallint', (c) => c.notNull().check(sql`days_in_year in (360, 365)`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'retired')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('credit_line')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('product.id'))
    .addColumn('limit_amount', 'bigint', (c) => c.notNull().check(sql`limit_amount > 0`))
    // Never below zero: the guard that makes two racing drawdowns for the last yuan safe.
    .addColumn('available', 'bigint', (c) => c.notNull().check(sql`available >= 0`))
    .addColumn('revolving', 'boolean', (c) => c.notNull())
    .addColumn('annual_rate', 'text', (c) => c.notNull())
    .addColumn('start_on', 'date', (c) => c.notNull())
    .addColumn('end_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'frozen', 'closed')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('credit_line_available_le_limit', sql`available <= limit_amount`)
    .execute();
  await db.schema.createIndex('credit_line_enterprise_idx').on('credit_line').columns(['enterprise_id']).execute();

  await db.schema
    .createTable('loan')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('product.id'))
    .addColumn('line_id', 'uuid', (c) => c.references('credit_line.id'))
    .addColumn('renewed_from_id', 'uuid', (c) => c.references('loan.id'))
    // Work distribution for end of day: a fixed bucket 0..1023 chosen at creation.
    .addColumn('shard', 'smallint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'closed', 'written-off', 'renewed')`))
    .addColumn('disbursed_on', 'date', (c) => c.notNull())
    .addColumn('maturity_on', 'date', (c) => c.notNull())
    .addColumn('principal', 'bigint', (c) => c.notNull().check(sql`principal > 0`))
    .addColumn('annual_rate', 'text', (c) => c.notNull())
    // Rates in units of 0.0001 percent per year (4.35% = 43500), for exact integer accrual in SQL.
    .addColumn('rate_units', 'bigint', (c) => c.notNull())
    .addColumn('penalty_rate_units', 'bigint', (c) => c.notNull())
    .addColumn('compound_rate_units', 'bigint', (c) => c.notNull())
    .addColumn('days_in_year', 'smallint', (c) => c.notNull())
    .addColumn('working_capital', 'boolean', (c) => c.notNull())
    .addColumn('allocation_order', 'text', (c) => c.notNull())
    // The loan sub-ledger: every fen the borrower owes, by kind.
    .addColumn('principal_not_due', 'bigint', (c) => c.notNull().check(sql`principal_not_due >= 0`))
    .addColumn('principal_due', 'bigint', (c) => c.notNull().check(sql`principal_due >= 0`))
    .addColumn('interest_accrued', 'bigint', (c) => c.notNull().check(sql`interest_accrued >= 0`))
    .addColumn('interest_due', 'bigint', (c) => c.notNull().check(sql`interest_due >= 0`))
    .addColumn('penalty_due', 'bigint', (c) => c.notNull().check(sql`penalty_due >= 0`))
    // What exact daily accrual left below one fen, carried to the next day so no fen is lost.
    .addColumn('interest_remainder', 'bigint', (c) => c.notNull())
    .addColumn('penalty_remainder', 'bigint', (c) => c.notNull())
    .addColumn('next_due_on', 'date')
    .addColumn('next_due_principal', 'bigint', (c) => c.notNull())
    .addColumn('overdue_since', 'date')
    .addColumn('dpd', 'integer', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull().check(sql`classification in ('normal', 'special-mention', 'substandard', 'doubtful', 'loss')`))
    .addColumn('provision', 'bigint', (c) => c.notNull())
    .addColumn('last_eod_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('loan_shard_idx').on('loan').columns(['shard']).execute();
  await db.schema.createIndex('loan_enterprise_idx').on('loan').columns(['enterprise_id']).execute();
  await db.schema.createIndex('loan_line_idx').on('loan').columns(['line_id']).execute();

  await db.schema
    .createTable('loan_installment')
    .addColumn('loan_id', 'uuid', (c) => c.notNull().references('loan.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('principal', 'bigint', (c) => c.notNull())
    .addColumn('interest', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('loan_installment_pk', ['loan_id', 'number'])
    .execute();

  // A money-moving request's first result, returned again for a retry with the same key.
  await db.schema
    .createTable('idempotency_record')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_record_pk', ['operation', 'key'])
    .execute();
}
