/**
 * Credit lines (授信): an approved limit for an enterprise under a product. Drawdowns take from
 * `available`; on a revolving line, repaid principal gives it back.
 *
 * The available amount is only ever changed by one conditional UPDATE (`available >= amount`),
 * backed by a CHECK (`available >= 0`), so two drawdowns racing for the last yuan cannot both win
 * on any backend, without locks held across round trips.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { CreditLineTable, Database } from '../db/schema.js';
import { anyOf, unnestRows } from '../db/unnest-rows.js';
import type { Selectable } from 'kysely';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import { ConflictError, invariant, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import { parseMoney } from '../money/parse-money.js';
import type { Minor } from '../money/minor.js';
import { lprOn, type LprRow } from '../pricing/lpr.js';
import { rateToUnits, unitsToRate } from '../pricing/rate-units.js';
import { productByCode } from '../products/products.js';
import { getBusinessDate } from '../system/business-date.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A line is drawn on while active; frozen after an early warning; closed for good. */
export type LineStatus = 'active' | 'frozen' | 'closed';

export interface CreditLine {
  readonly id: string;
  readonly enterpriseId: string;
  readonly productId: string;
  readonly limit: Minor;
  readonly available: Minor;
  readonly revolving: boolean;
  readonly annualRate: string;
  readonly startOn: BusinessDate;
  readonly endOn: BusinessDate;
  readonly status: LineStatus;
}

export interface OpenLineRequest {
  readonly enterpriseId: string;
  readonly productCode: string;
  /** Yuan, "500000.00". */
  readonly limit: string;
  /** Days from today's business date; default 365. */
  readonly termDays?: number | undefined;
  /** Percent per year; default the product's LPR for today plus its spread. */
  readonly annualRate?: string | undefined;
}

/** Longest line term accepted: three years, the usual ceiling for working-capital credit. */
const MAX_LINE_TERM_DAYS = 3 * 366;

/**
 * Opens a line for an enterprise, starting today.
 *
 * @example
 * const line = await openCreditLine(trx, { enterpriseId, productCode: 'MICRO-LINE', limit: '300000.00' }, 'credit-approver');
 */
export async function openCreditLine(db: Transaction<Database>, request: OpenLineRequest, actor: string): Promise<CreditLine> {
  const product = await productByCode(db, request.productCode);
  if (product.status !== 'active') throw new ConflictError(`product ${product.code} is retired`, 'productCode');
  const enterprise = await db.selectFrom('enterprise').select('id').where('id', '=', request.enterpriseId).executeTakeFirst();
  if (!enterprise) throw new NotFoundError(`enterprise ${request.enterpriseId}`);
  const limit = parseMoney(request.limit, 'limit');
  if (limit < product.minAmount || limit > product.maxAmount) {
    throw new ValidationError('limit', `must be between ${formatMoney(product.minAmount)} and ${formatMoney(product.maxAmount)} for ${product.code}`);
  }
  const termDays = request.termDays ?? 365;
  if (!Number.isInteger(termDays) || termDays < 1 || termDays > MAX_LINE_TERM_DAYS) {
    throw new ValidationError('termDays', `must be a whole number of days from 1 to ${MAX_LINE_TERM_DAYS}`);
  }
  const today = await getBusinessDate(db);
  const annualRate = request.annualRate === undefined ? await productRate(db, product.lprTenor, product.spread, today) : unitsToRate(rateToUnits(request.annualRate, 'annualRate'));
  const line: CreditLine = {
    id: uuidv7(),
    enterpriseId: request.enterpriseId,
    productId: product.id,
    limit,
    available: limit,
    revolving: product.kind === 'revolving-line',
    annualRate,
    startOn: today,
    endOn: addDays(today, termDays),
    status: 'active',
  };
  await db
    .insertInto('credit_line')
    .values({
      id: line.id,
      enterprise_id: line.enterpriseId,
      product_id: line.productId,
      limit_amount: line.limit,
      available: line.available,
      revolving: line.revolving,
      annual_rate: line.annualRate,
      start_on: line.startOn,
      end_on: line.endOn,
      status: line.status,
      created_at: new Date(),
    })
    .execute();
  await appendAudit(db, { actor, action: 'line.open', entityType: 'credit_line', entityId: line.id, after: line });
  return line;
}

