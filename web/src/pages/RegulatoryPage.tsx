/**
 * The regulatory reports for management (监管报表, issue 15): choose a report and its date (and the
 * start of the period for migration and renewals), see its tables — inclusive lending with the
 * 两增两控 checks, the five categories, the migration matrix (whole book or one segment), renewals,
 * foreign-trade firms — with a chart and the breakdowns by province, city, industry and size;
 * download it as CSV or XLSX; store a run (figures, definition version, digest) and submit it for
 * filing, which a second person confirms (maker-checker `report.file`). Every figure is the API's
 * decimal string, regrouped for reading only.
 */
import { useMemo, useState } from 'react';
import type { User } from '../api';
import { worklist } from '../api-book';
import { decideApproval } from '../api-portal';
import {
  askToFile,
  DIMENSIONS,
  regulatoryReport,
  reportExportUrl,
  reportRuns,
  REPORT_NAMES,
  storeReportRun,
  type BreakdownRow,
  type CheckStatus,
  type Dimension,
  type FiveCategoryReport,
  type ForeignTradeReport,
  type InclusiveReport,
  type MigrationReport,
  type MigrationRow,
  type RenewalsReport,
  type ReportName,
  type ReportRun,
} from '../api-regulatory';
import { CODE_TEXT_PREFIX } from '../code-texts';
import { DataTable } from '../components/DataTable';
import { EChart } from '../components/EChart';
import { useAction } from '../components/useAction';
import { useApi } from '../components/useApi';
import { compactYuan, groupDigits, percent, yuan } from '../format';
import { bracketText, MESSAGES, punctuationOf, useI18n, type I18n, type MessageKey } from '../i18n';
import { classificationText, localTime } from '../portal-text';
import { Kpi } from '../components/Kpi';

