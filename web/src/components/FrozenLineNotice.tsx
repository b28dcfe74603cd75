/** The borrower's notice on a line frozen after an early warning: why, since when, and what to do (GET /v1/lines/:id/freeze). */
import { lineFreeze } from '../api-monitoring';
import { fill } from '../error-message';
import { useI18n, type MessageKey } from '../i18n';
import { useApi } from './useApi';

export function FrozenLineNotice({ lineId }: { readonly lineId: string }) {
  const { t } = useI18n();
  const freeze = useApi(() => lineFreeze(lineId), [lineId]);
  if (freeze.error) return <p className="error" role="alert">{freeze.error}</p>;
  if (!freeze.data || !freeze.data.frozen) return null;
  const { rule, level, since } = freeze.data;
  return (
    <div className="notice warning" role="status" data-testid="frozen-line-notice">
      <strong>{t('frozenTitle')}</strong>
      {rule !== null && level !== null && since !== null && <p>{fill(t('frozenBody'), { rule: t(`wr_${rule}` as MessageKey), level: t(`wl_${level}` as MessageKey), since })}</p>}
      <p>{t('frozenWhatToDo')}</p>
    </div>
  );
}
