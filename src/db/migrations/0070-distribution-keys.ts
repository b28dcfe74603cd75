/**
 * Issue 22 (Sprout on Citus): the keys of the tables src/db/distribution.ts distributes by
 * `enterprise_id` take that column, on every backend, so that one schema serves a single server
 * and a Citus cluster. Citus asks that a distributed table's primary key and unique constraints
 * hold the distribution column, and that a foreign key between two distributed tables hold it on
 * both sides. Each key keeps its old columns first, so the lookups it served (by id, by date and
 * loan) use it as before; the uniqueness it enforced is the same, since every row's enterprise is
 * fixed by the row it names (a pull's, a notice's).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A pull's record sets name the pull and its borrower together.
  // Migration 0061 made the set's key to its pull (pull, enterprise) against a unique key beside
  // the primary key; the primary key itself now takes the enterprise and serves that foreign key.
  await sql`alter table data_record_set drop constraint data_record_set_pull_fkey`.execute(db);
  await sql`alter table data_pull drop constraint data_pull_id_enterprise_key`.execute(db);
  await sql`alter table data_pull drop constraint data_pull_pkey`.execute(db);
  await sql`alter table data_pull add constraint data_pull_pkey primary key (id, enterprise_id)`.execute(db);
  await sql`alter table data_record_set drop constraint data_record_set_pk`.execute(db);
  await sql`alter table data_record_set add constraint data_record_set_pk primary key (pull_id, source, enterprise_id)`.execute(db);
  await sql`alter table data_record_set add constraint data_record_set_pull_fkey
    foreign key (pull_id, enterprise_id) references data_pull (id, enterprise_id)`.execute(db);

  await sql`alter table data_authorisation drop constraint data_authorisation_pkey`.execute(db);
  await sql`alter table data_authorisation add constraint data_authorisation_pkey primary key (id, enterprise_id)`.execute(db);

  await sql`alter table binding_contest drop constraint binding_contest_pkey`.execute(db);
  await sql`alter table binding_contest add constraint binding_contest_pkey primary key (id, enterprise_id)`.execute(db);

  await sql`alter table loan_day drop constraint loan_day_pk`.execute(db);
  await sql`alter table loan_day add constraint loan_day_pk primary key (business_date, loan_id, enterprise_id)`.execute(db);

  // A notice's dedupe key names its loan or warning, so it is unique with its borrower as alone.
  await sql`alter table notification drop constraint notification_pkey`.execute(db);
  await sql`alter table notification add constraint notification_pkey primary key (id, enterprise_id)`.execute(db);
  await sql`alter table notification drop constraint notification_dedupe_key_key`.execute(db);
  await sql`alter table notification add constraint notification_dedupe_key_key unique (dedupe_key, enterprise_id)`.execute(db);
}
