/**
 * Issue 18, the late path: supply-chain financing unpaid after its due date is treated at end of
 * day as a past-due loan is (src/supply-chain/maturity.ts). The programme carries the penalty
 * multiplier (罚息: the financing rate plus 30% to 50%, as a loan product's); each financing keeps
 * the penalty rate fixed when it was made, the penalty accrued and the fraction of a fen carried
 * to the next night, its loan-loss provision, and the last date end of day processed it (so a
 * date closed twice accrues once).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scf_programme').addColumn('penalty_multiplier', 'text', (c) => c.notNull().defaultTo('1.5')).execute();
  await db.schema.alterTable('scf_financing').addColumn('penalty_rate_units', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('scf_financing').addColumn('penalty_due', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('scf_financing').addColumn('penalty_remainder', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('scf_financing').addColumn('provision', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('scf_financing').addColumn('last_eod_on', 'date').execute();
  // Financings made before this migration take the default multiplier, 1.5: rate × 3 / 2, an
  // exact integer for the even rate units, otherwise half a unit rounded to even as multiplyRate does.
  // Every division here is exact and cast, so engines whose integer division yields a decimal
  // (CockroachDB) give the same units as PostgreSQL.
  await sql`update scf_financing set penalty_rate_units = case
    when rate_units % 2 = 0 then cast(rate_units * 3 / 2 as bigint)
    when (rate_units * 3 - 1) % 4 = 0 then cast((rate_units * 3 - 1) / 2 as bigint)
    else cast((rate_units * 3 + 1) / 2 as bigint) end`.execute(db);
}
