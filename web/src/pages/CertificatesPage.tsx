/**
 * The supplier's payment certificates in the borrower portal (应收账款融资): what its customers,
 * the core enterprises, have confirmed they owe it; the cost of financing each now, asked first
 * (GET …/financing-quote: the rate, the days, the advance, the interest, what is paid today and
 * what at maturity) and shown before the supplier confirms; the financing; and the certificates the
 * core enterprise has paid, with what went to the bank and what to the supplier.
 */
import { useState } from 'react';
import { idempotencyKey } from '../api-portal';
import { certificates, financeCertificate, financingQuote, type FinancingQuote, type HolderCertificate } from '../api-supply-chain';
import { DataTable, type Column } from '../components/DataTable';
import { useAction } from '../components/useAction';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { useI18n } from '../i18n';
import { Fact } from '../components/Kpi';
import { scfText } from './supply-chain-parts';
import { SplitCertificate, TransferCertificate } from './CertificateMoves';

/** What the supplier is doing with one held certificate. */
type Move = 'finance' | 'split' | 'transfer';

const MOVE_WORDS = { finance: 'scfFinanceIt', split: 'scfSplitIt', transfer: 'scfTransferIt' } as const;
const MOVE_TEST_IDS = { finance: 'supplier-quote', split: 'supplier-split', transfer: 'supplier-transfer' } as const;

export function CertificatesPage({ enterpriseId }: { readonly enterpriseId: string | undefined }) {
  const { t } = useI18n();
  if (enterpriseId === undefined) return <p className="muted">{t('noEnterprise')}</p>;
  return <Certificates holderId={enterpriseId} />;
}

