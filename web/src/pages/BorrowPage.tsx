/**
 * The borrower portal's second half: the line and the next payment due, drawing after the server
 * checked and priced the drawdown (POST /v1/lines/{id}/drawdown-preview), the loans with their
 * current schedules and repayment history, repaying after a confirmation that shows where every
 * yuan goes (GET /v1/loans/{id}/repayment-preview), and asking for a renewal. Each confirmation
 * carries one Idempotency-Key, so a double tap moves money once; everything shown is read back
 * from the server.
 */
import { useState } from 'react';
import type { CreditLine } from '../api';
import {
  askForRenewal,
  currentScheduleOf,
  drawdown,
  drawdownPreview,
  repaymentPreview,
  repaymentsOf,
  type DrawdownPreview,
  type InstallmentState,
  type RepaymentPreview,
  idempotencyKey,
  linesOf,
  loan as fetchLoan,
  loansOf,
  renewalRequests,
  repay,
  accountText,
  type PrepaymentEffect,
  type Allocation,
} from '../api-portal';
import { DataTable } from '../components/DataTable';
import { PrepaymentChoice } from '../components/PrepaymentChoice';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { fenText, toFen } from '../api-book';
import { punctuationOf, useI18n, type MessageKey } from '../i18n';
import { loanStatusText } from '../portal-text';
import { LineSecurityCard } from '../components/SecurityPanels';
import { FrozenLineNotice } from '../components/FrozenLineNotice';
import { SettlementAccounts } from '../components/SettlementAccounts';
import { DocumentLinks, NoticeList } from '../components/DocumentLinks';
import { loanNoteUrl, receiptUrl } from '../api-operations';
import { usePortalAction } from '../portal-errors';

type Term = { kind: 'days'; days: number } | { kind: 'months'; months: number };
const TERM_CHOICES: Term[] = [
  { kind: 'days', days: 30 },
  { kind: 'days', days: 90 },
  { kind: 'days', days: 180 },
  { kind: 'days', days: 365 },
  { kind: 'months', months: 6 },
  { kind: 'months', months: 12 },
];
/** The day counts a schedule preview takes; a product's is one of them. */
const termKey = (term: Term) => (term.kind === 'days' ? `d${term.days}` : `m${term.months}`);
const AMOUNT = /^[0-9]{1,13}(\.[0-9]{1,2})?$/;

