/**
 * The one interface behind which every data connector sits (tax bureau, grid company, water
 * utility, social security, market regulator, courts, the credit bureau, or a bank's own files).
 *
 * A provider answers one question: "the records of source S for enterprise C, for the `months`
 * whole months before `asOf`" — and, if it has a connector for persons, "the court records of the
 * person with key K" (`personCourts`, for personal guarantors). It must be deterministic (the same request gives the same records),
 * it never decides whether the pull is allowed — `pull-data.ts` checks the enterprise's
 * authorisation before asking — and it never writes anything.
 *
 * Window rules every provider follows (and `test/data/provider-conformance.ts` checks):
 * - monthly records (`tax-month`, `electricity-month`, `water-month`, `headcount-month`,
 *   `bureau-overdue`): months in {@link dataWindow}, oldest first, at most one per month (and
 *   bureau subject);
 * - events (`registration-change`, `administrative-penalty`, `lawsuit`): dated in the window's
 *   first day … `asOf`, oldest first;
 * - standing facts: a `dishonest-debtor` listing dated on or before `asOf` and not removed before
 *   the window; a `bureau-loan` opened on or before `asOf` and maturing in or after the window;
 *   every `legal-representative` appointment dated on or before `asOf` (the latest is current).
 *
 * @example
 * const records = await provider.fetch({ subject: { creditCode }, source: 'tax', asOf, months: 24 });
 */
import type { BusinessDate } from '../calendar/index.js';
import { parseBusinessDate } from '../calendar/index.js';
import { parseCreditCode, type CreditCode } from '../enterprises/credit-code.js';
import type { IndustryCode } from '../enterprises/size-standard.js';
import { ValidationError } from '../errors.js';
import { dataWindow, firstDayOf, parseDataSource, type DataRecord, type DataSource, type SourceRecordMap } from './data-records.js';
import { parsePersonKey, type PersonKey } from './person-key.js';

/** Bound on the history one request may ask for: five years of months. */
export const MAX_MONTHS = 60;

/** Whom the data is about. */
export interface DataSubject {
  readonly creditCode: string;
  /** The recorded industry, when known; the simulated provider shapes its data by it. */
  readonly industry?: IndustryCode | null;
}

export interface DataRequest<S extends DataSource = DataSource> {
  readonly subject: DataSubject;
  readonly source: S;
  readonly asOf: BusinessDate;
  /** Whole months of history, 1 to {@link MAX_MONTHS}. */
  readonly months: number;
}

/**
 * A natural person's court records (a personal guarantor's, 担保人涉诉及失信核查), asked by
 * person key (`person-key.ts`), never by the ID number itself.
 */
export interface PersonCourtRequest {
  readonly personKey: string;
  readonly asOf: BusinessDate;
  /** Whole months of history, 1 to {@link MAX_MONTHS}. */
  readonly months: number;
}

/** A court record: a lawsuit or a dishonest-debtor listing. */
export type CourtRecord = SourceRecordMap['courts'];

/** A data connector. */
export interface DataProvider {
  /** Recorded with every pull ('simulated:42', 'csv:/data/bank'). */
  readonly name: string;
  /** The sources this provider can deliver. */
  readonly sources: readonly DataSource[];
  /** The records of one source for one enterprise; see the window rules above. */
  fetch<S extends DataSource>(request: DataRequest<S>): Promise<readonly SourceRecordMap[S][]>;
  /**
   * A natural person's court records by person key, under the same window rules as an
   * enterprise's `courts` (lawsuits filed in the window; listings on or before `asOf` and not
   * removed before the window); absent when the provider has no such connector. The caller
   * checks the person's authorisation first, as for enterprises.
   */
  readonly personCourts?: (request: PersonCourtRequest) => Promise<readonly CourtRecord[]>;
}

/** A person court request after validation: the key parsed, the window computed. */
export interface CheckedPersonRequest extends PersonCourtRequest {
  readonly personKey: PersonKey;
  readonly window: readonly string[];
  readonly from: BusinessDate;
}

/**
 * Validates a person court request (key, date, months), as {@link checkDataRequest} does for an
 * enterprise's; every provider with `personCourts` calls it first.
 *
 * @example
 * checkPersonRequest({ personKey: personKey('11010519491231002X'), asOf, months: 24 }).from; // first day of the window
 */