/** Roles that may store a run and ask for filing (POST /v1/reports/runs…); the auditor only reads. */
const RUNNERS: readonly string[] = ['management', 'risk-officer', 'admin'];
const WITH_PERIOD: readonly ReportName[] = ['migration', 'renewals'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const code = (i18n: I18n, family: keyof typeof CODE_TEXT_PREFIX, value: string) => {
  const key = `${CODE_TEXT_PREFIX[family]}${value}`;
  return key in MESSAGES.zh ? i18n.t(key as MessageKey) : value;
};
const segmentName = (i18n: I18n, row: { name?: string | undefined; nameZh?: string | undefined; key: string }) => (i18n.language === 'zh' ? (row.nameZh ?? row.key) : (row.name ?? row.key));
const toNumber = (amount: string) => Number(amount);

export function RegulatoryPage({ user }: { readonly user: User }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [name, setName] = useState<ReportName>('inclusive');
  const [asOfText, setAsOfText] = useState('');
  const [fromText, setFromText] = useState('');
  const [query, setQuery] = useState<{ asOf?: string; from?: string }>({});
  const report = useApi(() => regulatoryReport(name, query), [name, query]);
  const canRun = RUNNERS.includes(user.role);
  const runs = useApi(() => reportRuns(), []);
  const work = useApi(() => (canRun ? worklist() : Promise.resolve(undefined)), [canRun]);
  const store = useAction();
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const data = report.data?.report === name ? report.data : undefined;
  const invalid = (asOfText !== '' && !DATE.test(asOfText)) || (fromText !== '' && !DATE.test(fromText));

  const choose = (next: ReportName) => {
    setName(next);
    setNotice(null);
    setFromText('');
    setQuery((current) => ({ asOf: current.asOf }));
  };

  return (
    <section className="regulatory">
      <div className="page-title">
        <h2>{t('regulatoryTitle')}</h2>
        <span className="muted small">{t('regulatoryNote')}</span>
      </div>
      <div className="panel">
        <div className="tabs" role="tablist">
          {REPORT_NAMES.map((item) => (
            <button key={item} type="button" role="tab" aria-selected={name === item} className={name === item ? 'tab active' : 'tab'} onClick={() => choose(item)} data-testid={`report-${item}`}>
              {code(i18n, 'reportName', item)}
            </button>
          ))}
        </div>
        <form
          className="filters"
          style={{ marginTop: '0.75rem', marginBottom: 0 }}
          onSubmit={(event) => {
            event.preventDefault();
            if (invalid) return;
            setNotice(null);
            setQuery({ ...(asOfText ? { asOf: asOfText } : {}), ...(fromText && WITH_PERIOD.includes(name) ? { from: fromText } : {}) });
          }}
        >
          {WITH_PERIOD.includes(name) && (
            <label>
              {t('periodFrom')}
              <input name="from" value={fromText} placeholder={data && 'from' in data ? data.from : 'YYYY-MM-DD'} onChange={(event) => setFromText(event.target.value.trim())} inputMode="numeric" size={11} data-testid="report-from" />
            </label>
          )}
          <label>
            {t('reportDate')}
            <input name="asOf" value={asOfText} placeholder={data?.asOf ?? 'YYYY-MM-DD'} onChange={(event) => setAsOfText(event.target.value.trim())} inputMode="numeric" size={11} data-testid="report-as-of" />
          </label>
          <button type="submit" className="primary" disabled={invalid} data-testid="report-show">
            {t('showReport')}
          </button>
          {data && (
            <>
              <a className="button secondary" href={reportExportUrl(name, 'csv', data)} download data-testid="report-csv">
                {t('downloadCsv')}
              </a>
              <a className="button secondary" href={reportExportUrl(name, 'xlsx', data)} download data-testid="report-xlsx">
                {t('downloadXlsx')}
              </a>
              {canRun && (
                <button
                  type="button"
                  className="secondary"
                  disabled={store.busy}
                  data-testid="report-store"
                  onClick={() =>
                    store.run(async () => {
                      await storeReportRun(name, data);
                      setNotice('runStored');
                      runs.reload();
                    })
                  }
                >
                  {t('storeRun')}
                </button>
              )}
            </>
          )}
        </form>
        {invalid && <p className="error small">{t('reportDate')}{punctuationOf(i18n).colon}YYYY-MM-DD</p>}
        {store.error && <p className="error" role="alert">{store.error}</p>}
        {notice && <p className="muted" data-testid="report-notice">{t(notice)}</p>}
      </div>
      {report.error && <p className="error" role="alert" data-testid="report-error">{report.error}</p>}
      {!data && !report.error && <p className="muted">{t('loading')}</p>}
      {data?.report === 'inclusive' && <Inclusive report={data} />}
      {data?.report === 'five-category' && <FiveCategory report={data} />}
      {data?.report === 'migration' && <Migration report={data} />}
      {data?.report === 'renewals' && <Renewals report={data} />}
      {data?.report === 'foreign-trade' && <ForeignTrade report={data} />}
      <Runs runs={runs.data} items={work.data?.items ?? []} me={user.username} canRun={canRun} onChanged={() => (runs.reload(), work.reload())} />
    </section>
  );
}


function StatusBadge({ status }: { readonly status: CheckStatus }) {
  const i18n = useI18n();
  const colour = status === 'met' ? 'normal' : status === 'not-met' ? 'doubtful' : 'special-mention';
  return <span className={`badge ${colour}`}>{code(i18n, 'checkStatus', status)}</span>;
}

/** A check input's value: money as yuan, percents with %, counts as they are. */
function inputText(key: string, value: string | number | null): string {
  if (value === null) return '—';
  if (typeof value === 'number') return groupDigits(String(value));
  // The tolerance is in percentage points, named so in its label.
  if (key === 'tolerance') return value;
  if (/rate|growth|ratio/i.test(key)) return percent(value);
  return yuan(value);
}

function Inclusive({ report }: { readonly report: InclusiveReport }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <>
      <div className="kpis">
        <Kpi label={t('inclusiveBalance')} value={yuan(report.inclusive.balance)} testId="inclusive-balance" />
        <Kpi label={t('inclusiveBorrowers')} value={groupDigits(String(report.inclusive.borrowers))} testId="inclusive-borrowers" />
        <Kpi label={t('inclusiveNpl')} value={percent(report.inclusive.nplRatio)} />
        <Kpi label={t('allBalance')} value={yuan(report.all.balance)} testId="all-balance" />
        <Kpi label={t('allNpl')} value={percent(report.all.nplRatio)} />
        <Kpi label={t('definitionVersion')} value={report.definition} />
      </div>
      <div className="panel">
        <h3>
          {t('twoUpTwoControl')} · {t('reportDate')} {report.asOf} · {t('startOfYear')} {report.startOfYear}
        </h3>
        <DataTable
          testId="inclusive-checks"
          cards
          rows={report.checks}
          rowKey={(check) => check.id}
          rowData={(check) => ({ 'data-check': check.id, 'data-status': check.status })}
          columns={[
            { header: t('check'), cellClassName: 'wrap', cell: (check) => code(i18n, 'reportCheck', check.id) },
            { header: t('checkResult'), cell: (check) => <StatusBadge status={check.status} /> },
            {
              header: t('checkInputs'),
              cellClassName: 'small',
              // One input a line, so the cell is as wide as its longest input, not all of them.
              cell: (check) => (
                <div>
                  {Object.entries(check.inputs).map(([key, value]) => (
                    <div key={key}>
                      {`in_${key}` in MESSAGES.zh ? t(`in_${key}` as MessageKey) : key} {inputText(key, value)}
                    </div>
                  ))}
                </div>
              ),
            },
          ]}
        />
      </div>
      <Breakdowns breakdowns={report.breakdowns} chart="inclusive-by-segment" />
    </>
  );
}

