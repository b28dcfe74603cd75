/**
 * The staff credit line page (issue 14): one line read whole from the server — its firm and
 * product, limit, used and available, status and expiry (why it is frozen, when a warning froze
 * it), the loans drawn from it by note number (paged on the server), their renewal state, its
 * settlement accounts and security — and the actions staff may take on a line through the existing
 * routes: draw for the customer (preview, then one confirmation with its own Idempotency-Key),
 * freeze, unfreeze or close it, propose an account change for a checker, decide a renewal request.
 * A role a route refuses sees which roles may, never a hidden 403.
 */
import { useState } from 'react';
import type { Role, User } from '../api';
import { creditLine, fenText, loanBook, toFen } from '../api-book';
import { lineFreeze } from '../api-monitoring';
import { businessDate, enterprise as fetchEnterprise, products as fetchProducts, renewalRequests, type RenewalRequest } from '../api-portal';
import { DataTable } from '../components/DataTable';
import { LineSecurityCard } from '../components/SecurityPanels';
import { Pager } from '../components/Pager';
import { SettlementAccounts } from '../components/SettlementAccounts';
import { useApi } from '../components/useApi';
import { percent, productName, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { fill } from '../i18n-book';
import { classificationText, lineStatusText, loanStatusText, statusText } from '../portal-text';
import { DrawPanel } from './BorrowPage';
import { RENEWERS, RenewalForm } from './ReviewPage';
import { ACCOUNT_CHANGE_MAKERS, Allowed, FREEZERS, LineStatusAction } from './StaffLoanPage';
import { Kpi } from '../components/Kpi';

const PAGE = 20;
/** Who draws for the customer: the roles POST /v1/lines/{id}/drawdowns allows besides the borrower. */
const DRAWERS: readonly Role[] = ['account-manager', 'operator'];
/** Who opens the enterprise 360 (web/src/routes.ts). */
const ENTERPRISE_VIEWERS: readonly Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'admin', 'auditor'];

/** Days from `from` to `to`, two ISO dates. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
/** `date` less `days` days, an ISO date. */
const daysBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

