/**
 * The built-in simulated provider: every source, for any valid credit code, deterministic from the
 * code and a seed. The data of a month depends only on (seed, code, source, month), so windows
 * that overlap agree, and a firm's story holds across pulls.
 *
 * How the firm's latent health (`simulated-firm.ts`) shows in its data:
 * - sales: a seasonal pattern by industry × a trend of (1 + growth)^years × log-normal noise of
 *   the firm's volatility; growth rises and volatility falls with health;
 * - tax: sales × the industry's tax rate, with arrears months (zero tax) likelier for weak firms;
 * - power and water: real (not inflated) sales ÷ the industry's yuan per kWh / m³ × climate noise;
 *   a firm that inflates invoices shows sales growth its meters do not;
 * - headcount: employees × insurance coverage (lower for weak firms), following growth;
 * - registration changes, penalties, lawsuits, dishonest-debtor listing and overdue months:
 *   Poisson or Bernoulli draws whose rates rise as health falls.
 *
 * @example
 * const provider = simulatedProvider({ seed: 42 });
 * await provider.fetch({ subject: { creditCode: '91350100M000100Y43' }, source: 'tax', asOf, months: 12 });
 */
import { addDays, addMonths, type BusinessDate } from '../calendar/index.js';
import { ValidationError } from '../errors.js';
import { minor } from '../money/index.js';
import type { IndustryCode } from '../enterprises/size-standard.js';
import { checkDataRequest, checkPersonRequest, selectWindow, type CheckedPersonRequest, type CheckedRequest, type CourtRecord, type DataProvider, type DataRequest, type PersonCourtRequest } from './data-provider.js';
import {
  DATA_SOURCES,
  firstDayOf,
  lastDayOf,
  monthFromIndex,
  monthIndex,
  monthOf,
  type AdministrativePenalty,
  type BureauLoan,
  type BureauOverdue,
  type BureauSubject,
  type DataRecord,
  type DataSource,
  type DishonestDebtorListing,
  type Lawsuit,
  type LegalRepresentative,
  type Month,
  type RegistrationChange,
  type SourceRecordMap,
} from './data-records.js';
import { randomFor, randomsUnder, type Random } from './seeded-random.js';
import { INDUSTRY_PATTERNS, sigmoid, SIMULATION_ANCHOR, simulatedFirm, yuanToFen, type SimulatedFirm } from './simulated-firm.js';

/** Options for {@link simulatedProvider}. */
export interface SimulatedProviderOptions {
  /** The world: the same seed gives the same data. */
  readonly seed: number;
}

// Cooling in summer and heating in winter raise power use regardless of sales.
const CLIMATE = [1.1, 1.05, 0.95, 0.9, 0.95, 1.05, 1.2, 1.2, 1.0, 0.9, 0.95, 1.05];
// Events before the window are never needed beyond five years back plus the longest listing.
const EVENT_LOOKBACK_MONTHS = 72;

/** Firms a provider keeps drawn: enough for the pulls in flight at once. */
const RECENT_FIRMS = 64;

/**
 * A provider of simulated data for every source.
 *
 * @example
 * const provider = simulatedProvider({ seed: 42 });
 * provider.name; // 'simulated:42'
 */
export function simulatedProvider(options: SimulatedProviderOptions): DataProvider {
  const { seed } = options;
  if (!Number.isSafeInteger(seed)) throw new ValidationError('seed', 'must be a whole number');
  // A pull asks for seven sources of one firm in a row: draw the firm once, not seven times.
  const recent = new Map<string, SimulatedFirm>();
  const firmFor = (creditCode: string, industry: IndustryCode | null): SimulatedFirm => {
    const key = `${creditCode} ${industry ?? ''}`;
    let firm = recent.get(key);
    if (firm === undefined) {
      firm = simulatedFirm(creditCode, seed, industry);
      if (recent.size >= RECENT_FIRMS) recent.delete(recent.keys().next().value!);
      recent.set(key, firm);
    }
    return firm;
  };
  return {
    name: `simulated:${seed}`,
    sources: DATA_SOURCES,
    async fetch<S extends DataSource>(request: DataRequest<S>): Promise<readonly SourceRecordMap[S][]> {
      const checked = checkDataRequest(request, DATA_SOURCES);
      return simulatedRecords(firmFor(checked.creditCode, request.subject.industry ?? null), checked) as SourceRecordMap[S][];
    },
    async personCourts(request: PersonCourtRequest): Promise<readonly CourtRecord[]> {
      return simulatedPersonCourts(seed, checkPersonRequest(request));
    },
  };
}

