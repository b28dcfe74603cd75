/**
 * The simulated population: enterprises whose data and whose default are both driven by one
 * latent health (潜在经营健康度), so that a scorecard trained on simulated data learns a real
 * relationship, and demos show firms whose tax, power and court records tell a coherent story.
 *
 * Everything is a pure function of the credit code and a seed (`seeded-random.ts`): the same code
 * and seed always give the same firm, its data and its outcome; another seed gives another world.
 *
 * - `health` ~ N(0, 1): higher is healthier. It sets sales growth and volatility, tax arrears,
 *   insurance coverage, lawsuits, penalties, the dishonest-debtor listing, overdue history, the
 *   odds of over-declaring revenue or inflating invoices, and the 12-month default probability
 *   PD = 1 / (1 + exp(−(α + β·health))) with α = logit(3%) and β = −1.3.
 *
 * @example
 * const firms = simulatedPopulation({ seed: 42, size: 100 });
 * simulatedDefault(firms[0]!.creditCode, 42).probability; // e.g. 0.021
 */
import { addDays, parseBusinessDate, toDayNumber, fromDayNumber, type BusinessDate } from '../calendar/index.js';
import { completeCreditCode, parseCreditCode, type CreditCode } from '../enterprises/credit-code.js';
import { TYPICAL_DIVISION } from '../enterprises/industry-codes.js';
import { classifySize, INDUSTRIES, type IndustryCode, type SizeTier } from '../enterprises/size-standard.js';
import { ValidationError } from '../errors.js';
import { minor, type Minor } from '../money/index.js';
import { randomFor } from './seeded-random.js';

/**
 * The date simulated histories are anchored on: registration dates count back from it and trends
 * are measured from it. Data exists before and after it (any `asOf` works).
 */
export const SIMULATION_ANCHOR = parseBusinessDate('2025-06-30', 'SIMULATION_ANCHOR');

/** Base 12-month default probability at health 0, and the slope of the log-odds in health. */
export const SIMULATED_DEFAULT_MODEL = { baseProbability: 0.03, healthSlope: -1.3 } as const;

/** One simulated enterprise: what it declares, and what it really is. */
export interface SimulatedFirm {
  readonly creditCode: CreditCode;
  readonly seed: number;
  readonly name: string;
  readonly industry: IndustryCode;
  readonly regionCode: string;
  readonly registeredOn: BusinessDate;
  /** The latent health, N(0, 1). Hidden from a lender; drives data and default. */
  readonly health: number;
  /** Real annual sales at the anchor, yuan (a simulation quantity, not money on a ledger). */
  readonly annualSalesYuan: number;
  /** Annual growth of real sales. */
  readonly growth: number;
  /** Month-to-month noise of sales (standard deviation of log sales). */
  readonly volatility: number;
  /** Real headcount at the anchor. */
  readonly employees: number;
  /** What the firm declares to the bank; over-declared for some weak firms. */
  readonly declared: { readonly employees: number; readonly revenue: Minor; readonly assets: Minor };
  readonly sizeClass: SizeTier;
  /** Invoiced sales are inflated by this factor in the 12 months before the anchor (1 = honest). */
  readonly invoiceInflation: number;
  readonly owner: { readonly name: string; readonly idNumber: string };
}

/** Industry patterns: typical size, productivity, tax burden, power and water intensity, seasonality. */
export interface IndustryPattern {
  /** Median annual sales of a simulated firm, yuan. */
  readonly medianSalesYuan: number;
  readonly salesPerEmployeeYuan: number;
  /** Total assets as a multiple of annual sales. */
  readonly assetsToSales: number;
  /** Taxes paid as a share of invoiced sales. */
  readonly taxRate: number;
  readonly yuanPerKwh: number;
  readonly yuanPerCubicMetre: number;
  /** Sales by calendar month, January first; normalised to mean 1 where used. */
  readonly season: readonly number[];
  /** Share of firms in this industry in the simulated population. */
  readonly weight: number;
}