export function StaffLinePage({ id, user, navigate }: { readonly id: string; readonly user: User; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const found = useApi(() => creditLine(id), [id]);
  const line = found.data;
  const firm = useApi(() => (line ? fetchEnterprise(line.enterpriseId) : Promise.resolve(null)), [line?.enterpriseId]);
  const product = useApi(() => (line ? fetchProducts().then((all) => all.find((candidate) => candidate.id === line.productId) ?? null) : Promise.resolve(null)), [line?.productId]);
  const today = useApi(() => businessDate(), []);
  const freeze = useApi(() => (line?.status === 'frozen' ? lineFreeze(id) : Promise.resolve(null)), [id, line?.status]);
  const [offset, setOffset] = useState(0);
  const loans = useApi(() => loanBook({ lineId: id, sort: 'disbursedOn', order: 'desc', offset: String(offset), limit: String(PAGE) }), [id, offset]);
  // Every renewal request of the firm, in all three states: the loans on this page pick theirs.
  const renewals = useApi(
    () => (line ? Promise.all((['pending', 'renewed', 'refused'] as const).map((status) => renewalRequests(status, line.enterpriseId))).then((lists) => lists.flat()) : Promise.resolve([])),
    [line?.enterpriseId],
  );
  const [deciding, setDeciding] = useState<RenewalRequest | null>(null);

  if (found.error) return <p className="error" role="alert">{found.error}</p>;
  if (!line) return <p className="muted">{t('loading')}</p>;
  const reload = () => {
    found.reload();
    loans.reload();
    renewals.reload();
  };
  const used = fenText(toFen(line.limit) - toFen(line.available));
  const asOf = today.data?.businessDate;
  const daysLeft = asOf === undefined ? null : daysBetween(asOf, line.endOn);
  const windowDays = product.data?.renewalWindowDays;
  const requestOf = (loanId: string) => (renewals.data ?? []).filter((request) => request.loanId === loanId).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];
  const renewalCell = (loan: { id: string; status: string; maturityOn: string; daysPastDue: number }) => {
    const request = requestOf(loan.id);
    if (request) {
      return (
        <span data-testid="renewal-state">
          {statusText(i18n, request.status)}
          {request.newLoanNoteNo && <> → <span className="mono">{request.newLoanNoteNo}</span></>}
          {request.status === 'pending' && RENEWERS.includes(user.role) && (
            <>
              {' '}
              <button type="button" className="secondary" onClick={() => setDeciding(request)} data-testid="decide-renewal">{t('decideRenewal')}</button>
            </>
          )}
        </span>
      );
    }
    if (loan.status !== 'active' || windowDays === undefined || asOf === undefined) return <span data-testid="renewal-state">{t('renewalNotAvailable')}</span>;
    // The server renews only before maturity and without arrears (src/servicing/renewal.ts); the page says which stops it.
    if (asOf > loan.maturityOn) return <span data-testid="renewal-state">{t('renewalPastMaturity')}</span>;
    if (loan.daysPastDue > 0) return <span data-testid="renewal-state">{t('renewalOverdue')}</span>;
    const opens = daysBefore(loan.maturityOn, windowDays);
    return <span data-testid="renewal-state">{asOf >= opens ? t('renewalOpenNow') : fill(t('renewalOpensOn'), { date: opens })}</span>;
  };

  return (
    <section data-testid="staff-line">
      <div className="page-title">
        <button type="button" className="link-button" onClick={() => navigate('/loans')}>{t('backToBook')}</button>
        <h2 data-testid="line-firm">{firm.data?.name ?? '…'}</h2>
        <span className={`badge ${line.status === 'active' ? 'normal' : 'substandard'}`} data-testid="line-status">{lineStatusText(i18n, line.status)}</span>
        {ENTERPRISE_VIEWERS.includes(user.role) && (
          <button type="button" className="link-button" onClick={() => navigate(`/enterprises?id=${line.enterpriseId}`)}>{t('enterprise360')} →</button>
        )}
      </div>
      <p className="muted small" data-testid="line-product">
        {t('linePage')} · {product.data ? productName(product.data.name, product.data.nameEn, i18n.language) : '…'} · {t(line.revolving ? 'revolvingLine' : 'singleUseLine')} · {t('rate')} {percent(line.annualRate)}
      </p>
      <div className="kpis">
        <Kpi label={t('limit')} value={yuan(line.limit)} testId="line-limit" />
        <Kpi label={t('usedAmount')} value={yuan(used)} testId="line-used" />
        <Kpi label={t('available')} value={yuan(line.available)} testId="line-available" />
        <Kpi label={t('lineExpiry')} value={line.endOn} testId="line-end" />
      </div>
      <p className="muted small">
        {t('lineValid')} {line.startOn} – {line.endOn}
        {daysLeft !== null && <> · <span data-testid="line-days-left">{daysLeft >= 0 ? fill(t('daysLeft'), { days: daysLeft }) : t('lineExpired')}</span></>}
      </p>
      {freeze.data?.frozen && (
        <div className="notice warning" role="status" data-testid="line-freeze-reason">
          {freeze.data.rule !== null && freeze.data.level !== null && freeze.data.since !== null
            ? fill(t('frozenByWarning'), { rule: t(`wr_${freeze.data.rule}` as MessageKey), level: t(`wl_${freeze.data.level}` as MessageKey), since: freeze.data.since, status: freeze.data.warningStatus === null ? '—' : t(`ws_${freeze.data.warningStatus}` as MessageKey) })
            : t('frozenByStaff')}
        </div>
      )}

      <div className="panel" data-testid="line-loans">
        <h3>
          {t('lineLoans')} {loans.data && <span className="muted small" data-testid="line-loan-total">· {loans.data.total}</span>}
        </h3>
        {loans.error && <p className="error" role="alert">{loans.error}</p>}
        <DataTable
          testId="line-loans-table"
          cards
          rows={loans.data?.items ?? []}
          rowKey={(loan) => loan.id}
          rowData={(loan) => ({ 'data-testid': 'line-loan-row', 'data-loan': loan.id })}
          empty={loans.data ? t('empty') : undefined}
          columns={[
            {
              header: t('noteNo'),
              cellClassName: 'mono',
              cell: (loan) => (
                <a href={`/loans?id=${loan.id}`} onClick={(event) => { event.preventDefault(); navigate(`/loans?id=${loan.id}`); }} data-testid="line-loan-note-no">{loan.noteNo}</a>
              ),
            },
            { header: t('principal'), className: 'num', cell: (loan) => yuan(loan.principal) },
            { header: t('outstanding'), className: 'num', cell: (loan) => yuan(loan.outstanding) },
            { header: t('disbursedOn'), cell: (loan) => loan.disbursedOn },
            { header: t('maturityOn'), cell: (loan) => loan.maturityOn },
            { header: t('dpd'), className: 'num', cell: (loan) => loan.daysPastDue },
            { header: t('classification'), cell: (loan) => <span className={`badge ${loan.classification}`}>{classificationText(i18n, loan.classification)}</span> },
            { header: t('status'), cell: (loan) => loanStatusText(i18n, loan.status) },
            { header: t('renewalState'), cell: renewalCell },
          ]}
        />
        {loans.data && <Pager offset={loans.data.offset} limit={loans.data.limit} total={loans.data.total} onOffset={setOffset} testId="line-loan-pager" />}
        {windowDays !== undefined && asOf !== undefined && <p className="muted small">{fill(t('renewalWindowNote'), { days: windowDays, asOf })}</p>}
        {deciding && <RenewalForm key={deciding.id} request={deciding} navigate={navigate} onDone={reload} />}
      </div>

      <SettlementAccounts lineId={line.id} changer={ACCOUNT_CHANGE_MAKERS.includes(user.role) ? 'staff' : null} />
      <LineSecurityCard lineId={line.id} staff />

      <h3 className="section-title">{t('lineActions')}</h3>
      <div className="actions-grid">
        <Allowed user={user} allowed={DRAWERS} title={t('drawOnBehalf')}>
          <p className="muted small">{t('drawOnBehalfIntro')}</p>
          {line.status === 'active' && (daysLeft === null || daysLeft >= 0) ? <DrawPanel line={line} framed={false} onDrawn={reload} /> : <p className="muted small">{lineStatusText(i18n, line.status)}</p>}
        </Allowed>
        <Allowed user={user} allowed={FREEZERS} title={t('lineStatusTitle')}>
          <LineStatusAction lineId={line.id} status={line.status} allowClose onDone={reload} />
        </Allowed>
      </div>
    </section>
  );
}
