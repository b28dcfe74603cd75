/**
 * Regional indicators a bank loads from its own CSV (loans and deposits, bank outlets, NPL ratio,
 * court enforcement rate, lawyers per 10,000 people, fiscal expenditure…): one value per province,
 * year and indicator, with its source, beside the NBS panel shipped in src/ecology/data/.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('regional_indicator')
    .addColumn('region_code', 'text', (c) => c.notNull().check(sql`region_code ~ '^[0-9]{2}0000$'`))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 1949 and 2100`))
    .addColumn('indicator', 'text', (c) => c.notNull().check(sql`length(indicator) between 1 and 64`))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('regional_indicator_pk', ['region_code', 'year', 'indicator'])
    .execute();
}
