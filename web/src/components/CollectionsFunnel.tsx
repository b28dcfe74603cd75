/**
 * The collections funnel on the management dashboard (issue 16): of today's overdue loans, how
 * many are assigned, contacted since overdue, promised and kept — each stage a bar as long as its
 * share of the overdue loans, with its count and overdue amount, linking to the worklist.
 */
import { collectionFunnel } from '../api-collections';
import { useApi } from './useApi';
import { yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';

export function CollectionsFunnel() {
  const { t } = useI18n();
  const funnel = useApi(() => collectionFunnel(), []);
  const top = funnel.data?.[0]?.loans ?? 0;
  return (
    <div className="panel" data-testid="collections-funnel">
      <div className="panel-head">
        <h3>{t('funnelTitle')}</h3>
        <span className="muted small">{t('funnelIntro')}</span>
      </div>
      {funnel.error && <p className="error" role="alert">{funnel.error}</p>}
      {!funnel.data && !funnel.error && <p className="muted">{t('loading')}</p>}
      <ol className="funnel">
        {(funnel.data ?? []).map((stage) => (
          <li key={stage.stage} data-testid={`funnel-${stage.stage}`}>
            <a href="/collections" className="funnel-label">{t(`fun_${stage.stage}` as MessageKey)}</a>
            <span className="funnel-track">
              <span className="funnel-bar" style={{ width: `${top === 0 || stage.loans === 0 ? 0 : Math.max(2, Math.round((stage.loans / top) * 100))}%` }} />
            </span>
            <span className="num funnel-figure">
              <strong data-testid={`funnel-loans-${stage.stage}`}>{stage.loans}</strong> {t('loansUnit')} · {yuan(stage.overdue)}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
