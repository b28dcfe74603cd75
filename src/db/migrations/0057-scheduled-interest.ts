/**
 * Issue 19: a loan whose schedule's interest is not the daily accrual on the balance — flat
 * interest, or an interest grace period whose interest is carried to a later installment — is
 * billed the booked schedule's interest (`interest_basis` 'scheduled'): end of day accrues, each
 * night, the rest of the next interest-bearing installment's scheduled interest (`next_interest`,
 * due `next_interest_on`) over the nights left, and bills exactly it on that date
 * (src/eod/process-chunk.ts). Every existing loan stays 'daily'.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('loan')
    .addColumn('interest_basis', 'text', (c) => c.notNull().defaultTo('daily').check(sql`interest_basis in ('daily', 'scheduled')`))
    .execute();
  await db.schema.alterTable('loan').addColumn('next_interest_on', 'date').execute();
  await db.schema.alterTable('loan').addColumn('next_interest', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
}