function Breakdowns({ breakdowns, chart, categories }: { readonly breakdowns: Record<Dimension, readonly BreakdownRow[]>; readonly chart: string; readonly categories?: boolean }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const [dimension, setDimension] = useState<Dimension>('province');
  const rows = breakdowns[dimension];
  const option = useMemo(() => {
    const top = [...rows].slice(0, 12).reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (value: number) => compactYuan(value, language) } },
      yAxis: { type: 'category', data: top.map((row) => (dimension === 'size' ? code(i18n, 'sizeClass', row.key) : segmentName(i18n, row))), axisLabel: { fontSize: 11 } },
      series: [{ type: 'bar', data: top.map((row) => toNumber(row.balance)), itemStyle: { color: '#1f7a4d' } }],
    };
  }, [rows, dimension, language]);
  return (
    <div className="panel">
      <div className="panel-head">
        <div className="tabs" role="tablist">
          {DIMENSIONS.map((item) => (
            <button key={item} type="button" role="tab" aria-selected={dimension === item} className={dimension === item ? 'tab active' : 'tab'} onClick={() => setDimension(item)} data-testid={`dimension-${item}`}>
              {t(`dim_${item}`)}
            </button>
          ))}
        </div>
      </div>
      {rows.length > 0 && <EChart name={chart} option={option} height={Math.max(180, Math.min(rows.length, 12) * 28 + 40)} />}
      <DataTable
        testId="breakdown"
        rows={rows}
        rowKey={(row) => row.key}
        rowData={(row) => ({ 'data-key': row.key })}
        empty={t('empty')}
        columns={[
          { header: t('segmentName'), cell: (row) => (dimension === 'size' ? code(i18n, 'sizeClass', row.key) : segmentName(i18n, row)) },
          { header: t('balance'), className: 'num', cell: (row) => yuan(row.balance) },
          { header: t('loansCount'), className: 'num', cell: (row) => row.loans },
          { header: t('borrowers'), className: 'num', cell: (row) => row.borrowers },
          { header: t('nplRatio'), className: 'num', cell: (row) => percent(row.nplRatio) },
          { header: t('averageRate'), className: 'num', cell: (row) => percent(row.averageRate) },
          ...(categories ? (['normal', 'special-mention', 'substandard', 'doubtful', 'loss'] as const).map((category, index) => ({ header: classificationText(i18n, category), className: 'num', cell: (row: BreakdownRow) => yuan(row.categories[index]!) })) : []),
        ]}
      />
    </div>
  );
}

