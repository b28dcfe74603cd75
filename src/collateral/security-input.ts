/**
 * What a new application can be secured on, as the decision reads it: registered collateral's
 * eligible value not yet allocated to a line, by type, and held guarantees not yet tied to a line,
 * counted under the guarantor counting policy in force on the decision's date.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CollateralType } from './collateral-terms.js';
import { countGuarantees, guarantorCountingFor } from './guarantor-counting.js';
import type { SecurityInput } from './security-limit.js';
import { latestValuations } from './security-views.js';

/**
 * @example
 * await securityInputFor(db, enterpriseId, '2025-06-30'); // { eligibleByType: { 'residential-real-estate': '70000000000000' }, guaranteed: '100000000', countingPolicy: 'guarantor-counting-2025-01', guarantors: […] }
 */
export async function securityInputFor(db: Kysely<Database> | Transaction<Database>, enterpriseId: string, date: string): Promise<SecurityInput> {
  const [collateral, guarantees] = await Promise.all([
    db.selectFrom('collateral').select(['id', 'type']).where('enterprise_id', '=', enterpriseId).where('status', '=', 'registered').limit(500).execute(),
    db
      .selectFrom('guarantee')
      .innerJoin('guarantor', 'guarantor.id', 'guarantee.guarantor_id')
      .select(['guarantee.id', 'guarantee.amount', 'guarantee.guarantor_id', 'guarantor.kind', 'guarantor.standing', 'guarantor.checked_on'])
      .where('guarantee.enterprise_id', '=', enterpriseId)
      .where('guarantee.status', '=', 'held')
      .where('guarantee.line_id', 'is', null)
      .orderBy('guarantee.id')
      .execute(),
  ]);
  // Only a guarantor whose latest check of its own data was clean and recent counts (guarantor-counting.ts).
  const policy = guarantorCountingFor(date);
  const counted = countGuarantees(
    guarantees.map((g) => ({ guaranteeId: g.id, guarantorId: g.guarantor_id, kind: g.kind, standing: g.standing, checkedOn: g.checked_on, amount: g.amount.toString() })),
    date,
    policy,
  );
  const guaranteed = counted.guaranteed;
  // The version is recorded only where there was something to count, so inputs without guarantees read as before.
  const withGuarantors = counted.guarantees.length > 0 ? { countingPolicy: policy.version, guarantors: counted.guarantees } : {};
  if (collateral.length === 0) return { eligibleByType: {}, guaranteed, ...withGuarantors };
  const ids = collateral.map((c) => c.id);
  const [values, links] = await Promise.all([latestValuations(db, ids), db.selectFrom('collateral_link').select(['collateral_id', 'allocated']).where('collateral_id', 'in', ids).where('released_on', 'is', null).execute()]);
  const free: Partial<Record<CollateralType, bigint>> = {};
  for (const item of collateral) {
    const valuation = values.get(item.id);
    if (valuation === undefined) continue;
    // Exact: the eligible value's numerator over 10000, less the whole fen already allocated.
    const taken = links.filter((link) => link.collateral_id === item.id).reduce((sum, link) => sum + link.allocated, 0n) * 10_000n;
    if (valuation.eligibleNumerator > taken) free[item.type] = (free[item.type] ?? 0n) + valuation.eligibleNumerator - taken;
  }
  return { eligibleByType: Object.fromEntries(Object.entries(free).map(([type, numerator]) => [type, numerator.toString()])), guaranteed, ...withGuarantors };
}
