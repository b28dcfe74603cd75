/**
 * The borrower portal's errors in the reader's language: the server's closed error code and the
 * field at fault become a sentence naming the field by its label ("统一社会信用代码不正确…"),
 * never the server's English message. Specific (code, field) pairs get their own sentence; any
 * other field gets the generic one with its label; no field, the code's text (`code-texts.ts`).
 */
import { useCallback } from 'react';
import { ApiError } from './api';
import { useAction } from './components/useAction';
import type { I18n, MessageKey } from './i18n';
import { errorMessage } from './error-message';
import { errorText } from './portal-text';

/** Field names the server sends (TypeBox paths like `/owners/0/idNumber` or `owners.0.idNumber` too), by their label. */
const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  name: 'enterpriseName',
  creditCode: 'creditCode',
  regionCode: 'regionCode',
  registeredOn: 'registeredOn',
  employees: 'employees',
  revenue: 'revenue',
  assets: 'assets',
  owners: 'owners',
  idNumber: 'idNumber',
  phone: 'phone',
  share: 'ownerShare',
  username: 'username',
  password: 'password',
  displayName: 'displayName',
  amount: 'drawAmount',
  termDays: 'term',
  installments: 'term',
  expiresOn: 'authoriseUntil',
  note: 'renewalNote',
};

/** Where an error was met, for the pairs whose meaning depends on it (an amount over what?). */
export type ErrorPlace = 'repay' | 'draw' | 'other';

/** The last named segment of a field path: "/owners/0/idNumber" → "idNumber", "body" → "body". */
function fieldName(field: string): string {
  const parts = field.split(/[./[\]]+/).filter((part) => part !== '' && !/^[0-9]+$/.test(part));
  return parts.at(-1) ?? field;
}

/**
 * The sentence for an API error.
 *
 * @example
 * portalErrorText(i18n, new ApiError(400, 'VALIDATION', 'creditCode: character 18 …', 'creditCode')); // "统一社会信用代码不正确：…"
 */
export function portalErrorText(i18n: I18n, error: unknown, place: ErrorPlace = 'other'): string {
  const { t } = i18n;
  if (!(error instanceof ApiError)) return t('error');
  // A refusal that says why (a reason with its values: the position of a wrong character, a limit)
  // is worded by the one renderer; the portal's own sentences are for refusals that do not.
  if (error.reason !== undefined) return errorMessage(i18n, error);
  const field = error.field === undefined ? undefined : fieldName(error.field);
  const pair = `${error.code} ${field ?? ''}`;
  switch (pair) {
    case 'VALIDATION creditCode':
      return t('err_creditCode');
    case 'LIMIT_EXCEEDED amount':
      return place === 'repay' ? t('err_amount_over_payoff') : t('err_amount_over_available');
    case 'VALIDATION termDays':
    case 'VALIDATION installments':
      return t('err_term');
    case 'CONFLICT contractVersion':
      return t('err_contract_changed');
    case 'CONFLICT loanId':
      return place === 'repay' ? t('err_loan_closed') : errorText(i18n, error.code);
    case 'NOT_AUTHORISED sources':
      return t('err_sources');
    case 'CONFLICT authorisationId':
      return t('err_withdrawn_twice');
  }
  const label = field === undefined ? undefined : FIELD_LABELS[field];
  if (label !== undefined && error.code === 'VALIDATION') return t('err_field_invalid').replace('{field}', t(label));
  return label === undefined ? errorText(i18n, error.code) : `${errorText(i18n, error.code)}（${t(label)}）`;
}

/** `components/useAction` with the portal's error sentences for the action's `place`. */
export function usePortalAction(place: ErrorPlace = 'other'): ReturnType<typeof useAction> {
  const wording = useCallback((i18n: I18n, caught: unknown) => portalErrorText(i18n, caught, place), [place]);
  return useAction(wording);
}
