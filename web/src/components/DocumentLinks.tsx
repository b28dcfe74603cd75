/**
 * Links to a printable document (the A4 print view in a new tab, and its PDF), and an enterprise's
 * notices as its portal shows them: the newest first, in the reader's language.
 */
import { enterpriseNotices } from '../api-operations';
import { useI18n, type MessageKey } from '../i18n';
import { NOTICE_KIND_KEY } from '../i18n-operations';
import { useApi } from './useApi';

export function DocumentLinks({ label, html, pdf, testId }: { readonly label: MessageKey; readonly html: string; readonly pdf: string; readonly testId: string }) {
  const { t } = useI18n();
  return (
    <span className="doc-links" data-testid={testId}>
      <a href={html} target="_blank" rel="noopener" data-testid={`${testId}-html`}>{t(label)}</a>
      <a href={pdf} download data-testid={`${testId}-pdf`}>{t('pdf')}</a>
    </span>
  );
}

export function NoticeList({ enterpriseId }: { readonly enterpriseId: string }) {
  const { t, language } = useI18n();
  const notices = useApi(() => enterpriseNotices(enterpriseId), [enterpriseId]);
  return (
    <div className="panel" data-testid="my-notices">
      <h3>{t('myNotices')}</h3>
      {notices.error && <p className="error" role="alert">{notices.error}</p>}
      {notices.data !== undefined && notices.data.length === 0 && <p className="muted">{t('noNotices')}</p>}
      {notices.data !== undefined && notices.data.length > 0 && (
        <ul className="plain notices">
          {notices.data.slice(0, 10).map((notice) => (
            <li key={notice.id} data-testid="my-notice">
              <span className="muted small">{notice.businessDate} · {t(NOTICE_KIND_KEY[notice.kind])}</span>
              <strong>{notice.texts[language].title}</strong>
              <span className="small">{notice.texts[language].body}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
