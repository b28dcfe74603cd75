/**
 * The officer's book (issue 14): paged lists with totals, the checker's worklist, prospect files
 * and conversion, and the staff servicing actions. Every shape is the server's (`api-schema.d.ts`).
 */
import { api, ok, type Answer, type Body } from './api';
import type { paths } from './api-schema';

/** Drops empty filters, so `?status=` is never sent. */
const given = <T extends Record<string, string | undefined>>(query: T) => Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as T;

type Query<Path extends keyof paths> = NonNullable<paths[Path]['get'] extends { parameters: { query?: infer Q } } ? Q : never>;

export type LoanQuery = Query<'/v1/book/loans'>;
export type BookLoanPage = Answer<'/v1/book/loans', 'get'>;
export type BookLoan = BookLoanPage['items'][number];
export const loanBook = (query: LoanQuery) => ok(api.GET('/v1/book/loans', { params: { query: given(query) } }));
/** The loan book as CSV with the same filters and order (GET /v1/book/loans.csv), for a download link. */
export const loanBookCsvUrl = (query: LoanQuery) => {
  const { offset: _offset, limit: _limit, ...filters } = given(query);
  return `${'/v1/book/loans.csv' satisfies keyof paths}?${new URLSearchParams(filters as Record<string, string>).toString()}`;
};

export type FinancingQuery = Query<'/v1/book/financings'>;
export type BookFinancing = Answer<'/v1/book/financings', 'get'>['items'][number];
export const financingBook = (query: FinancingQuery) => ok(api.GET('/v1/book/financings', { params: { query: given(query) } }));

export type ApplicationQuery = Query<'/v1/book/applications'>;
export type BookApplicationPage = Answer<'/v1/book/applications', 'get'>;
export type BookApplication = BookApplicationPage['items'][number];
export const applicationBook = (query: ApplicationQuery) => ok(api.GET('/v1/book/applications', { params: { query: given(query) } }));

export type EnterpriseQuery = Query<'/v1/book/enterprises'>;
export type BookEnterprise = Answer<'/v1/book/enterprises', 'get'>['items'][number];
export const enterpriseBook = (query: EnterpriseQuery) => ok(api.GET('/v1/book/enterprises', { params: { query: given(query) } }));

export type ProspectQuery = Query<'/v1/book/prospects'>;
export type BookProspect = Answer<'/v1/book/prospects', 'get'>['items'][number];
export const prospectBook = (query: ProspectQuery) => ok(api.GET('/v1/book/prospects', { params: { query: given(query) } }));

export type Worklist = Answer<'/v1/book/approvals', 'get'>;
export type WorkItem = Worklist['items'][number];
export const worklist = () => ok(api.GET('/v1/book/approvals'));

export type ProspectUpload = Answer<'/v1/prospect-batches/file', 'post', 201>;
export type ProspectFileFormat = ProspectUpload['format'];
export const uploadProspects = (body: Body<'/v1/prospect-batches/file', 'post'>) => ok(api.POST('/v1/prospect-batches/file', { body }));
export const convertProspect = (id: string, body: Body<'/v1/prospects/{id}/conversion', 'post'>) => ok(api.POST('/v1/prospects/{id}/conversion', { params: { path: { id } }, body }));

export const restructureLoan = (id: string, body: Body<'/v1/loans/{id}/restructure', 'post'>, key: string) =>
  ok(api.POST('/v1/loans/{id}/restructure', { params: { path: { id }, header: { 'idempotency-key': key } }, body }));
export const requestWriteOff = (id: string, reason: string, key: string) => ok(api.POST('/v1/loans/{id}/write-off', { params: { path: { id }, header: { 'idempotency-key': key } }, body: { reason } }));
export const setLineStatus = (id: string, status: Body<'/v1/lines/{id}/status', 'post'>['status']) => ok(api.POST('/v1/lines/{id}/status', { params: { path: { id } }, body: { status } }));
export const creditLine = (id: string) => ok(api.GET('/v1/lines/{id}', { params: { path: { id } } }));

/** A file as base64, for the JSON upload. */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

/** "1234.56" → 123456n fen; the confirmation step's arithmetic stays exact. */
export function toFen(amount: string): bigint {
  const match = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(amount.trim());
  if (!match) return -1n;
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** 123456n → "1234.56". */
export function fenText(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
