/**
 * The enterprise 360 (企业全景): find an enterprise (the registry searched, filtered and paged on
 * the server), then see it whole — the registry record, its data as the three tables, its
 * applications, lines and loans, and its history in business-date order. A part the caller's role
 * may not read says so in words, never as an empty list.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { applicationBook, enterpriseBook, type EnterpriseQuery } from '../api-book';
import { Pager } from '../components/Pager';
import { fill } from '../i18n-book';
import {
  dataSeries,
  enterprise as fetchEnterprise,
  history as fetchHistory,
  linesOf,
  loansOf,
  me,
} from '../api-portal';
import { DataTable } from '../components/DataTable';
import { SeriesCharts } from '../components/SeriesCharts';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { useI18n } from '../i18n';
import { actionText, classificationText, industryText, lineStatusText, localTime, regionText, industryCodeText, roleText, sizeText } from '../portal-text';
import { OfficerSecurityPanel } from '../components/SecurityPanels';
import { EnterpriseTimeline } from '../components/EnterpriseTimeline';
import { ApplicationTable } from './QueuePanel';

export function EnterprisePage({ params, navigate }: { readonly params: URLSearchParams; readonly navigate: (to: string) => void }) {
  const id = params.get('id');
  return id ? <Enterprise360 id={id} navigate={navigate} /> : <EnterpriseSearch navigate={navigate} />;
}

const PAGE = 25;

function EnterpriseSearch({ navigate }: { readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [query, setQuery] = useState<EnterpriseQuery>({ sort: 'name', order: 'asc' });
  const [offset, setOffset] = useState(0);
  const found = useApi(() => enterpriseBook({ ...query, offset: String(offset), limit: String(PAGE) }), [query, offset]);
  const change = (next: Partial<EnterpriseQuery>) => {
    setQuery({ ...query, ...next });
    setOffset(0);
  };
  return (
    <section>
      <div className="page-title">
        <h2>{t('enterprise360')}</h2>
      </div>
      <div className="panel">
        <form className="filters search" onSubmit={(event: FormEvent) => { event.preventDefault(); change({ q: text.trim() || undefined }); }}>
          <input type="search" name="q" value={text} placeholder={t('searchEnterprise')} onChange={(event) => setText(event.target.value)} />
          <button type="submit" className="primary">{t('search')}</button>
          <label>
            {t('customerBadge')}
            <select name="customer" value={query.customer ?? ''} onChange={(event) => change({ customer: (event.target.value || undefined) as EnterpriseQuery['customer'] })}>
              <option value="">{t('filterAll')}</option>
              <option value="true">{t('customersOnly')}</option>
              <option value="false">{t('notCustomers')}</option>
            </select>
          </label>
          <label>
            {t('sortBy')}
            <select name="sort" value={query.sort} onChange={(event) => change({ sort: event.target.value as EnterpriseQuery['sort'], order: event.target.value === 'name' ? 'asc' : 'desc' })}>
              {(['name', 'outstanding', 'createdAt', 'registeredOn'] as const).map((sort) => <option key={sort} value={sort}>{t(`sort_${sort}`)}</option>)}
            </select>
          </label>
        </form>
        {found.error && <p className="error">{found.error}</p>}
        <DataTable
          testId="enterprise-list"
          cards
          rows={found.data?.items ?? []}
          rowKey={(row) => row.id}
          empty={found.data ? t('noRows') : undefined}
          columns={[
            {
              header: t('enterpriseName'),
              cell: (row) => (
                <a href={`/enterprises?id=${row.id}`} onClick={(event) => { event.preventDefault(); navigate(`/enterprises?id=${row.id}`); }}>
                  {row.name}
                </a>
              ),
            },
            { header: t('creditCode'), cellClassName: 'mono', cell: (row) => row.creditCode ?? '—' },
            { header: t('industry'), cell: (row) => industryText(i18n, row.industry) },
            { header: t('sizeClass'), cell: (row) => sizeText(i18n, row.sizeClass) },
            { header: t('activeLoans'), className: 'num', cell: (row) => row.activeLoans },
            { header: t('outstanding'), className: 'num', cell: (row) => yuan(row.outstanding) },
            { header: t('customerBadge'), cell: (row) => (row.customer ? <span className="badge customer">{t('customerBadge')}</span> : '—') },
          ]}
        />
        {found.data && <Pager offset={found.data.offset} limit={found.data.limit} total={found.data.total} onOffset={setOffset} testId="enterprise-pager" />}
      </div>
    </section>
  );
}

/** A part of the 360 the caller's role may not read: said plainly, not shown as empty. */
function Refused({ error, what }: { readonly error: string | null; readonly what: string }) {
  const i18n = useI18n();
  const who = useApi(() => me(), []);
  if (error === null) return null;
  return <p className="muted" data-testid="not-visible">{error === FORBIDDEN && who.data ? fill(i18n.t('notVisibleToRole'), { role: roleText(i18n, who.data.role), what }) : error}</p>;
}

/** What `useApi` holds for a 403, so the 360 can say which part a role may not see. */
const FORBIDDEN = 'forbidden';
const orForbidden = async <T,>(load: Promise<T>): Promise<T> => {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) throw new Error(FORBIDDEN);
    throw error;
  }
};

