/**
 * Issue 16, the monitoring night's writes: `monitoring_source` keeps one row per enterprise, with
 * every source's last monitoring pull in one JSON object (`{ "tax": { "on": "2026-12-01", "pull":
 * "<data_pull id>" }, … }`), instead of one row per enterprise and source. The night that pulls
 * every source writes 100,000 rows for 100,000 borrowers instead of 700,000 (each a key check on
 * `enterprise` and an index entry); a night that pulls only the daily sources writes as many rows
 * as before. A batch merges its sources into the row (`||`), so a source not pulled keeps its date.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table monitoring_source rename to monitoring_source_0023`.execute(db);
  await db.schema
    .createTable('monitoring_source')
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    // Source → { on: business date of its last monitoring pull, pull: that pull's id }.
    .addColumn('sources', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('monitoring_source_enterprise_pk', ['enterprise_id'])
    .execute();
  await sql`insert into monitoring_source (enterprise_id, sources)
    select enterprise_id, jsonb_object_agg(source, jsonb_build_object('on', cast(pulled_on as text), 'pull', cast(pull_id as text)))
      from monitoring_source_0023 group by enterprise_id`.execute(db);
  await sql`drop table monitoring_source_0023`.execute(db);
}