// Spring Festival (late Jan–Feb) dips production and building; shopping peaks around it, at
// "Double 11" and at year end; catering and hotels peak at holidays; agriculture at harvest.
const FACTORY = [1.05, 0.7, 1.0, 1.0, 1.0, 1.0, 0.95, 0.95, 1.05, 1.05, 1.1, 1.15];
const SHOPS = [1.2, 1.1, 0.9, 0.9, 0.95, 0.95, 0.9, 0.9, 0.95, 1.05, 1.15, 1.15];
const HOLIDAYS = [1.15, 1.2, 0.9, 0.95, 1.05, 0.9, 1.05, 1.1, 0.95, 1.15, 0.8, 0.9];
const FLAT = [1, 0.85, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.1];

export const INDUSTRY_PATTERNS: Readonly<Record<IndustryCode, IndustryPattern>> = {
  agriculture: { medianSalesYuan: 1_500_000, salesPerEmployeeYuan: 150_000, assetsToSales: 1.0, taxRate: 0.005, yuanPerKwh: 40, yuanPerCubicMetre: 30, season: [0.7, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.4, 1.5, 1.3, 1.0], weight: 4 },
  industry: { medianSalesYuan: 8_000_000, salesPerEmployeeYuan: 400_000, assetsToSales: 0.8, taxRate: 0.03, yuanPerKwh: 15, yuanPerCubicMetre: 250, season: FACTORY, weight: 22 },
  construction: { medianSalesYuan: 10_000_000, salesPerEmployeeYuan: 500_000, assetsToSales: 0.9, taxRate: 0.03, yuanPerKwh: 120, yuanPerCubicMetre: 300, season: [1.0, 0.5, 0.9, 1.05, 1.1, 1.05, 0.9, 0.9, 1.05, 1.1, 1.2, 1.25], weight: 6 },
  wholesale: { medianSalesYuan: 12_000_000, salesPerEmployeeYuan: 1_500_000, assetsToSales: 0.5, taxRate: 0.015, yuanPerKwh: 400, yuanPerCubicMetre: 6_000, season: FACTORY, weight: 16 },
  retail: { medianSalesYuan: 3_000_000, salesPerEmployeeYuan: 500_000, assetsToSales: 0.4, taxRate: 0.015, yuanPerKwh: 60, yuanPerCubicMetre: 1_500, season: SHOPS, weight: 18 },
  transport: { medianSalesYuan: 4_000_000, salesPerEmployeeYuan: 300_000, assetsToSales: 1.2, taxRate: 0.03, yuanPerKwh: 150, yuanPerCubicMetre: 1_500, season: FACTORY, weight: 5 },
  warehousing: { medianSalesYuan: 3_000_000, salesPerEmployeeYuan: 300_000, assetsToSales: 1.5, taxRate: 0.03, yuanPerKwh: 50, yuanPerCubicMetre: 2_000, season: SHOPS, weight: 2 },
  post: { medianSalesYuan: 2_000_000, salesPerEmployeeYuan: 200_000, assetsToSales: 0.6, taxRate: 0.03, yuanPerKwh: 80, yuanPerCubicMetre: 1_500, season: SHOPS, weight: 1 },
  accommodation: { medianSalesYuan: 3_000_000, salesPerEmployeeYuan: 200_000, assetsToSales: 1.5, taxRate: 0.03, yuanPerKwh: 12, yuanPerCubicMetre: 40, season: [1.0, 1.1, 0.85, 0.95, 1.05, 0.95, 1.2, 1.25, 0.95, 1.15, 0.75, 0.8], weight: 3 },
  catering: { medianSalesYuan: 2_000_000, salesPerEmployeeYuan: 200_000, assetsToSales: 0.5, taxRate: 0.03, yuanPerKwh: 10, yuanPerCubicMetre: 50, season: HOLIDAYS, weight: 9 },
  'information-transmission': { medianSalesYuan: 3_000_000, salesPerEmployeeYuan: 600_000, assetsToSales: 1.0, taxRate: 0.04, yuanPerKwh: 30, yuanPerCubicMetre: 3_000, season: FLAT, weight: 1 },
  'software-it-services': { medianSalesYuan: 3_000_000, salesPerEmployeeYuan: 350_000, assetsToSales: 0.6, taxRate: 0.04, yuanPerKwh: 300, yuanPerCubicMetre: 4_000, season: [0.9, 0.7, 0.95, 1.0, 1.0, 1.05, 0.95, 0.95, 1.0, 0.95, 1.05, 1.5], weight: 5 },
  'real-estate-development': { medianSalesYuan: 20_000_000, salesPerEmployeeYuan: 2_000_000, assetsToSales: 3.0, taxRate: 0.05, yuanPerKwh: 500, yuanPerCubicMetre: 2_000, season: [0.8, 0.6, 1.0, 1.0, 1.1, 1.2, 0.9, 0.9, 1.1, 1.1, 1.0, 1.3], weight: 1 },
  'property-management': { medianSalesYuan: 4_000_000, salesPerEmployeeYuan: 100_000, assetsToSales: 0.4, taxRate: 0.03, yuanPerKwh: 8, yuanPerCubicMetre: 20, season: FLAT, weight: 2 },
  'leasing-business-services': { medianSalesYuan: 3_000_000, salesPerEmployeeYuan: 400_000, assetsToSales: 1.2, taxRate: 0.04, yuanPerKwh: 200, yuanPerCubicMetre: 3_000, season: FLAT, weight: 3 },
  other: { medianSalesYuan: 1_500_000, salesPerEmployeeYuan: 250_000, assetsToSales: 0.6, taxRate: 0.02, yuanPerKwh: 80, yuanPerCubicMetre: 800, season: FLAT, weight: 2 },
};

