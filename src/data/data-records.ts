/**
 * The records the data-sharing platform (信息共享平台) delivers, by source: typed, money as bigint
 * fen, months as 'YYYY-MM', event dates as 'YYYY-MM-DD'.
 *
 * | source | records |
 * |---|---|
 * | tax (税务) | `tax-month`: invoiced sales (开票销售额) and tax paid per month |
 * | electricity (电力) | `electricity-month`: kWh per month |
 * | water (水务) | `water-month`: cubic metres per month |
 * | social-security (社保) | `headcount-month`: insured employees per month |
 * | registration (市场监管) | `registration-change`, `administrative-penalty`, `legal-representative` (the registered 法定代表人, name and ID number) |
 * | courts (法院) | `lawsuit`, `dishonest-debtor` (失信被执行人) |
 * | credit-bureau (征信) | `bureau-loan` (loans at other lenders), `bureau-overdue` (overdue history) — for the enterprise and its main owner |
 *
 * @example
 * const row: TaxMonth = { source: 'tax', kind: 'tax-month', month: parseMonth('2025-05', 'month'), invoicedSales: minor(1_200_000_00n), taxPaid: minor(12_000_00n) };
 */
import { daysInMonth, fromCivil, type BusinessDate } from '../calendar/index.js';
import { ValidationError } from '../errors.js';
import type { Minor } from '../money/index.js';