/** The product's price on `date`: the LPR of its tenor plus its spread. */
async function productRate(db: Executor, tenor: '1y' | '5y', spread: string, date: BusinessDate): Promise<string> {
  const rows = await db.selectFrom('lpr_rate').selectAll().where('tenor', '=', tenor).execute();
  const table: LprRow[] = rows.map((row) => ({ tenor: row.tenor, effectiveFrom: row.effective_from, rate: row.rate }));
  return unitsToRate(rateToUnits(lprOn(table, tenor, date), 'lpr') + rateToUnits(spread, 'spread'));
}

/** The line with `id`, or NOT_FOUND. */
export async function getCreditLine(db: Executor, id: string): Promise<CreditLine> {
  const row = await db.selectFrom('credit_line').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`credit line ${id}`);
  return toCreditLine(row);
}

/** Allowed status changes: freeze and unfreeze an open line, close it for good. */
const TRANSITIONS: Readonly<Record<LineStatus, readonly LineStatus[]>> = {
  active: ['frozen', 'closed'],
  frozen: ['active', 'closed'],
  closed: [],
};

/**
 * Moves a line to `status` (a risk officer freezing it after an early warning, say). Drawdowns
 * need an active line; repayments are always accepted.
 */
export async function setCreditLineStatus(db: Transaction<Database>, id: string, status: LineStatus, actor: string): Promise<CreditLine> {
  const line = await getCreditLine(db, id);
  if (!TRANSITIONS[line.status].includes(status)) throw new ConflictError(`a ${line.status} line cannot become ${status}`, 'status');
  const result = await db.updateTable('credit_line').set({ status }).where('id', '=', id).where('status', '=', line.status).executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new ConflictError('the line changed meanwhile; try again', 'status');
  await appendAudit(db, { actor, action: 'line.status', entityType: 'credit_line', entityId: id, before: { status: line.status }, after: { status } });
  return { ...line, status };
}

/**
 * Takes `amount` from the line's available amount, atomically. Returns what the line has left
 * (read by the same statement: the row stays locked to commit, so it is the line's available until
 * then), or undefined when the line is not active, has expired, or has less than `amount` available.
 */
export async function reserveFromLine(db: Executor, lineId: string, amount: Minor, today: BusinessDate): Promise<Minor | undefined> {
  invariant(amount > 0n, `reserving ${amount} from line ${lineId}: the amount must be positive`);
  const after = await db
    .updateTable('credit_line')
    .set((eb) => ({ available: eb('available', '-', amount) }))
    .where('id', '=', lineId)
    .where('status', '=', 'active')
    .where('end_on', '>=', today)
    .where('available', '>=', amount)
    .returning(['available', 'limit_amount'])
    .executeTakeFirst();
  if (after === undefined) return undefined;
  assertLineAvailable(lineId, after.available, after.limit_amount);
  return after.available;
}

/**
 * The lines of `ids` that exist, locked (`FOR UPDATE`) to commit, by id: a batch of drawdowns
 * (drawdown-batch.ts) reads and decides on them as one at a time would on each. One read for all,
 * in id order, so two batches lock lines they share in the same order.
 *
 * @example
 * const lines = await lockCreditLines(trx, [lineA, lineB]); // Map { lineA => CreditLine, … }
 */
export async function lockCreditLines(trx: Transaction<Database>, ids: readonly string[]): Promise<Map<string, CreditLine>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('credit_line').selectAll().where('id', '=', anyOf([...new Set(ids)], 'uuid')).orderBy('id').forUpdate().execute();
  return new Map(rows.map((row) => [row.id, toCreditLine(row)]));
}

