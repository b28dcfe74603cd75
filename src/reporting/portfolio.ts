/**
 * The portfolio report for management (SPEC "Reporting"): the balance of loans on the books, its
 * five-category distribution (五级分类), overdue and non-performing ratios, the balance-weighted
 * average rate, and the same by product. Computed by SQL aggregates over `loan`, so it reads the
 * book in one pass whatever its size; the few group rows are summed exactly in `bigint`.
 *
 * Loans on the books are the `active` ones: closed, renewed and written-off (核销, off balance
 * sheet) loans are not part of the balance.
 *
 * @example
 * const report = await portfolioReport(db);
 * report.totals.balance;   // 1234500n (fen)
 * report.totals.nplRatio;  // 325n: hundredths of a percent, "3.25"
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Classification, Database } from '../db/schema.js';
import { divideRounded } from '../money/rounding.js';
import { unitsToRate } from '../pricing/rate-units.js';
import { getBusinessDate } from '../system/business-date.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The five categories in their regulatory order, best to worst. */
export const CLASSIFICATIONS: readonly Classification[] = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'];

/**
 * Non-performing loans (不良贷款): the last three categories (CBRC 2007 guidance on loan risk
 * classification; the NPL ratio is their balance over the whole balance).
 */
export const NON_PERFORMING: ReadonlySet<Classification> = new Set(['substandard', 'doubtful', 'loss']);

/** Sums over a set of loans. Money in fen; ratios in hundredths of a percent (325n = 3.25%). */
export interface PortfolioFigures {
  readonly loans: number;
  readonly balance: bigint;
  /** Outstanding principal of loans with any day past due (the whole loan, as regulators count it). */
  readonly overdueBalance: bigint;
  readonly nplBalance: bigint;
  readonly provision: bigint;
  readonly overdueRatio: bigint;
  readonly nplRatio: bigint;
  /** Balance-weighted average annual rate, percent ("4.35"); "0.00" with no balance. */
  readonly averageRate: string;
}

export interface PortfolioReport {
  readonly asOf: string;
  readonly totals: PortfolioFigures & { readonly borrowers: number };
  /** Always all five categories, in order, zeros included. `share` is of the total balance. */
  readonly classification: readonly { readonly category: Classification; readonly loans: number; readonly balance: bigint; readonly share: bigint }[];
  /** Products with loans on the books, largest balance first. */
  readonly products: readonly (PortfolioFigures & { readonly code: string; readonly name: string; readonly nameEn: string; readonly share: bigint })[];
}

/** One aggregate row: a product and a category. Sums arrive as text: `sum(bigint)` is `numeric`. */
export interface GroupRow {
  readonly code: string;
  readonly name: string;
  readonly name_en: string;
  readonly classification: Classification;
  readonly loans: bigint | number | string;
  readonly balance: string;
  readonly overdue: string;
  readonly provision: string;
  readonly rate_weighted: string;
}

/** Accumulates group rows exactly. */
interface Sums {
  loans: number;
  balance: bigint;
  overdue: bigint;
  npl: bigint;
  provision: bigint;
  rateWeighted: bigint;
}

const emptySums = (): Sums => ({ loans: 0, balance: 0n, overdue: 0n, npl: 0n, provision: 0n, rateWeighted: 0n });

/** The portfolio as of the current business date. */
export async function portfolioReport(db: Executor): Promise<PortfolioReport> {
  const outstanding = sql<bigint>`(loan.principal_not_due + loan.principal_due)`;
  const rows = (await db
    .selectFrom('loan')
    .innerJoin('product', 'product.id', 'loan.product_id')
    .where('loan.status', '=', 'active')
    .groupBy(['product.code', 'product.name', 'product.name_en', 'loan.classification'])
    .select([
      'product.code as code',
      'product.name as name',
      'product.name_en as name_en',
      'loan.classification as classification',
      sql<string>`cast(count(*) as text)`.as('loans'),
      sql<string>`cast(sum(${outstanding}) as text)`.as('balance'),
      sql<string>`cast(sum(case when loan.dpd > 0 then ${outstanding} else 0 end) as text)`.as('overdue'),
      sql<string>`cast(sum(loan.provision) as text)`.as('provision'),
      // rate_units × principal stays inside int8 per loan by construction (MAX_RATE_UNITS); the sum is numeric.
      sql<string>`cast(sum(loan.rate_units * ${outstanding}) as text)`.as('rate_weighted'),
    ])
    .execute()) as GroupRow[];
  rows.push(...(await supplyChainGroups(db)));
  // A core enterprise owes its supply-chain financings (src/supply-chain/maturity.ts): a borrower of the book as its loans' borrowers are.
  const borrowers = await sql<{ borrowers: string }>`
    select cast(count(distinct obligor) as text) as borrowers from (
      select enterprise_id as obligor from loan where status = 'active'
      union select core_enterprise_id as obligor from scf_financing where status <> 'settled') as obligors`.execute(db);

  return reportFromGroups(rows, Number(borrowers.rows[0]?.borrowers ?? 0), await getBusinessDate(db));
}

