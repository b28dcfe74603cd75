/**
 * Texts for the codes the API sends (reason codes, statuses, rules, features, sources…). Each
 * code's type is the server's closed union, from the generated `api-schema.d.ts`, and
 * test/web/code-texts.test.ts checks every member has a text in both languages; the code itself is
 * only the last-resort fallback, for a server newer than this page.
 */
import type { ErrorCode, Role } from './api';
import type {
  ApplicationStatus,
  ApprovalKind,
  DataSource,
  DecisionRecord,
  DecisionReasonCode,
  FeatureName,
  Industry,
  LoanStatus,
  Outcome,
  Prospect,
  ProspectSource,
  RenewalRefusalCode,
  RenewalRequestStatus,
  RuleTrace,
  SizeClass,
} from './api-portal';
import type { CreditLine, Classification } from './api';
import { CODE_TEXT_PREFIX } from './code-texts';
import { MESSAGES, type I18n, type MessageKey } from './i18n';

type Family = keyof typeof CODE_TEXT_PREFIX;

function lookup(i18n: I18n, family: Family, code: string, fallback: string = code): string {
  const key = `${CODE_TEXT_PREFIX[family]}${code}`;
  return key in MESSAGES.zh ? i18n.t(key as MessageKey) : fallback;
}

/** A decision's or a pre-screen's reason in words ("CROSS_CHECK_FAILED" → "申报的收入、开票……不一致"). */
export const reasonText = (i18n: I18n, code: DecisionReasonCode | Prospect['reasons'][number]) => lookup(i18n, 'decisionReason', code);
/** Why a renewal was refused, with the server's English message as the fallback. */
export const refusalText = (i18n: I18n, code: RenewalRefusalCode, message: string) => lookup(i18n, 'renewalRefusal', code, message);
export const sourceText = (i18n: I18n, source: DataSource) => lookup(i18n, 'dataSource', source);
export const sourceWhy = (i18n: I18n, source: DataSource) => (`why_${source}` in MESSAGES.zh ? i18n.t(`why_${source}` as MessageKey) : '');
export const industryText = (i18n: I18n, industry: Industry | null) => (industry === null ? '—' : lookup(i18n, 'industry', industry));
/** An application's, a prospect's, a renewal request's or an approval's status; an outcome. */
export const statusText = (i18n: I18n, status: ApplicationStatus | Outcome | Prospect['status'] | RenewalRequestStatus | 'renewed' | 'refused') => lookup(i18n, 'applicationStatus', status);
export const prospectSourceText = (i18n: I18n, source: ProspectSource) => lookup(i18n, 'prospectSource', source);
export const loanStatusText = (i18n: I18n, status: LoanStatus) => lookup(i18n, 'loanStatus', status);
export const lineStatusText = (i18n: I18n, status: CreditLine['status']) => lookup(i18n, 'lineStatus', status);
export const classificationText = (i18n: I18n, category: Classification) => lookup(i18n, 'classification', category);
export const kindText = (i18n: I18n, kind: ApprovalKind) => lookup(i18n, 'approvalKind', kind);
export const ruleText = (i18n: I18n, rule: RuleTrace['ruleId']) => lookup(i18n, 'policyRule', rule);
export const featureText = (i18n: I18n, feature: FeatureName) => lookup(i18n, 'feature', feature);
export const boundText = (i18n: I18n, bound: DecisionRecord['decision']['limit']['boundBy']) => lookup(i18n, 'limitBound', bound);
export const roleText = (i18n: I18n, role: Role) => lookup(i18n, 'role', role);
export const errorText = (i18n: I18n, code: ErrorCode) => lookup(i18n, 'error', code);
/** Audit actions are not yet a closed list on the server; an unknown one shows as itself. */
export const actionText = (i18n: I18n, action: string) => (`act_${action}` in MESSAGES.zh ? i18n.t(`act_${action}` as MessageKey) : action);

/** The industries an enterprise may register under, in the standard's order. */
export const INDUSTRIES = [
  'agriculture', 'industry', 'construction', 'wholesale', 'retail', 'transport', 'warehousing', 'post', 'accommodation', 'catering',
  'information-transmission', 'software-it-services', 'real-estate-development', 'property-management', 'leasing-business-services', 'other',
] as const satisfies readonly Industry[];

/** Today plus `days`, as YYYY-MM-DD in the browser's calendar. */
export function daysFromToday(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
export const sizeText = (i18n: I18n, sizeClass: SizeClass) => lookup(i18n, 'sizeClass', sizeClass);

/** An instant from the API ("2026-11-23T06:35:00.000Z") in the browser's time zone: "2026-11-23 14:35". */
export function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A registered region by name (GB/T 2260, province to county), the code after it; the code alone when the table has no name. */
export function regionText(i18n: I18n, firm: { readonly regionCode: string | null; readonly regionName?: { readonly zh: string; readonly en: string } | null }): string {
  if (firm.regionCode === null) return '—';
  const name = firm.regionName?.[i18n.language];
  return name === undefined || name === firm.regionCode ? firm.regionCode : `${name}（${firm.regionCode}）`;
}

/** A GB/T 4754-2017 industry by its section's and division's names, the code after them. */
export function industryCodeText(
  i18n: I18n,
  firm: { readonly industryCode?: string | null; readonly industryName?: { readonly section: string; readonly sectionZh: string; readonly division: string; readonly divisionZh: string } | null },
): string {
  if (firm.industryCode == null) return '—';
  const names = firm.industryName;
  if (names == null) return firm.industryCode;
  return i18n.language === 'zh' ? `${names.sectionZh} · ${names.divisionZh}（${firm.industryCode}）` : `${names.section} · ${names.division} (${firm.industryCode})`;
}
