/**
 * The loan book for staff (issue 14): every loan with its firm, searched, filtered, sorted and
 * paged on the server, saying how many there are; each row opens the staff loan page, and its
 * product the staff page of the credit line it was drawn from. A kind switch shows the supply-chain
 * financings instead (GET /v1/book/financings), under the supplier that received the money, with
 * the same status, five-category and overdue filters.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { financingBook, loanBook, loanBookCsvUrl, type FinancingQuery, type LoanQuery } from '../api-book';
import { DataTable } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { useApi } from '../components/useApi';
import { percent, productName, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { classificationText, loanStatusText } from '../portal-text';

/** A hundred lines a page: what the book showed before, now with the total and the rest a page away. */
const PAGE = 100;
const SORTS = ['disbursedOn', 'maturityOn', 'outstanding', 'daysPastDue', 'enterpriseName'] as const;
const STATUSES = ['active', 'closed', 'written-off', 'renewed'] as const;
const CLASSES = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'] as const;

const KINDS = ['loans', 'financings'] as const;
type Kind = (typeof KINDS)[number];
const FINANCING_SORTS = ['financedOn', 'dueOn', 'outstanding', 'daysPastDue', 'enterpriseName'] as const;
const FINANCING_STATUSES = ['active', 'overdue', 'settled'] as const;

type RiskQuery = Pick<LoanQuery, 'classification' | 'overdue'>;

/** The five-category and overdue filters, the same for loans and financings. */
function RiskFilters({ query, change }: { readonly query: RiskQuery; readonly change: (next: RiskQuery) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <>
      <label>
        {t('classification')}
        <select name="classification" value={query.classification ?? ''} onChange={(event) => change({ classification: (event.target.value || undefined) as RiskQuery['classification'] })}>
          <option value="">{t('filterAll')}</option>
          {CLASSES.map((category) => <option key={category} value={category}>{classificationText(i18n, category)}</option>)}
        </select>
      </label>
      <label>
        {t('dpd')}
        <select name="overdue" value={query.overdue ?? ''} onChange={(event) => change({ overdue: (event.target.value || undefined) as RiskQuery['overdue'] })}>
          <option value="">{t('filterAll')}</option>
          <option value="true">{t('overdueOnly')}</option>
          <option value="false">{t('notOverdue')}</option>
        </select>
      </label>
    </>
  );
}

export function LoanBook({ navigate }: { readonly navigate: (to: string) => void }) {
  const [kind, setKind] = useState<Kind>('loans');
  return kind === 'loans' ? <LoanList navigate={navigate} kind={<KindSelect kind={kind} onKind={setKind} />} /> : <FinancingList kind={<KindSelect kind={kind} onKind={setKind} />} />;
}

/** Loans or supply-chain financings. */
function KindSelect({ kind, onKind }: { readonly kind: Kind; readonly onKind: (kind: Kind) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('bookKind')}
      <select name="kind" value={kind} onChange={(event) => onKind(event.target.value as Kind)} data-testid="book-kind">
        {KINDS.map((k) => <option key={k} value={k}>{t(`bookKind_${k}` as MessageKey)}</option>)}
      </select>
    </label>
  );
}

function LoanList({ navigate, kind }: { readonly navigate: (to: string) => void; readonly kind: ReactNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [query, setQuery] = useState<LoanQuery>({ sort: 'disbursedOn', order: 'desc' });
  const [offset, setOffset] = useState(0);
  const page = useApi(() => loanBook({ ...query, offset: String(offset), limit: String(PAGE) }), [query, offset]);
  const change = (next: Partial<LoanQuery>) => {
    setQuery({ ...query, ...next });
    setOffset(0);
  };
  const open = (id: string) => navigate(`/loans?id=${id}`);

  return (
    <div className="panel" data-testid="loan-book">
      <h3>
        {t('loanBook')} {page.data && <span className="muted small" data-testid="loan-total">· {page.data.total}</span>}
        <a className="button secondary small-button" href={loanBookCsvUrl(query)} download data-testid="export-loans-csv">{t('exportCsv')}</a>
      </h3>
      <form
        className="filters"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          change({ q: text.trim() || undefined });
        }}
      >
        {kind}
        <input type="search" name="q" value={text} placeholder={t('searchFirm')} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="primary">{t('search')}</button>
        <label>
          {t('status')}
          <select name="status" value={query.status ?? ''} onChange={(event) => change({ status: (event.target.value || undefined) as LoanQuery['status'] })}>
            <option value="">{t('filterAll')}</option>
            {STATUSES.map((status) => <option key={status} value={status}>{loanStatusText(i18n, status)}</option>)}
          </select>
        </label>
        <RiskFilters query={query} change={change} />
        <label>
          {t('sortBy')}
          <select name="sort" value={`${query.sort}:${query.order}`} onChange={(event) => { const [sort, order] = event.target.value.split(':'); change({ sort: sort as LoanQuery['sort'], order: order as LoanQuery['order'] }); }}>
            {SORTS.flatMap((sort) => (['desc', 'asc'] as const).map((order) => (
              <option key={`${sort}:${order}`} value={`${sort}:${order}`}>{t(`sort_${sort}` as MessageKey)} · {t(order === 'asc' ? 'orderAsc' : 'orderDesc')}</option>
            )))}
          </select>
        </label>
      </form>
      {page.error && <p className="error" role="alert">{page.error}</p>}
      <DataTable
        testId="loans-table"
        cards
        rows={page.data?.items ?? []}
        rowKey={(loan) => loan.id}
        rowData={(loan) => ({ 'data-testid': 'loan-row', 'data-loan': loan.id })}
        empty={page.data ? t('noRows') : undefined}
        columns={[
          {
            header: t('firm'),
            cell: (loan) => (
              <a href={`/loans?id=${loan.id}`} onClick={(event) => { event.preventDefault(); open(loan.id); }}>{loan.enterpriseName}</a>
            ),
          },
          { header: t('noteNo'), cellClassName: 'mono', cell: (loan) => loan.noteNo },
          {
            // The product names the line the loan was drawn from; it opens the staff line page.
            header: t('product'),
            cell: (loan) =>
              loan.lineId === null ? (
                productName(loan.productName, loan.productNameEn, i18n.language)
              ) : (
                <a href={`/loans?line=${loan.lineId}`} title={t('openLine')} onClick={(event) => { event.preventDefault(); navigate(`/loans?line=${loan.lineId}`); }} data-testid="open-line">
                  {productName(loan.productName, loan.productNameEn, i18n.language)}
                </a>
              ),
          },
          { header: t('principal'), className: 'num', cell: (loan) => yuan(loan.principal) },
          { header: t('outstanding'), className: 'num', cell: (loan) => yuan(loan.outstanding) },
          { header: t('rate'), className: 'num', cell: (loan) => percent(loan.annualRate) },
          { header: t('disbursedOn'), cell: (loan) => loan.disbursedOn },
          { header: t('maturityOn'), cell: (loan) => loan.maturityOn },
          { header: t('dpd'), className: 'num', cell: (loan) => loan.daysPastDue },
          { header: t('classification'), cell: (loan) => <span className={`badge ${loan.classification}`}>{classificationText(i18n, loan.classification)}</span> },
          { header: t('status'), cell: (loan) => loanStatusText(i18n, loan.status) },
          {
            header: null,
            cell: (loan) => (
              <button type="button" className="secondary" onClick={() => open(loan.id)} data-testid="open-loan">{t('openLoan')}</button>
            ),
          },
        ]}
      />
      {page.data && <Pager offset={page.data.offset} limit={page.data.limit} total={page.data.total} onOffset={setOffset} />}
    </div>
  );
}

