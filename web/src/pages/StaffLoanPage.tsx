/**
 * The staff loan page (issue 14): one loan read whole — its firm, balances, schedule and line — and
 * its servicing actions through the existing routes: a repayment received at the counter,
 * restructuring, a write-off request (maker-checker) and freezing the line. Each shows what will
 * happen and asks for a confirmation; each confirmation carries its own Idempotency-Key, so a
 * double tap moves money once, and the form resets after success.
 */
import { useState } from 'react';
import type { Role, User } from '../api';
import { creditLine, fenText, requestWriteOff, restructureLoan, setLineStatus, toFen } from '../api-book';
import { accountText, enterprise as fetchEnterprise, idempotencyKey, loan as fetchLoan, repay, repaymentPreview, type LoanDetail, type PrepaymentEffect, type Repayment, type RepaymentPreview } from '../api-portal';
import { PrepaymentChoice } from '../components/PrepaymentChoice';
import { DataTable } from '../components/DataTable';
import { GuaranteeCallPanel } from '../components/SecurityPanels';
import { SettlementAccounts } from '../components/SettlementAccounts';
import { DocumentLinks } from '../components/DocumentLinks';
import { loanNoteUrl, receiptUrl } from '../api-operations';
import { repaymentsOf } from '../api-portal';
import { useAction } from '../components/useAction';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { punctuationOf, useI18n, type MessageKey } from '../i18n';
import { fill } from '../i18n-book';
import { classificationText, kindText, lineStatusText, loanStatusText, roleText } from '../portal-text';
import { Kpi } from '../components/Kpi';

/** Who may do what: exactly the roles the routes allow (src/http/routes/servicing.ts, loan-workout.ts). */
const COUNTER: readonly Role[] = ['account-manager', 'operator'];
const RESTRUCTURERS: readonly Role[] = ['credit-approver', 'admin'];
const WRITE_OFF_MAKERS: readonly Role[] = ['risk-officer', 'admin'];
export const FREEZERS: readonly Role[] = ['risk-officer', 'credit-approver', 'admin'];
const GUARANTEE_CALLERS: readonly Role[] = ['risk-officer', 'admin'];
/** Staff who may propose an account change for a checker (`line.account-change` makers). */
export const ACCOUNT_CHANGE_MAKERS: readonly Role[] = ['account-manager', 'operator', 'admin'];
const TERMS = ['d90', 'd180', 'd365', 'm6', 'm12', 'm24'] as const;

