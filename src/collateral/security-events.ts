/**
 * Revaluation and its monitoring hook: a valuation that leaves a line's credit above what its
 * collateral carries at the product's maximum loan-to-value (less its guarantees) writes a
 * `security_event`, which post-lending monitoring turns into a warning. Only credit above the
 * pure-credit ceiling needs security, so a borrower within it raises nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { uuidv7 } from '../ids.js';
import type { SecurityEventKind } from './collateral-terms.js';
import { recordValuation, type NewValuation, type Valuation } from './collateral-register.js';
import { securityPolicyFor } from './security-policy.js';
import { lineSecurity } from './security-views.js';

export interface SecurityEvent {
  readonly id: string;
  readonly kind: SecurityEventKind;
  readonly enterpriseId: string;
  readonly lineId: string;
  readonly collateralId: string;
  readonly businessDate: BusinessDate;
  readonly ltvBp: number;
  readonly maxLtvBp: number;
}

/**
 * Records a valuation and checks every line the collateral secures; returns the events raised.
 *
 * @example
 * const { events } = await valueCollateral(trx, collateralId, { value: '6000000.00', method: 'market-index', appraiser: '国家统计局 70 城房价指数' }, 'ops');
 */
export async function valueCollateral(trx: Transaction<Database>, collateralId: string, request: NewValuation, actor: string): Promise<{ valuation: Valuation; events: SecurityEvent[] }> {
  const valuation = await recordValuation(trx, collateralId, request, actor);
  const links = await trx.selectFrom('collateral_link').select('line_id').where('collateral_id', '=', collateralId).where('released_on', 'is', null).orderBy('line_id').execute();
  const today = (await trx.selectFrom('system_state').select('business_date').where('id', '=', 1).executeTakeFirstOrThrow()).business_date;
  const policy = securityPolicyFor(today);
  const events: SecurityEvent[] = [];
  for (const link of links) {
    const view = await lineSecurity(trx, link.line_id);
    if (!view.overMaximum || view.ltvBp === null || view.maxLtvBp === null || view.lineStatus === 'closed') continue;
    if ((await borrowerCredit(trx, view.enterpriseId)) <= policy.pureCreditCeiling) continue;
    const event: SecurityEvent = { id: uuidv7(), kind: 'ltv-over-maximum', enterpriseId: view.enterpriseId, lineId: view.lineId, collateralId, businessDate: today, ltvBp: view.ltvBp, maxLtvBp: view.maxLtvBp };
    await trx
      .insertInto('security_event')
      .values({ id: event.id, kind: event.kind, enterprise_id: event.enterpriseId, line_id: event.lineId, collateral_id: collateralId, business_date: today, ltv_bp: event.ltvBp, max_ltv_bp: event.maxLtvBp, created_at: new Date() })
      .execute();
    events.push(event);
  }
  return { valuation, events };
}

/** Σ the borrower's open lines' limits. */
async function borrowerCredit(db: Kysely<Database> | Transaction<Database>, enterpriseId: string): Promise<bigint> {
  const lines = await db.selectFrom('credit_line').select('limit_amount').where('enterprise_id', '=', enterpriseId).where('status', 'in', ['active', 'frozen']).execute();
  return lines.reduce((sum, line) => sum + line.limit_amount, 0n);
}

/** Security events, newest first, optionally since a business date: what monitoring reads. */
export async function securityEvents(db: Kysely<Database>, filter: { readonly since?: BusinessDate; readonly enterpriseId?: string; readonly limit: number }): Promise<SecurityEvent[]> {
  let query = db.selectFrom('security_event').selectAll();
  if (filter.since !== undefined) query = query.where('business_date', '>=', filter.since);
  if (filter.enterpriseId !== undefined) query = query.where('enterprise_id', '=', filter.enterpriseId);
  const rows = await query.orderBy('business_date', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind, enterpriseId: row.enterprise_id, lineId: row.line_id, collateralId: row.collateral_id, businessDate: row.business_date, ltvBp: row.ltv_bp, maxLtvBp: row.max_ltv_bp }));
}
