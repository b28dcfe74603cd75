/**
 * Enterprise size (企业规模): large, medium, small or micro, by the 2011 standard
 * 《中小企业划型标准规定》(工信部联企业〔2011〕300号, issued 2011-06-18 by MIIT, NBS, NDRC and MOF),
 * for all 16 industry groups it lists, as dated, versioned configuration.
 *
 * The standard gives, per industry, the ceiling of "small and medium" and the lower bounds of
 * medium and small on one to two indicators: X employees (从业人员), Y operating revenue (营业收入),
 * Z total assets (资产总额). Amounts in the standard are in 万元 (ten thousand yuan); here they
 * are converted to fen once, in {@link wan}, so that 1 万元 = 10,000 yuan = 1,000,000 fen.
 *
 * Reading (as the statistics bureau's 统计上大中小微型企业划分办法(2017) spells it out): a firm is
 * in a tier only when it meets ALL of that tier's lower bounds; otherwise it falls to the tier
 * below; micro is what is left. "Large" is the tier above the standard's SME ceiling, with the
 * ceiling figures as its lower bounds (e.g. industry: X ≥ 1000 and Y ≥ 40000 万元).
 *
 * A bank changes these by adding a version with a later `effectiveFrom`, never by editing one.
 *
 * @example
 * classifySize('industry', { employees: 25, revenue: wan(300n) }).sizeClass; // 'small'
 * classifySize('industry', { employees: 25, revenue: wan(299n) }).sizeClass; // 'micro'
 */
import { invariant, ValidationError } from '../errors.js';
import type { Minor } from '../money/index.js';
import { minor } from '../money/index.js';

/** The 16 industry groups of the 2011 standard, in its order. */
export const INDUSTRIES = [
  'agriculture',
  'industry',
  'construction',
  'wholesale',
  'retail',
  'transport',
  'warehousing',
  'post',
  'accommodation',
  'catering',
  'information-transmission',
  'software-it-services',
  'real-estate-development',
  'property-management',
  'leasing-business-services',
  'other',
] as const;

/** An industry group code, one of {@link INDUSTRIES}. */
export type IndustryCode = (typeof INDUSTRIES)[number];

/** Names shown to people: English and the standard's own Chinese wording. */
export const INDUSTRY_NAMES: Readonly<Record<IndustryCode, { readonly en: string; readonly zh: string }>> = {
  agriculture: { en: 'agriculture, forestry, animal husbandry and fishery', zh: '农、林、牧、渔业' },
  industry: { en: 'industry (mining, manufacturing, power, gas and water)', zh: '工业' },
  construction: { en: 'construction', zh: '建筑业' },
  wholesale: { en: 'wholesale', zh: '批发业' },
  retail: { en: 'retail', zh: '零售业' },
  transport: { en: 'transport', zh: '交通运输业' },
  warehousing: { en: 'warehousing', zh: '仓储业' },
  post: { en: 'post', zh: '邮政业' },
  accommodation: { en: 'accommodation', zh: '住宿业' },
  catering: { en: 'catering', zh: '餐饮业' },
  'information-transmission': { en: 'information transmission', zh: '信息传输业' },
  'software-it-services': { en: 'software and information technology services', zh: '软件和信息技术服务业' },
  'real-estate-development': { en: 'real-estate development', zh: '房地产开发经营' },
  'property-management': { en: 'property management', zh: '物业管理' },
  'leasing-business-services': { en: 'leasing and business services', zh: '租赁和商务服务业' },
  other: { en: 'other industries not listed', zh: '其他未列明行业' },
};

/** A firm's declared indicators; money in fen. An indicator the industry does not use may be absent. */
export interface SizeIndicators {
  /** X: employees (从业人员). */
  readonly employees?: number | null;
  /** Y: operating revenue (营业收入) for the year, fen. */
  readonly revenue?: Minor | bigint | null;
  /** Z: total assets (资产总额), fen. */
  readonly assets?: Minor | bigint | null;
}

/** Lower bounds of one tier; every bound present must be met. */
export interface TierBounds {
  readonly employees?: number;
  readonly revenue?: Minor;
  readonly assets?: Minor;
}

/** The lower bounds of large, medium and small for one industry; micro is everything below small. */
export interface IndustryBounds {
  readonly large: TierBounds;
  readonly medium: TierBounds;
  readonly small: TierBounds;
}

export type SizeTier = 'large' | 'medium' | 'small' | 'micro';

export interface SizeStandard {
  readonly version: string;
  /** First date ('YYYY-MM-DD') the standard applies to. */
  readonly effectiveFrom: string;
  readonly source: string;
  readonly industries: Readonly<Record<IndustryCode, IndustryBounds>>;
}

/**
 * 万元 (ten thousand yuan) in fen: the standard's unit. 1 万元 = 10,000 yuan = 1,000,000 fen.
 *
 * @example
 * wan(300n); // 300000000n fen = 3,000,000 yuan = 3 million yuan
 */
export function wan(tenThousandYuan: bigint): Minor {
  return minor(tenThousandYuan * 10_000n * 100n);
}