/** Where simulated firms are registered: real district-level codes (GB/T 2260) and their names. */
export const SIMULATED_REGIONS: readonly { readonly code: string; readonly name: string }[] = [
  { code: '330106', name: '杭州' },
  { code: '330203', name: '宁波' },
  { code: '330302', name: '温州' },
  { code: '320506', name: '苏州' },
  { code: '440305', name: '深圳' },
  { code: '440106', name: '广州' },
  { code: '350203', name: '厦门' },
  { code: '370202', name: '青岛' },
  { code: '310115', name: '上海' },
  { code: '110105', name: '北京' },
  { code: '420106', name: '武汉' },
  { code: '510107', name: '成都' },
  { code: '500103', name: '重庆' },
  { code: '610113', name: '西安' },
  { code: '410105', name: '郑州' },
  { code: '430104', name: '长沙' },
];

const NAME_WORDS = ['绿芽', '恒信', '鑫源', '华茂', '永泰', '嘉禾', '瑞丰', '博远', '诚达', '汇通', '兴隆', '宏图', '明德', '金穗', '天成', '安康'];
const INDUSTRY_WORDS: Readonly<Record<IndustryCode, string>> = {
  agriculture: '农业', industry: '机械制造', construction: '建筑工程', wholesale: '商贸', retail: '百货', transport: '物流运输',
  warehousing: '仓储', post: '快递', accommodation: '酒店管理', catering: '餐饮', 'information-transmission': '通信',
  'software-it-services': '信息技术', 'real-estate-development': '房地产开发', 'property-management': '物业管理',
  'leasing-business-services': '商务服务', other: '服务',
};
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '林'];
const GIVEN = ['芳', '伟', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '霞'];
// The organisation-code body of a simulated firm: digits and the letters GB 32100 allows.
const BODY_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** logistic function */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * A valid simulated credit code (both check characters correct): '9' (工商), '1' (enterprise),
 * the region, a random organisation body. Index `i` of seed `seed` is always the same code.
 *
 * @example
 * simulatedCreditCode(42, 0); // an 18-character code that passes parseCreditCode
 */
export function simulatedCreditCode(seed: number, index: number, regionCode?: string): CreditCode {
  const random = randomFor(seed, 'credit-code', index);
  const region = regionCode ?? random.pick(SIMULATED_REGIONS).code;
  let body = '';
  // MA… is how post-2015 organisation bodies begin; the rest is random.
  body += 'MA';
  for (let i = 0; i < 6; i++) body += BODY_CHARS[random.below(BODY_CHARS.length)];
  return completeCreditCode(`91${region}${body}`);
}

