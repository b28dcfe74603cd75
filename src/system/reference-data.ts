/**
 * Reference data a new database starts with: the chart of accounts, the LPR table, the business
 * date, the default products and the holiday calendar. Inserted only where absent, so a bank's own changes survive
 * restarts.
 */
import type { Kysely } from 'kysely';
import { parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { DEFAULT_CHART } from '../ledger/chart-of-accounts.js';
import { DEFAULT_PRODUCTS } from '../products/default-products.js';
import { LPR_TABLE } from '../pricing/lpr.js';
import { uuidv7 } from '../ids.js';
import { CHINA_HOLIDAYS } from '../calendar/working-days.js';

/**
 * Seeds what is missing. `today` becomes the business date of a database that has none.
 *
 * @example
 * await seedReferenceData(db, '2025-06-30');
 */
export async function seedReferenceData(db: Kysely<Database>, today: BusinessDate): Promise<void> {
  await db.insertInto('system_state').values({ id: 1, business_date: today }).onConflict((oc) => oc.column('id').doNothing()).execute();
  await db
    .insertInto('ledger_account')
    .values(DEFAULT_CHART.map((account) => ({ code: account.code, name: account.name, name_zh: account.nameZh, type: account.type, purpose: account.purpose })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('lpr_rate')
    .values(LPR_TABLE.map((row) => ({ tenor: row.tenor, effective_from: parseBusinessDate(row.effectiveFrom, 'effectiveFrom'), rate: row.rate })))
    .onConflict((oc) => oc.columns(['tenor', 'effective_from']).doNothing())
    .execute();
  await db
    .insertInto('holiday_calendar')
    .values(CHINA_HOLIDAYS.map((row) => ({ day: parseBusinessDate(row.day, 'day'), working: row.working })))
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  const now = new Date();
  await db
    .insertInto('product')
    .values(
      DEFAULT_PRODUCTS.map((product) => ({
        id: uuidv7(),
        code: product.code,
        name: product.name,
        name_en: product.nameEn,
        kind: product.kind,
        working_capital: product.workingCapital,
        min_amount: product.minAmount,
        max_amount: product.maxAmount,
        min_term_days: product.minTermDays,
        max_term_days: product.maxTermDays,
        schedule: JSON.stringify(product.schedule),
        lpr_tenor: product.lprTenor,
        spread: product.spread,
        penalty_multiplier: product.penaltyMultiplier,
        compound_overdue_interest: product.compoundOverdueInterest,
        allocation_order: product.allocationOrder.join(','),
        days_in_year: product.daysInYear,
        renewal_window_days: product.renewalWindowDays,
        status: 'active' as const,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}