export function StaffLoanPage({ id, user, navigate }: { readonly id: string; readonly user: User; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useApi(() => fetchLoan(id), [id]);
  const loan = detail.data;
  const firm = useApi(() => (loan ? fetchEnterprise(loan.enterpriseId) : Promise.resolve(null)), [loan?.enterpriseId]);
  const line = useApi(() => (loan?.lineId ? creditLine(loan.lineId) : Promise.resolve(null)), [loan?.lineId]);

  if (detail.error) return <p className="error" role="alert">{detail.error}</p>;
  if (!loan) return <p className="muted">{t('loading')}</p>;
  const reload = () => {
    detail.reload();
    line.reload();
  };

  return (
    <section data-testid="staff-loan">
      <div className="page-title">
        <button type="button" className="link-button" onClick={() => navigate('/loans')}>{t('backToBook')}</button>
        <h2 data-testid="loan-firm">{firm.data?.name ?? '…'}</h2>
        <span className={`badge ${loan.classification}`}>{classificationText(i18n, loan.classification)}</span>
        <span className="badge normal" data-testid="loan-status">{loanStatusText(i18n, loan.status)}</span>
        <button type="button" className="link-button" onClick={() => navigate(`/enterprises?id=${loan.enterpriseId}`)}>{t('enterprise360')} →</button>
      </div>
      <div className="kpis">
        <Kpi label={t('principal')} value={yuan(loan.principal)} />
        <Kpi label={t('outstanding')} value={yuan(fenText(toFen(loan.balances.principalNotDue) + toFen(loan.balances.principalDue)))} />
        <Kpi label={t('totalDueNow')} value={yuan(loan.balances.totalDue)} testId="total-due" />
        <Kpi label={t('payoffToday')} value={yuan(loan.balances.payoff)} testId="payoff" />
        <Kpi label={t('rate')} value={percent(loan.annualRate)} />
        <Kpi label={t('dpd')} value={String(loan.daysPastDue)} />
      </div>
      <p className="muted small">
        {t('noteNo')} <span className="mono" data-testid="staff-note-no">{loan.noteNo}</span> <DocumentLinks label="printNote" html={loanNoteUrl(loan.id)} pdf={loanNoteUrl(loan.id, 'pdf')} testId="staff-note-links" /> · {t('disbursedOn')} {loan.disbursedOn} · {t('maturityOn')} {loan.maturityOn}
        {line.data && (
          <>
            {' · '}
            <a href={`/loans?line=${line.data.id}`} onClick={(event) => { event.preventDefault(); navigate(`/loans?line=${line.data!.id}`); }} data-testid="open-line">
              {t('lineNow')}: {yuan(line.data.available)} / {yuan(line.data.limit)} · {lineStatusText(i18n, line.data.status)} →
            </a>
          </>
        )}
      </p>

      {loan.lineId && <SettlementAccounts lineId={loan.lineId} changer={ACCOUNT_CHANGE_MAKERS.includes(user.role) ? 'staff' : null} />}
      <Receipts key={loan.balances.payoff} loanId={loan.id} />

      <h3 className="section-title">{t('servicingActions')}</h3>
      <div className="actions-grid">
        <Allowed user={user} allowed={COUNTER} title={t('counterRepayment')}>
          <CounterRepayment loan={loan} onDone={reload} />
        </Allowed>
        <Allowed user={user} allowed={RESTRUCTURERS} title={t('restructure')}>
          <Restructure loan={loan} onDone={reload} />
        </Allowed>
        <Allowed user={user} allowed={WRITE_OFF_MAKERS} title={t('writeOffRequest')}>
          <WriteOff loan={loan} />
        </Allowed>
        <Allowed user={user} allowed={FREEZERS} title={line.data?.status === 'frozen' ? t('unfreezeLine') : t('freezeLine')}>
          {line.data ? <LineStatusAction lineId={line.data.id} status={line.data.status} onDone={reload} /> : <p className="muted small">—</p>}
        </Allowed>
        <Allowed user={user} allowed={GUARANTEE_CALLERS} title={t('callGuarantee')}>
          <GuaranteeCallPanel loan={loan} onDone={reload} />
        </Allowed>
      </div>

      <div className="panel">
        <h3>{t('schedule')}</h3>
        <DataTable
          testId="staff-schedule"
          cards
          rows={loan.installments}
          rowKey={(row) => row.number}
          empty={t('empty')}
          columns={[
            { header: '#', label: '#', className: 'num', cell: (row) => row.number },
            { header: t('dueOn'), cell: (row) => row.dueOn },
            { header: t('principal'), className: 'num', cell: (row) => yuan(row.principal) },
            { header: t('interest'), className: 'num', cell: (row) => yuan(row.interest) },
          ]}
        />
      </div>
    </section>
  );
}


/** An action panel, or for a role the route refuses, the roles that may — never a hidden 403. */
export function Allowed({ user, allowed, title, children }: { readonly user: User; readonly allowed: readonly Role[]; readonly title: string; readonly children: React.ReactNode }) {
  const i18n = useI18n();
  return (
    <div className="panel" data-testid={`action-${title}`}>
      <h3>{title}</h3>
      {allowed.includes(user.role) ? children : <p className="muted small">{fill(i18n.t('notYourAction'), { roles: allowed.map((role) => roleText(i18n, role)).join(i18n.language === 'zh' ? '、' : ', ') })}</p>}
    </div>
  );
}

/**
 * A repayment received at the counter: amount → what will happen (the server's preview: penalty,
 * interest and principal it pays, any surplus held, the payoff after) → confirm (one key) → the posting.
 */
function CounterRepayment({ loan, onDone }: { readonly loan: LoanDetail; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [amount, setAmount] = useState('');
  const [pending, setPending] = useState<{ amount: string; key: string; preview: RepaymentPreview } | null>(null);
  const [effect, setEffect] = useState<PrepaymentEffect>('shorten-term');
  const [done, setDone] = useState<Repayment | null>(null);
  const { busy, error, run } = useAction();
  const fen = toFen(amount);
  const valid = fen > 0n && loan.status === 'active';

  async function review() {
    await run(async () => {
      // The balances as of now, not as the page loaded them.
      const preview = await repaymentPreview(loan.id, fenText(fen));
      setDone(null);
      setEffect('shorten-term');
      setPending({ amount: fenText(fen), key: idempotencyKey(), preview });
    });
  }
  async function confirm() {
    if (!pending) return;
    await run(async () => {
      const posted = await repay(loan.id, pending.amount, pending.key, pending.preview.prepayment === null ? undefined : effect);
      setDone(posted);
      setPending(null);
      setAmount('');
      onDone();
    });
  }

  const preview = pending?.preview;
  const split = preview && allocationSplit(preview.allocation);
  return (
    <div data-testid="counter-repayment">
      <p className="muted small">{t('counterRepaymentIntro')}</p>
      <div className="form-grid">
        <label>
          {t('amountReceived')}
          <input name="counterAmount" inputMode="decimal" value={amount} disabled={pending !== null} onChange={(event) => setAmount(event.target.value)} />
        </label>
      </div>
      {pending === null ? (
        <div className="actions">
          <button type="button" className="primary" disabled={!valid || busy} onClick={review} data-testid="review-repayment">{t('review')}</button>
        </div>
      ) : (
        <div className="confirm" data-testid="repayment-confirmation">
          <strong>{t('confirmTitle')}</strong>
          <dl data-testid="confirm-split">
            <dt>{t('amountReceived')}</dt>
            <dd><span data-testid="confirm-amount">{yuan(pending.preview.amount)}</span> <span className="muted small">· {pending.preview.asOf}</span></dd>
            <dt>{t('penaltyDue')}</dt>
            <dd data-part="penalty">{yuan(split!.penalty)}</dd>
            <dt>{t('interest')}</dt>
            <dd data-part="interest">{yuan(split!.interest)}</dd>
            <dt>{t('principal')}</dt>
            <dd data-part="principal">{yuan(split!.principal)}{split!.prepaid !== '0.00' && ` · ${t('willPrepay')} ${yuan(split!.prepaid)}`}</dd>
            {pending.preview.allocation.overpayment !== '0.00' && (
              <>
                <dt>{t('willOverpay')}</dt>
                <dd className="error" data-testid="confirm-overpayment">{yuan(pending.preview.allocation.overpayment)}</dd>
              </>
            )}
            <dt>{t('payoffAfter')}</dt>
            <dd data-testid="confirm-payoff-after">{yuan(pending.preview.after.payoff)}{pending.preview.loanStatusAfter === 'closed' && ` · ${t('loanWillClose')}`}</dd>
          </dl>
          <div className="actions">
            {pending.preview.account && <p data-testid="confirm-account">{t('debitFrom')}{punctuationOf(i18n).colon}{accountText(pending.preview.account, t('accountNone'))}</p>}
            {pending.preview.prepayment && <PrepaymentChoice choice={pending.preview.prepayment} value={effect} onChange={setEffect} />}
            <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="confirm-repayment">{t('confirmRepayment')}</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setPending(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {done && (
        <p className="ok" data-testid="repayment-result">
          {t('repaymentRecorded')} {yuan(done.amount)} · {t('allocated')}{punctuationOf(i18n).colon}{t('penaltyDue')} {yuan(allocationSplit(done.allocation).penalty)}{punctuationOf(i18n).comma}{t('interest')} {yuan(allocationSplit(done.allocation).interest)}{punctuationOf(i18n).comma}{t('principal')} {yuan(allocationSplit(done.allocation).principal)}
          {done.allocation.overpayment !== '0.00' && `${punctuationOf(i18n).comma}${t('willOverpay')} ${yuan(done.allocation.overpayment)}`} · {t('payoffAfter')} {yuan(done.balances.payoff)}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** A repayment's allocation in the three buckets a cashier reads: penalty, interest (due and accrued), principal (due and not yet due, the latter prepaid). */
function allocationSplit(allocation: RepaymentPreview['allocation']) {
  return {
    penalty: allocation.penalty,
    interest: fenText(toFen(allocation.interestDue) + toFen(allocation.interestAccrued)),
    principal: fenText(toFen(allocation.principalDue) + toFen(allocation.principalNotDue)),
    prepaid: allocation.principalNotDue,
  };
}

function Restructure({ loan, onDone }: { readonly loan: LoanDetail; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [term, setTerm] = useState<(typeof TERMS)[number]>('m12');
  const [pending, setPending] = useState<string | null>(null);
  const [done, setDone] = useState<{ maturityOn: string; classification: LoanDetail['classification']; observationUntil: string } | null>(null);
  const { busy, error, run } = useAction();
  const termText = (choice: string) => `${choice.slice(1)} ${t(choice.startsWith('d') ? 'daysBullet' : 'monthsInstallments')}`;
  async function confirm() {
    if (!pending) return;
    await run(async () => {
      const count = Number(term.slice(1));
      setDone(await restructureLoan(loan.id, term.startsWith('d') ? { termDays: count } : { installments: count }, pending));
      setPending(null);
      onDone();
    });
  }
  return (
    <div data-testid="restructure">
      <p className="muted small">{t('restructureIntro')}</p>
      <label>
        {t('newTerm')}
        <select name="restructureTerm" value={term} disabled={pending !== null} onChange={(event) => setTerm(event.target.value as (typeof TERMS)[number])}>
          {TERMS.map((choice) => <option key={choice} value={choice}>{termText(choice)}</option>)}
        </select>
      </label>
      {pending === null ? (
        <div className="actions">
          <button type="button" className="secondary" disabled={busy || loan.status !== 'active'} onClick={() => { setDone(null); setPending(idempotencyKey()); }} data-testid="review-restructure">{t('review')}</button>
        </div>
      ) : (
        <div className="confirm">
          <strong>{t('confirmTitle')}</strong>
          <dl>
            <dt>{t('outstanding')}</dt>
            <dd>{yuan(fenText(toFen(loan.balances.principalNotDue) + toFen(loan.balances.principalDue)))}</dd>
            <dt>{t('newTerm')}</dt>
            <dd>{termText(term)}</dd>
            <dt>{t('classification')}</dt>
            <dd>{classificationText(i18n, loan.classification)} → {classificationText(i18n, loan.classification === 'normal' ? 'special-mention' : loan.classification)}</dd>
          </dl>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="confirm-restructure">{t('confirmRestructure')}</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setPending(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {done && <p className="ok">{t('restructured')} · {t('maturityOn')} {done.maturityOn} · {classificationText(i18n, done.classification)} · {t('observationUntil')} {done.observationUntil}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function WriteOff({ loan }: { readonly loan: LoanDetail }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  async function confirm() {
    if (!pending) return;
    await run(async () => {
      await requestWriteOff(loan.id, reason.trim(), pending);
      setPending(null);
      setReason('');
      setDone(true);
    });
  }
  return (
    <div data-testid="write-off">
      <p className="muted small">{t('writeOffIntro')}</p>
      <label className="block">
        {t('writeOffReason')}
        <input name="writeOffReason" value={reason} maxLength={500} disabled={pending !== null} onChange={(event) => setReason(event.target.value)} />
      </label>
      {pending === null ? (
        <div className="actions">
          <button type="button" className="secondary danger" disabled={busy || reason.trim().length < 5 || loan.status !== 'active'} onClick={() => { setDone(false); setPending(idempotencyKey()); }} data-testid="review-write-off">{t('review')}</button>
        </div>
      ) : (
        <div className="confirm">
          <strong>{t('confirmTitle')}</strong>
          <dl>
            <dt>{kindText(i18n, 'loan.write-off')}</dt>
            <dd>{yuan(loan.balances.payoff)}</dd>
            <dt>{t('makerNote')}</dt>
            <dd>{reason.trim()}</dd>
          </dl>
          <p className="muted small">{t('writeOffIntro')}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="confirm-write-off">{t('confirmWriteOff')}</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setPending(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {done && <p className="ok">{t('writeOffRequested')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

type LineStatus = 'active' | 'frozen' | 'closed';
const STATUS_ACTION: Record<LineStatus, { readonly label: MessageKey; readonly intro: MessageKey; readonly confirm: MessageKey; readonly testId: string }> = {
  frozen: { label: 'freezeLine', intro: 'freezeIntro', confirm: 'confirmFreeze', testId: 'review-freeze' },
  active: { label: 'unfreezeLine', intro: 'unfreezeIntro', confirm: 'confirmUnfreeze', testId: 'review-freeze' },
  closed: { label: 'closeLine', intro: 'closeIntro', confirm: 'confirmClose', testId: 'review-close' },
};

/**
 * Freeze, unfreeze and (on the line page) close a line (POST /v1/lines/{id}/status): the change and
 * what it means are shown first, and the line changes only on the confirmation.
 */
export function LineStatusAction({ lineId, status, allowClose = false, onDone }: { readonly lineId: string; readonly status: LineStatus; readonly allowClose?: boolean; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [next, setNext] = useState<LineStatus | null>(null);
  const { busy, error, run } = useAction();
  const choices: LineStatus[] = status === 'closed' ? [] : [status === 'frozen' ? 'active' : 'frozen', ...(allowClose ? (['closed'] as const) : [])];
  async function confirm() {
    if (next === null) return;
    await run(async () => {
      await setLineStatus(lineId, next);
      setNext(null);
      onDone();
    });
  }
  return (
    <div data-testid="freeze">
      {next === null && <p className="muted small">{t(status === 'frozen' ? 'unfreezeIntro' : 'freezeIntro')}</p>}
      {next === null ? (
        <div className="actions">
          {choices.map((choice) => (
            <button key={choice} type="button" className={choice === 'active' ? 'secondary' : 'secondary danger'} disabled={busy} onClick={() => setNext(choice)} data-testid={STATUS_ACTION[choice].testId}>
              {t(STATUS_ACTION[choice].label)}
            </button>
          ))}
          {choices.length === 0 && <p className="muted small">{lineStatusText(i18n, status)}</p>}
        </div>
      ) : (
        <div className="confirm" data-testid="line-status-confirmation">
          <strong>{t('confirmTitle')}</strong>
          <p data-testid="line-status-change">{lineStatusText(i18n, status)} → {lineStatusText(i18n, next)}</p>
          <p className="muted small">{t(STATUS_ACTION[next].intro)}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid={next === 'closed' ? 'confirm-close' : 'confirm-freeze'}>{t(STATUS_ACTION[next].confirm)}</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setNext(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** The loan's repayments, each with its printable receipt. */
function Receipts({ loanId }: { readonly loanId: string }) {
  const { t } = useI18n();
  const history = useApi(() => repaymentsOf(loanId), [loanId]);
  if (!history.data || history.data.length === 0) return null;
  return (
    <div className="panel" data-testid="staff-receipts">
      <h3>{t('repaymentHistory')}</h3>
      <DataTable
        testId="staff-repayments"
        cards
        rows={history.data}
        rowKey={(row) => row.entryId}
        empty={t('empty')}
        columns={[
          { header: t('paidOn'), cell: (row) => row.paidOn },
          { header: t('repayWillPay'), className: 'num', cell: (row) => yuan(row.amount) },
          { header: t('principalPart'), className: 'num', cell: (row) => yuan(row.principal) },
          { header: t('interestPart'), className: 'num', cell: (row) => yuan(row.interest) },
          { header: t('documents'), cell: (row) => <DocumentLinks label="printReceipt" html={receiptUrl(loanId, row.entryId)} pdf={receiptUrl(loanId, row.entryId, 'pdf')} testId="staff-receipt-links" /> },
        ]}
      />
    </div>
  );
}