/**
 * 工信部联企业〔2011〕300号, article 4 (一)–(十六). Each line quotes the article's figures, 万元
 * for money. The SME ceiling ("…以下的为中小微型企业") is read as the lower bound of large.
 */
export const SIZE_STANDARD_2011: SizeStandard = {
  version: '2011',
  effectiveFrom: '2011-06-18',
  source: '中小企业划型标准规定 (工信部联企业〔2011〕300号), article 4; large per 统计上大中小微型企业划分办法(2017)',
  industries: {
    // (一) 农林牧渔业: Y < 20000 SME; medium Y ≥ 500; small Y ≥ 50; micro Y < 50.
    agriculture: { large: { revenue: wan(20000n) }, medium: { revenue: wan(500n) }, small: { revenue: wan(50n) } },
    // (二) 工业: X < 1000 or Y < 40000 SME; medium X ≥ 300 and Y ≥ 2000; small X ≥ 20 and Y ≥ 300.
    industry: {
      large: { employees: 1000, revenue: wan(40000n) },
      medium: { employees: 300, revenue: wan(2000n) },
      small: { employees: 20, revenue: wan(300n) },
    },
    // (三) 建筑业: Y < 80000 or Z < 80000 SME; medium Y ≥ 6000 and Z ≥ 5000; small Y ≥ 300 and Z ≥ 300.
    construction: {
      large: { revenue: wan(80000n), assets: wan(80000n) },
      medium: { revenue: wan(6000n), assets: wan(5000n) },
      small: { revenue: wan(300n), assets: wan(300n) },
    },
    // (四) 批发业: X < 200 or Y < 40000 SME; medium X ≥ 20 and Y ≥ 5000; small X ≥ 5 and Y ≥ 1000.
    wholesale: {
      large: { employees: 200, revenue: wan(40000n) },
      medium: { employees: 20, revenue: wan(5000n) },
      small: { employees: 5, revenue: wan(1000n) },
    },
    // (五) 零售业: X < 300 or Y < 20000 SME; medium X ≥ 50 and Y ≥ 500; small X ≥ 10 and Y ≥ 100.
    retail: {
      large: { employees: 300, revenue: wan(20000n) },
      medium: { employees: 50, revenue: wan(500n) },
      small: { employees: 10, revenue: wan(100n) },
    },
    // (六) 交通运输业: X < 1000 or Y < 30000 SME; medium X ≥ 300 and Y ≥ 3000; small X ≥ 20 and Y ≥ 200.
    transport: {
      large: { employees: 1000, revenue: wan(30000n) },
      medium: { employees: 300, revenue: wan(3000n) },
      small: { employees: 20, revenue: wan(200n) },
    },
    // (七) 仓储业: X < 200 or Y < 30000 SME; medium X ≥ 100 and Y ≥ 1000; small X ≥ 20 and Y ≥ 100.
    warehousing: {
      large: { employees: 200, revenue: wan(30000n) },
      medium: { employees: 100, revenue: wan(1000n) },
      small: { employees: 20, revenue: wan(100n) },
    },
    // (八) 邮政业: X < 1000 or Y < 30000 SME; medium X ≥ 300 and Y ≥ 2000; small X ≥ 20 and Y ≥ 100.
    post: {
      large: { employees: 1000, revenue: wan(30000n) },
      medium: { employees: 300, revenue: wan(2000n) },
      small: { employees: 20, revenue: wan(100n) },
    },
    // (九) 住宿业: X < 300 or Y < 10000 SME; medium X ≥ 100 and Y ≥ 2000; small X ≥ 10 and Y ≥ 100.
    accommodation: {
      large: { employees: 300, revenue: wan(10000n) },
      medium: { employees: 100, revenue: wan(2000n) },
      small: { employees: 10, revenue: wan(100n) },
    },
    // (十) 餐饮业: X < 300 or Y < 10000 SME; medium X ≥ 100 and Y ≥ 2000; small X ≥ 10 and Y ≥ 100.
    catering: {
      large: { employees: 300, revenue: wan(10000n) },
      medium: { employees: 100, revenue: wan(2000n) },
      small: { employees: 10, revenue: wan(100n) },
    },
    // (十一) 信息传输业: X < 2000 or Y < 100000 SME; medium X ≥ 100 and Y ≥ 1000; small X ≥ 10 and Y ≥ 100.
    'information-transmission': {
      large: { employees: 2000, revenue: wan(100000n) },
      medium: { employees: 100, revenue: wan(1000n) },
      small: { employees: 10, revenue: wan(100n) },
    },
    // (十二) 软件和信息技术服务业: X < 300 or Y < 10000 SME; medium X ≥ 100 and Y ≥ 1000; small X ≥ 10 and Y ≥ 50.
    'software-it-services': {
      large: { employees: 300, revenue: wan(10000n) },
      medium: { employees: 100, revenue: wan(1000n) },
      small: { employees: 10, revenue: wan(50n) },
    },
    // (十三) 房地产开发经营: Y < 200000 or Z < 10000 SME; medium Y ≥ 1000 and Z ≥ 5000; small Y ≥ 100 and Z ≥ 2000.
    'real-estate-development': {
      large: { revenue: wan(200000n), assets: wan(10000n) },
      medium: { revenue: wan(1000n), assets: wan(5000n) },
      small: { revenue: wan(100n), assets: wan(2000n) },
    },
    // (十四) 物业管理: X < 1000 or Y < 5000 SME; medium X ≥ 300 and Y ≥ 1000; small X ≥ 100 and Y ≥ 500.
    'property-management': {
      large: { employees: 1000, revenue: wan(5000n) },
      medium: { employees: 300, revenue: wan(1000n) },
      small: { employees: 100, revenue: wan(500n) },
    },
    // (十五) 租赁和商务服务业: X < 300 or Z < 120000 SME; medium X ≥ 100 and Z ≥ 8000; small X ≥ 10 and Z ≥ 100.
    'leasing-business-services': {
      large: { employees: 300, assets: wan(120000n) },
      medium: { employees: 100, assets: wan(8000n) },
      small: { employees: 10, assets: wan(100n) },
    },
    // (十六) 其他未列明行业: X < 300 SME; medium X ≥ 100; small X ≥ 10.
    other: { large: { employees: 300 }, medium: { employees: 100 }, small: { employees: 10 } },
  },
};

