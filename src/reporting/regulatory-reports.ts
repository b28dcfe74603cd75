/**
 * The regulatory reports (SPEC "Reporting", issue 15), each as of any closed business date and
 * read from history only (`loan_day`, `enterprise_profile`, credit lines' dated terms, loans'
 * contract facts), never from today's balances:
 * - `inclusive`: inclusive small-micro loans (普惠型小微企业贷款) against all loans, and the four
 *   两增两控 checks with their inputs and a met / not met flag;
 * - `five-category`: balance and count by category (五级分类);
 * - `migration`: the matrix of where the loans of each category at D1 stood at D2 (迁徙);
 * - `renewals`: renewals without repaying principal (无还本续贷) in a period;
 * - `foreign-trade`: lending to foreign-trade firms.
 * Supply-chain financings on the books count as loans of the supplier that received the money
 * (`scf_financing_day`; in inclusive, five-category and foreign-trade, and as new lending), under
 * their own category; migration and renewals follow loans only.
 * Every report breaks down by province, city, industry section and size class. Money is a
 * decimal string ("305.00"), ratios a percent string ("3.25"), as everywhere in the API.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { addDays, fromCivil, parseBusinessDate, toCivil, daysInMonth, type BusinessDate } from '../calendar/index.js';
import { CATEGORIES } from '../classification/classify.js';
import type { Database } from '../db/schema.js';
import { withSettings } from '../db/transaction-settings.js';
import { INDUSTRY_SECTIONS } from '../enterprises/industry-codes.js';
import { CITY_NAMES, PROVINCE_NAMES } from '../enterprises/region-codes.js';
import { ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { minor } from '../money/minor.js';
import { getBusinessDate } from '../system/business-date.js';
import { addSums, bookAsOf, emptySums, nplOf, verdictsOf, type BookGroup, type BookSums, type RecomputeOption } from './book-as-of.js';
import { inclusiveDefinitionOn, type InclusiveDefinition } from './inclusive-definition.js';
import { newLending } from './report-verdicts.js';
import { dailyHistoryFrom } from './history-retention.js';
import { assertClosed } from './loan-history.js';
import { averageRateOf, formatPercent, percentOf } from './portfolio.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The reports by the names the CLI and the API take. */
export const REPORT_NAMES = ['inclusive', 'five-category', 'migration', 'renewals', 'foreign-trade'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Where a loan of the start date stood at the end date: a category, or off the books. */
export const MIGRATION_DESTINATIONS = [...CATEGORIES, 'repaid', 'written-off'] as const;

/** A 两增两控 check's result: `no-data` when a comparison has no base (no history or nothing to compare). */
export const CHECK_STATUSES = ['met', 'not-met', 'no-data'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export const CHECK_IDS = ['balance-growth', 'borrowers', 'npl-ratio', 'new-loan-rate'] as const;

/** Parses a report name. */
export function parseReportName(text: string, field = 'report'): ReportName {
  if (!(REPORT_NAMES as readonly string[]).includes(text)) throw new ValidationError(field, `must be one of ${REPORT_NAMES.join(', ')}`);
  return text as ReportName;
}

/** The last day of the month before `date`'s month. */
export function previousMonthEnd(date: BusinessDate): BusinessDate {
  const { year, month } = toCivil(date);
  return addDays(fromCivil({ year, month, day: 1 }), -1);
}

/** Whether `date` is the last day of its month. */
export function isMonthEnd(date: BusinessDate): boolean {
  const { year, month, day } = toCivil(date);
  return day === daysInMonth(year, month);
}

/** The report date: as given, or the last month end before the business date. */
export async function resolveAsOf(db: Executor, text: string | undefined, field = 'asOf'): Promise<BusinessDate> {
  if (text !== undefined) return parseBusinessDate(text, field);
  const today = await getBusinessDate(db);
  return isMonthEnd(addDays(today, -1)) ? addDays(today, -1) : previousMonthEnd(today);
}

/** Figures of a set of loans, as shown. */
export interface FiguresJson {
  readonly balance: string;
  readonly loans: number;
  readonly borrowers: number;
  readonly nplBalance: string;
  /** Percent. */
  readonly nplRatio: string;
  readonly averageRate: string;
}

export function figuresJson(sums: BookSums): FiguresJson {
  const npl = nplOf(sums);
  return {
    balance: formatMoney(minor(sums.balance)),
    loans: sums.loans,
    borrowers: sums.borrowers,
    nplBalance: formatMoney(minor(npl)),
    nplRatio: formatPercent(percentOf(npl, sums.balance)),
    averageRate: averageRateOf(sums.rateWeighted, sums.balance),
  };
}

/** A group of a breakdown: its key, names, and figures. */
export interface BreakdownRowJson extends FiguresJson {
  readonly key: string;
  readonly name: string;
  readonly nameZh: string;
  /** Balance by category, in the five categories' order. */
  readonly categories: string[];
}

export interface BreakdownsJson {
  readonly province: BreakdownRowJson[];
  readonly city: BreakdownRowJson[];
  readonly industry: BreakdownRowJson[];
  readonly size: BreakdownRowJson[];
}

const SIZE_NAMES: Readonly<Record<string, { en: string; zh: string }>> = {
  large: { en: 'large', zh: '大型' }, medium: { en: 'medium', zh: '中型' }, small: { en: 'small', zh: '小型' }, micro: { en: 'micro', zh: '微型' }, unknown: { en: 'unknown', zh: '未登记' },
};

type Dimension = keyof BreakdownsJson;

function dimensionKey(group: Pick<BookGroup, 'regionCode' | 'section' | 'sizeClass'>, dimension: Dimension): string {
  if (dimension === 'province') return group.regionCode === 'unknown' ? 'unknown' : `${group.regionCode.slice(0, 2)}0000`;
  if (dimension === 'city') return group.regionCode === 'unknown' ? 'unknown' : `${group.regionCode.slice(0, 4)}00`;
  if (dimension === 'industry') return group.section;
  return group.sizeClass;
}

function dimensionNames(dimension: Dimension, key: string): { name: string; nameZh: string } {
  const names =
    dimension === 'province' ? PROVINCE_NAMES[key.slice(0, 2)]
    : dimension === 'city' ? CITY_NAMES[key.slice(0, 4)]
    : dimension === 'industry' ? INDUSTRY_SECTIONS[key]
    : SIZE_NAMES[key];
  if (key === 'unknown') return { name: 'unknown', nameZh: '未登记' };
  return { name: names?.en ?? key, nameZh: names?.zh ?? key };
}

/** The groups rolled up by province, city, industry section and size class, largest balance first. */
export function breakdowns(groups: readonly BookGroup[]): BreakdownsJson {
  const one = (dimension: Dimension): BreakdownRowJson[] => {
    const sums = new Map<string, BookSums>();
    for (const group of groups) {
      const key = dimensionKey(group, dimension);
      addSums(sums.get(key) ?? sums.set(key, emptySums()).get(key)!, group);
    }
    return [...sums.entries()]
      .sort(([a, x], [b, y]) => (x.balance === y.balance ? a.localeCompare(b) : x.balance > y.balance ? -1 : 1))
      .map(([key, s]) => ({ key, ...dimensionNames(dimension, key), ...figuresJson(s), categories: s.categoryBalance.map((b) => formatMoney(minor(b))) }));
  };
  return { province: one('province'), city: one('city'), industry: one('industry'), size: one('size') };
}

function total(groups: readonly BookGroup[], keep: (group: BookGroup) => boolean = () => true): BookSums {
  const sums = emptySums();
  for (const group of groups) if (keep(group)) addSums(sums, group);
  return sums;
}

/** Reads the book as of a date after checking the date was closed. */
async function closedBook(db: Executor, date: BusinessDate, definition: InclusiveDefinition, options: RecomputeOption): Promise<BookGroup[]> {
  await assertClosed(db, date);
  return bookAsOf(db, date, definition, options);
}

// ---------------------------------------------------------------- inclusive and 两增两控

export interface CheckJson {
  readonly id: (typeof CHECK_IDS)[number];
  readonly status: CheckStatus;
  /** The figures compared, by name (money and percents as strings, counts as numbers). */
  readonly inputs: Readonly<Record<string, string | number | null>>;
}

/**
 * The inclusive report as of `asOf`, with 两增两控 against the start of the year (the close of
 * 31 December of the year before).
 */
export async function inclusiveReport(db: Executor, asOfText?: string, options: RecomputeOption = {}) {
  const asOf = await resolveAsOf(db, asOfText);
  const definition = inclusiveDefinitionOn(asOf);
  const groups = await closedBook(db, asOf, definition, options);
  const { year } = toCivil(asOf);
  const startDate = fromCivil({ year: year - 1, month: 12, day: 31 });
  const start = await startOfYearBook(db, startDate, definition, options);
  const inclusive = total(groups, (g) => g.inclusive);
  const all = total(groups);
  const startInclusive = start === null ? null : total(start, (g) => g.inclusive);
  const startAll = start === null ? null : total(start);
  // New loans are judged on their disbursement days: a year whose daily history was pruned has no figure.
  const dailyFrom = await dailyHistoryFrom(db);
  const newLoans = async (from: BusinessDate, to: BusinessDate) => (dailyFrom !== null && from < dailyFrom ? null : newInclusiveLoans(db, definition, from, to, options));
  const thisYearOrNull = await newLoans(fromCivil({ year, month: 1, day: 1 }), asOf);
  const thisYear = thisYearOrNull ?? { principal: 0n, weighted: 0n, loans: 0 };
  const lastYearOrNull = await newLoans(fromCivil({ year: year - 1, month: 1, day: 1 }), startDate);
  const lastYear = lastYearOrNull ?? { principal: 0n, weighted: 0n, loans: 0 };

  const growth = (now: bigint, then: bigint | undefined) => (then === undefined || then === 0n ? null : percentOf(now - then, then));
  const inclusiveGrowth = growth(inclusive.balance, startInclusive?.balance);
  const allGrowth = growth(all.balance, startAll?.balance);
  const inclusiveNpl = percentOf(nplOf(inclusive), inclusive.balance);
  const allNpl = percentOf(nplOf(all), all.balance);
  const pct = (value: bigint | null) => (value === null ? null : formatPercent(value));
  const rateOf = (loans: { principal: bigint; weighted: bigint }) => (loans.principal === 0n ? null : averageRateOf(loans.weighted, loans.principal));
  const checks: CheckJson[] = [
    {
      id: 'balance-growth',
      status: inclusiveGrowth === null || allGrowth === null ? 'no-data' : inclusiveGrowth >= allGrowth ? 'met' : 'not-met',
      inputs: {
        inclusiveBalance: formatMoney(minor(inclusive.balance)),
        inclusiveBalanceAtStart: startInclusive === null ? null : formatMoney(minor(startInclusive.balance)),
        inclusiveGrowth: pct(inclusiveGrowth),
        allBalance: formatMoney(minor(all.balance)),
        allBalanceAtStart: startAll === null ? null : formatMoney(minor(startAll.balance)),
        allGrowth: pct(allGrowth),
      },
    },
    {
      id: 'borrowers',
      status: startInclusive === null ? 'no-data' : inclusive.borrowers >= startInclusive.borrowers ? 'met' : 'not-met',
      inputs: { inclusiveBorrowers: inclusive.borrowers, inclusiveBorrowersAtStart: startInclusive?.borrowers ?? null },
    },
    {
      id: 'npl-ratio',
      status: inclusive.balance === 0n || all.balance === 0n ? 'no-data' : inclusiveNpl <= allNpl + definition.nplTolerance ? 'met' : 'not-met',
      inputs: { inclusiveNplRatio: formatPercent(inclusiveNpl), allNplRatio: formatPercent(allNpl), tolerance: formatPercent(definition.nplTolerance) },
    },
    {
      id: 'new-loan-rate',
      status: thisYear.principal === 0n || lastYear.principal === 0n ? 'no-data' : thisYear.weighted * lastYear.principal <= lastYear.weighted * thisYear.principal ? 'met' : 'not-met',
      inputs: {
        rateThisYear: rateOf(thisYear),
        lendingThisYear: thisYearOrNull === null ? null : formatMoney(minor(thisYear.principal)),
        rateLastYear: rateOf(lastYear),
        lendingLastYear: lastYearOrNull === null ? null : formatMoney(minor(lastYear.principal)),
      },
    },
  ];
  return {
    report: 'inclusive' as const,
    asOf,
    definition: definition.version,
    startOfYear: startDate,
    inclusive: figuresJson(inclusive),
    all: figuresJson(all),
    checks,
    breakdowns: breakdowns(groups.filter((g) => g.inclusive)),
  };
}

/**
 * The book at the start of the year; an empty book when the history begins later and no loan had
 * been disbursed by then (the bank lent nothing before), null when that is not known.
 */
async function startOfYearBook(db: Executor, date: BusinessDate, definition: InclusiveDefinition, options: RecomputeOption): Promise<BookGroup[] | null> {
  const run = await db.selectFrom('eod_run').select('status').where('business_date', '=', date).executeTakeFirst();
  if (run?.status === 'done') return bookAsOf(db, date, definition, options);
  const earlier = await db.selectFrom('loan').select('id').where('disbursed_on', '<=', date).limit(1).executeTakeFirst();
  const financed = earlier === undefined ? await db.selectFrom('scf_financing').select('id').where('financed_on', '<=', date).limit(1).executeTakeFirst() : undefined;
  return earlier === undefined && financed === undefined ? [] : null;
}

/**
 * New inclusive lending from `from` to `to`: loans disbursed in the period (renewals excluded:
 * they refinance loans already on the books) whose borrower was inclusive on the day it was
 * disbursed — profile in force then, total credit at that day's close. Summed from the verdicts
 * end of day stored for each (borrower, disbursement day) when every day of the period was judged
 * under `definition`; otherwise judged here by the same statement (`newLoanPairsSql`).
 */
export async function newInclusiveLoans(db: Executor, definition: InclusiveDefinition, from: BusinessDate, to: BusinessDate, options: RecomputeOption = {}): Promise<{ principal: bigint; weighted: bigint; loans: number }> {
  return newLending(db, definition, from, to, 'inclusive', options);
}

// ---------------------------------------------------------------- five categories

/** Balance and count by category as of `asOf`, in total and by region, industry and size. */
export async function fiveCategoryReport(db: Executor, asOfText?: string, options: RecomputeOption = {}) {
  const asOf = await resolveAsOf(db, asOfText);
  const definition = inclusiveDefinitionOn(asOf);
  const groups = await closedBook(db, asOf, definition, options);
  const all = total(groups);
  return {
    report: 'five-category' as const,
    asOf,
    total: { ...figuresJson(all), provision: formatMoney(minor(all.provision)) },
    categories: CATEGORIES.map((category, i) => ({
      category,
      balance: formatMoney(minor(all.categoryBalance[i]!)),
      loans: all.categoryLoans[i]!,
      share: formatPercent(percentOf(all.categoryBalance[i]!, all.balance)),
    })),
    breakdowns: breakdowns(groups),
  };
}

// ---------------------------------------------------------------- migration

interface MigrationRow {
  from_class: string;
  to_class: string;
  region_code: string;
  section: string;
  size_class: string;
  loans: string;
  balance: string;
}

type Cells = Map<string, { loans: number; balance: bigint }>;

/** The matrix rows, normal to loss, of a set of cells keyed `from>to`. */
function migrationRows(cells: Cells) {
  const starts = new Map<string, { loans: number; balance: bigint }>();
  for (const [key, cell] of cells) {
    const from = key.slice(0, key.indexOf('>'));
    const s = starts.get(from) ?? { loans: 0, balance: 0n };
    starts.set(from, { loans: s.loans + cell.loans, balance: s.balance + cell.balance });
  }
  return CATEGORIES.map((category) => {
    const start = starts.get(category) ?? { loans: 0, balance: 0n };
    return {
      from: category,
      loans: start.loans,
      balance: formatMoney(minor(start.balance)),
      to: MIGRATION_DESTINATIONS.map((destination) => {
        const cell = cells.get(`${category}>${destination}`) ?? { loans: 0, balance: 0n };
        return { to: destination, loans: cell.loans, balance: formatMoney(minor(cell.balance)), rate: formatPercent(percentOf(cell.balance, start.balance)) };
      }),
      /** Share of the starting balance in a worse category (or written off) at the end. */
      downgradeRate: formatPercent(
        percentOf(
          MIGRATION_DESTINATIONS.filter((d, i) => d === 'written-off' || (i < CATEGORIES.length && i > CATEGORIES.indexOf(category))).reduce((sum, d) => sum + (cells.get(`${category}>${d}`)?.balance ?? 0n), 0n),
          start.balance,
        ),
      ),
    };
  });
}

function addCell(cells: Cells, key: string, loans: number, balance: bigint): void {
  const cell = cells.get(key) ?? { loans: 0, balance: 0n };
  cells.set(key, { loans: cell.loans + loans, balance: cell.balance + balance });
}

/**
 * Planner settings for a report statement that joins two nights of a million loans, measured on
 * the 1,000,000-loan book (docs/benchmarks.md, "the migration matrix"): `work_mem` large enough
 * to hash a night's `loan_day` rows and the borrowers in memory (at the default 4 MB both spill
 * in batches); JIT off (compiling the plan cost 1–7 s, more than the whole statement then took);
 * and no sorting where hashing will do, so the few cells are summed in a hash table instead of
 * a million joined rows being sorted to disk (the planner cannot know the matrix has a few dozen
 * cells, and estimates a million). Figures do not depend on them.
 */
export const REPORT_SETTINGS: Readonly<Record<string, string>> = { work_mem: '64MB', jit: 'off', enable_sort: 'off' };

/** Runs `statement` with {@link REPORT_SETTINGS} for it alone ({@link withSettings}). */
export function withReportSettings<T>(db: Executor, statement: (trx: Executor) => Promise<T>): Promise<T> {
  return withSettings(db, REPORT_SETTINGS, statement);
}

/** A loan on the books at the start of a migration, renewed since: its last successor by the end. */
interface RenewalChain {
  startId: string;
  lastId: string;
  enterpriseId: string;
}

/**
 * The loans on the books at the close of `from` that were renewed by `to`, each with its last
 * successor disbursed by then (a renewal replaces the loan, and may be renewed in turn; a chain is
 * followed up to 100 renewals). Followed here, one statement per renewal in the longest chain,
 * rather than by a recursive CTE, which Citus runs only when it names one borrower ("recursive CTEs
 * are only supported when they contain a filter on the distribution column", docs/scaling.md). A
 * renewal stays with its borrower, so every step names `enterprise_id`. The loans renewed in a
 * period are few beside the book (docs/benchmarks.md, "the migration matrix").
 */
async function renewalChains(db: Executor, from: BusinessDate, to: BusinessDate): Promise<RenewalChain[]> {
  const t = sql`cast(${to} as date)`;
  type Step = { from_id: string; id: string; enterprise_id: string };
  const first = await sql<Step>`
    select n.renewed_from_id as from_id, n.id, n.enterprise_id
    from loan n join loan_day d on d.business_date = cast(${from} as date) and d.loan_id = n.renewed_from_id and d.enterprise_id = n.enterprise_id
    where n.renewed_from_id is not null and n.disbursed_on <= ${t}
    order by n.disbursed_on, n.id`.execute(db);
  // Each chain's start by its current end; a loan renewed twice (never, but the schema allows it) keeps its later successor.
  const startOf = new Map<string, string>();
  const chains = new Map<string, RenewalChain>();
  let frontier = first.rows;
  for (let hops = 1; frontier.length > 0; hops++) {
    for (const step of frontier) {
      const startId = startOf.get(step.from_id) ?? step.from_id;
      chains.set(startId, { startId, lastId: step.id, enterpriseId: step.enterprise_id });
      startOf.set(step.id, startId);
    }
    if (hops >= 100) break;
    const ids = frontier.map((step) => step.id).join(',');
    const borrowers = [...new Set(frontier.map((step) => step.enterprise_id))].join(',');
    frontier = (
      await sql<Step>`
        select n.renewed_from_id as from_id, n.id, n.enterprise_id from loan n
        where n.renewed_from_id = any(cast(string_to_array(${ids}, ',') as uuid[]))
          and n.enterprise_id = any(cast(string_to_array(${borrowers}, ',') as uuid[])) and n.disbursed_on <= ${t}
        order by n.disbursed_on, n.id`.execute(db)
    ).rows;
  }
  return [...chains.values()];
}

/**
 * Where the loans of each category at the close of `from` stood at the close of `to`: each
 * loan followed through its renewals (a renewal replaces the loan; the successor's category
 * counts), or off the books as repaid or written off. Cells are counts and starting balances;
 * rates are the cell's share of the category's starting balance. `segments` gives the matrix
 * again per province, city, industry section and size class of the borrower as it stood at `from`
 * (its profile in force then), largest starting balance first.
 *
 * One statement, shaped for a million loans a night (docs/benchmarks.md): the two nights' rows of
 * `loan_day` are joined on the loan alone, not on an expression of its successor (the end night is
 * hashed once, in memory under `REPORT_SETTINGS`); the few loans renewed since `from` are followed
 * to their last successor apart, with its category at `to` already looked up;
 * the borrower's segment at `from` comes from that night's stored `borrower_day` row (the same
 * profile in force then, judged at the close) or, for a night closed without them, from the
 * profiles (always with `recompute`). The statement runs under `REPORT_SETTINGS`.
 */
export async function migrationReport(db: Executor, fromText: string | undefined, toText: string | undefined, options: RecomputeOption = {}) {
  const to = await resolveAsOf(db, toText, 'to');
  const from = fromText === undefined ? previousMonthEnd(to) : parseBusinessDate(fromText, 'from');
  if (from >= to) throw new ValidationError('from', `must be before to (${to})`);
  await assertClosed(db, from);
  await assertClosed(db, to);
  const f = sql`cast(${from} as date)`;
  const t = sql`cast(${to} as date)`;
  const offBooks = (loan: string) => sql`case when ${sql.ref(`${loan}.status`)} = 'written-off' then 'written-off' else 'repaid' end`;
  // Each borrower on the books at `from`, as it stood then: the night's stored row, or its profile in force then.
  const segment = options.recompute !== true && (await verdictsOf(db, from)) !== null
    ? sql`select b.enterprise_id, b.region_code, b.section, b.size_class from borrower_day b where b.business_date = ${f}`
    : sql`select y.enterprise_id, y.region_code, substr(y.industry_code, 1, 1) as section, y.size_class
      from (select p.enterprise_id, p.region_code, p.industry_code, p.size_class,
                   row_number() over (partition by p.enterprise_id order by p.valid_from desc) as rn
            from enterprise_profile p where p.valid_from <= ${f}) y
      where y.rn = 1`;
  const result = await withReportSettings(db, async (trx) => {
    const chains = await renewalChains(trx, from, to);
    const ids = (pick: (chain: RenewalChain) => string) => sql`string_to_array(${chains.map(pick).join(',')}, ',')`;
    // The renewed loans' borrower is read from `loan` (not the list), so that Citus sees the joins
    // below on its distribution column and runs them on the shards.
    return sql<MigrationRow>`
    with renewed as (
      select x.start_id, l.enterprise_id, coalesce(e.classification, ${offBooks('l')}) as to_class
      from (select cast(u.start_id as uuid) as start_id, cast(u.id as uuid) as id, cast(u.enterprise_id as uuid) as enterprise_id
            from unnest(${ids((c) => c.startId)}, ${ids((c) => c.lastId)}, ${ids((c) => c.enterpriseId)}) as u (start_id, id, enterprise_id)) x
      join loan l on l.id = x.id and l.enterprise_id = x.enterprise_id
      left join loan_day e on e.business_date = ${t} and e.loan_id = l.id and e.enterprise_id = l.enterprise_id
    ),
    segment as (${segment})
    select s.classification as from_class,
           coalesce(x.to_class, e.classification, (select ${offBooks('l')} from loan l where l.id = s.loan_id and l.enterprise_id = s.enterprise_id)) as to_class,
           coalesce(p.region_code, 'unknown') as region_code, coalesce(p.section, 'unknown') as section,
           coalesce(p.size_class, 'unknown') as size_class,
           cast(count(*) as text) as loans, cast(sum(s.principal_not_due + s.principal_due) as text) as balance
    from loan_day s
    left join loan_day e on e.business_date = ${t} and e.loan_id = s.loan_id and e.enterprise_id = s.enterprise_id
    left join renewed x on x.start_id = s.loan_id and x.enterprise_id = s.enterprise_id
    left join segment p on p.enterprise_id = s.enterprise_id
    where s.business_date = ${f}
    group by 1, 2, 3, 4, 5`.execute(trx);
  });
  const cells: Cells = new Map();
  const segments = new Map<Dimension, Map<string, Cells>>((['province', 'city', 'industry', 'size'] as const).map((d) => [d, new Map()]));
  for (const row of result.rows) {
    const loans = Number(row.loans);
    const balance = BigInt(row.balance);
    const key = `${row.from_class}>${row.to_class}`;
    addCell(cells, key, loans, balance);
    const group = { regionCode: row.region_code, section: row.section, sizeClass: row.size_class };
    for (const [dimension, bySegment] of segments) {
      const segment = dimensionKey(group, dimension);
      addCell(bySegment.get(segment) ?? bySegment.set(segment, new Map()).get(segment)!, key, loans, balance);
    }
  }
  const startBalance = (segment: Cells) => [...segment.values()].reduce((sum, cell) => sum + cell.balance, 0n);
  const segmentList = (dimension: Dimension) =>
    [...segments.get(dimension)!.entries()]
      .sort(([a, x], [b, y]) => {
        const [bx, by] = [startBalance(x), startBalance(y)];
        return bx === by ? a.localeCompare(b) : bx > by ? -1 : 1;
      })
      .map(([key, segment]) => ({ key, ...dimensionNames(dimension, key), rows: migrationRows(segment) }));
  return {
    report: 'migration' as const,
    from,
    to,
    asOf: to,
    rows: migrationRows(cells),
    segments: { province: segmentList('province'), city: segmentList('city'), industry: segmentList('industry'), size: segmentList('size') },
  };
}

// ---------------------------------------------------------------- renewals

interface RenewalRow {
  size_class: string;
  product: string;
  region_code: string;
  section: string;
  now_class: string;
  loans: string;
  principal: string;
  balance: string;
}

/**
 * Renewals without repaying principal (无还本续贷) whose new loan was disbursed from `from` to
 * `to`: count and amount by size class (at renewal) and product, how the renewed loans stand at
 * the close of `to`, and the share of working-capital loans falling due in the period that were
 * renewed.
 */
export async function renewalsReport(db: Executor, fromText: string | undefined, toText: string | undefined) {
  const to = await resolveAsOf(db, toText, 'to');
  const from = fromText === undefined ? addDays(previousMonthEnd(to), 1) : parseBusinessDate(fromText, 'from');
  if (from > to) throw new ValidationError('from', `must be on or before to (${to})`);
  await assertClosed(db, to);
  const f = sql`cast(${from} as date)`;
  const t = sql`cast(${to} as date)`;
  const profileAt = (column: string) => sql`(select ${sql.ref(`p.${column}`)} from enterprise_profile p where p.enterprise_id = l.enterprise_id and p.valid_from <= l.disbursed_on order by p.valid_from desc limit 1)`;
  const rows = (await sql<RenewalRow>`
    select coalesce(${profileAt('size_class')}, 'unknown') as size_class, pr.code as product,
           coalesce(${profileAt('region_code')}, 'unknown') as region_code, coalesce(substr(${profileAt('industry_code')}, 1, 1), 'unknown') as section,
           coalesce(d.classification, case when l.status = 'written-off' then 'written-off' else 'repaid' end) as now_class,
           cast(count(*) as text) as loans, cast(sum(l.principal) as text) as principal,
           cast(coalesce(sum(d.principal_not_due + d.principal_due), 0) as text) as balance
    from loan l
    join product pr on pr.id = l.product_id
    left join loan_day d on d.business_date = ${t} and d.loan_id = l.id and d.enterprise_id = l.enterprise_id
    where l.renewed_from_id is not null and l.disbursed_on >= ${f} and l.disbursed_on <= ${t}
    group by 1, 2, 3, 4, 5`.execute(db)).rows;
  // Working-capital loans that fell due in the period, or were renewed in it ahead of maturity.
  const due = (await sql<{ loans: string; principal: string; renewed_loans: string; renewed_principal: string }>`
    select cast(count(*) as text) as loans, cast(coalesce(sum(o.principal), 0) as text) as principal,
           cast(sum(case when n.id is not null then 1 else 0 end) as text) as renewed_loans,
           cast(coalesce(sum(case when n.id is not null then o.principal else 0 end), 0) as text) as renewed_principal
    from loan o
    left join loan n on n.renewed_from_id = o.id and n.enterprise_id = o.enterprise_id and n.disbursed_on >= ${f} and n.disbursed_on <= ${t}
    where o.working_capital and o.disbursed_on <= ${t}
      and ((o.maturity_on >= ${f} and o.maturity_on <= ${t}) or n.id is not null)`.execute(db)).rows[0]!;

  type Sum = { loans: number; principal: bigint; balance: bigint };
  const by = (key: (row: RenewalRow) => string) => {
    const map = new Map<string, Sum>();
    for (const row of rows) {
      const k = key(row);
      const s = map.get(k) ?? { loans: 0, principal: 0n, balance: 0n };
      map.set(k, { loans: s.loans + Number(row.loans), principal: s.principal + BigInt(row.principal), balance: s.balance + BigInt(row.balance) });
    }
    return [...map.entries()]
      .sort(([a, x], [b, y]) => (x.principal === y.principal ? a.localeCompare(b) : x.principal > y.principal ? -1 : 1))
      .map(([key, s]) => ({ key, loans: s.loans, principal: formatMoney(minor(s.principal)), balance: formatMoney(minor(s.balance)) }));
  };
  const named = (dimension: Dimension, list: ReturnType<typeof by>) => list.map((row) => ({ ...row, ...dimensionNames(dimension, row.key) }));
  const all = rows.reduce((s, row) => ({ loans: s.loans + Number(row.loans), principal: s.principal + BigInt(row.principal), balance: s.balance + BigInt(row.balance) }), { loans: 0, principal: 0n, balance: 0n });
  return {
    report: 'renewals' as const,
    from,
    to,
    asOf: to,
    total: { loans: all.loans, principal: formatMoney(minor(all.principal)), balance: formatMoney(minor(all.balance)) },
    workingCapital: {
      dueLoans: Number(due.loans),
      duePrincipal: formatMoney(minor(BigInt(due.principal))),
      renewedLoans: Number(due.renewed_loans),
      renewedPrincipal: formatMoney(minor(BigInt(due.renewed_principal))),
      renewedShare: formatPercent(percentOf(BigInt(due.renewed_principal), BigInt(due.principal))),
    },
    byClassificationNow: MIGRATION_DESTINATIONS.map((category) => {
      const match = by((row) => row.now_class).find((row) => row.key === category);
      return { category, loans: match?.loans ?? 0, balance: match?.balance ?? '0.00' };
    }),
    bySize: named('size', by((row) => row.size_class)),
    byProduct: by((row) => row.product),
    byProvince: named('province', by((row) => (row.region_code === 'unknown' ? 'unknown' : `${row.region_code.slice(0, 2)}0000`))),
    byCity: named('city', by((row) => (row.region_code === 'unknown' ? 'unknown' : `${row.region_code.slice(0, 4)}00`))),
    byIndustry: named('industry', by((row) => row.section)),
  };
}

// ---------------------------------------------------------------- foreign trade

/**
 * Lending to foreign-trade firms (flagged in the registry with evidence, from the flag's date):
 * balance, borrowers and NPL as of `asOf`; new lending from `from` (default 1 January) to `asOf`.
 */
export async function foreignTradeReport(db: Executor, asOfText?: string, fromText?: string, options: RecomputeOption = {}) {
  const asOf = await resolveAsOf(db, asOfText);
  const from = fromText === undefined ? fromCivil({ year: toCivil(asOf).year, month: 1, day: 1 }) : parseBusinessDate(fromText, 'from');
  if (from > asOf) throw new ValidationError('from', `must be on or before the report date ${asOf}`);
  const definition = inclusiveDefinitionOn(asOf);
  const groups = await closedBook(db, asOf, definition, options);
  const foreign = total(groups, (g) => g.foreignTrade);
  const all = total(groups);
  // Judged per (borrower, day) of the period's new loans, once, at end of day (`new_lending`).
  const fresh = await newLending(db, definition, from, asOf, 'foreign_trade', options);
  return {
    report: 'foreign-trade' as const,
    asOf,
    from,
    foreignTrade: { ...figuresJson(foreign), share: formatPercent(percentOf(foreign.balance, all.balance)) },
    newLending: { loans: fresh.loans, principal: formatMoney(minor(fresh.principal)) },
    all: figuresJson(all),
    breakdowns: breakdowns(groups.filter((g) => g.foreignTrade)),
  };
}

/** Any report by name, as its JSON. */
export async function runReport(db: Executor, name: ReportName, options: { readonly asOf?: string | undefined; readonly from?: string | undefined; readonly to?: string | undefined }) {
  switch (name) {
    case 'inclusive':
      return inclusiveReport(db, options.asOf);
    case 'five-category':
      return fiveCategoryReport(db, options.asOf);
    case 'migration':
      return migrationReport(db, options.from, options.to ?? options.asOf);
    case 'renewals':
      return renewalsReport(db, options.from, options.to ?? options.asOf);
    case 'foreign-trade':
      return foreignTradeReport(db, options.asOf, options.from);
  }
}

export type ReportJson = Awaited<ReturnType<typeof runReport>>;
