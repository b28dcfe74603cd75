/**
 * When an offer that lent on security becomes a line, that security secures the line: every
 * registered piece of the borrower's collateral with eligible value not yet allocated is linked
 * with what is free of it, and the borrower's held guarantees not yet on a line are tied to it.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { formatMoney } from '../money/format-money.js';
import { minor } from '../money/minor.js';
import { getBusinessDate } from '../system/business-date.js';
import { latestValuations } from './security-views.js';

/** Links the borrower's free security to `lineId`; returns how many pieces and guarantees it tied. */
export async function attachSecurityToLine(trx: Transaction<Database>, enterpriseId: string, lineId: string, actor: string): Promise<{ collateral: number; guarantees: number }> {
  const collateral = await trx.selectFrom('collateral').select('id').where('enterprise_id', '=', enterpriseId).where('status', '=', 'registered').orderBy('id').limit(500).execute();
  const ids = collateral.map((c) => c.id);
  let linked = 0;
  if (ids.length > 0) {
    const [values, links] = await Promise.all([latestValuations(trx, ids), trx.selectFrom('collateral_link').select(['collateral_id', 'allocated']).where('collateral_id', 'in', ids).where('released_on', 'is', null).execute()]);
    const today = await getBusinessDate(trx);
    for (const id of ids) {
      const eligible = values.get(id)?.eligible ?? 0n;
      const free = eligible - links.filter((link) => link.collateral_id === id).reduce((sum, link) => sum + link.allocated, 0n);
      if (free <= 0n) continue;
      await trx.insertInto('collateral_link').values({ collateral_id: id, line_id: lineId, enterprise_id: enterpriseId, allocated: minor(free), linked_on: today, released_on: null }).execute();
      await appendAudit(trx, { actor, action: 'collateral.link', entityType: 'collateral', entityId: id, after: { lineId, allocated: formatMoney(free) } });
      linked += 1;
    }
  }
  const tied = await trx.updateTable('guarantee').set({ line_id: lineId }).where('enterprise_id', '=', enterpriseId).where('status', '=', 'held').where('line_id', 'is', null).executeTakeFirst();
  return { collateral: linked, guarantees: Number(tied.numUpdatedRows) };
}
