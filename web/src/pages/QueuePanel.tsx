/**
 * The review queue as an officer works it (issue 14): applications of one status (or all),
 * searched, filtered to those past their service level, sorted and paged on the server, each
 * with how long it has waited. Also the enterprise 360's list of a firm's applications.
 */
import { useState, type FormEvent } from 'react';
import { applicationBook, type ApplicationQuery, type BookApplication } from '../api-book';
import { DataTable } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { useApi } from '../components/useApi';
import { productName, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { fill } from '../i18n-book';
import { reasonText, statusText } from '../portal-text';

const PAGE = 25;
const SORTS = ['age', 'limit', 'enterpriseName'] as const;
/**
 * The words for an order. The server orders `age` by the application's business date, so its
 * ascending (oldest first) lists the most days waited first: "days waiting, descending" on screen.
 */
const orderText = (sort: (typeof SORTS)[number], order: 'asc' | 'desc'): MessageKey => ((sort === 'age') === (order === 'asc') ? 'orderDesc' : 'orderAsc');

export function QueuePanel({ status, onOpen, title }: { readonly status: ApplicationQuery['status']; readonly onOpen: (id: string) => void; readonly title: string }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [query, setQuery] = useState<ApplicationQuery>({ sort: 'age', order: 'asc' });
  const [offset, setOffset] = useState(0);
  const page = useApi(() => applicationBook({ ...query, status, offset: String(offset), limit: String(PAGE) }), [query, offset, status]);
  const change = (next: Partial<ApplicationQuery>) => {
    setQuery({ ...query, ...next });
    setOffset(0);
  };
  return (
    <div className="panel" data-testid="queue-panel">
      <h3>
        {title} {page.data && <span className="muted small" data-testid="queue-total">· {page.data.total}</span>}
      </h3>
      <form className="filters" onSubmit={(event: FormEvent) => { event.preventDefault(); change({ q: text.trim() || undefined }); }}>
        <input type="search" name="q" value={text} placeholder={t('searchFirmShort')} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="primary">{t('search')}</button>
        <label className="check">
          <input type="checkbox" name="overSla" checked={query.overSla === 'true'} onChange={(event) => change({ overSla: event.target.checked ? 'true' : undefined })} />
          {t('overSlaOnly')}
        </label>
        <label>
          {t('sortBy')}
          <select name="sort" value={`${query.sort}:${query.order}`} onChange={(event) => { const [sort, order] = event.target.value.split(':'); change({ sort: sort as ApplicationQuery['sort'], order: order as ApplicationQuery['order'] }); }}>
            {SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => (
              <option key={`${sort}:${order}`} value={`${sort}:${order}`}>{t(`sort_${sort}` as MessageKey)} · {t(orderText(sort, order))}</option>
            )))}
          </select>
        </label>
      </form>
      {page.error && <p className="error" role="alert">{page.error}</p>}
      <ApplicationTable rows={page.data?.items ?? []} onOpen={onOpen} loading={!page.data} />
      {page.data && (
        <>
          <Pager offset={page.data.offset} limit={page.data.limit} total={page.data.total} onOffset={setOffset} testId="queue-pager" />
          <p className="muted small">{fill(t('slaNote'), { referred: page.data.sla.referredDays, confirm: page.data.sla.confirmationDays, version: page.data.sla.version, asOf: page.data.asOf })}</p>
        </>
      )}
    </div>
  );
}

export function ApplicationTable({ rows, onOpen, loading = false }: { readonly rows: readonly BookApplication[]; readonly onOpen: (id: string) => void; readonly loading?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <DataTable
      testId="queue"
      cards
      rows={rows}
      rowKey={(row) => row.id}
      empty={loading ? undefined : t('noRows')}
      rowData={(row) => ({ 'data-testid': 'queue-row', 'data-application': row.id, 'data-over-sla': String(row.overSla) })}
      columns={[
        { header: t('enterpriseName'), cell: (row) => row.enterpriseName },
        { header: t('product'), cell: (row) => productName(row.productName, row.productNameEn, i18n.language) },
        { header: t('proposedLimit'), className: 'num', cell: (row) => yuan(row.limit) },
        { header: t('status'), cell: (row) => <span className={`badge outcome-${row.status}`}>{statusText(i18n, row.status)}</span> },
        { header: t('reasons'), cellClassName: 'wrap', cell: (row) => row.reasonCodes.map((code) => reasonText(i18n, code)).join('；') },
        { header: t('asOf'), cell: (row) => row.businessDate },
        {
          header: t('waitedDays'),
          className: 'num',
          cell: (row) => (
            <span data-testid="age">
              {row.ageDays} {t('days')}
              {row.overSla && <span className="badge late"> {t('slaBreached')}</span>}
            </span>
          ),
        },
        {
          header: null,
          cell: (row) => (
            <button type="button" className="secondary" onClick={() => onOpen(row.id)} data-testid="open-application">{t('open')}</button>
          ),
        },
      ]}
    />
  );
}
