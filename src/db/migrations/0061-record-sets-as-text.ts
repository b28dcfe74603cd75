/**
 * Issue 16, the monitoring night's writes: a record set's records are stored as JSON text, not
 * jsonb, and a set references its pull by one composite key (pull, enterprise) instead of two
 * foreign keys (pull; enterprise).
 *
 * Nothing queries inside the records (they are read whole, by pull, and decoded in TypeScript), so
 * jsonb's parse on every insert bought nothing: on the monitoring night it was the largest part of
 * storing 700,000 sets (docs/benchmarks.md). The composite key checks one index per set where the
 * two keys checked two, and still says both things: the set's pull exists, and it is the pull of
 * the set's enterprise (whose own key to `enterprise` the pull holds). It also keeps the enterprise
 * in the key, as a table distributed by enterprise needs.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table data_pull add constraint data_pull_id_enterprise_key unique (id, enterprise_id)`.execute(db);
  await recordSetsAsText(db);
}

/** The `data_record_set` part of {@link up}: on a table laid out as migration 0013 made it. */
export async function recordSetsAsText(db: Kysely<unknown>): Promise<void> {
  await sql`alter table data_record_set drop constraint data_record_set_pull_id_fkey`.execute(db);
  await sql`alter table data_record_set drop constraint data_record_set_enterprise_id_fkey`.execute(db);
  await sql`alter table data_record_set alter column records type text using cast(records as text)`.execute(db);
  await sql`alter table data_record_set add constraint data_record_set_pull_fkey foreign key (pull_id, enterprise_id) references data_pull (id, enterprise_id)`.execute(db);
}