function Certificates({ holderId }: { readonly holderId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const held = useApi(() => certificates(holderId, 'outstanding'), [holderId]);
  const paid = useApi(() => certificates(holderId, 'paid'), [holderId]);
  const [open, setOpen] = useState<{ readonly certificate: HolderCertificate; readonly move: Move } | null>(null);
  if (held.error || paid.error) return <p className="error" role="alert">{held.error ?? paid.error}</p>;
  if (!held.data || !paid.data) return <p className="muted">{t('loading')}</p>;
  /** The certificate as it was when opened: after a split or a transfer it leaves the list, and what was done stays shown. */
  const current = open?.certificate ?? null;
  const toggle = (certificate: HolderCertificate, move: Move) => setOpen(open?.certificate.id === certificate.id && open.move === move ? null : { certificate, move });
  const reload = () => held.reload();
  /** What both tables show of a certificate: whose it is, the invoice, the face, the due date. */
  const paper: Column<HolderCertificate>[] = [
    { header: t('scfCoreEnterprise'), cell: (c) => c.coreEnterpriseName },
    { header: t('scfInvoice'), cellClassName: 'mono small', cell: (c) => c.invoiceNo },
    { header: t('scfFace'), className: 'num', cell: (c) => yuan(c.faceAmount) },
    { header: t('scfDueOn'), cell: (c) => c.dueOn },
  ];
  return (
    <>
      <div className="page-title">
        <h2>{t('scfMyCertificates')}</h2>
      </div>
      <p className="muted small">{t('scfCertificatesHint')}</p>
      <div className="panel">
        <h3>{t('scfHeld')}</h3>
        <DataTable
          testId="supplier-certificates"
          cards
          rows={held.data.items}
          rowKey={(c) => c.id}
          rowData={(c) => ({ 'data-invoice': c.invoiceNo, 'data-status': c.status, 'data-certificate': c.id })}
          empty={t('scfNoCertificates')}
          columns={[
            ...paper,
            { header: t('scfTier'), className: 'num', cell: (c) => `${t('scfTierPrefix')}${c.tier}${t('scfTierSuffix')}` },
            { header: t('status'), cell: (c) => scfText(i18n, 'certificate', c.status) },
            { header: t('scfReceivedToday'), className: 'num', cell: (c) => (c.financing ? yuan(c.financing.disbursed) : '—') },
            {
              header: '',
              cell: (c) =>
                c.status === 'held' ? (
                  <div className="actions">
                    {(['finance', 'split', 'transfer'] as const).map((move) => (
                      <button key={move} type="button" className="secondary" onClick={() => toggle(c, move)} data-testid={MOVE_TEST_IDS[move]}>
                        {open?.certificate.id === c.id && open.move === move ? t('close') : t(MOVE_WORDS[move])}
                      </button>
                    ))}
                  </div>
                ) : null,
            },
          ]}
        />
        {current && open?.move === 'finance' && <Financing key={current.id} certificate={current} onDone={reload} />}
        {current && open?.move === 'split' && <SplitCertificate key={current.id} certificate={current} onDone={reload} />}
        {current && open?.move === 'transfer' && <TransferCertificate key={current.id} certificate={current} onDone={reload} />}
      </div>
      <div className="panel">
        <h3>{t('scfPaidByCore')}</h3>
        <DataTable
          testId="supplier-paid"
          cards
          rows={paid.data.items}
          rowKey={(c) => c.id}
          rowData={(c) => ({ 'data-invoice': c.invoiceNo })}
          empty={t('empty')}
          columns={[
            ...paper,
            { header: t('scfRepaidToBank'), className: 'num', cell: (c) => (c.financing ? yuan(c.financing.principal) : '—') },
            { header: t('scfPaidToYou'), className: 'num', cell: (c) => <span data-field="to-holder">{yuan(c.financing?.surplusPaid ?? c.faceAmount)}</span> },
          ]}
        />
      </div>
    </>
  );
}

/** The quote, shown whole; financing only after the supplier has seen it, with one key per confirmation. */
function Financing({ certificate, onDone }: { readonly certificate: HolderCertificate; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const quote = useApi(() => financingQuote(certificate.id), [certificate.id]);
  const [key] = useState(idempotencyKey);
  const [done, setDone] = useState<FinancingQuote | null>(null);
  const { busy, error, run } = useAction();
  const finance = () =>
    run(async () => {
      const made = await financeCertificate(certificate.id, key);
      setDone(made.quote);
      onDone();
    });
  if (done)
    return (
      <p className="ok" data-testid="supplier-financed">
        {t('scfFinancedDone')} {yuan(done.disbursed)}
      </p>
    );
  if (quote.error)
    return (
      <p className="error" role="alert" data-testid="supplier-quote-refused">
        {quote.error}
      </p>
    );
  if (!quote.data) return <p className="muted">{t('loading')}</p>;
  const q = quote.data;
  return (
    <div className="confirm-box" data-testid="supplier-quote-box">
      <p>{t('scfQuoteText')}</p>
      <dl className="facts">
        <Fact label={t('scfFace')} value={yuan(q.face)} testId="quote-face" />
        <Fact label={t('scfRate')} value={percent(q.rate)} testId="quote-rate" />
        <Fact label={t('scfDaysToDue')} value={`${q.days} ${t('scfDays')}`} testId="quote-days" />
        <Fact label={t('scfAdvance')} value={yuan(q.principal)} testId="quote-principal" />
        <Fact label={i18n.language === 'zh' ? `${t('scfInterest')}（${scfText(i18n, 'payer', q.interestPayer)}，${scfText(i18n, 'timing', q.interestTiming)}）` : `${t('scfInterest')} (${scfText(i18n, 'payer', q.interestPayer)}, ${scfText(i18n, 'timing', q.interestTiming)})`} value={yuan(q.interest)} testId="quote-interest" />
        <Fact label={t('scfDisbursedToday')} value={yuan(q.disbursed)} testId="quote-disbursed" />
        <Fact label={t('scfSurplusAtMaturity')} value={yuan(q.surplusAtMaturity)} testId="quote-surplus" />
        <Fact label={t('scfHolderReceives')} value={yuan(q.holderReceives)} testId="quote-total" />
      </dl>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={finance} data-testid="supplier-finance">
          {t('scfFinanceAndReceive')} {yuan(q.disbursed)}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
