/**
 * Security in the demo book: some lines are secured on the borrower's property or equipment, some
 * guaranteed by one of two guarantee companies, the rest pure credit — drawn from each firm's own
 * `randomFor(seed, creditCode, 'security')` stream, so the rest of the demo's story is unchanged.
 */
import type { Kysely } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import { linkCollateral, recordPledgeRegistration, registerCollateral } from '../collateral/collateral-register.js';
import { addGuarantee, createGuarantor } from '../collateral/guarantees.js';
import { valueCollateral } from '../collateral/security-events.js';
import { addDays } from '../calendar/business-date.js';
import { randomFor } from '../data/seeded-random.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { formatMoney } from '../money/format-money.js';
import type { Minor } from '../money/minor.js';

/** Share of new lines secured by collateral, and guaranteed (of the rest). */
export const DEMO_SECURED_SHARE = 0.3;
export const DEMO_GUARANTEED_SHARE = 0.25;

const COMPANIES = [
  { name: '浙江省融资担保有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '200000000.00', marginRatioBp: 1000, rating: 'AA+' },
  { name: '杭州市融资担保集团有限公司', creditCode: '91330100MA2AXXXXX1', exposureCap: '100000000.00', marginRatioBp: 1500, rating: 'AA' },
] as const;

const guarantorIds = new WeakMap<Kysely<Database>, string[]>();

/** Secures a new line (or not): returns what it did. */
export async function secureDemoLine(db: Kysely<Database>, seed: number, firm: { readonly creditCode: string; readonly name: string }, enterpriseId: string, lineId: string, limit: Minor, date: BusinessDate): Promise<'secured' | 'guaranteed' | 'pure-credit'> {
  const random = randomFor(seed, firm.creditCode, 'security');
  const draw = random.uniform();
  if (draw < DEMO_SECURED_SHARE) {
    const house = random.uniform() < 0.6;
    // Worth 1.6 to 2.5 times the limit, in thousands of yuan.
    const value = ((limit * BigInt(160 + random.below(91))) / 100n / 1_000_00n) * 1_000_00n;
    await inTransaction(db, async (trx) => {
      const item = await registerCollateral(
        trx,
        house
          ? { enterpriseId, type: 'commercial-real-estate', owner: 'borrower', ownerName: firm.name, description: '经营用房', identifier: `浙(${date.slice(0, 4)})不动产权第${firm.creditCode.slice(8, 15)}号` }
          : { enterpriseId, type: 'equipment-vehicles', owner: 'borrower', ownerName: firm.name, description: '生产设备', identifier: `EQ-${firm.creditCode.slice(8, 17)}` },
        'demo',
      );
      const { valuation } = await valueCollateral(trx, item.id, { value: formatMoney(value), method: 'appraisal', appraiser: '浙江中衡资产评估有限公司', valuedOn: date }, 'demo');
      await recordPledgeRegistration(trx, item.id, { authority: house ? '不动产登记中心' : '动产融资统一登记公示系统', number: `DJ-${item.id.slice(-8)}`, registeredOn: date, rank: 1 }, 'demo');
      await linkCollateral(trx, item.id, lineId, formatMoney(valuation.eligible), 'demo');
    });
    return 'secured';
  }
  if (draw < DEMO_SECURED_SHARE + DEMO_GUARANTEED_SHARE) {
    let ids = guarantorIds.get(db);
    if (ids === undefined) {
      ids = await inTransaction(db, async (trx) => {
        const existing = await trx.selectFrom('guarantor').select(['id', 'credit_code']).where('credit_code', 'in', COMPANIES.map((c) => c.creditCode)).execute();
        const made: string[] = [];
        for (const company of COMPANIES) made.push(existing.find((row) => row.credit_code === company.creditCode)?.id ?? (await createGuarantor(trx, { kind: 'company', ...company }, 'demo')).id);
        return made;
      });
      guarantorIds.set(db, ids);
    }
    const guarantorId = ids[random.below(ids.length)]!;
    await inTransaction(db, (trx) => addGuarantee(trx, { guarantorId, enterpriseId, lineId, type: 'joint-and-several', amount: formatMoney(limit), startOn: date, endOn: addDays(date, 3 * 365) }, 'demo'));
    return 'guaranteed';
  }
  return 'pure-credit';
}
