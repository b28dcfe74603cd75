/**
 * The holiday calendar a bank loads each year: public holidays and make-up working days, so a
 * payment due on a rest day is not overdue before the next working day (src/calendar/working-days.ts).
 * Seeded with 2025 and 2026 by the reference data.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('holiday_calendar')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('working', 'boolean', (c) => c.notNull())
    .execute();
}