function FiveCategory({ report }: { readonly report: FiveCategoryReport }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 16, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'category', data: report.categories.map((row) => classificationText(i18n, row.category)) },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => compactYuan(value, language) } },
      series: [{ type: 'bar', data: report.categories.map((row, index) => ({ value: toNumber(row.balance), itemStyle: { color: ['#1f7a4d', '#c49a2c', '#d9822b', '#c0392b', '#7a1f2b'][index] } })) }],
    }),
    [report, language],
  );
  return (
    <>
      <div className="kpis">
        <Kpi label={t('balance')} value={yuan(report.total.balance)} testId="five-total-balance" />
        <Kpi label={t('loansCount')} value={groupDigits(String(report.total.loans))} />
        <Kpi label={t('nplBalance')} value={yuan(report.total.nplBalance)} />
        <Kpi label={t('nplRatio')} value={percent(report.total.nplRatio)} />
        <Kpi label={t('provisionTotal')} value={yuan(report.total.provision)} />
      </div>
      <div className="panels two">
        <div className="panel">
          <h3>
            {t('classification')} · {report.asOf}
          </h3>
          <EChart name="five-category" option={option} height={240} />
        </div>
        <div className="panel">
          <DataTable
            testId="five-categories"
            rows={report.categories}
            rowKey={(row) => row.category}
            rowData={(row) => ({ 'data-category': row.category })}
            columns={[
              { header: t('category'), cell: (row) => <span className={`badge ${row.category}`}>{classificationText(i18n, row.category)}</span> },
              { header: t('balance'), className: 'num', cell: (row) => yuan(row.balance) },
              { header: t('loansCount'), className: 'num', cell: (row) => row.loans },
              { header: t('categoryShare'), className: 'num', cell: (row) => percent(row.share) },
            ]}
          />
        </div>
      </div>
      <Breakdowns breakdowns={report.breakdowns} chart="five-by-segment" categories />
    </>
  );
}

