/**
 * A reserved place in the app: the borrower's application flow and the officers' review queue
 * are built on the decision engine, which is not there yet.
 */
import { useI18n, type MessageKey } from '../i18n';

export function ComingSoonPage({ title, text }: { readonly title: MessageKey; readonly text: MessageKey }) {
  const { t } = useI18n();
  return (
    <section>
      <div className="page-title">
        <h2>{t(title)}</h2>
      </div>
      <div className="panel">
        <p>
          <span className="badge special-mention">{t('comingSoon')}</span>
        </p>
        <p>{t(text)}</p>
      </div>
    </section>
  );
}
