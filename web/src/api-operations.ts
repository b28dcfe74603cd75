/** Operations calls (/v1/eod/runner, /v1/notifications) and the printable documents' addresses, typed from the server's OpenAPI document. */
import { api, ok, type Answer } from './api';

export type EodRunner = Answer<'/v1/eod/runner', 'get'>;
export type NoticeRow = Answer<'/v1/notifications', 'get'>[number];
export type NoticeStatus = NoticeRow['status'];
export const NOTICE_STATUS_LIST: readonly NoticeStatus[] = ['pending', 'sent', 'failed'];

export const eodRunner = () => ok(api.GET('/v1/eod/runner'));
export const listNotices = (status: NoticeStatus | undefined) => ok(api.GET('/v1/notifications', { params: { query: { ...(status === undefined ? {} : { status }), limit: '100' } } }));
export const enterpriseNotices = (enterpriseId: string) => ok(api.GET('/v1/enterprises/{id}/notifications', { params: { path: { id: enterpriseId }, query: { limit: '50' } } }));

/** Same-origin links (the session cookie goes with them): the A4 print view, or `pdf`. */
export const loanNoteUrl = (loanId: string, format: 'html' | 'pdf' = 'html') => `/v1/loans/${encodeURIComponent(loanId)}/note${format === 'pdf' ? '?format=pdf' : ''}`;
export const receiptUrl = (loanId: string, entryId: string, format: 'html' | 'pdf' = 'html') => `/v1/loans/${encodeURIComponent(loanId)}/repayments/${encodeURIComponent(entryId)}/receipt${format === 'pdf' ? '?format=pdf' : ''}`;
export const contractPrintUrl = (applicationId: string, format: 'html' | 'pdf' = 'html') => `/v1/applications/${encodeURIComponent(applicationId)}/contract/print${format === 'pdf' ? '?format=pdf' : ''}`;
