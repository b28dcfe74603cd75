/**
 * Origination data: the enterprise registry's fields, the enterprise's data-sharing
 * authorisations, and the data pulled under them.
 *
 * - `enterprise` gains industry, region, registration date, owners and the declared size
 *   indicators (revenue and assets in fen).
 * - `data_authorisation`: what the enterprise allowed, for which purpose, from when to when, and
 *   whether it was revoked. Sources are a JSON array so one grant can cover several.
 * - `data_pull`: one pull (who, when, which provider, under which authorisation per source).
 * - `data_record`: every record a pull returned, with its source and the pull time, as JSON
 *   (money as decimal strings "1234.56").
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('enterprise')
    .addColumn('industry', 'text')
    // 6-digit administrative division code (行政区划代码, GB/T 2260).
    .addColumn('region_code', 'text', (c) => c.check(sql`region_code is null or length(region_code) = 6`))
    .addColumn('registered_on', 'date')
    .addColumn('employees', 'integer', (c) => c.check(sql`employees is null or employees >= 0`))
    .addColumn('revenue', 'bigint', (c) => c.check(sql`revenue is null or revenue >= 0`))
    .addColumn('assets', 'bigint', (c) => c.check(sql`assets is null or assets >= 0`))
    .addColumn('owners', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();

  await db.schema
    .createTable('data_authorisation')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('sources', 'jsonb', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('granted_on', 'date', (c) => c.notNull())
    .addColumn('expires_on', 'date', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('data_authorisation_dates', sql`expires_on >= granted_on`)
    .execute();
  await db.schema.createIndex('data_authorisation_enterprise_idx').on('data_authorisation').columns(['enterprise_id', 'expires_on']).execute();

  await db.schema
    .createTable('data_pull')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('sources', 'jsonb', (c) => c.notNull())
    // Source → the authorisation id that allowed it.
    .addColumn('authorisations', 'jsonb', (c) => c.notNull())
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull().check(sql`months > 0`))
    .addColumn('record_count', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('pulled_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_pull_enterprise_idx').on('data_pull').columns(['enterprise_id', 'pulled_at']).execute();

  await db.schema
    .createTable('data_record')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('pull_id', 'uuid', (c) => c.notNull().references('data_pull.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // 'YYYY-MM' for monthly records, 'YYYY-MM-DD' for events.
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('pulled_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_record_pull_idx').on('data_record').columns(['pull_id']).execute();
  await db.schema.createIndex('data_record_enterprise_idx').on('data_record').columns(['enterprise_id', 'source', 'pulled_at']).execute();
}
