/**
 * The operators' page (运行管理): the scheduled end of day's last run — the dates it closed, when,
 * how long it took, and why it failed if it did (GET /v1/eod/runner) — and the notification outbox
 * with each notice's delivery status (GET /v1/notifications).
 */
import { useState } from 'react';
import { eodRunner, listNotices, NOTICE_STATUS_LIST, type NoticeStatus } from '../api-operations';
import { useApi } from '../components/useApi';
import { fill } from '../error-message';
import { bracketText, listText, useI18n } from '../i18n';
import { NOTICE_KIND_KEY, NOTICE_STATUS_KEY } from '../i18n-operations';

const OUTCOME_KEY = { running: 'eodOutcomeRunning', done: 'eodOutcomeDone', failed: 'eodOutcomeFailed' } as const;
const CHANNEL_KEY = { sms: 'channelSms', email: 'channelEmail', webhook: 'channelWebhook' } as const;
const OUTCOME_BADGE = { running: 'special-mention', done: 'normal', failed: 'doubtful' } as const;

/** A timestamp in the reader's locale and time zone. */
function when(iso: string | null, language: 'zh' | 'en'): string {
  return iso === null ? '—' : new Date(iso).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

export function OperationsPage() {
  const { t, language } = useI18n();
  const runner = useApi(() => eodRunner(), []);
  const [status, setStatus] = useState<NoticeStatus | undefined>(undefined);
  const notices = useApi(() => listNotices(status), [status]);
  const run = runner.data;
  const seconds = run?.lastStartedAt && run.lastFinishedAt ? Math.max(0, (Date.parse(run.lastFinishedAt) - Date.parse(run.lastStartedAt)) / 1000) : null;

  return (
    <section data-testid="operations-page">
      <h1>{t('operations')}</h1>
      <div className="panel" data-testid="eod-runner">
        <h2>{t('eodRunner')}</h2>
        {runner.error && <p className="error" role="alert">{runner.error}</p>}
        {run === undefined && !runner.error && <p className="muted">{t('loading')}</p>}
        {run !== undefined && (
          <dl className="run-facts">
            <dt>{t('eodBusinessDate')}</dt>
            <dd data-testid="eod-business-date">{run.businessDate}</dd>
            <dt>{t('eodLastOutcome')}</dt>
            <dd data-testid="eod-outcome">{run.lastOutcome === null ? <span className="muted">{t('eodOutcomeNone')}</span> : <span className={`badge ${OUTCOME_BADGE[run.lastOutcome]}`}>{t(OUTCOME_KEY[run.lastOutcome])}</span>}</dd>
            <dt>{t('eodDatesClosed')}</dt>
            <dd data-testid="eod-dates">{run.lastFrom === null ? '—' : `${run.lastFrom} — ${run.lastUntil ?? ''}${bracketText({ language }, fill(t('eodDatesCount'), { n: run.lastDatesClosed }))}`}</dd>
            <dt>{t('eodStartedAt')}</dt>
            <dd>{when(run.lastStartedAt, language)}</dd>
            <dt>{t('eodFinishedAt')}</dt>
            <dd>{when(run.lastFinishedAt, language)}</dd>
            <dt>{t('eodDuration')}</dt>
            <dd data-testid="eod-duration">{seconds === null ? '—' : fill(t('eodSeconds'), { n: seconds.toFixed(1) })}</dd>
            <dt>{t('eodHolder')}</dt>
            <dd>{run.holder ?? t('eodNobody')}</dd>
            {/* A success says nothing the dates do not; a failure's reason is the server's own words, for the operator to act on. */}
            {run.lastOutcome === 'failed' && (
              <>
                <dt>{t('eodFailureReason')}</dt>
                <dd className="error" data-testid="eod-message">{run.lastMessage}</dd>
              </>
            )}
          </dl>
        )}
        <p className="muted">{t('eodScheduleHint')}</p>
      </div>

      <div className="panel" data-testid="notices">
        <h2>{t('notices')}</h2>
        <div className="filters">
          <label>
            {t('noticeStatus')}
            <select value={status ?? ''} onChange={(event) => setStatus(event.target.value === '' ? undefined : (event.target.value as NoticeStatus))} data-testid="notice-status-filter">
              <option value="">{t('noticeAll')}</option>
              {NOTICE_STATUS_LIST.map((value) => (
                <option key={value} value={value}>{t(NOTICE_STATUS_KEY[value])}</option>
              ))}
            </select>
          </label>
        </div>
        {notices.error && <p className="error" role="alert">{notices.error}</p>}
        {notices.data !== undefined && notices.data.length === 0 && <p className="muted">{t('noNotices')}</p>}
        {notices.data !== undefined && notices.data.length > 0 && (
          <div className="table-scroll">
            <table className="cards">
              <thead>
                <tr>
                  <th>{t('date')}</th>
                  <th>{t('noticeKind')}</th>
                  <th>{t('noticeTitle')}</th>
                  <th>{t('noticeStatus')}</th>
                  <th>{t('noticeAttempts')}</th>
                  <th>{t('noticeChannels')}</th>
                  <th>{t('noticeError')}</th>
                </tr>
              </thead>
              <tbody>
                {notices.data.map((notice) => (
                  <tr key={notice.id} data-testid="notice-row">
                    <td data-label={t('date')}>{notice.businessDate}</td>
                    <td data-label={t('noticeKind')}>{t(NOTICE_KIND_KEY[notice.kind])}</td>
                    <td data-label={t('noticeTitle')}>{notice.texts[language].title}</td>
                    <td data-label={t('noticeStatus')}><span className={`badge ${notice.status === 'sent' ? 'normal' : notice.status === 'failed' ? 'doubtful' : 'special-mention'}`}>{t(NOTICE_STATUS_KEY[notice.status])}</span></td>
                    <td data-label={t('noticeAttempts')}>{notice.attempts}</td>
                    <td data-label={t('noticeChannels')}>{listText({ language }, notice.delivered.map((channel) => (channel in CHANNEL_KEY ? t(CHANNEL_KEY[channel as keyof typeof CHANNEL_KEY]) : channel))) || '—'}</td>
                    <td data-label={t('noticeError')}>{notice.lastError || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
