/**
 * The two things a prepayment can do to the rest of a loan, side by side as the server computed
 * them (GET /v1/loans/{id}/repayment-preview → `prepayment`): shorten the term, or keep it and
 * lower the installments (not offered for flat interest or an interest grace period). The borrower (or the officer at the counter) picks one before confirming.
 */
import type { PrepaymentEffect, RepaymentPreview } from '../api-portal';
import { yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';

type Choice = NonNullable<RepaymentPreview['prepayment']>;

export function PrepaymentChoice({ choice, value, onChange }: { choice: Choice; value: PrepaymentEffect; onChange: (effect: PrepaymentEffect) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="choice-cards" data-testid="prepayment-choice">
      <legend>{t('prepayChoiceTitle')}</legend>
      {[choice.shortenTerm, ...(choice.lowerInstallments === null ? [] : [choice.lowerInstallments])].map((option) => (
        <label key={option.effect} className={`choice-card${value === option.effect ? ' chosen' : ''}`} data-testid={`prepay-${option.effect}`}>
          <input type="radio" name="prepaymentEffect" value={option.effect} checked={value === option.effect} onChange={() => onChange(option.effect)} />
          <strong>{t(`pe_${option.effect}` as MessageKey)}</strong>
          <dl className="facts">
            <div className="fact"><dt>{t('prepayInstallment')}</dt><dd className="num" data-testid="prepay-installment">{yuan(option.installment)}</dd></div>
            <div className="fact"><dt>{t('prepayInstallmentsLeft')}</dt><dd className="num">{option.installmentsLeft}</dd></div>
            <div className="fact"><dt>{t('prepayLastDue')}</dt><dd data-testid="prepay-last-due">{option.lastDueOn ?? '—'}</dd></div>
            <div className="fact"><dt>{t('prepayInterestSaved')}</dt><dd className="num" data-testid="prepay-saved">{yuan(option.interestSaved)}</dd></div>
          </dl>
        </label>
      ))}
    </fieldset>
  );
}