/** Share of simulated persons with court trouble: suits against them and, for half, a listing. */
const TROUBLED_PERSONS = 0.08;

/**
 * A simulated person's court records, deterministic from (seed, person key): most people have
 * none; a troubled few are sued now and then (mostly as defendant, over loans and guarantees) and
 * half of those are on the dishonest-debtor list. A month's suits depend only on (seed, key,
 * month), so windows that overlap agree.
 *
 * @example
 * simulatedPersonCourts(7, checkPersonRequest({ personKey: personKey('11010519491231002X'), asOf, months: 24 }));
 */
export function simulatedPersonCourts(seed: number, request: CheckedPersonRequest): CourtRecord[] {
  const person = randomFor(seed, request.personKey, 'person');
  const troubled = person.uniform() < TROUBLED_PERSONS;
  const records: CourtRecord[] = [];
  const first = monthIndex(request.window[0]! as Month);
  const last = monthIndex(monthOf(request.asOf));
  let serial = 0;
  for (let i = first; i <= last; i++) {
    const month = monthFromIndex(i);
    const random = randomFor(seed, request.personKey, 'person-courts', month);
    const count = random.poisson(troubled ? 0.06 : 0.002);
    for (let k = 0; k < count; k++) {
      serial++;
      const date = dayIn(month, random);
      records.push({
        source: 'courts', kind: 'lawsuit', date, caseNumber: `(${date.slice(0, 4)})民初${5000 + (serial % 4000)}号`, role: random.uniform() < (troubled ? 0.8 : 0.4) ? 'defendant' : 'plaintiff',
        cause: random.pick(['private lending dispute', 'guarantee contract dispute', 'loan contract dispute', 'sale contract dispute']),
        amount: yuanToFen(5_000 * Math.exp(1.0 * random.normal()) * 4), status: addDays(date, 60 + random.below(300)) > request.asOf ? 'pending' : 'closed',
      });
    }
  }
  if (troubled && person.uniform() < 0.5) {
    const listed = addDays(SIMULATION_ANCHOR, -person.below(3 * 365) + 180);
    const removed = person.uniform() < 0.3 ? addDays(listed, 90 + person.below(600)) : null;
    records.push({ source: 'courts', kind: 'dishonest-debtor', date: listed, removedOn: removed, court: '人民法院', caseNumber: `(${listed.slice(0, 4)})执${100 + person.below(900)}号`, amount: yuanToFen(20_000 + person.below(300_000)) });
  }
  return selectWindow(records, request);
}

/**
 * The records of one source for a simulated firm and a checked request (the pure core of the
 * provider; also used to write CSV fixtures).
 */
