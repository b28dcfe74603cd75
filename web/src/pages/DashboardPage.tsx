/**
 * The management dashboard: the portfolio's size, quality and price from GET /v1/reports/portfolio.
 */
import { useEffect, useMemo, useState } from 'react';
import { portfolio, type Classification, type Portfolio } from '../api';
import { EChart } from '../components/EChart';
import { download, percent, toCsv, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';

/** The five categories' colours, green to dark red: the order every bank's report uses. */
const CATEGORY_COLOURS: Record<Classification, string> = {
  normal: '#2e9d62',
  'special-mention': '#e3b341',
  substandard: '#e07b39',
  doubtful: '#d64545',
  loss: '#7a1f2b',
};

export function DashboardPage() {
  const { t, language } = useI18n();
  const [report, setReport] = useState<Portfolio | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    portfolio().then(setReport, (caught: Error) => setError(caught.message));
  }, []);

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
  if (!report || !classificationOption || !productOption || !riskOption) return <p className="muted">{t('loading')}</p>;

  const { totals } = report;
  const kpis: { key: MessageKey; value: string; testId: string; tone: 'warn' | 'bad' | undefined }[] = [
    { key: 'balance', value: yuan(totals.balance), testId: 'total-balance', tone: undefined },
    { key: 'borrowers', value: String(totals.borrowers), testId: 'total-borrowers', tone: undefined },
    { key: 'loansCount', value: String(totals.loans), testId: 'total-loans', tone: undefined },
    { key: 'overdueRatio', value: percent(totals.overdueRatio), testId: 'overdue-ratio', tone: totals.overdueRatio === '0.00' ? undefined : 'warn' },
    { key: 'nplRatio', value: percent(totals.nplRatio), testId: 'npl-ratio', tone: totals.nplRatio === '0.00' ? undefined : 'bad' },
    { key: 'averageRate', value: percent(totals.averageRate), testId: 'average-rate', tone: undefined },
  ];

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
          <h3>{t('byProduct')}</h3>
          <button type="button" className="secondary" onClick={exportCsv} data-testid="export-csv">
            {t('exportCsv')}
          </button>
        </div>
        <div className="table-scroll">
          <table data-testid="product-table">
            <thead>
              <tr>
                <th>{t('product')}</th>
                <th className="num">{t('loansCount')}</th>
                <th className="num">{t('balance')}</th>
                <th className="num">{t('share')}</th>
                <th className="num">{t('overdueRatio')}</th>
                <th className="num">{t('nplRatio')}</th>
                <th className="num">{t('averageRate')}</th>
              </tr>
            </thead>
            <tbody>
              {report.products.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    {t('empty')}
                  </td>
                </tr>
              )}
              {report.products.map((row) => (
                <tr key={row.code}>
                  <td>
                    <div>{row.code}</div>
                    <div className="muted small">{row.name}</div>
                  </td>
                  <td className="num">{row.loans}</td>
                  <td className="num">{yuan(row.balance)}</td>
                  <td className="num">{percent(row.share)}</td>
                  <td className="num">{percent(row.overdueRatio)}</td>
                  <td className="num">{percent(row.nplRatio)}</td>
                  <td className="num">{percent(row.averageRate)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td>{language === 'zh' ? '合计' : 'Total'}</td>
                <td className="num">{totals.loans}</td>
                <td className="num">{yuan(totals.balance)}</td>
                <td className="num">{percent('100.00')}</td>
                <td className="num">{percent(totals.overdueRatio)}</td>
                <td className="num">{percent(totals.nplRatio)}</td>
                <td className="num">{percent(totals.averageRate)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </div>
    </section>
  );
}