/** The chosen enterprise's line and loans (`enterpriseId` undefined: the owner has none yet). */
export function BorrowPage({ enterpriseId }: { readonly enterpriseId: string | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const lines = useApi(() => (enterpriseId === undefined ? Promise.resolve([]) : linesOf(enterpriseId)), [enterpriseId]);
  const loans = useApi(() => (enterpriseId === undefined ? Promise.resolve([]) : loansOf(enterpriseId)), [enterpriseId]);
  const [openLoan, setOpenLoan] = useState<string | null>(null);
  const refresh = () => {
    lines.reload();
    loans.reload();
  };
  const error = lines.error ?? loans.error;
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!lines.data || !loans.data) return <p className="muted">{t('loading')}</p>;
  const active = lines.data.find((candidate) => candidate.status === 'active');
  const frozen = lines.data.filter((candidate) => candidate.status === 'frozen');
  // A frozen line is still the borrower's line: its card, accounts and security stay in view; only drawing stops.
  const line = active ?? frozen[0];

  return (
    <section>
      <div className="page-title">
        <h2>{t('borrowAndRepay')}</h2>
      </div>
      {frozen.map((candidate) => <FrozenLineNotice key={candidate.id} lineId={candidate.id} />)}
      {line ? (
        <>
          <div className="kpis three" data-testid="line-card">
            <div className="kpi">
              <span className="kpi-label">{t('limit')}</span>
              <span className="kpi-value">{yuan(line.limit)}</span>
            </div>
            <div className="kpi">
              <span className="kpi-label">{t('available')}</span>
              <span className="kpi-value" data-testid="line-available">{yuan(line.available)}</span>
            </div>
            <div className="kpi">
              <span className="kpi-label">{t('rate')}</span>
              <span className="kpi-value">{percent(line.annualRate)}</span>
            </div>
          </div>
          <p className="muted small">
            {t('usedAmount')} <span data-testid="line-used">{yuan(fenText(toFen(line.limit) - toFen(line.available)))}</span> · {t('lineValid')} {line.startOn} – {line.endOn}
          </p>
          <NextPayment loanIds={loans.data.filter((row) => row.status === 'active').map((row) => row.id)} />
          {active && <DrawPanel line={active} onDrawn={(loanId) => { refresh(); setOpenLoan(loanId); }} />}
          <SettlementAccounts lineId={line.id} changer="borrower" />
          <LineSecurityCard lineId={line.id} />
        </>
      ) : (
        <div className="panel">
          <p className="muted">{t('noLineYet')}</p>
        </div>
      )}

      <div className="panel">
        <h3>{t('myLoans')}</h3>
        <DataTable
          testId="my-loans"
          cards
          rows={loans.data}
          rowKey={(row) => row.id}
          empty={t('empty')}
          rowClassName={(row) => (row.id === openLoan ? 'selected' : '')}
          rowData={(row) => ({ 'data-testid': 'loan-row', 'data-loan': row.id })}
          columns={[
            { header: t('noteNo'), cellClassName: 'mono', cell: (row) => <span data-testid="loan-note-no">{row.noteNo}</span> },
            { header: t('principal'), className: 'num', cell: (row) => yuan(row.principal) },
            { header: t('outstanding'), className: 'num', cell: (row) => yuan(row.outstanding) },
            { header: t('maturityOn'), cell: (row) => row.maturityOn },
            { header: t('status'), cell: (row) => (row.daysPastDue > 0 ? `${t('overdue')} ${row.daysPastDue}d` : loanStatusText(i18n, row.status)) },
            {
              header: null,
              cell: (row) => (
                <button type="button" className="secondary" onClick={() => setOpenLoan(row.id === openLoan ? null : row.id)} data-testid="open-loan">
                  {row.id === openLoan ? t('close') : t('details')}
                </button>
              ),
            },
          ]}
        />
      </div>
      {openLoan && <LoanPanel key={openLoan} loanId={openLoan} onChanged={refresh} />}
      {enterpriseId !== undefined && <NoticeList key={`${loans.data.length}:${loans.data.map((row) => row.outstanding).join()}`} enterpriseId={enterpriseId} />}
    </section>
  );
}