export function simulatedRecords(firm: SimulatedFirm, request: CheckedRequest): DataRecord[] {
  const registered = monthOf(firm.registeredOn);
  const months = request.window.filter((m) => m >= registered) as Month[];
  switch (request.source) {
    case 'tax': {
      const arrearsRate = 0.01 + 0.15 * sigmoid(-1.5 * firm.health - 2);
      return months.map((month) => {
        const random = streamsOf(firm)('tax', month);
        const sales = invoicedSalesYuan(firm, month);
        const arrears = random.uniform() < arrearsRate || deteriorationOf(firm, month).taxArrears;
        const taxPaid = arrears ? 0 : sales * INDUSTRY_PATTERNS[firm.industry].taxRate * Math.exp(0.1 * random.normal());
        return { source: 'tax', kind: 'tax-month', month, invoicedSales: yuanToFen(sales), taxPaid: yuanToFen(taxPaid) };
      });
    }
    case 'electricity':
      return months.map((month) => {
        const random = streamsOf(firm)('electricity', month);
        const kwh = (realSalesYuan(firm, month) / INDUSTRY_PATTERNS[firm.industry].yuanPerKwh) * Math.sqrt(CLIMATE[calendarMonth(month)]!) * Math.exp(0.06 * random.normal());
        return { source: 'electricity', kind: 'electricity-month', month, kwh: Math.round(kwh) };
      });
    case 'water':
      return months.map((month) => {
        const random = streamsOf(firm)('water', month);
        const cubicMetres = (realSalesYuan(firm, month) / INDUSTRY_PATTERNS[firm.industry].yuanPerCubicMetre) * Math.exp(0.1 * random.normal());
        return { source: 'water', kind: 'water-month', month, cubicMetres: Math.round(cubicMetres) };
      });
    case 'social-security': {
      const coverage = Math.min(1, 0.55 + 0.45 * sigmoid(1.5 * firm.health + 1));
      return months.map((month) => {
        const random = streamsOf(firm)('social-security', month);
        const trend = Math.pow(1 + firm.growth, yearsFromAnchor(month) / 2);
        const insured = Math.max(0, Math.round(firm.employees * coverage * trend * deteriorationOf(firm, month).staffFactor + 0.8 * random.normal()));
        return { source: 'social-security', kind: 'headcount-month', month, insuredEmployees: insured };
      });
    }
    case 'registration':
      return selectWindow(registrationEvents(firm, request), request);
    case 'courts':
      return selectWindow(courtRecords(firm, request), request);
    case 'credit-bureau':
      return selectWindow([...bureauLoans(firm, request.asOf), ...bureauOverdues(firm, months)], request);
  }
}

function calendarMonth(month: Month): number {
  return Number(month.slice(5, 7)) - 1;
}

function yearsFromAnchor(month: Month): number {
  return (monthIndex(month) - monthIndex(monthOf(SIMULATION_ANCHOR))) / 12;
}

/**
 * What the simulator works out once per firm (the provider keeps recent firms drawn, and a pull
 * asks for seven sources of one firm in a row): its streams' common labels hashed, its episodes of
 * deterioration and its real sales by month (tax, power and water each read them).
 */
interface FirmMemo {
  /** `randomFor(firm.seed, firm.creditCode, ...rest)`. */
  readonly random: (...rest: readonly (string | number)[]) => Random;
  /** Month index → the episode starting then, or null. */
  readonly episodes: Map<number, Episode | null>;
  /** Month index → real sales, yuan. */
  readonly realSales: Map<number, number>;
}

const memos = new WeakMap<SimulatedFirm, FirmMemo>();

function memoOf(firm: SimulatedFirm): FirmMemo {
  let memo = memos.get(firm);
  if (memo === undefined) {
    memo = { random: randomsUnder(firm.seed, firm.creditCode), episodes: new Map(), realSales: new Map() };
    memos.set(firm, memo);
  }
  return memo;
}

/** The firm's streams: `streamsOf(firm)('tax', month)` is `randomFor(firm.seed, firm.creditCode, 'tax', month)`. */
function streamsOf(firm: SimulatedFirm): FirmMemo['random'] {
  return memoOf(firm).random;
}

/** Real sales in a month, yuan: seasonality × trend × noise (worked out once per firm and month). */
function realSalesYuan(firm: SimulatedFirm, month: Month): number {
  const cache = memoOf(firm).realSales;
  const index = monthIndex(month);
  let sales = cache.get(index);
  if (sales === undefined) {
    sales = drawRealSalesYuan(firm, month);
    cache.set(index, sales);
  }
  return sales;
}