/**
 * Takes each line's sum of a batch's drawdowns from it in one statement, on lines the caller has
 * locked ({@link lockCreditLines}) and checked: every line must still be active, unexpired and
 * have the sum available (the same conditions as `reserveFromLine`); returns what each has left.
 *
 * @example
 * const left = await reserveFromLines(trx, new Map([[lineId, 2_000_00n]]), today); // Map { lineId => 98_000_00n }
 */
export async function reserveFromLines(trx: Transaction<Database>, amounts: ReadonlyMap<string, Minor>, today: BusinessDate): Promise<Map<string, Minor>> {
  if (amounts.size === 0) return new Map();
  for (const [lineId, amount] of amounts) invariant(amount > 0n, `reserving ${amount} from line ${lineId}: the amount must be positive`);
  const values = unnestRows({ id: 'uuid', amount: 'bigint' }, [...amounts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, amount]) => ({ id, amount })));
  const { rows } = await sql<{ id: string; available: bigint; limit_amount: bigint }>`
    update credit_line set available = credit_line.available - v.amount
    from ${values}
    where credit_line.id = v.id and credit_line.status = 'active' and credit_line.end_on >= ${today} and credit_line.available >= v.amount
    returning credit_line.id, credit_line.available, credit_line.limit_amount`.execute(trx);
  invariant(rows.length === amounts.size, `reserving from ${amounts.size} locked lines took from ${rows.length}`);
  const left = new Map<string, Minor>();
  for (const row of rows) {
    assertLineAvailable(row.id, BigInt(row.available), BigInt(row.limit_amount));
    left.set(row.id, BigInt(row.available) as Minor);
  }
  return left;
}

/**
 * Asserts 0 ≤ available ≤ limit: a line never lends more than its limit, nor gives back more than
 * was drawn.
 *
 * @example
 * assertLineAvailable(lineId, 40_000_00n, 100_000_00n);
 */
export function assertLineAvailable(lineId: string, available: bigint, limit: bigint): void {
  invariant(available >= 0n && available <= limit, `line ${lineId}: available ${available} is outside 0..${limit}`);
}

/** Gives repaid principal back to a revolving line (never above its limit). */
export async function restoreToLine(db: Executor, lineId: string, amount: Minor): Promise<void> {
  invariant(amount >= 0n, `restoring ${amount} to line ${lineId}: the amount must not be negative`);
  if (amount === 0n) return;
  const after = await db
    .updateTable('credit_line')
    .set({ available: sql<Minor>`least(limit_amount, available + ${amount})` })
    .where('id', '=', lineId)
    .where('revolving', '=', true)
    .returning(['available', 'limit_amount'])
    .executeTakeFirst();
  if (after !== undefined) assertLineAvailable(lineId, after.available, after.limit_amount);
}

function toCreditLine(row: Selectable<CreditLineTable>): CreditLine {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    productId: row.product_id,
    limit: row.limit_amount,
    available: row.available,
    revolving: row.revolving,
    annualRate: row.annual_rate,
    startOn: row.start_on,
    endOn: row.end_on,
    status: row.status,
  };
}


/**
 * Credit lines, newest first, optionally of one enterprise; at most `limit` (the caller bounds it).
 *
 * @example
 * await listCreditLines(db, { enterpriseId, limit: 50 });
 */
export async function listCreditLines(db: Executor, filter: { readonly enterpriseId?: string; readonly enterpriseIds?: readonly string[]; readonly limit: number }): Promise<CreditLine[]> {
  let query = db.selectFrom('credit_line').selectAll();
  if (filter.enterpriseId !== undefined) query = query.where('enterprise_id', '=', filter.enterpriseId);
  // Only these enterprises' lines (a borrower's); an empty list matches nothing.
  if (filter.enterpriseIds !== undefined) {
    if (filter.enterpriseIds.length === 0) return [];
    query = query.where('enterprise_id', 'in', filter.enterpriseIds);
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toCreditLine);
}