/**
 * The simulated firm behind a credit code under a seed. `industry` overrides the drawn industry
 * (a real enterprise's recorded one) without changing anything else drawn.
 *
 * @example
 * simulatedFirm('91350100M000100Y43', 42).health; // the same every run
 */
export function simulatedFirm(creditCode: string, seed: number, industry?: IndustryCode | null): SimulatedFirm {
  const code = parseCreditCode(creditCode, 'creditCode');
  if (!Number.isSafeInteger(seed)) throw new ValidationError('seed', 'must be a whole number');
  const random = randomFor(seed, code, 'profile');
  const health = random.normal();
  const drawnIndustry = random.pick(INDUSTRIES, INDUSTRIES.map((key) => INDUSTRY_PATTERNS[key].weight));
  const chosen = industry ?? drawnIndustry;
  const pattern = INDUSTRY_PATTERNS[chosen];
  const regionCode = code.slice(2, 8);
  const region = SIMULATED_REGIONS.find((r) => r.code === regionCode)?.name ?? '';

  // Older firms are a little healthier (survivorship); at least four months old.
  const years = Math.min(25, Math.max(0.34, 5 * Math.exp(0.25 * health + 0.7 * random.normal())));
  const registeredOn = addDays(SIMULATION_ANCHOR, -Math.round(years * 365.25));
  const annualSalesYuan = pattern.medianSalesYuan * Math.exp(0.9 * random.normal() + 0.15 * health);
  const growth = 0.03 + 0.09 * health + 0.05 * random.normal();
  const volatility = 0.06 + 0.16 * sigmoid(-1.2 * health - 0.5) + 0.02 * Math.abs(random.normal());
  const employees = Math.max(1, Math.round((annualSalesYuan / pattern.salesPerEmployeeYuan) * Math.exp(0.3 * random.normal())));
  const assetsYuan = annualSalesYuan * pattern.assetsToSales * Math.exp(0.3 * random.normal());

  // Weak firms are likelier to dress up their figures: over-declared revenue, inflated invoices.
  const overDeclares = random.uniform() < 0.04 + 0.3 * sigmoid(-1.5 * health - 1.5);
  // Declared revenue is last year's: real sales half a year of growth before the anchor.
  const lastYearSalesYuan = annualSalesYuan * Math.pow(Math.max(0.2, 1 + growth), -0.5);
  const declaredRevenueYuan = lastYearSalesYuan * (overDeclares ? 1.6 + random.uniform() : Math.exp(0.05 * random.normal()));
  const inflatesInvoices = random.uniform() < 0.02 + 0.25 * sigmoid(-1.5 * health - 2);
  const invoiceInflation = inflatesInvoices ? 1.35 + 0.4 * random.uniform() : 1;
  const declaredEmployees = overDeclares ? Math.round(employees * 1.5) + 3 : employees;
  const declared = { employees: declaredEmployees, revenue: yuanToFen(declaredRevenueYuan), assets: yuanToFen(assetsYuan) };
  const sizeClass = classifySize(chosen, declared).sizeClass;

  const ownerRandom = randomFor(seed, code, 'owner');
  const owner = { name: ownerRandom.pick(SURNAMES) + ownerRandom.pick(GIVEN), idNumber: simulatedIdNumber(regionCode, ownerRandom) };
  const name = `${region}${random.pick(NAME_WORDS)}${INDUSTRY_WORDS[chosen]}有限公司`;
  return { creditCode: code, seed, name, industry: chosen, regionCode, registeredOn, health, annualSalesYuan, growth, volatility, employees, declared, sizeClass, invoiceInflation, owner };
}

/** Options for {@link simulatedPopulation}. */
export interface PopulationOptions {
  readonly seed: number;
  /** Number of firms, 1 to 1,000,000. */
  readonly size: number;
}

/**
 * `size` simulated firms for demos and training data: valid credit codes, industry, region,
 * size class, registration date, owner, declared figures. Firm `i` is the same for every `size`.
 *
 * @example
 * const firms = simulatedPopulation({ seed: 7, size: 2000 });
 * firms.filter((f) => f.sizeClass === 'micro').length; // most of them
 */
