/**
 * Issue 18: supply-chain finance (供应链金融). A core enterprise's programme at the bank, the
 * receivables its suppliers register and it confirms (确权), the payment certificates those become
 * (split and transferred down the chain of suppliers, each part a row whose `parent_id` names the
 * certificate it came from), dilutions (credit notes, returns, disputes) and the financings
 * against certificates. Journal entries name the certificate they post for, so the programme's
 * usage and the certificates outstanding reconcile to the ledger.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scf_programme')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('core_enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('limit_amount', 'bigint', (c) => c.notNull().check(sql`limit_amount > 0`))
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('lpr_tenor', 'text', (c) => c.notNull().check(sql`lpr_tenor in ('1y', '5y')`))
    .addColumn('spread_units', 'bigint', (c) => c.notNull())
    .addColumn('interest_payer', 'text', (c) => c.notNull().check(sql`interest_payer in ('supplier', 'core-enterprise')`))
    .addColumn('interest_timing', 'text', (c) => c.notNull().check(sql`interest_timing in ('discounted', 'at-maturity')`))
    .addColumn('advance_rate_bp', 'integer', (c) => c.notNull().check(sql`advance_rate_bp > 0 and advance_rate_bp <= 10000`))
    .addColumn('max_tenor_days', 'integer', (c) => c.notNull().check(sql`max_tenor_days > 0`))
    .addColumn('supplier_limit', 'bigint', (c) => c.notNull().check(sql`supplier_limit > 0`))
    .addColumn('industry_limit', 'bigint', (c) => c.notNull().check(sql`industry_limit > 0`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('scf_programme_term', sql`starts_on < ends_on`)
    // A core supplier pays interest discounted at the outset; a core enterprise pays it at maturity.
    .addCheckConstraint('scf_programme_payer_timing', sql`interest_payer = 'supplier' or interest_timing = 'at-maturity'`)
    .execute();
  // One programme in force per core enterprise: its limit is the per-core concentration limit.
  await sql`create unique index scf_programme_core on scf_programme (core_enterprise_id) where status = 'active'`.execute(db);

  await db.schema
    .createTable('scf_eligible_supplier')
    .addColumn('programme_id', 'uuid', (c) => c.notNull().references('scf_programme.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('scf_eligible_supplier_pk', ['programme_id', 'enterprise_id'])
    .execute();

  await db.schema
    .createTable('scf_receivable')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('programme_id', 'uuid', (c) => c.notNull().references('scf_programme.id'))
    .addColumn('seller_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('buyer_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('invoice_no', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('issued_on', 'date', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('documents', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('registered', 'confirmed', 'rejected', 'paid')`))
    .addColumn('confirmed_amount', 'bigint')
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_on', 'date')
    .addColumn('disputed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('registry_reference', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // The duplicate-financing guard: one invoice number per seller, ever.
    .addUniqueConstraint('scf_receivable_invoice', ['seller_id', 'invoice_no'])
    .addCheckConstraint('scf_receivable_dates', sql`issued_on <= due_on`)
    .execute();
  await db.schema.createIndex('scf_receivable_buyer_idx').on('scf_receivable').columns(['buyer_id', 'due_on']).execute();

  await db.schema
    .createTable('scf_certificate')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('receivable_id', 'uuid', (c) => c.notNull().references('scf_receivable.id'))
    .addColumn('parent_id', 'uuid', (c) => c.references('scf_certificate.id'))
    .addColumn('programme_id', 'uuid', (c) => c.notNull().references('scf_programme.id'))
    .addColumn('core_enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('holder_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('tier', 'integer', (c) => c.notNull().check(sql`tier >= 1`))
    .addColumn('face_amount', 'bigint', (c) => c.notNull().check(sql`face_amount > 0`))
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('held', 'split', 'transferred', 'financed', 'paid')`))
    .addColumn('warning', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scf_certificate_holder_idx').on('scf_certificate').columns(['holder_id', 'status']).execute();
  await db.schema.createIndex('scf_certificate_receivable_idx').on('scf_certificate').columns(['receivable_id']).execute();
  await db.schema.createIndex('scf_certificate_parent_idx').on('scf_certificate').columns(['parent_id']).execute();

  await db.schema
    .createTable('scf_dilution')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('receivable_id', 'uuid', (c) => c.notNull().references('scf_receivable.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('credit-note', 'return', 'dispute', 'dispute-resolved')`))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    /** 'reduced' when it lowered the confirmed amount; 'warning' when financing or a transfer came first. */
    .addColumn('effect', 'text', (c) => c.notNull().check(sql`effect in ('reduced', 'warning', 'blocked', 'cleared')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scf_financing')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // One financing per certificate, ever: the second of two racing requests hits this key.
    .addColumn('certificate_id', 'uuid', (c) => c.notNull().unique().references('scf_certificate.id'))
    .addColumn('programme_id', 'uuid', (c) => c.notNull().references('scf_programme.id'))
    .addColumn('core_enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('supplier_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('face_amount', 'bigint', (c) => c.notNull())
    .addColumn('principal', 'bigint', (c) => c.notNull().check(sql`principal > 0`))
    .addColumn('rate_units', 'bigint', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull().check(sql`days > 0`))
    .addColumn('interest', 'bigint', (c) => c.notNull().check(sql`interest >= 0`))
    .addColumn('interest_payer', 'text', (c) => c.notNull())
    .addColumn('interest_timing', 'text', (c) => c.notNull())
    .addColumn('disbursed', 'bigint', (c) => c.notNull())
    .addColumn('financed_on', 'date', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'overdue', 'settled')`))
    .addColumn('dpd', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('classification', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('settled_on', 'date')
    .addColumn('surplus_paid', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scf_financing_programme_idx').on('scf_financing').columns(['programme_id', 'status']).execute();

  await db.schema.alterTable('journal_entry').addColumn('certificate_id', 'uuid', (c) => c.references('scf_certificate.id')).execute();
  await db.schema.createIndex('journal_entry_certificate_idx').on('journal_entry').columns(['certificate_id']).execute();

  // The accounts, in databases seeded before they were in the default chart.
  await sql`insert into ledger_account (code, name, name_zh, type, purpose) values
    ('1305.01', 'Supply-chain financing - normal', '供应链融资-正常', 'asset', 'scf-normal'),
    ('1305.02', 'Supply-chain financing - special mention', '供应链融资-关注', 'asset', 'scf-special-mention'),
    ('1305.03', 'Supply-chain financing - substandard', '供应链融资-次级', 'asset', 'scf-substandard'),
    ('1305.04', 'Supply-chain financing - doubtful', '供应链融资-可疑', 'asset', 'scf-doubtful'),
    ('1305.05', 'Supply-chain financing - loss', '供应链融资-损失', 'asset', 'scf-loss'),
    ('2243', 'Supply-chain collections payable', '其他应付款-供应链代收款', 'liability', 'scf-collections'),
    ('7301', 'Payment certificates outstanding (memo)', '流转中的付款凭证(表外)', 'off-balance', 'scf-certificates'),
    ('7302', 'Payment certificates outstanding contra (memo)', '流转中的付款凭证对方(表外)', 'off-balance', 'scf-certificates-contra')
    on conflict do nothing`.execute(db);
}