export function checkPersonRequest(request: PersonCourtRequest): CheckedPersonRequest {
  const key = parsePersonKey(request.personKey, 'personKey');
  parseBusinessDate(request.asOf, 'asOf');
  if (!Number.isInteger(request.months) || request.months < 1 || request.months > MAX_MONTHS) throw new ValidationError('months', `must be a whole number from 1 to ${MAX_MONTHS}`);
  const window = dataWindow(request.asOf, request.months);
  return { ...request, personKey: key, window, from: firstDayOf(window[0]!) };
}

/** A request after validation: the credit code parsed, the window computed. */
export interface CheckedRequest<S extends DataSource = DataSource> extends DataRequest<S> {
  readonly creditCode: CreditCode;
  readonly window: readonly string[];
  /** First day of the window. */
  readonly from: BusinessDate;
}

/**
 * Validates a request (credit code, source the provider has, date, months within bounds); every
 * provider calls it first, so bad requests fail the same way everywhere.
 *
 * @example
 * checkDataRequest(request, provider.sources).window; // ['2023-06', …, '2025-05']
 */
export function checkDataRequest<S extends DataSource>(request: DataRequest<S>, sources: readonly DataSource[]): CheckedRequest<S> {
  const creditCode = request.subject.creditCode === lastChecked.text ? lastChecked.code : parseCreditCode(request.subject.creditCode, 'creditCode');
  lastChecked = { text: request.subject.creditCode, code: creditCode };
  const source = parseDataSource(request.source, 'source');
  if (!sources.includes(source)) throw new ValidationError('source', `this provider does not deliver '${source}' (it has ${sources.join(', ') || 'none'})`);
  if (lastWindow === undefined || request.asOf !== lastWindow.asOf || request.months !== lastWindow.months) {
    parseBusinessDate(request.asOf, 'asOf');
    if (!Number.isInteger(request.months) || request.months < 1 || request.months > MAX_MONTHS) throw new ValidationError('months', `must be a whole number from 1 to ${MAX_MONTHS}`);
    const window = Object.freeze(dataWindow(request.asOf, request.months));
    lastWindow = { asOf: request.asOf, months: request.months, window, from: firstDayOf(window[0]!) };
  }
  return { ...request, creditCode, window: lastWindow.window, from: lastWindow.from };
}

// A pull asks for the seven sources of one firm over one window in a row: the last credit code
// and window checked are remembered, not parsed and built seven times (both are pure functions
// of the request, so what is returned is the same).
let lastChecked: { readonly text: string | null; readonly code: CreditCode } = { text: null, code: '' as CreditCode };
let lastWindow: { readonly asOf: string; readonly months: number; readonly window: readonly string[]; readonly from: BusinessDate } | undefined;

/**
 * Keeps the records a checked request covers (the window rules above) and orders them: by
 * period, then kind, then subject. Providers that hold more history than asked (CSV files) use it.
 */
export function selectWindow<R extends DataRecord>(records: readonly R[], request: Pick<CheckedRequest, 'window' | 'asOf' | 'from'>): R[] {
  const firstMonth = request.window[0]!;
  const lastMonth = request.window[request.window.length - 1]!;
  const kept = records.filter((record) => {
    switch (record.kind) {
      case 'dishonest-debtor':
        return record.date <= request.asOf && (record.removedOn === null || record.removedOn >= request.from);
      case 'bureau-loan':
        return record.date <= request.asOf && record.maturityOn >= request.from;
      case 'legal-representative':
        return record.date <= request.asOf;
      default:
        if ('month' in record) return record.month >= firstMonth && record.month <= lastMonth;
        return record.date >= request.from && record.date <= request.asOf;
    }
  });
  return kept.sort(compareRecords);
}

/** Orders records by period, kind, subject: the order providers return and the store keeps. */
export function compareRecords(a: DataRecord, b: DataRecord): number {
  const pa = 'month' in a ? a.month : a.date;
  const pb = 'month' in b ? b.month : b.date;
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  const sa = 'subject' in a ? a.subject : '';
  const sb = 'subject' in b ? b.subject : '';
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

