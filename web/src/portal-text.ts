/** Texts built from codes the API sends (reason codes, sources, industries), with the code itself as the fallback. */
import { MESSAGES, type I18n, type MessageKey } from './i18n';

function lookup(i18n: I18n, key: string, fallback: string): string {
  return key in MESSAGES.zh ? i18n.t(key as MessageKey) : fallback;
}

/** A reason code in words ("CROSS_CHECK_FAILED" → "申报的收入、开票……不一致"); "CODE: detail" keeps its detail. */
export function reasonText(i18n: I18n, reason: string): string {
  const [code = reason, ...detail] = reason.split(': ');
  const text = lookup(i18n, `rc_${code}`, code);
  return detail.length === 0 ? text : `${text}（${detail.join(': ')}）`;
}
/** Why a renewal was refused (a `renewalRefusals` code), with the server's English message as the fallback. */
export const refusalText = (i18n: I18n, code: string, message: string) => lookup(i18n, `rf_${code}`, message);
export const sourceText = (i18n: I18n, source: string) => lookup(i18n, `src_${source}`, source);
export const sourceWhy = (i18n: I18n, source: string) => lookup(i18n, `why_${source}`, '');
export const industryText = (i18n: I18n, industry: string) => lookup(i18n, `ind_${industry}`, industry);
export const statusText = (i18n: I18n, status: string) => lookup(i18n, `st_${status}`, status);
export const kindText = (i18n: I18n, kind: string) => lookup(i18n, `kind_${kind}`, kind);
export const actionText = (i18n: I18n, action: string) => lookup(i18n, `act_${action}`, action);

export const INDUSTRIES = [
  'agriculture', 'industry', 'construction', 'wholesale', 'retail', 'transport', 'warehousing', 'post', 'accommodation', 'catering',
  'information-transmission', 'software-it-services', 'real-estate-development', 'property-management', 'leasing-business-services', 'other',
] as const;

/** Today plus `days`, as YYYY-MM-DD in the browser's calendar. */
export function daysFromToday(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
export const sizeText = (i18n: I18n, sizeClass: string) => lookup(i18n, `size_${sizeClass}`, sizeClass);

/** An instant from the API ("2026-11-23T06:35:00.000Z") in the browser's time zone: "2026-11-23 14:35". */
export function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
