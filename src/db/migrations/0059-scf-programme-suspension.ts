/**
 * Issue 18: a programme can be suspended and resumed (no new receivables, confirmations or
 * financings while suspended; what exists runs to maturity) and its terms changed going forward
 * (src/supply-chain/programme-changes.ts). A suspended programme is still its core enterprise's
 * one programme, so the unique index now covers both states; the reason for a suspension is kept
 * on the row for the officer's console (the audit trail has the whole history).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scf_programme').addColumn('suspended_reason', 'text').execute();
  await sql`drop index scf_programme_core`.execute(db);
  await sql`create unique index scf_programme_core on scf_programme (core_enterprise_id) where status in ('active', 'suspended')`.execute(db);
}