function drawRealSalesYuan(firm: SimulatedFirm, month: Month): number {
  const pattern = INDUSTRY_PATTERNS[firm.industry];
  const seasonMean = pattern.season.reduce((a, b) => a + b, 0) / 12;
  const season = pattern.season[calendarMonth(month)]! / seasonMean;
  const trend = Math.pow(Math.max(0.2, 1 + firm.growth), yearsFromAnchor(month));
  const noise = Math.exp(firm.volatility * streamsOf(firm)('sales', month).normal());
  return (firm.annualSalesYuan / 12) * season * trend * noise * deteriorationOf(firm, month).salesFactor;
}

/**
 * Deterioration after lending (经营恶化): from the month after the anchor, each month a firm may
 * start an episode, with a monthly hazard that rises as health falls (about 0.5% a month at health
 * 0, 1.4% for the weakest). From its onset month sales (and so power and water) fall to 55%, then
 * 40% and 30% of normal; from the second month the insured headcount is a third lower and tax goes
 * unpaid; a month in, a supplier sues; for half the episodes, a dishonest-debtor listing three
 * months in. An episode runs 12 months. Deterministic by (seed, code, month), so every pull tells
 * the same story and the demo book has warnings to show. Months up to the anchor are untouched.
 */
export const DETERIORATION = { monthlyHazardBase: 0.001, monthlyHazardWeak: 0.006, durationMonths: 12, salesFactors: [0.55, 0.4, 0.3], listedShare: 0.3 } as const;

interface Episode {
  /** Month index of the onset. */
  readonly onset: number;
  readonly listed: boolean;
}

function episodeStarting(firm: SimulatedFirm, index: number): Episode | null {
  const cache = memoOf(firm).episodes;
  let episode = cache.get(index);
  if (episode === undefined) {
    const random = streamsOf(firm)('deterioration', monthFromIndex(index));
    const hazard = DETERIORATION.monthlyHazardBase + DETERIORATION.monthlyHazardWeak * sigmoid(-1.5 * firm.health - 1);
    episode = random.uniform() < hazard ? { onset: index, listed: random.uniform() < DETERIORATION.listedShare } : null;
    cache.set(index, episode);
  }
  return episode;
}

/** Episodes that started after the anchor and by `through`, bounded to the last few years. */
function deteriorationEpisodes(firm: SimulatedFirm, through: Month): Episode[] {
  const first = Math.max(monthIndex(monthOf(SIMULATION_ANCHOR)) + 1, monthIndex(through) - 60);
  const episodes: Episode[] = [];
  for (let i = first; i <= monthIndex(through); i++) {
    const episode = episodeStarting(firm, i);
    if (episode !== null) episodes.push(episode);
  }
  return episodes;
}

/** How a month of the firm is touched by a deterioration running then (1s when none). */
export function deteriorationOf(firm: SimulatedFirm, month: Month): { readonly salesFactor: number; readonly staffFactor: number; readonly taxArrears: boolean } {
  const index = monthIndex(month);
  const anchor = monthIndex(monthOf(SIMULATION_ANCHOR));
  if (index <= anchor) return { salesFactor: 1, staffFactor: 1, taxArrears: false };
  for (let onset = index; onset > Math.max(anchor, index - DETERIORATION.durationMonths); onset--) {
    if (episodeStarting(firm, onset) === null) continue;
    const k = index - onset;
    return { salesFactor: DETERIORATION.salesFactors[Math.min(k, DETERIORATION.salesFactors.length - 1)]!, staffFactor: k >= 1 ? 2 / 3 : 1, taxArrears: k >= 1 };
  }
  return { salesFactor: 1, staffFactor: 1, taxArrears: false };
}

/** Invoiced sales: real sales, inflated in the 12 months before the anchor by firms that inflate. */
function invoicedSalesYuan(firm: SimulatedFirm, month: Month): number {
  const monthsBefore = monthIndex(monthOf(SIMULATION_ANCHOR)) - monthIndex(month);
  const inflated = firm.invoiceInflation !== 1 && monthsBefore <= 12;
  return realSalesYuan(firm, month) * (inflated ? firm.invoiceInflation : 1);
}

