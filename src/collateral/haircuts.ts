/**
 * Haircuts (折扣率) per collateral type, as dated, versioned configuration: a bank changes them by
 * adding a version with a later `effectiveFrom`, never by editing one in use (a valuation records
 * the version it was discounted by).
 */
import { invariant } from '../errors.js';
import { COLLATERAL_TYPES, type CollateralType } from './collateral-terms.js';

export interface HaircutSchedule {
  readonly version: string;
  /** First business date it applies to ('YYYY-MM-DD'). */
  readonly effectiveFrom: string;
  readonly source: string;
  /** Basis points of the value taken off (3000 = 30%), by type; 0..10000. */
  readonly haircutBp: Readonly<Record<CollateralType, number>>;
}

/**
 * Haircuts in the range Chinese banks' collateral policies commonly use (the complement of the
 * 抵质押率 ceilings: housing 70%, commercial property 60%, land 60–70%, equipment 50%, inventory
 * 40–50%, receivables 70–80%, deposits and certificates of deposit 90–100%).
 */
export const HAIRCUTS_2025: HaircutSchedule = {
  version: 'haircuts-2025-01',
  effectiveFrom: '2025-01-01',
  source: 'bank collateral policy, common 抵质押率 ceilings',
  haircutBp: {
    'residential-real-estate': 3000,
    'commercial-real-estate': 4000,
    'land-use-right': 3500,
    plant: 5000,
    'equipment-vehicles': 5000,
    inventory: 6000,
    receivables: 3000,
    'deposits-certificates': 500,
    equity: 5000,
    'intellectual-property': 7000,
  },
};

/** Every version, oldest first. Add new ones at the end. */
export const HAIRCUT_SCHEDULES: readonly HaircutSchedule[] = [HAIRCUTS_2025];

/**
 * The schedule in force on `date`: the latest whose `effectiveFrom` is on or before it.
 *
 * @example
 * haircutsFor('2025-06-30').haircutBp['residential-real-estate']; // 3000
 */
export function haircutsFor(date: string, versions: readonly HaircutSchedule[] = HAIRCUT_SCHEDULES): HaircutSchedule {
  let found: HaircutSchedule | undefined;
  for (const schedule of versions) if (schedule.effectiveFrom <= date && (found === undefined || schedule.effectiveFrom >= found.effectiveFrom)) found = schedule;
  invariant(found !== undefined, `no haircut schedule in force on ${date}`);
  for (const type of COLLATERAL_TYPES) {
    const bp = found.haircutBp[type];
    invariant(Number.isInteger(bp) && bp >= 0 && bp <= 10000, `haircuts ${found.version}: ${type} ${bp} bp`);
  }
  return found;
}
