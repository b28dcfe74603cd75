/**
 * Issue 14: the enterprise's settlement accounts (结算账户) under a credit line — where a drawdown
 * is paid (放款账户) and what a repayment is debited from (还款账户) — captured when the contract is
 * signed and changed only with an audit trail. A change supersedes the row, never edits it, so the
 * account a past movement went through stays readable; `journal_entry.account_id` records it on
 * the drawdown and repayment entries.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settlement_account')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('line_id', 'uuid', (c) => c.notNull().references('credit_line.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('disbursement', 'repayment')`))
    .addColumn('bank_code', 'text', (c) => c.notNull())
    .addColumn('bank_name', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('account_no', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('superseded_at', 'timestamptz')
    .execute();
  // At most one account in force per line and purpose.
  await sql`create unique index settlement_account_current on settlement_account (line_id, purpose) where superseded_at is null`.execute(db);
  await db.schema.alterTable('journal_entry').addColumn('account_id', 'uuid', (c) => c.references('settlement_account.id')).execute();
}
