/**
 * A guarantor's own data (担保人信息核查): the guarantor's authorisation to pull it (a guarantee
 * company: the sources an applicant may authorise; a person: the court records only), each check
 * with what it found, and the guarantor's standing from its latest check, which the decision and
 * end of day read (an adverse guarantor adds no guarantee value).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('guarantor')
    .addColumn('standing', 'text', (c) => c.notNull().defaultTo('unchecked').check(sql`standing in ('unchecked', 'clear', 'adverse')`))
    .addColumn('checked_on', 'date')
    .execute();

  await db.schema
    .createTable('guarantor_authorisation')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('guarantor_id', 'uuid', (c) => c.notNull().references('guarantor.id'))
    .addColumn('sources', 'jsonb', (c) => c.notNull())
    .addColumn('granted_on', 'date', (c) => c.notNull())
    .addColumn('expires_on', 'date', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('evidence', 'text', (c) => c.notNull().check(sql`length(evidence) between 1 and 500`))
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('guarantor_authorisation_dates', sql`expires_on >= granted_on`)
    .execute();
  await db.schema.createIndex('guarantor_authorisation_idx').on('guarantor_authorisation').columns(['guarantor_id', 'expires_on']).execute();

  await db.schema
    .createTable('guarantor_check')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('guarantor_id', 'uuid', (c) => c.notNull().references('guarantor.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('sources', 'jsonb', (c) => c.notNull())
    .addColumn('authorisation_id', 'uuid', (c) => c.notNull().references('guarantor_authorisation.id'))
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('records', 'jsonb', (c) => c.notNull())
    .addColumn('dishonest_debtor', 'boolean', (c) => c.notNull())
    .addColumn('lawsuits_as_defendant', 'integer', (c) => c.notNull())
    .addColumn('standing', 'text', (c) => c.notNull().check(sql`standing in ('clear', 'adverse')`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('pulled_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('guarantor_check_idx').on('guarantor_check').columns(['guarantor_id', 'pulled_at']).execute();
}
