/**
 * The enterprise 360 (企业全景): find an enterprise, then see it whole — the registry record, its
 * data as the three tables, its applications, lines and loans, and its history.
 */
import { useState, type FormEvent } from 'react';
import {
  applications,
  APPLICATION_STATUSES,
  dataSeries,
  enterprise as fetchEnterprise,
  history as fetchHistory,
  linesOf,
  loansOf,
  searchEnterprises,
} from '../api-portal';
import { DataTable } from '../components/DataTable';
import { SeriesCharts } from '../components/SeriesCharts';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { useI18n } from '../i18n';
import { actionText, classificationText, industryText, lineStatusText, localTime, sizeText, statusText } from '../portal-text';
import { QueueTable } from './ReviewPage';
import { OfficerSecurityPanel } from '../components/SecurityPanels';

export function EnterprisePage({ params, navigate }: { readonly params: URLSearchParams; readonly navigate: (to: string) => void }) {
  const id = params.get('id');
  return id ? <Enterprise360 id={id} navigate={navigate} /> : <EnterpriseSearch navigate={navigate} />;
}

function EnterpriseSearch({ navigate }: { readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const found = useApi(() => searchEnterprises(q), [q]);
  return (
    <section>
      <div className="page-title">
        <h2>{t('enterprise360')}</h2>
      </div>
      <form
        className="panel search"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setQ(text.trim());
        }}
      >
        <input name="q" value={text} placeholder={t('searchEnterprise')} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="primary">
          {t('search')}
        </button>
      </form>
      <div className="panel">
        {found.error && <p className="error">{found.error}</p>}
        <DataTable
          testId="enterprise-list"
          rows={found.data ?? []}
          rowKey={(row) => row.id}
          columns={[
            {
              header: t('enterpriseName'),
              cell: (row) => (
                <a href={`/enterprises?id=${row.id}`} onClick={(event) => { event.preventDefault(); navigate(`/enterprises?id=${row.id}`); }}>
                  {row.name}
                </a>
              ),
            },
            { header: t('creditCode'), cellClassName: 'mono', cell: (row) => row.creditCode },
            { header: t('industry'), cell: (row) => industryText(i18n, row.industry) },
            { header: t('sizeClass'), cell: (row) => sizeText(i18n, row.sizeClass) },
          ]}
        />
      </div>
    </section>
  );
}

function Enterprise360({ id, navigate }: { readonly id: string; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const firm = useApi(() => fetchEnterprise(id), [id]);
  const series = useApi(() => dataSeries(id), [id]);
  const apps = useApi(async () => (await Promise.all(APPLICATION_STATUSES.map((status) => applications(status, id).catch(() => [])))).flat(), [id]);
  const lines = useApi(() => linesOf(id), [id]);
  const loans = useApi(() => loansOf(id), [id]);
  const events = useApi(() => fetchHistory(id), [id]);

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
            <div className="fact"><dt>{t('regionCode')}</dt><dd>{firm.data.regionCode}</dd></div>
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
      {series.data ? <SeriesCharts series={series.data} /> : <p className="muted">{series.error ?? t('loading')}</p>}

      <div className="panel">
        <h3>{t('applications')}</h3>
        <QueueTable rows={apps.data ?? []} onOpen={(applicationId) => navigate(`/review?application=${applicationId}`)} />
      </div>

      <div className="panels two">
        <div className="panel">
          <h3>{t('line')}</h3>
          <DataTable
            rows={lines.data ?? []}
            rowKey={(line) => line.id}
            empty={t('empty')}
            columns={[
              { header: t('limit'), className: 'num', cell: (line) => yuan(line.limit) },
              { header: t('available'), className: 'num', cell: (line) => yuan(line.available) },
              { header: t('rate'), className: 'num', cell: (line) => percent(line.annualRate) },
              { header: t('term'), cell: (line) => <>{line.startOn} – {line.endOn}</> },
              { header: t('status'), cell: (line) => lineStatusText(i18n, line.status) },
            ]}
          />
        </div>
        <div className="panel">
          <h3>{t('loan')}</h3>
          <DataTable
            rows={loans.data ?? []}
            rowKey={(loan) => loan.id}
            empty={t('empty')}
            columns={[
              { header: t('outstanding'), className: 'num', cell: (loan) => yuan(loan.outstanding) },
              { header: t('maturityOn'), cell: (loan) => loan.maturityOn },
              { header: t('dpd'), className: 'num', cell: (loan) => loan.daysPastDue },
              { header: t('classification'), cell: (loan) => <span className={`badge ${loan.classification}`}>{classificationText(i18n, loan.classification)}</span> },
            ]}
          />
        </div>
      </div>

      <OfficerSecurityPanel enterpriseId={id} />

      <div className="panel">
        <h3>{t('history')}</h3>
        {events.error && <p className="error">{events.error}</p>}
        <ol className="timeline" data-testid="history">
          {(events.data ?? []).map((event) => (
            <li key={event.id}>
              <span className="muted small">{localTime(event.at)}</span> <strong>{actionText(i18n, event.action)}</strong> <span className="muted small">{event.actor}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