/** Every data source, in the order documents list them. */
export const DATA_SOURCES = ['tax', 'electricity', 'water', 'social-security', 'registration', 'courts', 'credit-bureau'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/** Sources that deliver one record per month. */
export const MONTHLY_SOURCES: readonly DataSource[] = ['tax', 'electricity', 'water', 'social-security'];

/** A calendar month, 'YYYY-MM'. */
export type Month = string & { readonly __brand: 'Month' };

export interface TaxMonth {
  readonly source: 'tax';
  readonly kind: 'tax-month';
  readonly month: Month;
  /** Sales on invoices issued in the month (开票销售额), excluding VAT, fen. */
  readonly invoicedSales: Minor;
  /** All taxes paid in the month, fen. */
  readonly taxPaid: Minor;
}

export interface ElectricityMonth {
  readonly source: 'electricity';
  readonly kind: 'electricity-month';
  readonly month: Month;
  readonly kwh: number;
}

export interface WaterMonth {
  readonly source: 'water';
  readonly kind: 'water-month';
  readonly month: Month;
  readonly cubicMetres: number;
}

export interface HeadcountMonth {
  readonly source: 'social-security';
  readonly kind: 'headcount-month';
  readonly month: Month;
  /** Employees with social insurance paid for the month (参保人数). */
  readonly insuredEmployees: number;
}

export interface RegistrationChange {
  readonly source: 'registration';
  readonly kind: 'registration-change';
  readonly date: BusinessDate;
  /** What changed: 'legal-representative', 'shareholders', 'registered-capital', 'address', 'business-scope', 'name'. */
  readonly item: string;
}

/**
 * Who the registry names as the enterprise's legal representative (法定代表人) from `date` on: a
 * standing fact, delivered for every appointment on or before `asOf` (the latest is the current
 * one). Identity checks (`src/identity/`) compare a person's claim against it.
 */
export interface LegalRepresentative {
  readonly source: 'registration';
  readonly kind: 'legal-representative';
  /** The day the appointment was registered. */
  readonly date: BusinessDate;
  readonly name: string;
  /** Resident ID number (GB 11643-1999); personal data, never logged. */
  readonly idNumber: string;
}

export interface AdministrativePenalty {
  readonly source: 'registration';
  readonly kind: 'administrative-penalty';
  readonly date: BusinessDate;
  readonly authority: string;
  readonly reason: string;
  readonly amount: Minor;
}

export interface Lawsuit {
  readonly source: 'courts';
  readonly kind: 'lawsuit';
  /** Filing date. */
  readonly date: BusinessDate;
  readonly caseNumber: string;
  readonly role: 'plaintiff' | 'defendant';
  readonly cause: string;
  readonly amount: Minor;
  readonly status: 'pending' | 'closed';
}

export interface DishonestDebtorListing {
  readonly source: 'courts';
  readonly kind: 'dishonest-debtor';
  /** Listing date (失信被执行人名单). */
  readonly date: BusinessDate;
  readonly removedOn: BusinessDate | null;
  readonly court: string;
  readonly caseNumber: string;
  readonly amount: Minor;
}

/** Whose credit report a bureau record is from: the enterprise, or its main owner (实际控制人). */
export type BureauSubject = 'enterprise' | 'owner';

export interface BureauLoan {
  readonly source: 'credit-bureau';
  readonly kind: 'bureau-loan';
  readonly subject: BureauSubject;
  /** Opening date. */
  readonly date: BusinessDate;
  readonly lender: string;
  readonly amount: Minor;
  readonly balance: Minor;
  readonly maturityOn: BusinessDate;
  readonly status: 'active' | 'closed';
}

export interface BureauOverdue {
  readonly source: 'credit-bureau';
  readonly kind: 'bureau-overdue';
  readonly subject: BureauSubject;
  readonly month: Month;
  readonly daysPastDue: number;
  readonly amount: Minor;
}

/** The records of each source. */
export interface SourceRecordMap {
  readonly tax: TaxMonth;
  readonly electricity: ElectricityMonth;
  readonly water: WaterMonth;
  readonly 'social-security': HeadcountMonth;
  readonly registration: RegistrationChange | AdministrativePenalty | LegalRepresentative;
  readonly courts: Lawsuit | DishonestDebtorListing;
  readonly 'credit-bureau': BureauLoan | BureauOverdue;
}

/** Any record. */
export type DataRecord = SourceRecordMap[DataSource];

/** The period a record belongs to: its month, or its event date. */
export function recordPeriod(record: DataRecord): string {
  return 'month' in record ? record.month : record.date;
}

/** What one pull of one source delivered, with where it is stored. */
export interface SourceData<S extends DataSource = DataSource> {
  readonly source: S;
  /** The stored pull (`data_pull.id`); null for data not (yet) stored, e.g. straight from a provider. */
  readonly pullId: string | null;
  readonly pulledAt: Date | null;
  readonly records: readonly SourceRecordMap[S][];
}

/**
 * The data features are computed from: per source, the latest pull. `asOf` is the business date
 * of the pull; monthly series end at the month before it.
 */
export interface PulledData {
  readonly asOf: BusinessDate;
  readonly sources: { readonly [S in DataSource]?: SourceData<S> };
}

/**
 * Parses a data source name; a {@link ValidationError} on `field` lists the sources otherwise.
 *
 * @example
 * parseDataSource('tax', 'sources'); // 'tax'
 */
export function parseDataSource(text: string, field = 'source'): DataSource {
  if (!(DATA_SOURCES as readonly string[]).includes(text)) throw new ValidationError(field, `'${text}' is not a data source: use ${DATA_SOURCES.join(', ')}`);
  return text as DataSource;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Parses 'YYYY-MM'.
 *
 * @example
 * parseMonth('2025-05', 'month'); // '2025-05'
 */
export function parseMonth(text: string, field = 'month'): Month {
  if (typeof text !== 'string' || !MONTH.test(text) || text < '0001-01') throw new ValidationError(field, 'must be a month written YYYY-MM, e.g. "2025-05"');
  return text as Month;
}

/** Months since 0000-01 (year × 12 + month − 1): month arithmetic on integers. */
export function monthIndex(month: Month): number {
  // Digit by digit (a hot path of the simulator and the indicators); anything else the slow way.
  const y0 = month.charCodeAt(0) - 48, y1 = month.charCodeAt(1) - 48, y2 = month.charCodeAt(2) - 48, y3 = month.charCodeAt(3) - 48;
  const m0 = month.charCodeAt(5) - 48, m1 = month.charCodeAt(6) - 48;
  if (month.length !== 7 || y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 9 || m1 >>> 0 > 9) return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  return (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 12 + m0 * 10 + m1 - 1;
}

/** The month of a month index. */
export function monthFromIndex(index: number): Month {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}` as Month;
}

/**
 * `month` shifted by `delta` months.
 *
 * @example
 * addMonthsToMonth(parseMonth('2025-01'), -1); // '2024-12'
 */
export function addMonthsToMonth(month: Month, delta: number): Month {
  return monthFromIndex(monthIndex(month) + delta);
}

/** The month a business date falls in. */
export function monthOf(date: BusinessDate | string): Month {
  return date.slice(0, 7) as Month;
}

/** The first day of a month, as a business date. */
export function firstDayOf(month: Month): BusinessDate {
  return fromCivil({ year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)), day: 1 });
}

/** The last day of a month, as a business date. */
export function lastDayOf(month: Month): BusinessDate {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return fromCivil({ year, month: m, day: daysInMonth(year, m) });
}

/**
 * The months a request covers: `months` whole months ending with the month before `asOf`'s month
 * (the current month is not complete: tax for a month is filed in the next), oldest first.
 *
 * @example
 * dataWindow(parseBusinessDate('2025-06-30', 'asOf'), 3); // ['2025-03', '2025-04', '2025-05']
 */
export function dataWindow(asOf: BusinessDate, months: number): Month[] {
  const last = monthIndex(monthOf(asOf)) - 1;
  const window: Month[] = [];
  for (let i = months - 1; i >= 0; i--) window.push(monthFromIndex(last - i));
  return window;
}
