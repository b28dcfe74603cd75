/**
 * Secured and guaranteed lending (抵质押与保证): the collateral register with its registrations and
 * valuations over time, links of collateral to credit lines with an allocated amount, guarantors
 * and their guarantees, calls on guarantees, the security events monitoring reads, and the memo
 * (off-balance-sheet) accounts collateral and guarantees held are posted to.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('collateral')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('application_id', 'uuid', (c) => c.references('application.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull().check(sql`owner in ('borrower', 'third-party')`))
    .addColumn('owner_name', 'text', (c) => c.notNull().check(sql`length(owner_name) between 1 and 200`))
    .addColumn('description', 'text', (c) => c.notNull().check(sql`length(description) between 1 and 500`))
    .addColumn('identifier', 'text', (c) => c.notNull().check(sql`length(identifier) between 1 and 100`))
    .addColumn('registration_authority', 'text')
    .addColumn('registration_no', 'text')
    .addColumn('registered_on', 'date')
    .addColumn('rank', 'integer', (c) => c.check(sql`rank between 1 and 9`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'registered', 'released')`))
    .addColumn('memo_entry_id', 'uuid', (c) => c.references('journal_entry.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('released_on', 'date')
    .execute();
  await db.schema.createIndex('collateral_enterprise_idx').on('collateral').column('enterprise_id').execute();
  // One pledge per identifier at a time: the same property certificate is not taken twice.
  await db.schema.createIndex('collateral_identifier_idx').on('collateral').columns(['type', 'identifier']).execute();

  await db.schema
    .createTable('collateral_valuation')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('collateral_id', 'uuid', (c) => c.notNull().references('collateral.id'))
    .addColumn('valued_on', 'date', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull().check(sql`value > 0 and value <= 100000000000000`))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('appraisal', 'market-index', 'book-value')`))
    .addColumn('appraiser', 'text', (c) => c.notNull().check(sql`length(appraiser) between 1 and 200`))
    .addColumn('haircut_bp', 'integer', (c) => c.notNull().check(sql`haircut_bp between 0 and 10000`))
    .addColumn('haircut_version', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collateral_valuation_idx').on('collateral_valuation').columns(['collateral_id', 'valued_on']).execute();

  await db.schema
    .createTable('collateral_link')
    .addColumn('collateral_id', 'uuid', (c) => c.notNull().references('collateral.id'))
    .addColumn('line_id', 'uuid', (c) => c.notNull().references('credit_line.id'))
    .addColumn('allocated', 'bigint', (c) => c.notNull().check(sql`allocated > 0`))
    .addColumn('linked_on', 'date', (c) => c.notNull())
    .addColumn('released_on', 'date')
    .addPrimaryKeyConstraint('collateral_link_pk', ['collateral_id', 'line_id'])
    .execute();
  await db.schema.createIndex('collateral_link_line_idx').on('collateral_link').column('line_id').execute();

  await db.schema
    .createTable('guarantor')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('company', 'person')`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('credit_code', 'text')
    .addColumn('id_number', 'text')
    .addColumn('exposure_cap', 'bigint', (c) => c.check(sql`exposure_cap > 0`))
    .addColumn('margin_ratio_bp', 'integer', (c) => c.check(sql`margin_ratio_bp between 0 and 10000`))
    .addColumn('rating', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('guarantor_kind_fields', sql`(kind = 'company' and credit_code is not null and exposure_cap is not null and margin_ratio_bp is not null) or (kind = 'person' and id_number is not null)`)
    .execute();

  await db.schema
    .createTable('guarantee')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('guarantor_id', 'uuid', (c) => c.notNull().references('guarantor.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('line_id', 'uuid', (c) => c.references('credit_line.id'))
    .addColumn('application_id', 'uuid', (c) => c.references('application.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('joint-and-several', 'general')`))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0 and amount <= 100000000000000`))
    .addColumn('start_on', 'date', (c) => c.notNull())
    .addColumn('end_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('held', 'called', 'released')`))
    .addColumn('memo_entry_id', 'uuid', (c) => c.references('journal_entry.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('guarantee_period', sql`end_on >= start_on`)
    .execute();
  await db.schema.createIndex('guarantee_guarantor_idx').on('guarantee').column('guarantor_id').execute();
  await db.schema.createIndex('guarantee_enterprise_idx').on('guarantee').column('enterprise_id').execute();

  await db.schema
    .createTable('guarantee_claim')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('guarantee_id', 'uuid', (c) => c.notNull().unique().references('guarantee.id'))
    .addColumn('loan_id', 'uuid', (c) => c.notNull().references('loan.id'))
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('claimed', 'bigint', (c) => c.notNull().check(sql`claimed > 0`))
    .addColumn('recovered', 'bigint', (c) => c.notNull().check(sql`recovered >= 0 and recovered <= claimed`))
    .addColumn('to_penalty', 'bigint', (c) => c.notNull())
    .addColumn('to_interest', 'bigint', (c) => c.notNull())
    .addColumn('to_principal', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('security_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('line_id', 'uuid', (c) => c.notNull().references('credit_line.id'))
    .addColumn('collateral_id', 'uuid', (c) => c.notNull().references('collateral.id'))
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('ltv_bp', 'integer', (c) => c.notNull())
    .addColumn('max_ltv_bp', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_event_date_idx').on('security_event').columns(['business_date', 'enterprise_id']).execute();

  // The memo accounts, in databases seeded before they were in the default chart.
  await sql`insert into ledger_account (code, name, name_zh, type, purpose) values
    ('7101', 'Collateral held (memo)', '抵质押品(表外)', 'off-balance', 'collateral-held'),
    ('7102', 'Collateral held contra (memo)', '抵质押品对方(表外)', 'off-balance', 'collateral-held-contra'),
    ('7201', 'Guarantees received (memo)', '收到的保证(表外)', 'off-balance', 'guarantees-held'),
    ('7202', 'Guarantees received contra (memo)', '收到的保证对方(表外)', 'off-balance', 'guarantees-held-contra')
    on conflict do nothing`.execute(db);
}