/** Drawing from a line after the server's check and price; `framed` false: inside a panel the page gives it (the staff line page). */
export function DrawPanel({ line, onDrawn, framed = true }: { readonly line: CreditLine; readonly onDrawn: (loanId: string) => void; readonly framed?: boolean }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [term, setTerm] = useState<Term>({ kind: 'days', days: 90 });
  const [preview, setPreview] = useState<DrawdownPreview | null>(null);
  // One key per confirmation: made when the preview is shown, so a double tap on confirm is one drawdown.
  const [key, setKey] = useState(idempotencyKey);
  const { busy, error, run } = usePortalAction('draw');
  const [done, setDone] = useState<string | null>(null);
  const valid = AMOUNT.test(amount) && Number(amount) > 0;
  const termBody = () => (term.kind === 'days' ? { termDays: term.days } : { installments: term.months });

  async function showPreview() {
    setDone(null);
    setPreview(null);
    await run(async () => {
      setPreview(await drawdownPreview(line.id, { amount, ...termBody() }));
      setKey(idempotencyKey());
    });
  }

  async function confirm() {
    if (!preview) return;
    await run(async () => {
      const result = await drawdown(line.id, { amount: preview.amount, ...termBody() }, key);
      setDone(result.noteNo ?? result.loanId);
      setPreview(null);
      setAmount('');
      onDrawn(result.loanId);
    });
  }

  return (
    <div className={framed ? 'panel' : undefined} data-testid="draw-panel">
      {framed && <h3>{t('drawTitle')}</h3>}
      <div className="form-grid">
        <label>
          {t('drawAmount')}
          <input name="amount" inputMode="decimal" value={amount} placeholder={`≤ ${line.available}`} onChange={(event) => { setAmount(event.target.value); setPreview(null); }} />
        </label>
        <label>
          {t('term')}
          <select
            name="term"
            value={termKey(term)}
            onChange={(event) => {
              setTerm(TERM_CHOICES.find((choice) => termKey(choice) === event.target.value)!);
              setPreview(null);
            }}
          >
            {TERM_CHOICES.map((choice) => (
              <option key={termKey(choice)} value={termKey(choice)}>
                {choice.kind === 'days' ? `${choice.days} ${t('daysBullet')}` : `${choice.months} ${t('monthsInstallments')}`}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!preview && (
        <div className="actions">
          <button type="button" className="secondary" disabled={!valid || busy} onClick={showPreview} data-testid="preview">
            {t('reviewDraw')}
          </button>
        </div>
      )}
      {preview && (
        <div className="confirm-box" data-testid="schedule-preview">
          <h3>{t('drawConfirmTitle')}</h3>
          <dl className="facts">
            <div className="fact"><dt>{t('drawAmount')}</dt><dd className="num" data-testid="preview-amount">{yuan(preview.amount)}</dd></div>
            <div className="fact"><dt>{t('maturity')}</dt><dd>{preview.maturityOn}</dd></div>
            <div className="fact"><dt>{t('totalInterest')}</dt><dd className="num" data-testid="preview-interest">{yuan(preview.schedule.totalInterest)}</dd></div>
            <div className="fact"><dt>{t('totalRepayment')}</dt><dd className="num">{yuan(preview.schedule.totalRepayment)}</dd></div>
            <div className="fact"><dt>{t('availableAfter')}</dt><dd className="num" data-testid="preview-available-after">{yuan(preview.lineAvailableAfter)}</dd></div>
          </dl>
          <ScheduleTable rows={preview.schedule.installments.map((row) => ({ number: row.number, dueOn: row.dueDate, principal: row.principal, interest: row.interest, total: row.total }))} />
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="confirm-draw">
              {t('confirmDraw')} {yuan(preview.amount)}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setPreview(null)}>
              {t('cancel2')}
            </button>
          </div>
        </div>
      )}
      {done && <p className="ok" data-testid="drawn">{t('drawnText')} {t('noteNo')} <span className="mono">{done}</span></p>}
      {error && <p className="error" role="alert" data-testid="draw-error">{error}</p>}
    </div>
  );
}

function ScheduleTable({ rows }: { readonly rows: readonly { number: number; dueOn: string; principal: string; interest: string; total?: string }[] }) {
  const { t } = useI18n();
  return (
    <DataTable
      className="schedule"
      rows={rows}
      rowKey={(row) => row.number}
      columns={[
        { header: '#', cell: (row) => row.number },
        { header: t('dueOn'), cell: (row) => row.dueOn },
        { header: t('principal'), className: 'num', cell: (row) => yuan(row.principal) },
        { header: t('interest'), className: 'num', cell: (row) => yuan(row.interest) },
        { header: t('installmentTotal'), className: 'num', cell: (row) => yuan(row.total ?? addMoney(row.principal, row.interest)) },
      ]}
    />
  );
}

/** Adds two decimal strings exactly (as fen). */
function addMoney(a: string, b: string): string {
  const fen = (text: string) => {
    const [whole = '0', fraction = ''] = text.split('.');
    return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  };
  const sum = fen(a) + fen(b);
  return `${sum / 100n}.${String(sum % 100n).padStart(2, '0')}`;
}

const ALLOCATION_KEYS: [keyof Allocation, MessageKey][] = [
  ['penalty', 'penaltyDue'],
  ['interestDue', 'interestDue'],
  ['principalDue', 'principalDue'],
  ['interestAccrued', 'interestAccrued'],
  ['principalNotDue', 'principalNotDue'],
  ['overpayment', 'overpayment'],
];

function AllocationList({ allocation, testId }: { readonly allocation: Allocation; readonly testId: string }) {
  const { t } = useI18n();
  return (
    <dl className="facts" data-testid={testId}>
      {ALLOCATION_KEYS.filter(([key]) => allocation[key] !== '0.00').map(([key, label]) => (
        <div key={key} className="fact" data-part={key}>
          <dt>{t(label)}</dt>
          <dd className="num">{yuan(allocation[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

const INSTALLMENT_STATE_TEXT: Record<InstallmentState, MessageKey> = { billed: 'inst_billed', upcoming: 'inst_upcoming', prepaid: 'inst_prepaid' };

/** The next payment across the active loans: the earliest upcoming installment, with what is due now. */
export function NextPayment({ loanIds }: { readonly loanIds: readonly string[] }) {
  const { t } = useI18n();
  const schedules = useApi(() => Promise.all(loanIds.map((id) => currentScheduleOf(id))), [loanIds.join(',')]);
  if (!schedules.data) return null;
  const nexts = schedules.data.flatMap((schedule) => (schedule.next ? [schedule.next] : []));
  const dueNow = nexts.reduce((sum, next) => addMoney(sum, next.dueNow), '0.00');
  const first = [...nexts].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0))[0];
  return (
    <div className="panel" data-testid="next-payment">
      <h3>{t('nextPaymentTitle')}</h3>
      {first ? (
        <p className="next-payment">
          <span>
            {t('nextPaymentDue')} <strong data-testid="next-due-on">{first.dueOn}</strong>
          </span>
          <span>
            {t('nextPaymentAmount')} <strong data-testid="next-due-amount">{yuan(addMoney(first.principal, first.interest))}</strong>
          </span>
          {dueNow !== '0.00' && (
            <span className="error">
              {t('dueNowToo')} {yuan(dueNow)}
            </span>
          )}
        </p>
      ) : (
        <p className="muted">{t('noPaymentDue')}</p>
      )}
    </div>
  );
}

function LoanPanel({ loanId, onChanged }: { readonly loanId: string; readonly onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useApi(() => fetchLoan(loanId), [loanId]);
  const schedule = useApi(() => currentScheduleOf(loanId), [loanId]);
  const history = useApi(() => repaymentsOf(loanId), [loanId]);
  const requests = useApi(() => renewalRequests(), [loanId]);
  const [amount, setAmount] = useState('');
  const [preview, setPreview] = useState<RepaymentPreview | null>(null);
  // One key per confirmation, made with the preview: a double tap on confirm repays once.
  const [key, setKey] = useState(idempotencyKey);
  const [paid, setPaid] = useState<Awaited<ReturnType<typeof repay>> | null>(null);
  const [effect, setEffect] = useState<PrepaymentEffect>('shorten-term');
  const [renewDays, setRenewDays] = useState(180);
  const [note, setNote] = useState('');
  const { busy, error, run } = usePortalAction('repay');

  if (detail.error) return <p className="error" role="alert">{detail.error}</p>;
  if (!detail.data) return <p className="muted">{t('loading')}</p>;
  const loan = detail.data;
  const active = loan.status === 'active';
  const pending = (requests.data ?? []).find((request) => request.loanId === loanId && request.status === 'pending');
  const reload = () => {
    detail.reload();
    schedule.reload();
    history.reload();
    onChanged();
  };

  const review = () =>
    run(async () => {
      setPaid(null);
      setPreview(await repaymentPreview(loanId, amount));
      setEffect('shorten-term');
      setKey(idempotencyKey());
    });
  const confirm = () =>
    run(async () => {
      if (!preview) return;
      const result = await repay(loanId, preview.amount, key, preview.prepayment === null ? undefined : effect);
      setPaid(result);
      setPreview(null);
      setAmount('');
      reload();
    });

  return (
    <div className="panel" data-testid="loan-panel">
      <div className="panel-head">
        <h3>
          {t('loan')} <span className="mono" data-testid="panel-note-no">{loan.noteNo}</span>
        </h3>
        <DocumentLinks label="printNote" html={loanNoteUrl(loan.id)} pdf={loanNoteUrl(loan.id, 'pdf')} testId="loan-note-links" />
        <span className={`badge ${loan.classification}`}>{loanStatusText(i18n, loan.status)}</span>
      </div>
      <dl className="facts">
        <div className="fact"><dt>{t('principal')}</dt><dd className="num">{yuan(loan.principal)}</dd></div>
        <div className="fact"><dt>{t('rate')}</dt><dd className="num">{percent(loan.annualRate)}</dd></div>
        <div className="fact"><dt>{t('disbursedOn')}</dt><dd>{loan.disbursedOn}</dd></div>
        <div className="fact"><dt>{t('maturityOn')}</dt><dd>{loan.maturityOn}</dd></div>
        <div className="fact"><dt>{t('remainingPrincipal')}</dt><dd className="num" data-testid="loan-remaining">{schedule.data ? yuan(schedule.data.remainingPrincipal) : '…'}</dd></div>
        <div className="fact"><dt>{t('totalDueNow')}</dt><dd className="num">{yuan(loan.balances.totalDue)}</dd></div>
        <div className="fact"><dt>{t('payoffToday')}</dt><dd className="num" data-testid="loan-payoff">{yuan(loan.balances.payoff)}</dd></div>
      </dl>

      <h3>{t('currentSchedule')}</h3>
      <p className="muted small">{t('currentScheduleNote')}</p>
      {schedule.data && (
        <DataTable
          className="schedule"
          testId="current-schedule"
          rows={schedule.data.installments}
          rowKey={(row) => row.number}
          rowData={(row) => ({ 'data-state': row.state })}
          columns={[
            { header: '#', cell: (row) => row.number },
            { header: t('dueOn'), cell: (row) => row.dueOn },
            { header: t('principal'), className: 'num', cell: (row) => yuan(row.principal) },
            { header: t('interest'), className: 'num', cell: (row) => yuan(row.interest) },
            { header: t('installmentTotal'), className: 'num', cell: (row) => yuan(row.total) },
            { header: t('installmentState'), cell: (row) => t(INSTALLMENT_STATE_TEXT[row.state]) },
          ]}
        />
      )}

      {active && (
        <div className="subpanel" data-testid="repay-panel">
          <h3>{t('repayTitle')}</h3>
          <div className="form-grid">
            <label>
              {t('repayAmount')}
              <input name="repayAmount" inputMode="decimal" value={amount} placeholder={`≤ ${loan.balances.payoff}`} onChange={(event) => { setAmount(event.target.value); setPreview(null); }} />
            </label>
          </div>
          <div className="actions">
            <button type="button" className="secondary" disabled={busy} onClick={() => { setAmount(loan.balances.payoff); setPreview(null); }} data-testid="payoff-quote">
              {t('getPayoffQuote')} {yuan(loan.balances.payoff)}
            </button>
            {!preview && (
              <button type="button" className="primary" disabled={busy || !AMOUNT.test(amount) || Number(amount) <= 0} onClick={review} data-testid="review-repay">
                {t('reviewRepay')}
              </button>
            )}
          </div>
          {preview && (
            <div className="confirm-box" data-testid="repay-confirm">
              <h3>{t('repayConfirmTitle')}</h3>
              <p>
                {t('repayWillPay')} <strong data-testid="confirm-amount">{yuan(preview.amount)}</strong> · {preview.asOf}
              </p>
              <h4>{t('repayAllocation')}</h4>
              <AllocationList allocation={preview.allocation} testId="confirm-allocation" />
              <dl className="facts">
                <div className="fact"><dt>{t('repayBalanceAfter')}</dt><dd className="num" data-testid="confirm-after">{yuan(preview.after.payoff)}</dd></div>
                {preview.lineAvailableAfter !== null && <div className="fact"><dt>{t('lineAfter')}</dt><dd className="num">{yuan(preview.lineAvailableAfter)}</dd></div>}
              </dl>
              {preview.account && <p data-testid="confirm-account">{t('debitFrom')}{punctuationOf(i18n).colon}{accountText(preview.account, t('accountNone'))}</p>}
              {preview.prepayment && <PrepaymentChoice choice={preview.prepayment} value={effect} onChange={setEffect} />}
              {preview.loanStatusAfter === 'closed' && <p className="ok">{t('repayLoanCloses')}</p>}
              <div className="actions">
                <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="confirm-repay">
                  {t('confirmRepayNow')} {yuan(preview.amount)}
                </button>
                <button type="button" className="secondary" disabled={busy} onClick={() => setPreview(null)}>
                  {t('cancel2')}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
      {paid && (
        <div className="subpanel" data-testid="repaid">
          <p className="ok">
            {paid.noteNo && <>{t('noteNo')} <span className="mono" data-testid="receipt-note-no">{paid.noteNo}</span> · </>}
            {t('repaidDone')} {yuan(paid.amount)} · {loanStatusText(i18n, paid.loanStatus)}
            {paid.prepaymentEffect && <> · {t(`pe_${paid.prepaymentEffect}` as MessageKey)}</>}
          </p>
          <AllocationList allocation={paid.allocation} testId="repaid-allocation" />
        </div>
      )}
      {error && <p className="error" role="alert" data-testid="repay-error">{error}</p>}

      <h3>{t('repaymentHistory')}</h3>
      {history.data && (
        <DataTable
          testId="repayment-history"
          rows={history.data}
          rowKey={(row) => row.entryId}
          empty={t('empty')}
          rowData={() => ({ 'data-testid': 'repayment-row' })}
          columns={[
            { header: t('paidOn'), cell: (row) => row.paidOn },
            { header: t('repayWillPay'), className: 'num', cell: (row) => yuan(row.amount) },
            { header: t('penaltyPart'), className: 'num', cell: (row) => yuan(row.penalty) },
            { header: t('interestPart'), className: 'num', cell: (row) => yuan(row.interest) },
            { header: t('principalPart'), className: 'num', cell: (row) => yuan(row.principal) },
            { header: t('debitFrom'), cell: (row) => accountText(row.account, '—') },
            { header: t('documents'), cell: (row) => <DocumentLinks label="printReceipt" html={receiptUrl(loanId, row.entryId)} pdf={receiptUrl(loanId, row.entryId, 'pdf')} testId="receipt-links" /> },
          ]}
        />
      )}

      {active && (
        <div className="subpanel" data-testid="renewal-panel">
          <h3>{t('renewalTitle')}</h3>
          {pending ? (
            <p data-testid="renewal-pending">
              {t('renewalPending')} ({pending.businessDate})
            </p>
          ) : (
            <RenewalForm loanId={loanId} renewDays={renewDays} setRenewDays={setRenewDays} note={note} setNote={setNote} onAsked={requests.reload} />
          )}
        </div>
      )}
    </div>
  );
}

function RenewalForm({ loanId, renewDays, setRenewDays, note, setNote, onAsked }: { readonly loanId: string; readonly renewDays: number; readonly setRenewDays: (days: number) => void; readonly note: string; readonly setNote: (note: string) => void; readonly onAsked: () => void }) {
  const { t } = useI18n();
  const { busy, error, run } = usePortalAction();
  return (
    <>
      <p className="muted small">{t('renewalIntro')}</p>
      <div className="form-grid">
        <label>
          {t('term')}
          <select name="renewDays" value={renewDays} onChange={(event) => setRenewDays(Number(event.target.value))}>
            {[90, 180, 365].map((days) => (
              <option key={days} value={days}>
                {days} {t('daysBullet')}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('renewalNote')}
          <input name="renewalNote" value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} />
        </label>
      </div>
      <button type="button" className="secondary" disabled={busy || note.trim() === ''} data-testid="ask-renewal" onClick={() => run(async () => { await askForRenewal(loanId, { termDays: renewDays, note: note.trim() }); onAsked(); })}>
        {t('askRenewal')}
      </button>
      {error && <p className="error" role="alert">{error}</p>}
    </>
  );
}