export function simulatedPopulation(options: PopulationOptions): SimulatedFirm[] {
  if (!Number.isSafeInteger(options.size) || options.size < 1 || options.size > 1_000_000) throw new ValidationError('size', 'must be 1 to 1,000,000 firms');
  const firms: SimulatedFirm[] = [];
  for (let i = 0; i < options.size; i++) firms.push(simulatedFirm(simulatedCreditCode(options.seed, i), options.seed));
  return firms;
}

/** The outcome of a simulated firm over the 12 months after the anchor. */
export interface SimulatedOutcome {
  readonly health: number;
  /** 12-month default probability. */
  readonly probability: number;
  /** Whether it defaults (90+ days past due within 12 months): one seeded draw against `probability`. */
  readonly defaulted: boolean;
}

/**
 * Whether the simulated firm defaults, from the same latent health that drives its data.
 *
 * @example
 * const { probability, defaulted } = simulatedDefault(firm.creditCode, 42);
 */
export function simulatedDefault(creditCode: string, seed: number): SimulatedOutcome {
  const firm = simulatedFirm(creditCode, seed);
  const { baseProbability, healthSlope } = SIMULATED_DEFAULT_MODEL;
  const alpha = Math.log(baseProbability / (1 - baseProbability));
  const probability = sigmoid(alpha + healthSlope * firm.health);
  const defaulted = randomFor(seed, firm.creditCode, 'default').uniform() < probability;
  return { health: firm.health, probability, defaulted };
}

/**
 * What the firm would type into the registry (for `createEnterprise`).
 *
 * @example
 * await createEnterprise(trx, simulatedEnterpriseInput(firm), 'demo');
 */
export function simulatedEnterpriseInput(firm: SimulatedFirm): {
  name: string; creditCode: string; industry: IndustryCode; industryCode: string; regionCode: string; registeredOn: string;
  employees: number; revenue: bigint; assets: bigint; owners: { name: string; idNumber: string; role: 'legal-representative'; sharePercent: number }[];
  foreignTrade: { from: string; evidence: string } | null;
} {
  // Drawn from the credit code, not the firm's random stream, so every other draw stays as it was.
  const hash = [...firm.creditCode].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1_000_003, 7);
  const divisions = TYPICAL_DIVISION[firm.industry];
  const trades = (firm.industry === 'wholesale' || firm.industry === 'industry') && hash % 4 === 0;
  return {
    name: firm.name,
    creditCode: firm.creditCode,
    industry: firm.industry,
    industryCode: divisions[hash % divisions.length]!,
    // A customs registration code (海关注册编码): the customs district (the region's first four digits here), zone type 9, type 6, a serial.
    foreignTrade: trades ? { from: firm.registeredOn, evidence: `海关注册编码 ${firm.regionCode.slice(0, 4)}96${String(hash % 10_000).padStart(4, '0')}` } : null,
    regionCode: firm.regionCode,
    registeredOn: firm.registeredOn,
    employees: firm.declared.employees,
    revenue: firm.declared.revenue,
    assets: firm.declared.assets,
    owners: [{ name: firm.owner.name, idNumber: firm.owner.idNumber, role: 'legal-representative', sharePercent: 100 }],
  };
}

/** Yuan (a simulation float) to fen, rounded to the fen. */
export function yuanToFen(yuan: number): Minor {
  return minor(BigInt(Math.round(yuan * 100)));
}

// A resident ID number (GB 11643-1999) with a valid check character: region, birth date,
// sequence, check = (12 − Σ digit × 2^(17−i) mod 11) mod 11, 10 written 'X'.
function simulatedIdNumber(regionCode: string, random: ReturnType<typeof randomFor>): string {
  const birth = fromDayNumber(toDayNumber(parseBusinessDate('1965-01-01', 'birth')) + random.below(365 * 35)).replaceAll('-', '');
  const body = `${regionCode}${birth}${String(random.below(1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * weights[i]!;
  return body + '10X98765432'[sum % 11]!;
}
