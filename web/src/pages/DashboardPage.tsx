/**
 * The management dashboard: the portfolio's size, quality and price from GET /v1/reports/portfolio;
 * its course over time from the end-of-day snapshots (GET /v1/reports/portfolio/history); where the
 * book is by region, industry and size (GET /v1/reports/portfolio?by=…). CSV exports of each.
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
import { DataTable } from '../components/DataTable';
import { EChart } from '../components/EChart';
import { download, percent, toCsv, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { SecuritySplitPanel } from '../components/SecurityPanels';

/** The five categories' colours, green to dark red: the order every bank's report uses. */
const CATEGORY_COLOURS: Record<Classification, string> = {
  normal: '#2e9d62',
  'special-mention': '#e3b341',
  substandard: '#e07b39',
  doubtful: '#d64545',
  loss: '#7a1f2b',
};

const BREAKDOWN_TITLES: Record<Breakdown, MessageKey> = { region: 'byRegion', industry: 'byIndustry', size: 'bySize' };

/** Axis labels in 万 (zh) or k (en): 1,250,000 → "125万" / "1,250k". */
function compactYuan(value: number, language: 'zh' | 'en'): string {
  if (Math.abs(value) < 10000) return String(value);
  return language === 'zh' ? `${Math.round(value / 10000).toLocaleString('zh-CN')}万` : `${Math.round(value / 1000).toLocaleString('en')}k`;
}

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
  const { t, language } = useI18n();
  const [report, setReport] = useState<Portfolio | null>(null);
  const [history, setHistory] = useState<HistoryPoint[] | null>(null);
  const [by, setBy] = useState<Breakdown>('region');
  const [groups, setGroups] = useState<Partial<Record<Breakdown, BreakdownGroup[]>>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const fail = (caught: Error) => setError(caught.message);
    portfolio().then(setReport, fail);
    portfolioHistory().then((answer) => setHistory(answer.points), fail);
  }, []);

  useEffect(() => {
    if (groups[by]) return;
    portfolioBreakdown(by).then((breakdown) => setGroups((known) => ({ ...known, [by]: breakdown.groups })), (caught: Error) => setError(caught.message));
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
            name: t(row.category),
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
      xAxis: { type: 'value', splitNumber: 4, axisLabel: { hideOverlap: true, formatter: (value: number) => (value >= 10000 ? `${value / 10000}${language === 'zh' ? '万' : '0k'}` : String(value)) } },
      yAxis: { type: 'category', data: report.products.map((row) => row.code), inverse: true },
      series: [{ type: 'bar', name: t('balance'), data: report.products.map((row) => Number(row.balance)), itemStyle: { color: '#1f7a4d' }, barMaxWidth: 28 }],
    };
  }, [report, language]);

  const riskOption = useMemo(() => {
    if (!report) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: 'category', data: report.products.map((row) => row.code) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [
        { type: 'bar', name: t('overdueRatio'), data: report.products.map((row) => Number(row.overdueRatio)), itemStyle: { color: '#e3b341' }, barMaxWidth: 24 },
        { type: 'bar', name: t('nplRatio'), data: report.products.map((row) => Number(row.nplRatio)), itemStyle: { color: '#d64545' }, barMaxWidth: 24 },
      ],
    };
  }, [report, language]);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!report || !classificationOption || !productOption || !riskOption || !history || !balanceTrendOption || !riskTrendOption || !rateTrendOption) return <p className="muted">{t('loading')}</p>;

  const { totals } = report;
  const kpis: { key: MessageKey; value: string; testId: string; tone: 'warn' | 'bad' | undefined }[] = [
    { key: 'balance', value: yuan(totals.balance), testId: 'total-balance', tone: undefined },
    { key: 'borrowers', value: String(totals.borrowers), testId: 'total-borrowers', tone: undefined },
    { key: 'loansCount', value: String(totals.loans), testId: 'total-loans', tone: undefined },
    { key: 'overdueRatio', value: percent(totals.overdueRatio), testId: 'overdue-ratio', tone: totals.overdueRatio === '0.00' ? undefined : 'warn' },
    { key: 'nplRatio', value: percent(totals.nplRatio), testId: 'npl-ratio', tone: totals.nplRatio === '0.00' ? undefined : 'bad' },
    { key: 'averageRate', value: percent(totals.averageRate), testId: 'average-rate', tone: undefined },
  ];
  const growth = growth30(history);

  function exportCsv() {
    if (!report) return;
    const header = [t('product'), 'code', t('loansCount'), t('balance'), t('share'), t('overdueBalance'), t('overdueRatio'), t('nplBalance'), t('nplRatio'), t('averageRate'), t('provision')];
    const rows = report.products.map((row) => [row.name, row.code, row.loans, row.balance, row.share, row.overdueBalance, row.overdueRatio, row.nplBalance, row.nplRatio, row.averageRate, row.provision]);
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
      </div>
      <div className="kpis">
        {kpis.map((kpi) => (
          <div className={`kpi ${kpi.tone ?? ''}`} key={kpi.key}>
            <span className="kpi-label">{t(kpi.key)}</span>
            <span className="kpi-value" data-testid={kpi.testId}>
              {kpi.value}
            </span>
          </div>
        ))}
      </div>
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
        </div>
        <div className="panel">
          <h3>{t('byProduct')}</h3>
          <EChart name="products" option={productOption} height={300} />
        </div>
        <div className="panel">
          <h3>{t('riskByProduct')}</h3>
          <EChart name="risk" option={riskOption} height={300} />
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
                <>
                  <div>{row.code}</div>
                  <div className="muted small">{row.name}</div>
                </>
              ),
            },
            { header: t('loansCount'), className: 'num', cell: (row) => row.loans },
            { header: t('balance'), className: 'num', cell: (row) => yuan(row.balance) },
            { header: t('share'), className: 'num', cell: (row) => percent(row.share) },
            { header: t('overdueRatio'), className: 'num', cell: (row) => percent(row.overdueRatio) },
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
    </section>
  );
}