/** Every version, oldest first. Add new ones at the end. */
export const SIZE_STANDARDS: readonly SizeStandard[] = [SIZE_STANDARD_2011];

/**
 * The standard in force on `date`: the latest version whose `effectiveFrom` is on or before it.
 *
 * @example
 * sizeStandardFor('2025-06-30').version; // '2011'
 */
export function sizeStandardFor(date: string, versions: readonly SizeStandard[] = SIZE_STANDARDS): SizeStandard {
  let found: SizeStandard | undefined;
  for (const standard of versions) if (standard.effectiveFrom <= date && (found === undefined || standard.effectiveFrom >= found.effectiveFrom)) found = standard;
  invariant(found !== undefined, `no enterprise size standard in force on ${date}`);
  return found;
}

/**
 * Parses an industry group code; a {@link ValidationError} on `field` lists the codes otherwise.
 *
 * @example
 * parseIndustry('retail', 'industry'); // 'retail'
 */
export function parseIndustry(text: string, field = 'industry'): IndustryCode {
  if (!(INDUSTRIES as readonly string[]).includes(text)) throw new ValidationError(field, `must be one of ${INDUSTRIES.join(', ')}`);
  return text as IndustryCode;
}

/** The indicators an industry's size is measured on ('employees', 'revenue', 'assets'). */
export function indicatorsFor(industry: IndustryCode, standard: SizeStandard = SIZE_STANDARD_2011): readonly (keyof TierBounds)[] {
  const small = standard.industries[industry].small;
  return (['employees', 'revenue', 'assets'] as const).filter((key) => small[key] !== undefined);
}

/** The result of {@link classifySize}: the tier and the rule that placed it, for the record. */
export interface SizeClassification {
  readonly sizeClass: SizeTier;
  readonly industry: IndustryCode;
  readonly standardVersion: string;
  /** Which indicators were used and the bounds of the tier found (for explanation in the UI). */
  readonly basis: readonly (keyof TierBounds)[];
}

/**
 * Classifies a firm by the standard in force on `date` (default: the latest). Each indicator the
 * industry uses must be given (a {@link ValidationError} names the missing one). A tier needs all
 * its lower bounds met; otherwise the firm falls to the tier below.
 *
 * @example
 * classifySize('retail', { employees: 50, revenue: wan(500n) }).sizeClass;  // 'medium'
 * classifySize('retail', { employees: 50, revenue: wan(499n) }).sizeClass;  // 'small'
 * classifySize('retail', { employees: 400, revenue: wan(80n) }).sizeClass;  // 'micro'
 */
export function classifySize(industry: IndustryCode, indicators: SizeIndicators, date = '9999-12-31'): SizeClassification {
  const standard = sizeStandardFor(date);
  const bounds = standard.industries[industry];
  const basis = indicatorsFor(industry, standard);
  for (const key of basis) {
    const value = indicators[key];
    if (value === undefined || value === null) throw new ValidationError(key, `is needed to classify the size of a ${INDUSTRY_NAMES[industry].en} firm`);
    if (key === 'employees' ? !(Number.isInteger(value) && (value as number) >= 0) : (value as bigint) < 0n) {
      throw new ValidationError(key, 'must not be negative (employees a whole number)');
    }
  }
  const meets = (tier: TierBounds): boolean =>
    (tier.employees === undefined || (indicators.employees as number) >= tier.employees) &&
    (tier.revenue === undefined || (indicators.revenue as bigint) >= tier.revenue) &&
    (tier.assets === undefined || (indicators.assets as bigint) >= tier.assets);
  const sizeClass: SizeTier = meets(bounds.large) ? 'large' : meets(bounds.medium) ? 'medium' : meets(bounds.small) ? 'small' : 'micro';
  return { sizeClass, industry, standardVersion: standard.version, basis };
}
