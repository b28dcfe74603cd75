/**
 * Issue 14, servicing:
 *
 * - `product.renewal_window_days`: how many days before a loan's maturity its renewal (续贷) may be
 *   asked for. A product setting, changed under maker-checker like its other terms; 30 days by
 *   default (the notice, 金规〔2024〕13号, leaves the timing to the bank: "applied for before
 *   maturity, reviewed in advance").
 * - `loan.amortization`: how the loan's principal was amortised when drawn (equal-installments,
 *   equal-principal, interest-only, bullet), so a prepayment can re-amortise the rest the same
 *   way ("lower the installments"). Null on loans drawn before: read as the product's method.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('product')
    .addColumn('renewal_window_days', 'integer', (c) => c.notNull().defaultTo(30).check(sql`renewal_window_days between 1 and 365`))
    .execute();
  await db.schema.alterTable('loan').addColumn('amortization', 'text').execute();
}
