/**
 * The enterprise timeline on the 360 page (issue 16): applications, data pulls, servicing,
 * collections contacts, promises and steps in one list, newest business date first
 * (GET /v1/enterprises/:id/timeline). Every code shows in words; a role the route refuses sees why.
 */
import { enterpriseTimeline, type TimelineEvent } from '../api-collections';
import { useApi } from './useApi';
import { yuan } from '../format';
import { useI18n, type I18n, type MessageKey } from '../i18n';

const word = (i18n: I18n, key: string) => {
  const text = i18n.t(key as MessageKey);
  return text === undefined ? key : text;
};

/** The event's codes in words: a contact's channel and outcome, a step's kind and status… */
function detailText(i18n: I18n, event: TimelineEvent): string {
  const d = event.detail;
  switch (event.kind) {
    case 'application':
      return [d.status && word(i18n, `st_${d.status}`)].filter(Boolean).join(' · ');
    case 'data-pull':
      return `${word(i18n, `purpose_${d.purpose}`)} · ${d.sources}`;
    case 'contact':
      return `${word(i18n, `cch_${d.channel}`)} · ${word(i18n, `cout_${d.outcome}`)}`;
    case 'promise':
      return `${i18n.t('promisedOn')} ${d.promisedOn}`;
    case 'promise-kept':
    case 'promise-broken':
      return `${i18n.t('promisedOn')} ${d.promisedOn} · ${i18n.t('repaidSoFar')} ${d.repaid === null ? '—' : yuan((Number(d.repaid) / 100).toFixed(2))}`;
    case 'collection-step':
      return `${word(i18n, `cstep_${d.step}`)} · ${word(i18n, `css_${d.status}`)} · ${i18n.t('stepDueOn')} ${d.dueOn}`;
    case 'warning-raised':
    case 'warning-acknowledged':
    case 'warning-resolved':
    case 'warning-dismissed':
      return `${word(i18n, `wl_${d.level}`)} · ${word(i18n, `wr_${d.rule}`)}`;
    case 'action-taken':
    case 'action-undone':
      return `${word(i18n, `wa_${d.action}`)} · ${word(i18n, `wr_${d.rule}`)}`;
    default:
      return '';
  }
}

export function EnterpriseTimeline({ enterpriseId }: { readonly enterpriseId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const events = useApi(() => enterpriseTimeline(enterpriseId), [enterpriseId]);
  const refused = events.error !== null;
  return (
    <div className="panel">
      <h3>{t('timelineTitle')}</h3>
      {refused && <p className="muted">{events.error}</p>}
      {!refused && !events.data && <p className="muted">{t('loading')}</p>}
      {events.data && events.data.length === 0 && <p className="muted">{t('empty')}</p>}
      <ol className="timeline" data-testid="enterprise-timeline">
        {(events.data ?? []).map((event) => (
          <li key={`${event.kind}-${event.id}`} data-testid="timeline-event" data-kind={event.kind}>
            <span className="mono small">{event.businessDate}</span> <strong>{word(i18n, `tl_${event.kind}`)}</strong>
            {event.amount !== null && <> {yuan(event.amount)}</>} <span className="muted small">{detailText(i18n, event)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