/** Months from the lookback before the window through `asOf`'s month, not before registration. */
function eventMonths(firm: SimulatedFirm, request: CheckedRequest): Month[] {
  const first = Math.max(monthIndex(request.window[0]! as Month) - EVENT_LOOKBACK_MONTHS, monthIndex(monthOf(firm.registeredOn)));
  const last = monthIndex(monthOf(request.asOf));
  const months: Month[] = [];
  for (let i = first; i <= last; i++) months.push(monthFromIndex(i));
  return months;
}

function dayIn(month: Month, random: ReturnType<typeof randomFor>): BusinessDate {
  return addDays(firstDayOf(month), random.below(Number(lastDayOf(month).slice(8, 10))));
}

const CHANGE_ITEMS = ['address', 'business-scope', 'registered-capital', 'legal-representative', 'shareholders', 'name'];
const PENALTY_REASONS = ['late annual report (未按时年报)', 'tax invoice irregularity', 'product quality inspection failure', 'fire safety violation', 'environmental violation'];

function registrationEvents(firm: SimulatedFirm, request: CheckedRequest): (RegistrationChange | AdministrativePenalty | LegalRepresentative)[] {
  // The firm's owner has been its registered legal representative since it was registered.
  const events: (RegistrationChange | AdministrativePenalty | LegalRepresentative)[] = [{ source: 'registration', kind: 'legal-representative', date: firm.registeredOn, name: firm.owner.name, idNumber: firm.owner.idNumber }];
  // Frequent changes of representative or shareholders are a warning sign: likelier when weak.
  const changeRate = 0.015 + 0.06 * sigmoid(-1.5 * firm.health - 1);
  const penaltyRate = 0.004 + 0.04 * sigmoid(-1.5 * firm.health - 1.5);
  for (const month of eventMonths(firm, request)) {
    const random = streamsOf(firm)('registration', month);
    const changes = random.poisson(changeRate);
    for (let i = 0; i < changes; i++) events.push({ source: 'registration', kind: 'registration-change', date: dayIn(month, random), item: random.pick(CHANGE_ITEMS) });
    const penalties = random.poisson(penaltyRate);
    for (let i = 0; i < penalties; i++) {
      events.push({ source: 'registration', kind: 'administrative-penalty', date: dayIn(month, random), authority: '市场监督管理局', reason: random.pick(PENALTY_REASONS), amount: yuanToFen(1000 * (2 + random.below(48))) });
    }
  }
  return events;
}

function courtRecords(firm: SimulatedFirm, request: CheckedRequest): (Lawsuit | DishonestDebtorListing)[] {
  const records: (Lawsuit | DishonestDebtorListing)[] = [];
  let serial = 0;
  const suitRate = 0.008 + 0.08 * sigmoid(-1.5 * firm.health - 1);
  const defendantShare = 0.4 + 0.4 * sigmoid(-firm.health);
  for (const month of eventMonths(firm, request)) {
    const random = streamsOf(firm)('courts', month);
    const count = random.poisson(suitRate);
    for (let i = 0; i < count; i++) {
      serial++;
      const date = dayIn(month, random);
      const durationDays = 60 + random.below(400);
      const role = random.uniform() < defendantShare ? 'defendant' : 'plaintiff';
      records.push({
        source: 'courts', kind: 'lawsuit', date, caseNumber: `(${date.slice(0, 4)})民初${1000 + (serial % 9000)}号`, role,
        cause: random.pick(['sale contract dispute', 'loan contract dispute', 'labour dispute', 'lease dispute']),
        amount: yuanToFen(10_000 * Math.exp(1.2 * random.normal()) * 5), status: addDays(date, durationDays) > request.asOf ? 'pending' : 'closed',
      });
    }
  }
  // A deterioration after lending brings a suit from a supplier a month in, and for some a listing.
  for (const episode of deteriorationEpisodes(firm, monthOf(request.asOf))) {
    const filed = addDays(firstDayOf(monthFromIndex(episode.onset + 1)), 9);
    if (filed <= request.asOf) {
      serial++;
      records.push({ source: 'courts', kind: 'lawsuit', date: filed, caseNumber: `(${filed.slice(0, 4)})民初${1000 + (serial % 9000)}号`, role: 'defendant', cause: 'sale contract dispute', amount: yuanToFen(Math.round(firm.annualSalesYuan * 0.05)), status: 'pending' });
    }
    const listed = addDays(firstDayOf(monthFromIndex(episode.onset + 3)), 14);
    if (episode.listed && listed <= request.asOf) {
      records.push({ source: 'courts', kind: 'dishonest-debtor', date: listed, removedOn: null, court: '人民法院', caseNumber: `(${listed.slice(0, 4)})执${100 + (episode.onset % 900)}号`, amount: yuanToFen(Math.round(firm.annualSalesYuan * 0.05)) });
    }
  }
  // The dishonest-debtor list (失信被执行人): one draw per firm, rare unless health is very low.
  const random = streamsOf(firm)('dishonest-debtor');
  if (random.uniform() < 0.002 + 0.3 * sigmoid(-2.5 * firm.health - 4.5)) {
    const listed = addDays(SIMULATION_ANCHOR, -random.below(3 * 365) + 180);
    const removed = random.uniform() < 0.3 ? addDays(listed, 90 + random.below(600)) : null;
    if (listed >= firm.registeredOn) {
      records.push({ source: 'courts', kind: 'dishonest-debtor', date: listed, removedOn: removed, court: '人民法院', caseNumber: `(${listed.slice(0, 4)})执${100 + random.below(900)}号`, amount: yuanToFen(50_000 + random.below(500_000)) });
    }
  }
  return records;
}

