/**
 * The one way the web app words a failure, in the page's language, from the error's code, field,
 * reason and params — never the server's `message`, which is English for developers. Used by
 * `useAction`, `useApi` and every page that shows an error.
 *
 * @example
 * // { code: 'VALIDATION', field: 'creditCode', reason: 'credit-code-check', params: { position: 18, character: '0', expected: 'Y' } }
 * errorMessage(i18n, caught); // "统一社会信用代码第 18 位「0」有误：校验位应为「Y」，请核对后重新输入"
 */
import { ApiError } from './api';
import { MESSAGES, type I18n, type MessageKey } from './i18n';

/** `{name}` in `template` replaced by `params.name`; an unknown name stays as written. */
export function fill(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const known = (key: string): key is MessageKey => key in MESSAGES.zh;

/**
 * The label of the field an error names, or null when the app has none: `creditCode`,
 * `body.creditCode`, `owners[0].name` and `installments.0.amount` are all looked up by their last name.
 */
export function fieldLabel(i18n: I18n, field: string | undefined): string | null {
  if (field === undefined) return null;
  const last = field.replace(/\[\d+\]/g, '').split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? field;
  for (const key of [`fld_${field}`, `fld_${last}`]) if (known(key)) return i18n.t(key);
  return null;
}

/** A failure in words: the field's label with the reason's sentence, else the code's text (with the label). */
export function errorMessage(i18n: I18n, caught: unknown): string {
  if (!(caught instanceof ApiError)) return i18n.t('error');
  const label = fieldLabel(i18n, caught.field);
  const reasonKey = caught.reason === undefined ? '' : `er_${caught.reason}`;
  if (known(reasonKey)) {
    const sentence = fill(i18n.t(reasonKey), caught.params);
    if (label === null) return sentence;
    return i18n.language === 'zh' ? `${label}${sentence}` : `${label} ${sentence}`;
  }
  const codeKey = `err_${caught.code}`;
  const general = known(codeKey) ? i18n.t(codeKey) : i18n.t('error');
  return label === null ? general : `${general}${i18n.language === 'zh' ? '：' : ': '}${label}`;
}
