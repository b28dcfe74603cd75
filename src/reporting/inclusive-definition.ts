/**
 * What counts as an inclusive small-micro loan (普惠型小微企业贷款) and how 两增两控 is judged, as dated
 * configuration: the version in force on a report's date applies, and a stored report run names it.
 *
 * Sources: 《中国银保监会办公厅关于2018年推动银行业小微企业金融服务高质量发展的通知》(银保监办发〔2018〕29号)
 * introduced 两增两控 on loans to small and micro enterprises with total credit per borrower (单户授信
 * 总额) of 10 million yuan or less, including operating loans to individual businesses and
 * small-business owners; later years' notices (e.g. 银保监办发〔2019〕48号, 〔2021〕49号, 金规〔2023〕…)
 * kept the ceiling and allowed the inclusive NPL ratio up to 3 percentage points above all loans'.
 * Size classes by 工信部联企业〔2011〕300号 (src/enterprises/size-standard.ts).
 */
import type { BorrowerType } from '../enterprises/borrower-type.js';
import type { SizeTier } from '../enterprises/size-standard.js';
import { invariant } from '../errors.js';
import { minor, type Minor } from '../money/minor.js';

export interface InclusiveDefinition {
  /** Stored with each report run. */
  readonly version: string;
  /** In force from this date until the next version's. */
  readonly from: string;
  /** 单户授信总额 ceiling, fen, inclusive (≤). */
  readonly creditCeiling: Minor;
  /** Enterprises of these size classes qualify. */
  readonly sizeClasses: readonly SizeTier[];
  /** Borrowers of these types qualify whatever their size class (their operating loans). */
  readonly borrowerTypes: readonly BorrowerType[];
  /** How far the inclusive NPL ratio may exceed all loans' and still be met, hundredths of a percentage point (300 = 3 pp). */
  readonly nplTolerance: bigint;
  readonly source: string;
}

/** Every version, oldest first. */
export const INCLUSIVE_DEFINITIONS: readonly InclusiveDefinition[] = [
  {
    version: 'inclusive-2018',
    from: '2018-01-01',
    creditCeiling: minor(1_000_000_000n),
    sizeClasses: ['small', 'micro'],
    borrowerTypes: ['individual-business', 'small-business-owner'],
    nplTolerance: 300n,
    source: '银保监办发〔2018〕29号; NPL tolerance 3 pp (银保监办发〔2019〕48号 and later annual notices)',
  },
];

/**
 * The version in force on `date`.
 *
 * @example
 * inclusiveDefinitionOn('2025-06-30').creditCeiling; // 1000000000n fen = 10 million yuan
 */
export function inclusiveDefinitionOn(date: string, versions: readonly InclusiveDefinition[] = INCLUSIVE_DEFINITIONS): InclusiveDefinition {
  let found: InclusiveDefinition | undefined;
  for (const version of versions) if (version.from <= date) found = version;
  invariant(found !== undefined, `no inclusive-loan definition in force on ${date}`);
  return found;
}

/**
 * Whether a borrower's loans are inclusive under a definition: its type qualifies, or it is an
 * enterprise of a qualifying size; and its total credit is within the ceiling.
 */
export function isInclusiveBorrower(definition: InclusiveDefinition, borrower: { readonly sizeClass: string | null; readonly borrowerType: string | null; readonly creditTotal: bigint }): boolean {
  if (borrower.creditTotal > definition.creditCeiling) return false;
  if ((definition.borrowerTypes as readonly string[]).includes(borrower.borrowerType ?? '')) return true;
  return (borrower.borrowerType ?? 'enterprise') === 'enterprise' && (definition.sizeClasses as readonly string[]).includes(borrower.sizeClass ?? '');
}