/** The supply-chain financings: each under its supplier (the borrower), with its core enterprise and invoice. */
function FinancingList({ kind }: { readonly kind: ReactNode }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [query, setQuery] = useState<FinancingQuery>({ sort: 'financedOn', order: 'desc' });
  const [offset, setOffset] = useState(0);
  const page = useApi(() => financingBook({ ...query, offset: String(offset), limit: String(PAGE) }), [query, offset]);
  const change = (next: Partial<FinancingQuery>) => {
    setQuery({ ...query, ...next });
    setOffset(0);
  };
  return (
    <div className="panel" data-testid="financing-book">
      <h3>
        {t('loanBook')} · {t('bookKind_financings')} {page.data && <span className="muted small" data-testid="financing-total">· {page.data.total}</span>}
      </h3>
      <p className="muted small">{t('bookScfHint')}</p>
      <form
        className="filters"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          change({ q: text.trim() || undefined });
        }}
      >
        {kind}
        <input type="search" name="q" value={text} placeholder={t('bookScfSearch')} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="primary">{t('search')}</button>
        <label>
          {t('status')}
          <select name="status" value={query.status ?? ''} onChange={(event) => change({ status: (event.target.value || undefined) as FinancingQuery['status'] })}>
            <option value="">{t('filterAll')}</option>
            {FINANCING_STATUSES.map((status) => <option key={status} value={status}>{t(`bookScfStatus_${status}` as MessageKey)}</option>)}
          </select>
        </label>
        <RiskFilters query={query} change={change} />
        <label>
          {t('sortBy')}
          <select name="sort" value={`${query.sort}:${query.order}`} onChange={(event) => { const [sort, order] = event.target.value.split(':'); change({ sort: sort as FinancingQuery['sort'], order: order as FinancingQuery['order'] }); }}>
            {FINANCING_SORTS.flatMap((sort) => (['desc', 'asc'] as const).map((order) => (
              <option key={`${sort}:${order}`} value={`${sort}:${order}`}>{t(`sort_${sort}` as MessageKey)} · {t(order === 'asc' ? 'orderAsc' : 'orderDesc')}</option>
            )))}
          </select>
        </label>
      </form>
      {page.error && <p className="error" role="alert">{page.error}</p>}
      <DataTable
        testId="financings-table"
        cards
        rows={page.data?.items ?? []}
        rowKey={(row) => row.id}
        rowData={(row) => ({ 'data-testid': 'financing-row', 'data-financing': row.id })}
        empty={page.data ? t('noRows') : undefined}
        columns={[
          { header: t('bookScfSupplier'), cell: (row) => row.supplierName },
          { header: t('bookScfCore'), cell: (row) => row.coreEnterpriseName },
          { header: t('bookScfInvoice'), cellClassName: 'mono', cell: (row) => row.invoiceNo },
          { header: t('principal'), className: 'num', cell: (row) => yuan(row.principal) },
          { header: t('outstanding'), className: 'num', cell: (row) => yuan(row.outstanding) },
          { header: t('rate'), className: 'num', cell: (row) => percent(row.annualRate) },
          { header: t('bookScfFinancedOn'), cell: (row) => row.financedOn },
          { header: t('bookScfDueOn'), cell: (row) => row.dueOn },
          { header: t('dpd'), className: 'num', cell: (row) => row.daysPastDue },
          { header: t('classification'), cell: (row) => <span className={`badge ${row.classification}`}>{classificationText(i18n, row.classification)}</span> },
          { header: t('status'), cell: (row) => t(`bookScfStatus_${row.status}` as MessageKey) },
        ]}
      />
      {page.data && <Pager offset={page.data.offset} limit={page.data.limit} total={page.data.total} onOffset={setOffset} />}
    </div>
  );
}