function Enterprise360({ id, navigate }: { readonly id: string; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const firm = useApi(() => fetchEnterprise(id), [id]);
  const series = useApi(() => orForbidden(dataSeries(id)), [id]);
  // Every status in one call, newest first: the firm's whole story, not five guesses.
  const apps = useApi(() => orForbidden(applicationBook({ enterpriseId: id, sort: 'age', order: 'desc', limit: '100' })), [id]);
  const lines = useApi(() => orForbidden(linesOf(id)), [id]);
  const loans = useApi(() => orForbidden(loansOf(id)), [id]);
  const events = useApi(() => orForbidden(fetchHistory(id)), [id]);

  return (
    <section>
      <div className="page-title">
        <button type="button" className="link-button" onClick={() => navigate('/enterprises')}>
          ← {t('enterprise360')}
        </button>
        <h2 data-testid="enterprise-name">{firm.data?.name ?? '…'}</h2>
        {firm.data && <span className="badge normal">{sizeText(i18n, firm.data.sizeClass)}</span>}
      </div>
      {firm.error && <p className="error">{firm.error}</p>}
      {firm.data && (
        <div className="panel">
          <h3>{t('registry')}</h3>
          <dl className="facts">
            <div className="fact"><dt>{t('creditCode')}</dt><dd className="mono">{firm.data.creditCode}</dd></div>
            <div className="fact"><dt>{t('industry')}</dt><dd>{industryText(i18n, firm.data.industry)}</dd></div>
            <div className="fact"><dt>{t('region')}</dt><dd data-testid="firm-region">{regionText(i18n, firm.data)}</dd></div>
            <div className="fact"><dt>{t('industryCode')}</dt><dd data-testid="firm-industry-code">{industryCodeText(i18n, firm.data)}</dd></div>
            <div className="fact"><dt>{t('registeredOn')}</dt><dd>{firm.data.registeredOn}</dd></div>
            <div className="fact"><dt>{t('employees')}</dt><dd className="num">{firm.data.employees}</dd></div>
            <div className="fact"><dt>{t('revenue')}</dt><dd className="num">{firm.data.revenue ? yuan(firm.data.revenue) : '—'}</dd></div>
            <div className="fact"><dt>{t('assets')}</dt><dd className="num">{firm.data.assets ? yuan(firm.data.assets) : '—'}</dd></div>
          </dl>
          {(firm.data.owners ?? []).length > 0 && (
            <DataTable
              rows={firm.data.owners}
              rowKey={(_owner, index) => index}
              columns={[
                { header: t('ownerName'), cell: (owner) => owner.name },
                { header: t('idNumber'), cellClassName: 'mono', cell: (owner) => owner.idNumber },
                { header: t('phone'), cellClassName: 'mono', cell: (owner) => owner.phone },
                { header: t('ownerShare'), className: 'num', cell: (owner) => owner.share },
              ]}
            />
          )}
        </div>
      )}

      <h3 className="section-title">{t('threeTables')}</h3>
      {series.data ? <SeriesCharts series={series.data} /> : series.error ? <Refused error={series.error} what={t('threeTables')} /> : <p className="muted">{t('loading')}</p>}

      <div className="panel">
        <h3>{t('applications')}</h3>
        <Refused error={apps.error} what={t('applications')} />
        {!apps.error && <ApplicationTable rows={apps.data?.items ?? []} loading={!apps.data} onOpen={(applicationId) => navigate(`/review?application=${applicationId}`)} />}
      </div>

      <div className="panels two">
        <div className="panel">
          <h3>{t('line')}</h3>
          <Refused error={lines.error} what={t('line')} />
          <DataTable
            cards
            testId="enterprise-lines"
            rows={lines.data ?? []}
            rowKey={(line) => line.id}
            rowData={(line) => ({ 'data-testid': 'enterprise-line-row', 'data-line': line.id })}
            empty={t('empty')}
            columns={[
              {
                header: t('limit'),
                className: 'num',
                cell: (line) => (
                  <a href={`/loans?line=${line.id}`} onClick={(event) => { event.preventDefault(); navigate(`/loans?line=${line.id}`); }} data-testid="open-line">{yuan(line.limit)}</a>
                ),
              },
              { header: t('available'), className: 'num', cell: (line) => yuan(line.available) },
              { header: t('rate'), className: 'num', cell: (line) => percent(line.annualRate) },
              { header: t('term'), cell: (line) => <>{line.startOn} – {line.endOn}</> },
              { header: t('status'), cell: (line) => lineStatusText(i18n, line.status) },
            ]}
          />
        </div>
        <div className="panel">
          <h3>{t('loan')}</h3>
          <Refused error={loans.error} what={t('loan')} />
          <DataTable
            cards
            rows={loans.data ?? []}
            rowKey={(loan) => loan.id}
            empty={t('empty')}
            columns={[
              {
                header: t('noteNo'),
                cellClassName: 'mono',
                cell: (loan) => (
                  <a href={`/loans?id=${loan.id}`} onClick={(event) => { event.preventDefault(); navigate(`/loans?id=${loan.id}`); }}>{loan.noteNo}</a>
                ),
              },
              { header: t('outstanding'), className: 'num', cell: (loan) => yuan(loan.outstanding) },
              { header: t('maturityOn'), cell: (loan) => loan.maturityOn },
              { header: t('dpd'), className: 'num', cell: (loan) => loan.daysPastDue },
              { header: t('classification'), cell: (loan) => <span className={`badge ${loan.classification}`}>{classificationText(i18n, loan.classification)}</span> },
            ]}
          />
        </div>
      </div>

      <OfficerSecurityPanel enterpriseId={id} />

      <EnterpriseTimeline enterpriseId={id} />

      <div className="panel">
        <h3>{t('history')}</h3>
        <Refused error={events.error} what={t('history')} />
        <ol className="timeline" data-testid="history">
          {(events.data ?? []).map((event) => (
            <li key={event.id}>
              <span className="mono small" data-testid="history-date">{event.businessDate ?? '—'}</span> <span className="muted small">{localTime(event.at)}</span> <strong>{actionText(i18n, event.action)}</strong> <span className="muted small">{event.actor}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
