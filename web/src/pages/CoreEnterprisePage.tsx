/**
 * The core enterprise's portal (核心企业门户, the `core-enterprise` role): its programme at the bank
 * (limit, what the bank has advanced against its certificates, headroom); its suppliers' invoices
 * awaiting confirmation, confirmed in bulk (确权) only after a confirmation that says what it
 * commits the enterprise to pay and when; payables entered one by one or uploaded as a CSV (the
 * columns of `sprout receivables import`); and what it owes, by due date, with what of it is
 * financed, paid after a confirmation of the amount.
 */
import { useMemo, useState } from 'react';
import { businessDate, idempotencyKey } from '../api-portal';
import { fenText, toFen } from '../api-book';
import { confirmReceivables, coreProgrammes, payReceivable, receivables, registerReceivable, type CoreProgramme, type Receivable } from '../api-supply-chain';
import { DataTable } from '../components/DataTable';
import { useAction } from '../components/useAction';
import { useApi } from '../components/useApi';
import { errorMessage } from '../error-message';
import { yuan } from '../format';
import { useI18n } from '../i18n';
import { Fact, Kpi } from '../components/Kpi';
import { DATE_INPUT, scfText } from './supply-chain-parts';

export function CoreEnterprisePage({ enterpriseId }: { readonly enterpriseId: string | undefined }) {
  const { t } = useI18n();
  if (enterpriseId === undefined) return <p className="muted">{t('noEnterprise')}</p>;
  return <CorePortal coreId={enterpriseId} />;
}

