/**
 * The borrower portal's second half: the line, drawing with a chosen term after seeing the
 * schedule (POST /v1/schedules with the same terms the drawdown will use), the loans with their
 * schedules, repaying any amount with the early-payoff quote, and asking for a renewal.
 */
import { useState } from 'react';
import type { CreditLine } from '../api';
import {
  askForRenewal,
  businessDate,
  drawdown,
  idempotencyKey,
  linesOf,
  loan as fetchLoan,
  loansOf,
  payoffQuote,
  previewSchedule,
  products as fetchProducts,
  renewalRequests,
  repay,
  type Allocation,
  type Schedule,
} from '../api-portal';
import { DataTable } from '../components/DataTable';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { loanStatusText } from '../portal-text';
import { useAction } from '../components/useAction';
import { LineSecurityCard } from '../components/SecurityPanels';

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
const DAYS_IN_YEAR = ['360', '364', '365'] as const;
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
  const line = lines.data.find((candidate) => candidate.status === 'active');

  return (
    <section>
      <div className="page-title">
        <h2>{t('borrowAndRepay')}</h2>
      </div>
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
            {t('lineValid')} {line.startOn} – {line.endOn}
          </p>
          <DrawPanel line={line} onDrawn={(loanId) => { refresh(); setOpenLoan(loanId); }} />
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
          rows={loans.data}
          rowKey={(row) => row.id}
          empty={t('empty')}
          rowClassName={(row) => (row.id === openLoan ? 'selected' : '')}
          rowData={(row) => ({ 'data-testid': 'loan-row', 'data-loan': row.id })}
          columns={[
            { header: t('loan'), cellClassName: 'mono', cell: (row) => row.id.slice(-8) },
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
    </section>
  );
}

function DrawPanel({ line, onDrawn }: { readonly line: CreditLine; readonly onDrawn: (loanId: string) => void }) {
  const { t } = useI18n();
  const productList = useApi(fetchProducts, []);
  const today = useApi(businessDate, []);
  const [amount, setAmount] = useState('');
  const [term, setTerm] = useState<Term>({ kind: 'days', days: 90 });
  const [preview, setPreview] = useState<Schedule | null>(null);
  const [key, setKey] = useState(idempotencyKey);
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  const productDays = String(productList.data?.find((product) => product.id === line.productId)?.daysInYear ?? 360);
  const daysInYear = DAYS_IN_YEAR.find((days) => days === productDays) ?? '360';
  const valid = AMOUNT.test(amount) && Number(amount) > 0;

  async function showPreview() {
    setDone(null);
    await run(async () => {
      const base = { principal: amount, rate: line.annualRate, disbursed: today.data!.businessDate, interestPeriod: 'daily' as const, daysInYear };
      setPreview(
        await previewSchedule(
          term.kind === 'days'
            ? { ...base, method: 'bullet', periods: 1, every: term.days, unit: 'days' }
            : { ...base, method: 'equal-installments', periods: term.months, every: 1, unit: 'months' },
        ),
      );
    });
  }

  async function confirm() {
    await run(async () => {
      const result = await drawdown(line.id, { amount, ...(term.kind === 'days' ? { termDays: term.days } : { installments: term.months }) }, key);
      setDone(result.loanId);
      setPreview(null);
      setAmount('');
      setKey(idempotencyKey());
      onDrawn(result.loanId);
    });
  }

  return (
    <div className="panel" data-testid="draw-panel">
      <h3>{t('drawTitle')}</h3>
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
      <div className="actions">
        <button type="button" className="secondary" disabled={!valid || !today.data} onClick={showPreview} data-testid="preview">
          {t('previewSchedule')}
        </button>
      </div>
      {preview && (
        <div data-testid="schedule-preview">
          <p>
            {t('totalInterest')} <strong data-testid="preview-interest">{yuan(preview.totalInterest)}</strong> · {t('totalRepayment')} <strong>{yuan(preview.totalRepayment)}</strong>
          </p>
          <ScheduleTable rows={preview.installments.map((row) => ({ number: row.number, dueOn: row.dueDate, principal: row.principal, interest: row.interest, total: row.total }))} />
          <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="confirm-draw">
            {t('confirmDraw')} {yuan(amount)}
          </button>
        </div>
      )}
      {done && <p className="ok" data-testid="drawn">{t('drawnText')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
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
        <div key={key} className="fact">
          <dt>{t(label)}</dt>
          <dd className="num">{yuan(allocation[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

function LoanPanel({ loanId, onChanged }: { readonly loanId: string; readonly onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useApi(() => fetchLoan(loanId), [loanId]);
  const requests = useApi(() => renewalRequests(), [loanId]);
  const [quote, setQuote] = useState<Awaited<ReturnType<typeof payoffQuote>> | null>(null);
  const [amount, setAmount] = useState('');
  const [key, setKey] = useState(idempotencyKey);
  const [paid, setPaid] = useState<Awaited<ReturnType<typeof repay>> | null>(null);
  const [renewDays, setRenewDays] = useState(180);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();


  if (detail.error) return <p className="error" role="alert">{detail.error}</p>;
  if (!detail.data) return <p className="muted">{t('loading')}</p>;
  const loan = detail.data;
  const active = loan.status === 'active';
  const pending = (requests.data ?? []).find((request) => request.loanId === loanId);

  return (
    <div className="panel" data-testid="loan-panel">
      <div className="panel-head">
        <h3>
          {t('loan')} <span className="mono">{loan.id.slice(-8)}</span>
        </h3>
        <span className={`badge ${loan.classification}`}>{loanStatusText(i18n, loan.status)}</span>
      </div>
      <dl className="facts">
        <div className="fact"><dt>{t('principal')}</dt><dd className="num">{yuan(loan.principal)}</dd></div>
        <div className="fact"><dt>{t('rate')}</dt><dd className="num">{percent(loan.annualRate)}</dd></div>
        <div className="fact"><dt>{t('disbursedOn')}</dt><dd>{loan.disbursedOn}</dd></div>
        <div className="fact"><dt>{t('maturityOn')}</dt><dd>{loan.maturityOn}</dd></div>
        <div className="fact"><dt>{t('totalDueNow')}</dt><dd className="num">{yuan(loan.balances.totalDue)}</dd></div>
        <div className="fact"><dt>{t('payoffToday')}</dt><dd className="num" data-testid="loan-payoff">{yuan(loan.balances.payoff)}</dd></div>
      </dl>
      <h3>{t('schedule')}</h3>
      <ScheduleTable rows={loan.installments} />

      {active && (
        <div className="subpanel" data-testid="repay-panel">
          <h3>{t('repayTitle')}</h3>
          <div className="actions">
            <button type="button" className="secondary" disabled={busy} onClick={() => run(async () => { const q = await payoffQuote(loanId); setQuote(q); setAmount(q.amount); })} data-testid="payoff-quote">
              {t('getPayoffQuote')}
            </button>
          </div>
          {quote && (
            <div className="quote">
              <p>
                {t('payoffAsOf')} {quote.asOf}: <strong data-testid="quote-amount">{yuan(quote.amount)}</strong>
              </p>
              <AllocationList allocation={quote.allocation} testId="quote-allocation" />
            </div>
          )}
          <div className="form-grid">
            <label>
              {t('repayAmount')}
              <input name="repayAmount" inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} />
            </label>
          </div>
          <button
            type="button"
            className="primary"
            disabled={busy || !AMOUNT.test(amount) || Number(amount) <= 0}
            data-testid="confirm-repay"
            onClick={() =>
              run(async () => {
                const result = await repay(loanId, amount, key);
                setPaid(result);
                setKey(idempotencyKey());
                setQuote(null);
                detail.reload();
                onChanged();
              })
            }
          >
            {t('confirmRepay')}
          </button>
        </div>
      )}
      {paid && (
        <div className="subpanel" data-testid="repaid">
          <p className="ok">
            {t('repaidText')} {yuan(paid.amount)} · {loanStatusText(i18n, paid.loanStatus)}
          </p>
          <AllocationList allocation={paid.allocation} testId="repaid-allocation" />
        </div>
      )}

      {active && (
        <div className="subpanel" data-testid="renewal-panel">
          <h3>{t('renewalTitle')}</h3>
          {pending ? (
            <p data-testid="renewal-pending">
              {t('renewalPending')} ({pending.businessDate})
            </p>
          ) : (
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
              <button
                type="button"
                className="secondary"
                disabled={busy || note.trim() === ''}
                data-testid="ask-renewal"
                onClick={() => run(async () => { await askForRenewal(loanId, { termDays: renewDays, note: note.trim() }); requests.reload(); })}
              >
                {t('askRenewal')}
              </button>
            </>
          )}
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
