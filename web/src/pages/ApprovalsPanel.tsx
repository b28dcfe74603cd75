/**
 * The checker's screen (maker-checker, 双人复核): the checker's own authority up front, and each
 * request with the maker's proposal — whose it is, the amount against what stands now, the note.
 * The maker's own requests are shown as waiting for someone else and never offered to confirm; if
 * the server refuses a confirmation anyway, the reason is shown in the user's language.
 */
import { useState } from 'react';
import { ApiError } from '../api';
import { fenText, toFen, worklist, type WorkItem } from '../api-book';
import { decideApproval } from '../api-portal';
import { DataTable } from '../components/DataTable';
import { useApi } from '../components/useApi';
import { yuan } from '../format';
import { bracketText, listText, punctuationOf, useI18n } from '../i18n';
import { errorText, kindText, localTime, roleText } from '../portal-text';

export function ApprovalsPanel({ navigate, onDecided }: { readonly navigate: (to: string) => void; readonly onDecided?: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const work = useApi(() => worklist(), []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const checker = work.data?.checker;
  const authority = checker?.approvalLimit ?? null;

  async function decide(item: WorkItem, decision: 'approve' | 'reject') {
    setBusy(item.id);
    setError(null);
    try {
      await decideApproval(item.id, decision);
      work.reload();
      onDecided?.();
    } catch (caught) {
      // The server refuses a maker confirming their own request (NOT_AUTHORISED); say so in the page's language.
      if (caught instanceof ApiError && caught.code === 'NOT_AUTHORISED' && item.maker === checker?.username) setError(t('selfConfirmRefused'));
      else setError(caught instanceof ApiError ? errorText(i18n, caught.code) : t('error'));
    } finally {
      setBusy(null);
    }
  }

  const open = (item: WorkItem) => {
    if (item.kind.startsWith('application')) navigate(`/review?application=${item.subjectId}`);
    else if (item.kind === 'loan.write-off') navigate(`/loans?id=${item.subjectId}`);
    else if (item.proposal.enterpriseId) navigate(`/enterprises?id=${item.proposal.enterpriseId}`);
  };

  return (
    <div className="panel" data-testid="approvals">
      <h3>{t('confirmations')}</h3>
      {checker && (
        <div className="authority" data-testid="checker-authority">
          <span>
            {t('yourAuthority')}{bracketText(i18n, roleText(i18n, checker.role as Parameters<typeof roleText>[1]))}{punctuationOf(i18n).colon}<strong data-testid="approval-limit">{authority === null ? t('noCreditAuthority') : yuan(authority)}</strong>
          </span>
          <span className="muted small">
            {t('youCheck')}{punctuationOf(i18n).colon}{listText(i18n, checker.kinds.map((kind) => kindText(i18n, kind)))}
          </span>
        </div>
      )}
      {work.error && <p className="error">{work.error}</p>}
      <DataTable
        cards
        rows={work.data?.items ?? []}
        rowKey={(item) => item.id}
        empty={t('empty')}
        rowData={(item) => ({ 'data-testid': 'approval-row', 'data-mine': String(item.mine), 'data-kind': item.kind })}
        columns={[
          { header: t('kind'), cell: (item) => kindText(i18n, item.kind) },
          {
            header: t('subject'),
            cell: (item) => (
              <a href="#" onClick={(event) => { event.preventDefault(); open(item); }}>
                {item.proposal.subjectName ?? item.subjectId.slice(-8)}
              </a>
            ),
          },
          {
            header: t('proposal'),
            cellClassName: 'wrap proposal',
            cell: (item) => (
              <span data-testid="proposal">
                {item.proposal.amount !== null && (
                  <>
                    {t('proposedAmount')} <strong data-testid="proposal-amount">{yuan(item.proposal.amount)}</strong>
                    {item.proposal.current !== null && item.proposal.current !== item.proposal.amount && (
                      <span className="muted"> {bracketText(i18n, `${t('currentAmount')} ${yuan(item.proposal.current)}`)}</span>
                    )}
                    {item.kind === 'application.approve' && authority !== null && toFen(item.proposal.amount) > toFen(authority) && (
                      <span className="badge late"> {t('aboveYourAuthority')} {yuan(fenText(toFen(authority)))}</span>
                    )}
                  </>
                )}
                {item.proposal.account !== null && (
                  <span className="block-line" data-testid="proposal-account">
                    {t(item.proposal.account.purpose === 'disbursement' ? 'disbursementAccount' : 'repaymentAccount')}{punctuationOf(i18n).colon}
                    {item.proposal.account.before === null ? t('accountNone') : `${item.proposal.account.before.bankName} ${item.proposal.account.before.accountNoMasked}`}
                    {' → '}
                    <strong>{item.proposal.account.after.bankName} {item.proposal.account.after.accountNoMasked}</strong>
                    <span className="muted small">{bracketText(i18n, item.proposal.account.after.bankCode)}</span>
                  </span>
                )}
                {item.proposal.note !== null && (
                  <span className="block-line">
                    {' · '}{t('makerNote')}{punctuationOf(i18n).colon}<span data-testid="proposal-note">{item.proposal.note}</span>
                  </span>
                )}
              </span>
            ),
          },
          { header: t('maker'), cell: (item) => item.maker },
          { header: t('madeAt'), cell: (item) => localTime(item.madeAt) },
          {
            header: null,
            cellClassName: 'actions',
            cell: (item) =>
              item.mine ? (
                <span className="muted small" data-testid="own-request">{t('yourOwnRequest')}</span>
              ) : (
                (['approve', 'reject'] as const).map((decision) => (
                  <button
                    key={decision}
                    type="button"
                    className={decision === 'approve' ? 'primary small-button' : 'secondary'}
                    disabled={busy === item.id}
                    data-testid={`approval-${decision}`}
                    onClick={() => decide(item, decision)}
                  >
                    {t(decision === 'approve' ? 'confirm' : 'reject')}
                  </button>
                ))
              ),
          },
        ]}
      />
      {error && <p className="error" role="alert" data-testid="approval-error">{error}</p>}
    </div>
  );
}