/**
 * The report from its aggregate rows (a product and a category each, supply-chain financing as
 * the product {@link SUPPLY_CHAIN_PRODUCT}), the number of borrowers and the business date: the
 * sums and ratios, shared by {@link portfolioReport} and the one-statement dashboard
 * (src/reporting/portfolio-dashboard.ts). Rows of the same product and category add up.
 */
export function reportFromGroups(rows: readonly GroupRow[], borrowers: number, asOf: string): PortfolioReport {
  const total = emptySums();
  const byCategory = new Map<Classification, Sums>(CLASSIFICATIONS.map((category) => [category, emptySums()]));
  const byProduct = new Map<string, Sums & { name: string; nameEn: string }>();
  for (const row of rows) {
    const npl = NON_PERFORMING.has(row.classification);
    const category = byCategory.get(row.classification);
    if (!category) throw new Error(`portfolioReport: unknown classification ${row.classification}`);
    let product = byProduct.get(row.code);
    if (!product) byProduct.set(row.code, (product = { ...emptySums(), name: row.name, nameEn: row.name_en }));
    for (const sums of [total, category, product]) add(sums, row, npl);
  }

  return {
    asOf,
    totals: { ...figures(total), borrowers },
    classification: CLASSIFICATIONS.map((category) => {
      const sums = byCategory.get(category)!;
      return { category, loans: sums.loans, balance: sums.balance, share: percentOf(sums.balance, total.balance) };
    }),
    products: [...byProduct.entries()]
      .map(([code, sums]) => ({ code, name: sums.name, nameEn: sums.nameEn, ...figures(sums), share: percentOf(sums.balance, total.balance) }))
      .sort((a, b) => (a.balance === b.balance ? a.code.localeCompare(b.code) : a.balance > b.balance ? -1 : 1)),
  };
}

/**
 * Supply-chain financing not yet settled (src/supply-chain/), one row per category as a product
 * of the book: end of day gives it days past due, a category and a provision as it gives loans,
 * so its past-due and non-performing exposure counts in the book's figures.
 */
export const SUPPLY_CHAIN_PRODUCT = { code: 'SCF', name: '供应链融资', nameEn: 'Supply-chain financing' } as const;

async function supplyChainGroups(db: Executor): Promise<GroupRow[]> {
  const rows = await db
    .selectFrom('scf_financing')
    .where('status', '<>', 'settled')
    .groupBy('classification')
    .select([
      'classification',
      sql<string>`cast(count(*) as text)`.as('loans'),
      sql<string>`cast(sum(principal) as text)`.as('balance'),
      sql<string>`cast(sum(case when dpd > 0 then principal else 0 end) as text)`.as('overdue'),
      sql<string>`cast(sum(provision) as text)`.as('provision'),
      sql<string>`cast(sum(rate_units * principal) as text)`.as('rate_weighted'),
    ])
    .execute();
  return rows.map((row) => ({ ...row, code: SUPPLY_CHAIN_PRODUCT.code, name: SUPPLY_CHAIN_PRODUCT.name, name_en: SUPPLY_CHAIN_PRODUCT.nameEn }));
}

function add(sums: Sums, row: GroupRow, npl: boolean): void {
  const balance = BigInt(row.balance);
  sums.loans += Number(row.loans);
  sums.balance += balance;
  sums.overdue += BigInt(row.overdue);
  sums.provision += BigInt(row.provision);
  sums.rateWeighted += BigInt(row.rate_weighted);
  if (npl) sums.npl += balance;
}

function figures(sums: Sums): PortfolioFigures {
  return {
    loans: sums.loans,
    balance: sums.balance,
    overdueBalance: sums.overdue,
    nplBalance: sums.npl,
    provision: sums.provision,
    overdueRatio: percentOf(sums.overdue, sums.balance),
    nplRatio: percentOf(sums.npl, sums.balance),
    averageRate: averageRateOf(sums.rateWeighted, sums.balance),
  };
}

/** The balance-weighted average rate ("4.35") from the sum of rate units × balance; "0.00" for an empty book. */
export function averageRateOf(rateWeighted: bigint, balance: bigint): string {
  return balance === 0n ? '0.00' : unitsToRate(divideRounded(rateWeighted, balance, 'half-even'));
}

/** `part / whole` in hundredths of a percent, half-even; 0 when `whole` is 0. */
export function percentOf(part: bigint, whole: bigint): bigint {
  return whole === 0n ? 0n : divideRounded(part * 10_000n, whole, 'half-even');
}

/**
 * Hundredths of a percent as the API shows them: 325n → "3.25".
 *
 * @example
 * formatPercent(5n); // "0.05"
 */
export function formatPercent(hundredths: bigint): string {
  const negative = hundredths < 0n;
  const abs = negative ? -hundredths : hundredths;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
