/**
 * Issue 19: the holiday calendar's days carry their holiday's name (loaded from the yearly file,
 * src/calendar/calendar-file.ts), and the share of risk assets end of day holds as the general
 * provision (一般准备, src/eod/general-provision.ts), in basis points: 150 = 1.5%, the minimum of
 * 财金〔2012〕20号.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('holiday_calendar').addColumn('name', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema
    .alterTable('system_state')
    .addColumn('general_provision_bp', 'integer', (c) => c.notNull().defaultTo(150).check(sql`general_provision_bp between 0 and 10000`))
    .execute();
}