function CorePortal({ coreId }: { readonly coreId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const programme = useApi(() => coreProgrammes(coreId), [coreId]);
  const list = useApi(() => receivables(coreId), [coreId]);
  const today = useApi(() => businessDate(), []);
  const reload = () => {
    programme.reload();
    list.reload();
  };
  if (programme.error || list.error) return <p className="error" role="alert">{programme.error ?? list.error}</p>;
  if (!programme.data || !list.data) return <p className="muted">{t('loading')}</p>;
  const current = programme.data.items.find((item) => item.programme.status === 'active') ?? programme.data.items[0];
  if (!current) return <p className="muted">{t('scfNoProgramme')}</p>;
  const items = list.data.items;
  return (
    <>
      <div className="page-title">
        <h2>{current.coreEnterpriseName}</h2>
        <span className="muted">{t('scfCorePortal')}</span>
      </div>
      <div className="kpis fit" data-testid="core-kpis">
        {[
          ['scfLimit', current.limit, 'core-limit'],
          ['scfUsed', current.used, 'core-used'],
          ['scfHeadroom', current.headroom, 'core-headroom'],
          ['scfCertificatesOutstanding', current.certificatesOutstanding, 'core-owed'],
        ].map(([label, value, testId]) => (
          <Kpi key={testId} label={t(label as 'scfLimit')} value={yuan(value!)} testId={testId} />
        ))}
      </div>
      <p className="muted small">
        {t('scfValidity')} {current.programme.startsOn} – {current.programme.endsOn} · {t('scfInterestPayer')} {scfText(i18n, 'payer', current.programme.interestPayer)}
      </p>
      <Awaiting coreId={coreId} rows={items.filter((r) => r.status === 'registered')} onDone={reload} />
      <Owed rows={items.filter((r) => r.status === 'confirmed')} today={today.data?.businessDate ?? null} onDone={reload} />
      <EnterPayables coreId={coreId} programme={current} onDone={reload} />
      <div className="panel">
        <h3>{t('scfPaidPayables')}</h3>
        <DataTable
          testId="core-paid"
          cards
          rows={items.filter((r) => r.status === 'paid' || r.status === 'rejected')}
          rowKey={(r) => r.id}
          empty={t('empty')}
          columns={[
            { header: t('scfInvoice'), cellClassName: 'mono small', cell: (r) => r.invoiceNo },
            { header: t('scfSupplier'), cell: (r) => r.sellerName },
            { header: t('scfConfirmedAmount'), className: 'num', cell: (r) => yuan(r.confirmedAmount ?? r.amount) },
            { header: t('scfDueOn'), cell: (r) => r.dueOn },
            { header: t('status'), cell: (r) => scfText(i18n, 'receivable', r.status) },
          ]}
        />
      </div>
    </>
  );
}

const sum = (rows: readonly Receivable[], pick: (r: Receivable) => string) => fenText(rows.reduce((total, r) => total + toFen(pick(r)), 0n));

/** Invoices the suppliers registered, confirmed in bulk after the enterprise sees what it commits to. */
function Awaiting({ coreId, rows, onDone }: { readonly coreId: string; readonly rows: readonly Receivable[]; readonly onDone: () => void }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [checking, setChecking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const chosen = rows.filter((r) => picked.has(r.id));
  const toggle = (id: string) => {
    setChecking(false);
    setPicked((before) => {
      const next = new Set(before);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };
  const confirm = () =>
    run(async () => {
      const made = await confirmReceivables(coreId, chosen.map((r) => r.id));
      setDone(`${made.items.length}`);
      setPicked(new Set());
      setChecking(false);
      onDone();
    });
  return (
    <div className="panel" data-testid="core-awaiting">
      <h3>{t('scfAwaitingConfirmation')}</h3>
      <DataTable
        rows={rows}
        cards
        rowKey={(r) => r.id}
        rowData={(r) => ({ 'data-invoice': r.invoiceNo })}
        empty={t('scfNothingAwaiting')}
        columns={[
          {
            header: t('scfPick'),
            cell: (r) => <input type="checkbox" aria-label={r.invoiceNo} checked={picked.has(r.id)} onChange={() => toggle(r.id)} data-testid="core-pick" />,
          },
          { header: t('scfInvoice'), cellClassName: 'mono small', cell: (r) => r.invoiceNo },
          { header: t('scfSupplier'), cell: (r) => r.sellerName },
          { header: t('scfAmount'), className: 'num', cell: (r) => yuan(r.amount) },
          { header: t('scfIssuedOn'), cell: (r) => r.issuedOn },
          { header: t('scfDueOn'), cell: (r) => r.dueOn },
        ]}
      />
      <div className="actions">
        <button type="button" className="secondary" disabled={chosen.length === 0 || busy} onClick={() => setChecking(true)} data-testid="core-confirm-review">
          {t('scfConfirmSelected')} ({chosen.length})
        </button>
      </div>
      {checking && chosen.length > 0 && (
        <div className="confirm-box" data-testid="core-confirm-box">
          <p>{t('scfConfirmCommits')}</p>
          <dl className="facts">
            <Fact label={t('scfInvoices')} value={String(chosen.length)} />
            <Fact label={t('scfTotalCommitted')} value={yuan(sum(chosen, (r) => r.amount))} testId="core-confirm-total" />
            <Fact label={t('scfFirstDue')} value={chosen.map((r) => r.dueOn).sort()[0]!} />
            <Fact label={t('scfLastDue')} value={chosen.map((r) => r.dueOn).sort().at(-1)!} />
          </dl>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={confirm} data-testid="core-confirm">
              {t('scfConfirmAndIssue')} {yuan(sum(chosen, (r) => r.amount))}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setChecking(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {done && (
        <p className="ok" data-testid="core-confirmed">
          {t('scfConfirmedDone')} {done}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** What the enterprise owes, by due date, with what the bank advanced against it; each paid after a confirmation. */
function Owed({ rows, today, onDone }: { readonly rows: readonly Receivable[]; readonly today: string | null; readonly onDone: () => void }) {
  const { t } = useI18n();
  const [paying, setPaying] = useState<{ readonly receivable: Receivable; readonly key: string } | null>(null);
  const [paid, setPaid] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const byDate = useMemo(() => {
    const dates = new Map<string, Receivable[]>();
    for (const r of rows) dates.set(r.dueOn, [...(dates.get(r.dueOn) ?? []), r]);
    return [...dates].map(([dueOn, list]) => ({ dueOn, count: list.length, owed: sum(list, (r) => r.confirmedAmount ?? r.amount), financed: sum(list, (r) => r.financed) }));
  }, [rows]);
  const pay = () =>
    run(async () => {
      if (!paying) return;
      const result = await payReceivable(paying.receivable.id, paying.key);
      setPaid(result.total);
      setPaying(null);
      onDone();
    });
  return (
    <div className="panel" data-testid="core-owed">
      <h3>{t('scfWhatWeOwe')}</h3>
      <DataTable
        testId="core-owed-by-date"
        rows={byDate}
        rowKey={(row) => row.dueOn}
        empty={t('empty')}
        columns={[
          { header: t('scfDueOn'), cell: (row) => <span className={today !== null && row.dueOn < today ? 'error' : ''}>{row.dueOn}</span> },
          { header: t('scfInvoices'), className: 'num', cell: (row) => row.count },
          { header: t('scfOwed'), className: 'num', cell: (row) => yuan(row.owed) },
          { header: t('scfOfWhichFinanced'), className: 'num', cell: (row) => yuan(row.financed) },
        ]}
      />
      <h4>{t('scfConfirmedPayables')}</h4>
      <DataTable
        testId="core-confirmed-list"
        cards
        rows={rows}
        rowKey={(r) => r.id}
        rowData={(r) => ({ 'data-invoice': r.invoiceNo })}
        empty={t('empty')}
        columns={[
          { header: t('scfInvoice'), cellClassName: 'mono small', cell: (r) => r.invoiceNo },
          { header: t('scfSupplier'), cell: (r) => r.sellerName },
          { header: t('scfConfirmedAmount'), className: 'num', cell: (r) => yuan(r.confirmedAmount ?? r.amount) },
          { header: t('scfFinanced'), className: 'num', cell: (r) => yuan(r.financed) },
          { header: t('scfDueOn'), cell: (r) => r.dueOn },
          {
            header: '',
            cell: (r) => (
              <button type="button" className="secondary" disabled={busy} onClick={() => setPaying({ receivable: r, key: idempotencyKey() })} data-testid="core-pay-review">
                {t('scfPay')}
              </button>
            ),
          },
        ]}
      />
      {paying && (
        <div className="confirm-box" data-testid="core-pay-box">
          <p>{today !== null && paying.receivable.dueOn > today ? t('scfPayEarly') : t('scfPayText')}</p>
          <dl className="facts">
            <Fact label={t('scfInvoice')} value={paying.receivable.invoiceNo} />
            <Fact label={t('scfDueOn')} value={paying.receivable.dueOn} />
            <Fact label={t('scfPayNow')} value={yuan(paying.receivable.confirmedAmount ?? paying.receivable.amount)} />
            <Fact label={t('scfToBank')} value={yuan(paying.receivable.financed)} />
          </dl>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={pay} data-testid="core-pay">
              {t('scfPay')} {yuan(paying.receivable.confirmedAmount ?? paying.receivable.amount)}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setPaying(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {paid && (
        <p className="ok" data-testid="core-paid-done">
          {t('scfPaidDone')} {yuan(paid)}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A row of a payables file or the form: seller (credit code or id), invoice, amount, dates, documents. */
interface PayableRow {
  readonly seller: string;
  readonly invoiceNo: string;
  readonly amount: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly documents: string;
}

/** The rows of a CSV with a header naming seller, invoice_no, amount, issued_on, due_on and optionally documents (as `sprout receivables import`). */
function parsePayables(text: string): PayableRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((cell) => cell.trim());
  const at = (cells: string[], name: string) => (header.indexOf(name) < 0 ? '' : (cells[header.indexOf(name)] ?? '').trim());
  return lines.map((line) => {
    const cells = line.split(',');
    return { seller: at(cells, 'seller'), invoiceNo: at(cells, 'invoice_no'), amount: at(cells, 'amount'), issuedOn: at(cells, 'issued_on'), dueOn: at(cells, 'due_on'), documents: at(cells, 'documents') };
  });
}

/** Payables entered by the core enterprise, one in the form or many from a file; each row registered on its own, refusals shown. */
function EnterPayables({ coreId, programme, onDone }: { readonly coreId: string; readonly programme: CoreProgramme; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const suppliers = programme.suppliers;
  const blank: PayableRow = { seller: suppliers[0]?.enterpriseId ?? '', invoiceNo: '', amount: '', issuedOn: '', dueOn: '', documents: '' };
  const [form, setForm] = useState<PayableRow>(blank);
  const [rows, setRows] = useState<PayableRow[]>([]);
  const [results, setResults] = useState<{ readonly invoiceNo: string; readonly outcome: string; readonly ok: boolean }[]>([]);
  const { busy, run } = useAction();
  const sellerId = (seller: string) => suppliers.find((s) => s.enterpriseId === seller || s.creditCode === seller)?.enterpriseId ?? seller;
  const sellerName = (seller: string) => suppliers.find((s) => s.enterpriseId === seller || s.creditCode === seller)?.name ?? seller;
  const submit = (list: readonly PayableRow[]) =>
    run(async () => {
      const outcomes = [];
      for (const row of list) {
        try {
          await registerReceivable({ coreEnterpriseId: coreId, sellerId: sellerId(row.seller), invoiceNo: row.invoiceNo, amount: row.amount, issuedOn: row.issuedOn, dueOn: row.dueOn, ...(row.documents ? { documents: row.documents } : {}) });
          outcomes.push({ invoiceNo: row.invoiceNo, outcome: t('scfRegistered'), ok: true });
        } catch (caught) {
          outcomes.push({ invoiceNo: row.invoiceNo, outcome: errorMessage(i18n, caught), ok: false });
        }
      }
      setResults(outcomes);
      setRows([]);
      setForm(blank);
      onDone();
    });
  const field = (key: keyof PayableRow, label: 'scfInvoice' | 'scfAmountYuan' | 'scfIssuedOn' | 'scfDueOn' | 'scfDocuments', type = 'text') => (
    <label>
      {t(label)}
      <input name={key} {...(type === 'date' ? DATE_INPUT : { type })} value={form[key]} onChange={(event) => setForm({ ...form, [key]: event.target.value })} />
    </label>
  );
  return (
    <div className="panel" data-testid="core-enter">
      <h3>{t('scfEnterPayables')}</h3>
      <p className="muted small">{t('scfEnterHint')}</p>
      <div className="form-grid">
        <label>
          {t('scfSupplier')}
          <select name="seller" value={form.seller} onChange={(event) => setForm({ ...form, seller: event.target.value })}>
            {suppliers.map((s) => (
              <option key={s.enterpriseId} value={s.enterpriseId}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {field('invoiceNo', 'scfInvoice')}
        {field('amount', 'scfAmountYuan')}
        {field('issuedOn', 'scfIssuedOn', 'date')}
        {field('dueOn', 'scfDueOn', 'date')}
        {field('documents', 'scfDocuments')}
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={busy || form.invoiceNo === '' || form.amount === ''} onClick={() => submit([form])} data-testid="core-enter-one">
          {t('scfRegisterPayable')}
        </button>
        <label className="link-button">
          {t('scfUploadCsv')}
          <input
            type="file"
            accept=".csv,text/csv"
            hidden
            data-testid="core-upload"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then((text) => setRows(parsePayables(text)));
              event.target.value = '';
            }}
          />
        </label>
      </div>
      {rows.length > 0 && (
        <div className="confirm-box" data-testid="core-upload-preview">
          <DataTable
            rows={rows}
            rowKey={(row) => `${row.seller}-${row.invoiceNo}`}
            columns={[
              { header: t('scfSupplier'), cell: (row) => sellerName(row.seller) },
              { header: t('scfInvoice'), cellClassName: 'mono small', cell: (row) => row.invoiceNo },
              { header: t('scfAmount'), className: 'num', cell: (row) => (/^\d+(\.\d{1,2})?$/.test(row.amount) ? yuan(row.amount) : row.amount) },
              { header: t('scfDueOn'), cell: (row) => row.dueOn },
            ]}
          />
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => submit(rows)} data-testid="core-upload-register">
              {t('scfRegisterRows')} ({rows.length})
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setRows([])}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {results.length > 0 && (
        <ul className="plain" data-testid="core-enter-results">
          {results.map((r) => (
            <li key={r.invoiceNo} className={r.ok ? 'ok' : 'error'}>
              <span className="mono">{r.invoiceNo}</span> {r.outcome}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
