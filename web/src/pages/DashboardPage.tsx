/**
 * The management dashboard: the portfolio's size, quality and price from GET /v1/reports/portfolio;
 * its course over time from the end-of-day snapshots (GET /v1/reports/portfolio/history) over a
 * chosen period; where the book is by region, industry and size (GET /v1/reports/portfolio?by=…);
 * days past due in buckets and provision coverage. Every chart has its text table, every figure
 * of the book links to the loans behind it (`/loans?dpdBucket=31-60`, `?classification=`,
 * `?productCode=`, `?overdue=true`), and CSV exports of each.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  breakdownCsvUrl,
  HISTORY_CSV_URL,
  portfolio,
  portfolioBreakdown,
  portfolioHistory,
  type Breakdown,
  type BreakdownGroup,
  type Classification,
  type HistoryPoint,
  type Portfolio,
} from '../api';
import { ChartTable } from '../components/ChartTable';
import { DataTable } from '../components/DataTable';
import { CollectionsFunnel } from '../components/CollectionsFunnel';
import { EChart } from '../components/EChart';
import { errorMessage, fill } from '../error-message';
import { compactYuan, download, percent, productName, toCsv, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { SecuritySplitPanel } from '../components/SecurityPanels';
import { SupplyChainTile } from './supply-chain-parts';
import { WarningsPanel } from '../components/WarningsPanel';
import { classificationText } from '../portal-text';

/** The five categories' colours, green to dark red: the order every bank's report uses. */
const CATEGORY_COLOURS: Record<Classification, string> = {
  normal: '#2e9d62',
  'special-mention': '#e3b341',
  substandard: '#e07b39',
  doubtful: '#d64545',
  loss: '#7a1f2b',
};

const BREAKDOWN_TITLES: Record<Breakdown, MessageKey> = { region: 'byRegion', industry: 'byIndustry', size: 'bySize' };

/** The loans list filtered to the loans behind a figure. */
const loansLink = (query: Record<string, string>) => `/loans?${new URLSearchParams(query).toString()}`;

/** Balance growth over the last 30 days of history, percent with two decimals; null without a base. */
function growth30(points: readonly HistoryPoint[]): string | null {
  const last = points.at(-1);
  if (!last) return null;
  const base = [...points].reverse().find((point) => Date.parse(last.date) - Date.parse(point.date) >= 30 * 86_400_000);
  if (!base || Number(base.balance) === 0) return null;
  // A display ratio from two exact amounts; the amounts themselves are never rounded.
  return (((Number(last.balance) - Number(base.balance)) / Number(base.balance)) * 100).toFixed(2);
}