const LENDERS = ['国有银行', '股份制银行', '城市商业银行', '农村商业银行', '小额贷款公司'];

function bureauLoans(firm: SimulatedFirm, asOf: BusinessDate): BureauLoan[] {
  const loans: BureauLoan[] = [];
  for (const subject of ['enterprise', 'owner'] as const) {
    const random = streamsOf(firm)('bureau-loans', subject);
    const count = Math.min(8, random.poisson(subject === 'enterprise' ? 1.2 : 0.8));
    for (let i = 0; i < count; i++) {
      const opened = addDays(SIMULATION_ANCHOR, -random.below(4 * 365) + 180);
      const termMonths = random.pick([6, 12, 12, 24, 36]);
      const maturityOn = addMonths(opened, termMonths);
      const amountYuan = subject === 'enterprise' ? firm.annualSalesYuan * (0.05 + 0.25 * random.uniform()) : 50_000 + 950_000 * random.uniform();
      if (opened < firm.registeredOn && subject === 'enterprise') continue;
      // Straight-line amortisation: the balance left at `asOf`.
      const elapsed = Math.max(0, Math.min(1, (Date.parse(asOf) - Date.parse(opened)) / (Date.parse(maturityOn) - Date.parse(opened))));
      const active = maturityOn > asOf;
      loans.push({
        source: 'credit-bureau', kind: 'bureau-loan', subject, date: opened, lender: random.pick(LENDERS), amount: yuanToFen(amountYuan),
        balance: active ? yuanToFen(amountYuan * (1 - elapsed)) : minor(0n), maturityOn, status: active ? 'active' : 'closed',
      });
    }
  }
  return loans;
}

function bureauOverdues(firm: SimulatedFirm, months: readonly Month[]): BureauOverdue[] {
  const rows: BureauOverdue[] = [];
  const overdueRate = 0.004 + 0.12 * sigmoid(-1.8 * firm.health - 2.5);
  for (const month of months) {
    for (const subject of ['enterprise', 'owner'] as const satisfies readonly BureauSubject[]) {
      const random = streamsOf(firm)('bureau-overdue', subject, month);
      if (random.uniform() < overdueRate) {
        rows.push({ source: 'credit-bureau', kind: 'bureau-overdue', subject, month, daysPastDue: random.pick([5, 12, 20, 35, 60, 95]), amount: yuanToFen(1000 + random.below(50_000)) });
      }
    }
  }
  return rows;
}