function Migration({ report }: { readonly report: MigrationReport }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [dimension, setDimension] = useState<Dimension | 'all'>('all');
  const [segment, setSegment] = useState('');
  const segments = dimension === 'all' ? [] : report.segments[dimension];
  const chosen = segments.find((row) => row.key === segment) ?? segments[0];
  const rows: readonly MigrationRow[] = dimension === 'all' || chosen === undefined ? report.rows : chosen.rows;
  const destinations = report.rows[0]?.to.map((cell) => cell.to) ?? [];
  return (
    <div className="panel">
      <h3>
        {code(i18n, 'reportName', 'migration')} · {report.from} → {report.to}
      </h3>
      <div className="filters">
        <div className="tabs" role="tablist">
          {(['all', ...DIMENSIONS] as const).map((item) => (
            <button
              key={item}
              type="button"
              role="tab"
              aria-selected={dimension === item}
              className={dimension === item ? 'tab active' : 'tab'}
              onClick={() => {
                setDimension(item);
                setSegment('');
              }}
              data-testid={`migration-${item}`}
            >
              {item === 'all' ? t('allSegments') : t(`dim_${item}`)}
            </button>
          ))}
        </div>
        {dimension !== 'all' && (
          <label>
            {t('segment')}{' '}
            <select value={chosen?.key ?? ''} onChange={(event) => setSegment(event.target.value)} data-testid="migration-segment">
              {segments.map((row) => (
                <option key={row.key} value={row.key}>
                  {dimension === 'size' ? code(i18n, 'sizeClass', row.key) : segmentName(i18n, row)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <DataTable
        testId="migration-matrix"
        rows={rows}
        rowKey={(row) => row.from}
        rowData={(row) => ({ 'data-from': row.from })}
        columns={[
          { header: t('migrationFrom'), cell: (row) => <span className={`badge ${row.from}`}>{classificationText(i18n, row.from)}</span> },
          { header: t('loansAtStart'), className: 'num', cell: (row) => row.loans },
          { header: t('balanceAtStart'), className: 'num', cell: (row) => yuan(row.balance) },
          ...destinations.map((destination, index) => ({
            header: `→ ${code(i18n, 'migrationDestination', destination)}`,
            className: 'num',
            cell: (row: MigrationRow) => (row.to[index]!.loans === 0 ? <span className="muted">—</span> : <span title={yuan(row.to[index]!.balance)}>{percent(row.to[index]!.rate)}</span>),
          })),
          { header: t('downgradeRate'), className: 'num', cell: (row) => percent(row.downgradeRate) },
        ]}
      />
      <p className="muted small">{t('migrationNote')}</p>
    </div>
  );
}

function Renewals({ report }: { readonly report: RenewalsReport }) {
  const i18n = useI18n();
  const { t } = i18n;
  const list = (testId: string, title: string, rows: RenewalsReport['bySize'], label: (row: RenewalsReport['bySize'][number]) => string) => (
    <div className="panel">
      <h3>{title}</h3>
      <DataTable
        testId={testId}
        rows={rows}
        rowKey={(row) => row.key}
        empty={t('empty')}
        columns={[
          { header: t('segmentName'), cell: label },
          { header: t('renewedLoans'), className: 'num', cell: (row) => row.loans },
          { header: t('renewedAmount'), className: 'num', cell: (row) => yuan(row.principal) },
          { header: t('renewedBalanceNow'), className: 'num', cell: (row) => yuan(row.balance) },
        ]}
      />
    </div>
  );
  return (
    <>
      <div className="kpis">
        <Kpi label={`${t('renewedLoans')} · ${report.from} → ${report.to}`} value={String(report.total.loans)} testId="renewals-loans" />
        <Kpi label={t('renewedAmount')} value={yuan(report.total.principal)} testId="renewals-principal" />
        <Kpi label={t('renewedBalanceNow')} value={yuan(report.total.balance)} />
        <Kpi label={t('workingCapitalDue')} value={`${report.workingCapital.dueLoans} · ${yuan(report.workingCapital.duePrincipal)}`} />
        <Kpi label={t('renewedShare')} value={percent(report.workingCapital.renewedShare)} testId="renewals-share" />
      </div>
      <div className="panels two">
        <div className="panel">
          <h3>{t('classifiedNow')}</h3>
          <DataTable
            testId="renewals-now"
            rows={report.byClassificationNow}
            rowKey={(row) => row.category}
            columns={[
              { header: t('category'), cell: (row) => code(i18n, 'migrationDestination', row.category) },
              { header: t('loansCount'), className: 'num', cell: (row) => row.loans },
              { header: t('balance'), className: 'num', cell: (row) => yuan(row.balance) },
            ]}
          />
        </div>
        {list('renewals-size', t('bySize'), report.bySize, (row) => code(i18n, 'sizeClass', row.key))}
      </div>
      <div className="panels two">
        {list('renewals-product', t('byProductShort'), report.byProduct, (row) => row.key)}
        {list('renewals-province', t('dim_province'), report.byProvince, (row) => segmentName(i18n, row))}
      </div>
    </>
  );
}

function ForeignTrade({ report }: { readonly report: ForeignTradeReport }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <>
      <div className="kpis">
        <Kpi label={t('foreignBalance')} value={yuan(report.foreignTrade.balance)} testId="foreign-balance" />
        <Kpi label={t('foreignBorrowers')} value={String(report.foreignTrade.borrowers)} />
        <Kpi label={t('foreignShare')} value={percent(report.foreignTrade.share)} />
        <Kpi label={t('foreignNpl')} value={percent(report.foreignTrade.nplRatio)} />
        <Kpi label={`${t('foreignNewLending')}${bracketText(i18n, `${report.from} →`)}`} value={yuan(report.newLending.principal)} />
        <Kpi label={t('allBalance')} value={yuan(report.all.balance)} />
      </div>
      <Breakdowns breakdowns={report.breakdowns} chart="foreign-by-segment" />
    </>
  );
}

type WorkItem = Awaited<ReturnType<typeof worklist>>['items'][number];

/**
 * Stored runs with their digests. A draft can be submitted for filing (after a confirmation naming
 * the run and its digest); a run waiting for a second person shows who asked, and offers a
 * confirmation to anyone else allowed to check it.
 */
function Runs({ runs, items, me, canRun, onChanged }: { readonly runs: readonly ReportRun[] | undefined; readonly items: readonly WorkItem[]; readonly me: string; readonly canRun: boolean; readonly onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [pending, setPending] = useState<{ run: ReportRun; request?: WorkItem } | null>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  const action = useAction();
  const requestOf = (run: ReportRun) => items.find((item) => item.kind === 'report.file' && item.subjectId === run.id);
  const confirm = () =>
    action.run(async () => {
      if (!pending) return;
      if (pending.request) {
        await decideApproval(pending.request.id, 'approve');
        setDone('filedDone');
      } else {
        await askToFile(pending.run.id);
        setDone('filingRequested');
      }
      setPending(null);
      onChanged();
    });
  return (
    <div className="panel" data-testid="report-runs">
      <h3>{t('reportRuns')}</h3>
      {pending && (
        <div className="confirm" data-testid="filing-confirmation">
          <strong>{pending.request ? t('confirmFilingAsChecker') : t('confirmFilingTitle')}</strong>
          <dl>
            <dt>{t('regulatory')}</dt>
            <dd>{code(i18n, 'reportName', pending.run.report)}</dd>
            <dt>{t('reportDate')}</dt>
            <dd>{pending.run.from ? `${pending.run.from} → ${pending.run.asOf}` : pending.run.asOf}</dd>
            <dt>{t('definitionVersion')}</dt>
            <dd>{pending.run.definitionVersion}</dd>
            <dt>{t('digest')}</dt>
            <dd className="mono" style={{ overflowWrap: 'anywhere' }} data-testid="filing-digest">
              {pending.run.digest}
            </dd>
            {pending.request && (
              <>
                <dt>{t('createdBy')}</dt>
                <dd>{pending.request.maker}</dd>
              </>
            )}
          </dl>
          <p className="small">{pending.request ? t('checkerConfirmText') : t('confirmFilingText')}</p>
          <div className="tabs">
            <button type="button" className="primary" disabled={action.busy} onClick={confirm} data-testid="confirm-filing">
              {pending.request ? t('confirmFilingAsChecker') : t('confirmFiling')}
            </button>
            <button type="button" className="secondary" onClick={() => setPending(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {action.error && <p className="error" role="alert">{action.error}</p>}
      {done && <p className="muted" data-testid="filing-notice">{t(done)}</p>}
      <DataTable
        testId="runs-table"
        cards
        rows={runs ?? []}
        rowKey={(run) => run.id}
        rowData={(run) => ({ 'data-run': run.id, 'data-status': requestOf(run) ? 'pending' : run.status })}
        empty={runs ? t('noRuns') : t('loading')}
        columns={[
          { header: t('regulatory'), cell: (run) => code(i18n, 'reportName', run.report) },
          { header: t('reportDate'), cell: (run) => (run.from ? `${run.from} → ${run.asOf}` : run.asOf) },
          { header: t('definitionVersion'), cell: (run) => run.definitionVersion },
          { header: t('digest'), cellClassName: 'mono', cell: (run) => <span title={run.digest}>{run.digest.slice(0, 16)}…</span> },
          { header: t('status'), cell: (run) => (requestOf(run) ? `${t('runStatus_pending')}${i18n.language === 'zh' ? `（${requestOf(run)!.maker}）` : ` (${requestOf(run)!.maker})`}` : t(`runStatus_${run.status}`)) },
          { header: t('createdBy'), cell: (run) => `${run.createdBy} · ${localTime(run.createdAt)}` },
          {
            header: '',
            cell: (run) => {
              const request = requestOf(run);
              if (!canRun || run.status === 'filed') return null;
              if (request === undefined)
                return (
                  <button type="button" className="secondary" onClick={() => (setDone(null), setPending({ run }))} data-testid="file-run">
                    {t('fileRun')}
                  </button>
                );
              if (request.mine) return null;
              return (
                <button type="button" className="primary" onClick={() => (setDone(null), setPending({ run, request }))} data-testid="check-filing">
                  {t('confirmFilingAsChecker')}
                </button>
              );
            },
          },
        ]}
      />
    </div>
  );
}
