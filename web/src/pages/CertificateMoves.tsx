/**
 * What a supplier does with a held certificate besides financing it (issue 18): SPLIT it into parts
 * whose amounts add up exactly to its face (the amount not yet allotted shown as it is typed), and
 * TRANSFER it whole to another supplier of the programme, found by name or credit code
 * (GET …/transferees). Each shows what will happen before it is confirmed, and each confirmation
 * carries one Idempotency-Key, so a double tap moves the certificate once.
 */
import { useState } from 'react';
import { fenText, toFen } from '../api-book';
import { idempotencyKey } from '../api-portal';
import { splitCertificate, transferCertificate, transferees, type HolderCertificate, type Transferee } from '../api-supply-chain';
import { Fact } from '../components/Kpi';
import { useAction } from '../components/useAction';
import { useApi } from '../components/useApi';
import { yuan } from '../format';
import { useI18n } from '../i18n';

/** Split: the parts typed, the remainder live; confirmed only when they sum exactly to the face. */
export function SplitCertificate({ certificate, onDone }: { readonly certificate: HolderCertificate; readonly onDone: () => void }) {
  const { t } = useI18n();
  const [parts, setParts] = useState<string[]>(['', '']);
  const [checking, setChecking] = useState(false);
  const [key, setKey] = useState(idempotencyKey);
  const [done, setDone] = useState<number | null>(null);
  const { busy, error, run } = useAction();
  const face = toFen(certificate.faceAmount);
  const fens = parts.map(toFen);
  const allotted = fens.reduce((sum, fen) => sum + (fen > 0n ? fen : 0n), 0n);
  const remainder = face - allotted;
  const valid = fens.every((fen) => fen > 0n) && remainder === 0n;
  const edit = (next: string[]) => {
    setChecking(false);
    setKey(idempotencyKey());
    setParts(next);
  };
  const split = () =>
    run(async () => {
      const made = await splitCertificate(certificate.id, fens.map(fenText), key);
      setDone(made.items.length);
      onDone();
    });
  if (done !== null)
    return (
      <p className="ok" data-testid="supplier-split-done">
        {t('scfSplitDone').replace('{n}', String(done))}
      </p>
    );
  return (
    <div className="confirm-box" data-testid="supplier-split-box">
      <h4>{t('scfSplitTitle')}</h4>
      <p className="muted small">{t('scfSplitHint')}</p>
      <dl className="facts">
        <Fact label={t('scfFace')} value={yuan(certificate.faceAmount)} testId="split-face" />
      </dl>
      <p className={remainder === 0n ? 'ok' : remainder < 0n ? 'error' : 'muted'} data-testid="split-remainder-line">
        {t(remainder < 0n ? 'scfOverAllotted' : 'scfRemainder')} <strong className="num" data-testid="split-remainder">{yuan(fenText(remainder < 0n ? -remainder : remainder))}</strong>
      </p>
      <div className="form-grid">
        {parts.map((part, index) => (
          <label key={index}>
            {t('scfPart').replace('{n}', String(index + 1))}
            <input name={`part-${index}`} inputMode="decimal" value={part} aria-invalid={part !== '' && fens[index]! <= 0n} onChange={(event) => edit(parts.map((p, i) => (i === index ? event.target.value : p)))} data-testid="split-part" />
            {parts.length > 2 && (
              <button type="button" className="link-button" onClick={() => edit(parts.filter((_, i) => i !== index))}>
                {t('scfRemovePart')}
              </button>
            )}
          </label>
        ))}
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={remainder <= 0n} onClick={() => edit([...parts.filter((p) => p !== ''), fenText(remainder)])} data-testid="split-rest">
          {t('scfRemainderAsPart')}
        </button>
        <button type="button" className="secondary" onClick={() => edit([...parts, ''])}>
          {t('scfAddPart')}
        </button>
        <button type="button" className="primary" disabled={!valid} onClick={() => setChecking(true)} data-testid="split-review">
          {t('scfSplitReview')}
        </button>
      </div>
      {checking && valid && (
        <div data-testid="split-confirm-box">
          <p>{t('scfSplitConfirmText')}</p>
          <ol data-testid="split-parts">
            {fens.map((fen, index) => (
              <li key={index} data-field="part">
                {yuan(fenText(fen))}
              </li>
            ))}
          </ol>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={split} data-testid="split-confirm">
              {t('scfSplitConfirm')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setChecking(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Transfer: the receiver picked among the programme's other suppliers, named in the confirmation. */
export function TransferCertificate({ certificate, onDone }: { readonly certificate: HolderCertificate; readonly onDone: () => void }) {
  const { t } = useI18n();
  const list = useApi(() => transferees(certificate.id), [certificate.id]);
  const [query, setQuery] = useState('');
  const [to, setTo] = useState<Transferee | null>(null);
  const [key, setKey] = useState(idempotencyKey);
  const [done, setDone] = useState<Transferee | null>(null);
  const { busy, error, run } = useAction();
  const transfer = (receiver: Transferee) =>
    run(async () => {
      await transferCertificate(certificate.id, receiver.enterpriseId, key);
      setDone(receiver);
      onDone();
    });
  if (done)
    return (
      <p className="ok" data-testid="supplier-transfer-done">
        {t('scfTransferDone')} {done.name} {yuan(certificate.faceAmount)}
      </p>
    );
  if (list.error) return <p className="error" role="alert">{list.error}</p>;
  if (!list.data) return <p className="muted">{t('loading')}</p>;
  const needle = query.trim().toLowerCase();
  const found = list.data.items.filter((s) => needle === '' || s.name.toLowerCase().includes(needle) || (s.creditCode ?? '').toLowerCase().startsWith(needle));
  return (
    <div className="confirm-box" data-testid="supplier-transfer-box">
      <h4>{t('scfTransferTitle')}</h4>
      <p className="muted small">{t('scfTransferHint')}</p>
      {list.data.items.length === 0 ? (
        <p className="muted">{t('scfTransferNone')}</p>
      ) : (
        <>
          <label className="block">
            {t('scfTransferSearch')}
            <input name="transferee-search" value={query} onChange={(event) => setQuery(event.target.value)} data-testid="transfer-search" />
          </label>
          <div data-testid="transfer-candidates">
            {found.length === 0 && <p className="muted">{t('scfNoMatch')}</p>}
            {found.map((s) => (
              <p key={s.enterpriseId} data-credit-code={s.creditCode ?? ''}>
                <label>
                  <input
                    type="radio"
                    name="transferee"
                    checked={to?.enterpriseId === s.enterpriseId}
                    onChange={() => {
                      setTo(s);
                      setKey(idempotencyKey());
                    }}
                    data-testid="transfer-pick"
                  />{' '}
                  {s.name} <span className="mono small muted">{s.creditCode ?? '—'}</span>
                </label>
              </p>
            ))}
          </div>
        </>
      )}
      {to && (
        <div data-testid="transfer-confirm-box">
          <p>{t('scfTransferConfirmText')}</p>
          <dl className="facts">
            <Fact label={t('scfFace')} value={yuan(certificate.faceAmount)} testId="transfer-face" />
            <Fact label={t('scfInvoice')} value={certificate.invoiceNo} />
            <Fact label={t('scfDueOn')} value={certificate.dueOn} />
            <Fact label={t('scfTransferTo')} value={to.name} testId="transfer-to" />
            <Fact label={t('scfCreditCode')} value={to.creditCode ?? '—'} testId="transfer-code" />
          </dl>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => transfer(to)} data-testid="transfer-confirm">
              {t('scfTransferConfirm')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
