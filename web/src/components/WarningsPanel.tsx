/**
 * The dashboard's early-warning panel: warnings raised over the last year by level and by rule,
 * and the automatic actions taken (and undone), each chart with its text table (GET /v1/warnings/trend);
 * and each rule's false-alarm rate, to tune the rules (GET /v1/warnings/false-alarm-rates).
 */
import { falseAlarmRates, warningTrend, WARNING_LEVEL_LIST } from '../api-monitoring';
import { useApi } from './useApi';
import { ChartTable } from './ChartTable';
import { EChart } from './EChart';
import { useI18n, type MessageKey } from '../i18n';

const LEVEL_COLOURS = { blue: '#3b82c4', yellow: '#e3b341', orange: '#e07b39', red: '#d64545' } as const;

export function WarningsPanel() {
  const { t } = useI18n();
  const code = (key: string) => t(key as MessageKey);
  const trend = useApi(() => warningTrend(), []);
  const rates = useApi(() => falseAlarmRates(), []);
  if (trend.error) return <p className="error" role="alert">{trend.error}</p>;
  if (!trend.data) return <p className="muted">{t('loading')}</p>;
  const dates = [...new Set(trend.data.raised.map((r) => r.date))].sort();
  const byLevel = WARNING_LEVEL_LIST.map((level) => ({ level, counts: dates.map((date) => trend.data!.raised.filter((r) => r.date === date && r.level === level).reduce((n, r) => n + r.count, 0)) }));
  const ruleTotals = new Map<string, number>();
  for (const r of trend.data.raised) ruleTotals.set(r.rule, (ruleTotals.get(r.rule) ?? 0) + r.count);
  const rules = [...ruleTotals].sort((a, b) => b[1] - a[1]);
  const actionTotals = new Map<string, { count: number; undone: number }>();
  for (const a of trend.data.actions) {
    const total = actionTotals.get(a.kind) ?? { count: 0, undone: 0 };
    actionTotals.set(a.kind, { count: total.count + a.count, undone: total.undone + a.undone });
  }
  return (
    <section className="panel" data-testid="warnings-panel">
      <h2>{t('warnings')}</h2>
      {dates.length === 0 ? (
        <p className="muted">{t('noWarnings')}</p>
      ) : (
        <>
          <h3>{t('warningsByLevel')}</h3>
          <EChart
                name={t('warningsByLevel')}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { data: WARNING_LEVEL_LIST.map((level) => code(`wl_${level}`)) },
                  xAxis: { type: 'category', data: dates },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: byLevel.map(({ level, counts }) => ({ name: code(`wl_${level}`), type: 'bar', stack: 'level', data: counts, itemStyle: { color: LEVEL_COLOURS[level] } })),
                }}
          />
          <ChartTable
            name={t('warningsByLevel')}
            headers={[t('date'), ...WARNING_LEVEL_LIST.map((level) => code(`wl_${level}`))]}
            rows={dates.map((date, i) => [date, ...byLevel.map(({ counts }) => String(counts[i]))])}
          />
          <h3>{t('warningsByRule')}</h3>
          <EChart name={t('warningsByRule')} option={{ tooltip: {}, grid: { left: 160 }, xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: rules.map(([rule]) => code(`wr_${rule}`)).reverse() }, series: [{ type: 'bar', data: rules.map(([, n]) => n).reverse() }] }} />
          <ChartTable
            name={t('warningsByRule')}
            headers={[t('warningRule'), t('count')]}
            rows={rules.map(([rule, n]) => [code(`wr_${rule}`), String(n)])}
          />
        </>
      )}
      <h3>{t('actionsTaken')}</h3>
      <table className="table" data-testid="warning-actions-table">
        <thead>
          <tr>
            <th>{t('actionsTaken')}</th>
            <th>{t('count')}</th>
            <th>{t('actionUndone')}</th>
          </tr>
        </thead>
        <tbody>
          {[...actionTotals].map(([kind, total]) => (
            <tr key={kind}>
              <td>{code(`wa_${kind}`)}</td>
              <td>{total.count}</td>
              <td>{total.undone}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('falseAlarmRates')}</h3>
      <table className="table cards" data-testid="false-alarm-table">
        <thead>
          <tr>
            <th>{t('warningRule')}</th>
            <th>{t('raisedCount')}</th>
            <th>{t('closedCount')}</th>
            <th>{t('dismissedCount')}</th>
            <th>{t('falseAlarmRate')}</th>
          </tr>
        </thead>
        <tbody>
          {(rates.data ?? []).filter((r) => r.raised > 0).map((r) => (
            <tr key={r.rule}>
              <td data-label={t('warningRule')}>{code(`wr_${r.rule}`)}</td>
              <td data-label={t('raisedCount')}>{r.raised}</td>
              <td data-label={t('closedCount')}>{r.closed}</td>
              <td data-label={t('dismissedCount')}>{r.dismissed}</td>
              <td data-label={t('falseAlarmRate')}>{r.rate === null ? '—' : `${(Number(r.rate) * 100).toFixed(1)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
