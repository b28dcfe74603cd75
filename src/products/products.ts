/**
 * Reading products. A product is data in the `product` table; this turns a row into the
 * definition the servicing code uses.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Selectable } from 'kysely';
import type { Database, ProductTable } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import type { AllocationBucket, ProductDefinition } from './default-products.js';

export interface Product extends ProductDefinition {
  readonly id: string;
  readonly status: 'active' | 'retired';
}

type Executor = Kysely<Database> | Transaction<Database>;

/** The product with `code`, or NOT_FOUND. */
export async function productByCode(db: Executor, code: string): Promise<Product> {
  const row = await db.selectFrom('product').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw new NotFoundError(`product ${code}`);
  return toProduct(row);
}

/** The product with `id`, or NOT_FOUND. */
export async function productById(db: Executor, id: string): Promise<Product> {
  const row = await db.selectFrom('product').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`product ${id}`);
  return toProduct(row);
}

/** Every product, active first, by code. */
export async function listProducts(db: Executor): Promise<Product[]> {
  const rows = await db.selectFrom('product').selectAll().orderBy('status').orderBy('code').execute();
  return rows.map(toProduct);
}

function toProduct(row: Selectable<ProductTable>): Product {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    kind: row.kind,
    workingCapital: row.working_capital,
    minAmount: row.min_amount,
    maxAmount: row.max_amount,
    minTermDays: row.min_term_days,
    maxTermDays: row.max_term_days,
    schedule: row.schedule as Record<string, string | number>,
    lprTenor: row.lpr_tenor,
    spread: row.spread,
    penaltyMultiplier: row.penalty_multiplier,
    compoundOverdueInterest: row.compound_overdue_interest,
    allocationOrder: row.allocation_order.split(',') as AllocationBucket[],
    daysInYear: row.days_in_year === 365 ? 365 : 360,
    renewalWindowDays: row.renewal_window_days,
    status: row.status,
  };
}