export function DashboardPage() {
  const i18n = useI18n();
  const { t, language } = i18n;
  const [report, setReport] = useState<Portfolio | null>(null);
  const [history, setHistory] = useState<HistoryPoint[] | null>(null);
  const [by, setBy] = useState<Breakdown>('region');
  const [groups, setGroups] = useState<Partial<Record<Breakdown, BreakdownGroup[]>>>({});
  const [error, setError] = useState<string | null>(null);
  // The period of the trends; empty: the server's default (the year up to the business date).
  const [range, setRange] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const [shownRange, setShownRange] = useState<{ from: string; to: string } | null>(null);

  useEffect(() => {
    portfolio().then(setReport, (caught: unknown) => setError(errorMessage(i18n, caught)));
  }, []);

  useEffect(() => {
    portfolioHistory(range).then(
      (answer) => {
        setHistory(answer.points);
        setShownRange({ from: answer.from, to: answer.to });
      },
      (caught: unknown) => setError(errorMessage(i18n, caught)),
    );
  }, [range]);

  useEffect(() => {
    if (groups[by]) return;
    portfolioBreakdown(by).then((breakdown) => setGroups((known) => ({ ...known, [by]: breakdown.groups })), (caught: unknown) => setError(errorMessage(i18n, caught)));
  }, [by]);

  const dates = useMemo(() => (history ?? []).map((point) => point.date.slice(5)), [history]);

  const balanceTrendOption = useMemo(() => {
    if (!history) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => yuan(value.toFixed(2)) },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: 'category', data: dates },
      yAxis: [
        { type: 'value', splitNumber: 4, axisLabel: { formatter: (value: number) => compactYuan(value, language) } },
        { type: 'value', splitNumber: 4, axisLabel: { formatter: (value: number) => compactYuan(value, language) }, splitLine: { show: false } },
      ],
      series: [
        { type: 'line', name: t('balance'), data: history.map((point) => Number(point.balance)), showSymbol: false, areaStyle: { opacity: 0.15 }, itemStyle: { color: '#1f7a4d' } },
        { type: 'bar', name: t('newLending'), yAxisIndex: 1, data: history.map((point) => Number(point.newLending)), itemStyle: { color: '#7fb7e6' }, barMaxWidth: 6 },
      ],
    };
  }, [history, dates, language]);

  const riskTrendOption = useMemo(() => {
    if (!history) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        { type: 'line', name: t('overdueRatio'), data: history.map((point) => Number(point.overdueRatio)), showSymbol: false, itemStyle: { color: '#e3b341' } },
        { type: 'line', name: t('nplRatio'), data: history.map((point) => Number(point.nplRatio)), showSymbol: false, itemStyle: { color: '#d64545' } },
      ],
    };
  }, [history, dates, language]);

  const rateTrendOption = useMemo(() => {
    if (!history) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: '{value}%' } },
      series: [{ type: 'line', name: t('averageRate'), data: history.map((point) => (point.balance === '0.00' ? null : Number(point.averageRate))), showSymbol: false, itemStyle: { color: '#6b5bd2' } }],
    };
  }, [history, dates, language]);

  const breakdownOption = useMemo(() => {
    const rows = groups[by];
    if (!rows) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: 'category', data: rows.map((row) => (language === 'zh' ? row.nameZh : row.name)), axisLabel: { interval: 0, rotate: rows.length > 6 ? 35 : 0, hideOverlap: true } },
      yAxis: [
        { type: 'value', splitNumber: 4, axisLabel: { formatter: (value: number) => compactYuan(value, language) } },
        { type: 'value', axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
      ],
      series: [
        { type: 'bar', name: t('balance'), data: rows.map((row) => Number(row.balance)), itemStyle: { color: '#1f7a4d' }, barMaxWidth: 28, tooltip: { valueFormatter: (value: number) => yuan(value.toFixed(2)) } },
        { type: 'line', name: t('overdueRatio'), yAxisIndex: 1, data: rows.map((row) => Number(row.overdueRatio)), itemStyle: { color: '#e3b341' }, tooltip: { valueFormatter: (value: number) => `${value}%` } },
        { type: 'line', name: t('nplRatio'), yAxisIndex: 1, data: rows.map((row) => Number(row.nplRatio)), itemStyle: { color: '#d64545' }, tooltip: { valueFormatter: (value: number) => `${value}%` } },
      ],
    };
  }, [groups, by, language]);

  const classificationOption = useMemo(() => {
    if (!report) return null;
    return {
      tooltip: { trigger: 'item', valueFormatter: (value: number) => yuan(value.toFixed(2)) },
      legend: { bottom: 0, icon: 'circle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          center: ['50%', '44%'],
          label: { formatter: '{b}\n{d}%' },
          data: report.classification.map((row) => ({
            name: classificationText(i18n, row.category),
            // ECharts draws with numbers; the exact strings stay in the table and the CSV.
            value: Number(row.balance),
            itemStyle: { color: CATEGORY_COLOURS[row.category] },
            // Empty categories stay in the legend but get no label on the ring.
            ...(row.balance === '0.00' ? { label: { show: false }, labelLine: { show: false } } : {}),
          })),
        },
      ],
    };
  }, [report, language]);

  const productOption = useMemo(() => {
    if (!report) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => yuan(value.toFixed(2)) },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', splitNumber: 4, axisLabel: { hideOverlap: true, formatter: (value: number) => compactYuan(value, language) } },
      yAxis: { type: 'category', data: report.products.map((row) => productName(row.name, row.nameEn, language)), inverse: true },
      series: [{ type: 'bar', name: t('balance'), data: report.products.map((row) => Number(row.balance)), itemStyle: { color: '#1f7a4d' }, barMaxWidth: 28 }],
    };
  }, [report, language]);

  const riskOption = useMemo(() => {
    if (!report) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: 'category', data: report.products.map((row) => productName(row.name, row.nameEn, language)) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        { type: 'bar', name: t('overdueRatio'), data: report.products.map((row) => Number(row.overdueRatio)), itemStyle: { color: '#e3b341' }, barMaxWidth: 24 },
        { type: 'bar', name: t('nplRatio'), data: report.products.map((row) => Number(row.nplRatio)), itemStyle: { color: '#d64545' }, barMaxWidth: 24 },
      ],
    };
  }, [report, language]);

  const pastDueOption = useMemo(() => {
    if (!report) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 16, bottom: 28, containLabel: true },
      xAxis: { type: 'category', data: report.pastDue.map((row) => t(`dpd_${row.bucket}`)) },
      // Money in 万/亿 on the left; the number of loans is a count, plain whole numbers on the right.
      yAxis: [
        { type: 'value', splitNumber: 4, axisLabel: { formatter: (value: number) => compactYuan(value, language) } },
        { type: 'value', splitNumber: 4, minInterval: 1, splitLine: { show: false }, axisLabel: { formatter: (value: number) => String(value) } },
      ],
      series: [
        { type: 'bar', name: t('overdueBalance'), data: report.pastDue.map((row) => Number(row.balance)), itemStyle: { color: '#e07b39' }, barMaxWidth: 36, tooltip: { valueFormatter: (value: number) => yuan(value.toFixed(2)) } },
        { type: 'bar', name: t('loansCount'), yAxisIndex: 1, data: report.pastDue.map((row) => row.loans), itemStyle: { color: '#f3c29b' }, barMaxWidth: 18 },
      ],
    };
  }, [report, language]);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!report || !classificationOption || !productOption || !riskOption || !pastDueOption || !history || !balanceTrendOption || !riskTrendOption || !rateTrendOption) return <p className="muted">{t('loading')}</p>;

  const { totals } = report;
  const { coverage } = report;
  const kpis: { key: MessageKey; value: string; testId: string; tone: 'warn' | 'bad' | undefined; href?: string }[] = [
    { key: 'balance', value: yuan(totals.balance), testId: 'total-balance', tone: undefined, href: loansLink({ status: 'active' }) },
    { key: 'borrowers', value: String(totals.borrowers), testId: 'total-borrowers', tone: undefined },
    { key: 'loansCount', value: String(totals.loans), testId: 'total-loans', tone: undefined, href: loansLink({ status: 'active' }) },
    { key: 'overdueRatio', value: percent(totals.overdueRatio), testId: 'overdue-ratio', tone: totals.overdueRatio === '0.00' ? undefined : 'warn', href: loansLink({ overdue: 'true' }) },
    { key: 'nplRatio', value: percent(totals.nplRatio), testId: 'npl-ratio', tone: totals.nplRatio === '0.00' ? undefined : 'bad', href: loansLink({ dpdBucket: 'over-90' }) },
    { key: 'averageRate', value: percent(totals.averageRate), testId: 'average-rate', tone: undefined },
    { key: 'provision', value: yuan(coverage.provision), testId: 'provision', tone: undefined },
    { key: 'coverageRatio', value: coverage.coverageRatio === null ? t('noNpl') : percent(coverage.coverageRatio), testId: 'coverage-ratio', tone: coverage.coverageRatio !== null && Number(coverage.coverageRatio) < 120 ? 'bad' : undefined },
    { key: 'provisionRatio', value: coverage.provisionRatio === null ? '—' : percent(coverage.provisionRatio), testId: 'provision-ratio', tone: undefined },
  ];
  const fullDates = history.map((point) => point.date);
  const growth = growth30(history);

  function exportCsv() {
    if (!report) return;
    const header = [t('product'), language === 'zh' ? '产品代码' : 'Product code', t('loansCount'), t('balance'), t('share'), t('overdueBalance'), t('overdueRatio'), t('nplBalance'), t('nplRatio'), t('averageRate'), t('provision')];
    const rows = report.products.map((row) => [productName(row.name, row.nameEn, language), row.code, row.loans, row.balance, row.share, row.overdueBalance, row.overdueRatio, row.nplBalance, row.nplRatio, row.averageRate, row.provision]);
    const total = ['', 'TOTAL', totals.loans, totals.balance, '100.00', totals.overdueBalance, totals.overdueRatio, totals.nplBalance, totals.nplRatio, totals.averageRate, totals.provision];
    download(`sprout-portfolio-${report.asOf}.csv`, toCsv([header, ...rows, total]));
  }

  return (
    <section className="dashboard">
      <div className="page-title">
        <h2>{t('dashboard')}</h2>
        <span className="muted" data-testid="as-of">
          {t('asOf')} {report.asOf}
        </span>
        <span className="muted" data-testid="read-from" title="DATABASE_READ_URL">
          {readFromText(report.readFrom, t)}
        </span>
      </div>
      <div className="kpis fit">
        {kpis.map((kpi) => (
          <div className={`kpi ${kpi.tone ?? ''}`} key={kpi.key}>
            <span className="kpi-label">{t(kpi.key)}</span>
            {kpi.href ? (
              <a className="kpi-value" href={kpi.href} data-testid={kpi.testId}>
                {kpi.value}
              </a>
            ) : (
              <span className="kpi-value" data-testid={kpi.testId}>
                {kpi.value}
              </span>
            )}
          </div>
        ))}
      </div>
      <p className="muted small" title={t('coverageHint')}>
        {t('coverageHint')}
      </p>
      <div className="panel" data-testid="past-due">
        <div className="panel-head">
          <h3>{t('pastDue')}</h3>
          <span className="muted small">{t('pastDueHint')}</span>
        </div>
        <EChart name="past-due" option={pastDueOption} height={220} />
        <DataTable
          testId="past-due-table"
          rows={report.pastDue}
          rowKey={(row) => row.bucket}
          columns={[
            { header: t('bucket'), cell: (row) => <a href={loansLink({ dpdBucket: row.bucket })} data-testid={`dpd-${row.bucket}`}>{t(`dpd_${row.bucket}`)}</a> },
            {
              header: t('loansCount'),
              className: 'num',
              // The loans list holds the bucket's loans; its supply-chain financings are on the supply-chain console.
              cell: (row) => (
                <>
                  <a href={loansLink({ dpdBucket: row.bucket })}>{row.loans}</a>
                  {row.financings > 0 && (
                    <>
                      {' '}
                      <a href="/supply-chain" className="small" data-testid={`dpd-financings-${row.bucket}`}>{t('pastDueFinancings').replace('{n}', String(row.financings))}</a>
                    </>
                  )}
                </>
              ),
            },
            { header: t('balance'), className: 'num', cell: (row) => <a href={loansLink({ dpdBucket: row.bucket })} data-testid={`dpd-balance-${row.bucket}`}>{yuan(row.balance)}</a> },
            { header: t('share'), className: 'num', cell: (row) => percent(row.share) },
          ]}
        />
      </div>
      <CollectionsFunnel />
      <form
        className="panel range"
        data-testid="date-range"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setRange({ from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') });
        }}
      >
        <strong>{t('dateRange')}</strong>
        <label>
          {t('dateFrom')} <DateField name="from" value={shownRange?.from ?? ''} testId="range-from" />
        </label>
        <label>
          {t('dateTo')} <DateField name="to" value={shownRange?.to ?? ''} testId="range-to" />
        </label>
        <button type="submit" className="secondary" data-testid="range-apply">
          {t('applyRange')}
        </button>
      </form>
      <div className="panel">
        <div className="panel-head">
          <h3>
            {t('balanceTrend')}
            {growth !== null && (
              <span className={`growth ${growth.startsWith('-') ? 'down' : 'up'}`} data-testid="growth-30">
                {t('growth30')} {growth.startsWith('-') ? '' : '+'}
                {percent(growth)}
              </span>
            )}
          </h3>
          <a className="button secondary" href={HISTORY_CSV_URL} download data-testid="export-history-csv">
            {t('exportHistoryCsv')}
          </a>
        </div>
        {history.length === 0 ? <p className="muted">{t('noHistory')}</p> : <EChart name="balance-trend" option={balanceTrendOption} height={300} />}
        <ChartTable
          name="balance-trend"
          headers={[t('asOf'), t('balance'), t('newLending'), t('overdueRatio'), t('nplRatio'), t('averageRate')]}
          rows={history.map((point, i) => [fullDates[i], yuan(point.balance), yuan(point.newLending), percent(point.overdueRatio), percent(point.nplRatio), percent(point.averageRate)])}
        />
      </div>
      {history.length > 0 && (
        <div className="panels two">
          <div className="panel">
            <h3>{t('riskTrend')}</h3>
            <EChart name="risk-trend" option={riskTrendOption} height={260} />
          </div>
          <div className="panel">
            <h3>{t('rateTrend')}</h3>
            <EChart name="rate-trend" option={rateTrendOption} height={260} />
          </div>
        </div>
      )}
      <div className="panels">
        <div className="panel">
          <h3>{t('classification')}</h3>
          <EChart name="classification" option={classificationOption} height={300} />
          <ChartTable
            name="classification"
            headers={[t('classification'), t('loansCount'), t('balance'), t('share')]}
            rows={report.classification.map((row) => [
              <a href={loansLink({ classification: row.category })} data-testid={`class-${row.category}`}>{classificationText(i18n, row.category)}</a>,
              row.loans,
              yuan(row.balance),
              percent(row.share),
            ])}
          />
        </div>
        <div className="panel">
          <h3>{t('byProduct')}</h3>
          <EChart name="products" option={productOption} height={300} />
          <ChartTable name="products" headers={[t('product'), t('balance'), t('share')]} rows={report.products.map((row) => [<a href={loansLink({ productCode: row.code })}>{productName(row.name, row.nameEn, language)}</a>, yuan(row.balance), percent(row.share)])} />
        </div>
        <div className="panel">
          <h3>{t('riskByProduct')}</h3>
          <EChart name="risk" option={riskOption} height={300} />
          <ChartTable name="risk" headers={[t('product'), t('overdueRatio'), t('nplRatio')]} rows={report.products.map((row) => [productName(row.name, row.nameEn, language), percent(row.overdueRatio), percent(row.nplRatio)])} />
        </div>
      </div>
      <div className="panel">
        <div className="panel-head">
          <h3>{t('breakdown')}</h3>
          <div className="tabs" role="tablist">
            {(['region', 'industry', 'size'] as const).map((key) => (
              <button key={key} type="button" role="tab" aria-selected={by === key} className={by === key ? 'tab active' : 'tab'} onClick={() => setBy(key)} data-testid={`breakdown-${key}`}>
                {t(BREAKDOWN_TITLES[key])}
              </button>
            ))}
            <a className="button secondary" href={breakdownCsvUrl(by)} download data-testid="export-breakdown-csv">
              {t('exportCsv')}
            </a>
          </div>
        </div>
        {breakdownOption ? <EChart name="breakdown" option={breakdownOption} height={300} /> : <p className="muted">{t('loading')}</p>}
        {groups[by] && (
          <ChartTable
            name="breakdown"
            headers={[t(BREAKDOWN_TITLES[by]), t('loansCount'), t('balance'), t('overdueRatio'), t('nplRatio')]}
            rows={groups[by].map((row) => [language === 'zh' ? row.nameZh : row.name, row.loans, yuan(row.balance), percent(row.overdueRatio), percent(row.nplRatio)])}
          />
        )}
      </div>
      <div className="panel">
        <div className="panel-head">
          <h3>{t('byProduct')}</h3>
          <button type="button" className="secondary" onClick={exportCsv} data-testid="export-csv">
            {t('exportCsv')}
          </button>
        </div>
        <DataTable
          testId="product-table"
          rows={report.products}
          rowKey={(row) => row.code}
          empty={t('empty')}
          columns={[
            {
              header: t('product'),
              cell: (row) => (
                <a href={loansLink({ productCode: row.code })} data-testid={`product-${row.code}`}>
                  {productName(row.name, row.nameEn, language)}
                </a>
              ),
            },
            { header: t('loansCount'), className: 'num', cell: (row) => row.loans },
            { header: t('balance'), className: 'num', cell: (row) => yuan(row.balance) },
            { header: t('share'), className: 'num', cell: (row) => percent(row.share) },
            { header: t('overdueRatio'), className: 'num', cell: (row) => <a href={loansLink({ productCode: row.code, overdue: 'true' })}>{percent(row.overdueRatio)}</a> },
            { header: t('nplRatio'), className: 'num', cell: (row) => percent(row.nplRatio) },
            { header: t('averageRate'), className: 'num', cell: (row) => percent(row.averageRate) },
          ]}
          foot={
            <tr>
              <td>{language === 'zh' ? '合计' : 'Total'}</td>
              <td className="num">{totals.loans}</td>
              <td className="num">{yuan(totals.balance)}</td>
              <td className="num">{percent('100.00')}</td>
              <td className="num">{percent(totals.overdueRatio)}</td>
              <td className="num">{percent(totals.nplRatio)}</td>
              <td className="num">{percent(totals.averageRate)}</td>
            </tr>
          }
        />
      </div>
      <SecuritySplitPanel />
      <SupplyChainTile />
      <WarningsPanel />
    </section>
  );
}

/**
 * A business date typed as YYYY-MM-DD, the way Chinese banking forms write it. A native date input
 * would show the browser's locale (12/02/2025 on an American Chromium) whatever the page's language.
 */
function DateField({ name, value, testId }: { readonly name: string; readonly value: string; readonly testId: string }) {
  return <input type="text" name={name} defaultValue={value} key={`${name}-${value}`} inputMode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" placeholder="YYYY-MM-DD" maxLength={10} size={10} data-testid={testId} />;
}

/**
 * Where and how long ago the figures were read: a standby's lag plus the shared read's age (the
 * server answers every request of a second from one read, src/reporting/portfolio-dashboard.ts);
 * from the primary within a second of now, "live".
 */
function readFromText(readFrom: { standby: boolean; lagSeconds: number; ageSeconds?: number }, t: (key: 'readFromStandby' | 'readFromPrimary' | 'readFromPrimaryAge') => string): string {
  const age = readFrom.ageSeconds ?? 0;
  if (readFrom.standby) return fill(t('readFromStandby'), { lag: (readFrom.lagSeconds + age).toFixed(1) });
  return age < 1 ? t('readFromPrimary') : fill(t('readFromPrimaryAge'), { age: age.toFixed(1) });
}
