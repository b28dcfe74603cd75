/**
 * The regional financial ecology index for management (GET /v1/ecology/index and /trend): the
 * provinces ranked, the five dimensions of a chosen province against the national median, its
 * score over the years (pooled, so years compare), and the indicator weights. The method is in
 * docs/ecology.md.
 */
import { useMemo, useState } from 'react';
import { DIMENSION_KEYS, ecologyCsvUrl, ecologyIndex, ecologyTrend, type EcologyMethod } from '../api-ecology';
import { DataTable } from '../components/DataTable';
import { EChart } from '../components/EChart';
import { useApi } from '../components/useApi';
import { bracketText, listText, MESSAGES, punctuationOf, useI18n, type MessageKey } from '../i18n';

const METHOD_LABELS: Record<EcologyMethod, MessageKey> = { entropy: 'methodEntropy', ahp: 'methodAhp', combined: 'methodCombined' };
const GRADE_COLOURS: Record<string, string> = { A: '#1f7a4d', B: '#4a9d6b', C: '#c49a2c', D: '#9aa5b1' };
const CHOSEN_COLOUR = '#d9534f';
/** Jilin, the province seed 000 studies, is shown first. */
const DEFAULT_REGION = '220000';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function EcologyPage() {
  const { t, language } = useI18n();
  const [year, setYear] = useState<number | undefined>(undefined);
  const [method, setMethod] = useState<EcologyMethod>('entropy');
  const [region, setRegion] = useState(DEFAULT_REGION);
  const index = useApi(() => ecologyIndex(year, method), [year, method]);
  const trend = useApi(() => ecologyTrend(method), [method]);
  const data = index.data;
  const nameOf = (row: { region: string; regionEn: string }) => (language === 'zh' ? row.region : row.regionEn);
  const dimensionsWithData = useMemo(() => (data ? DIMENSION_KEYS.filter((key) => data.regions.some((row) => row.dimensions[key] !== undefined)) : []), [data]);

  const rankingOption = useMemo(() => {
    if (!data) return null;
    // Best at the top: ECharts draws category axes from the bottom.
    const rows = [...data.regions].reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', data: rows.map(nameOf), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'bar',
          data: rows.map((row) => ({ value: row.score, itemStyle: { color: row.code === region ? CHOSEN_COLOUR : GRADE_COLOURS[row.grade] } })),
          label: { show: true, position: 'right', fontSize: 10, formatter: (p: { value: number }) => p.value.toFixed(1) },
        },
      ],
    };
  }, [data, region, language]);

  const radarOption = useMemo(() => {
    if (!data || dimensionsWithData.length === 0) return null;
    const chosen = data.regions.find((row) => row.code === region);
    const medians = dimensionsWithData.map((key) => median(data.regions.map((row) => row.dimensions[key] ?? 0)));
    return {
      tooltip: {},
      legend: { bottom: 0 },
      radar: { indicator: dimensionsWithData.map((key) => ({ name: t(key), max: 100 })), radius: '62%', center: ['50%', '46%'] },
      series: [
        {
          type: 'radar',
          data: [
            { name: chosen ? nameOf(chosen) : region, value: dimensionsWithData.map((key) => Math.round((chosen?.dimensions[key] ?? 0) * 100) / 100), itemStyle: { color: CHOSEN_COLOUR }, areaStyle: { opacity: 0.15 } },
            { name: t('nationalMedian'), value: medians.map((value) => Math.round(value * 100) / 100), itemStyle: { color: '#5470c6' }, lineStyle: { type: 'dashed' } },
          ],
        },
      ],
    };
  }, [data, region, dimensionsWithData, language]);

  const trendOption = useMemo(() => {
    if (!trend.data) return null;
    const years = trend.data.years;
    const chosen = trend.data.regions.find((row) => row.code === region);
    const medians = years.map((y) => median(trend.data!.regions.flatMap((row) => row.points.filter((point) => point.year === y).map((point) => point.score))));
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', max: 100 },
      series: [
        { name: chosen ? nameOf(chosen) : region, type: 'line', data: years.map((y) => chosen?.points.find((point) => point.year === y)?.score ?? null), itemStyle: { color: CHOSEN_COLOUR } },
        { name: t('nationalMedian'), type: 'line', data: medians.map((value) => Math.round(value * 100) / 100), lineStyle: { type: 'dashed' }, itemStyle: { color: '#5470c6' } },
      ],
    };
  }, [trend.data, region, language]);

  if (index.error) return <p className="error" role="alert">{index.error}</p>;
  if (!data || !rankingOption) return <p className="muted">{t('loading')}</p>;
  const chosen = data.regions.find((row) => row.code === region);
  const weightRows = data.indicators.filter((definition) => data.weights[definition.indicator] !== undefined);
  const missingDimensions = DIMENSION_KEYS.filter((key) => !dimensionsWithData.includes(key));

  return (
    <section className="ecology">
      <div className="page-title">
        <h2>{t('ecologyTitle')}</h2>
        <span className="muted small">{t('dataSource')}</span>
      </div>
      <div className="panel">
        <div className="panel-head">
          <div className="tabs" role="tablist">
            {data.availableYears.map((y) => (
              <button key={y} type="button" role="tab" aria-selected={data.year === y} className={data.year === y ? 'tab active' : 'tab'} onClick={() => setYear(y)} data-testid={`ecology-year-${y}`}>
                {y}
              </button>
            ))}
          </div>
          <div className="tabs" role="tablist">
            {(Object.keys(METHOD_LABELS) as EcologyMethod[]).map((key) => (
              <button key={key} type="button" role="tab" aria-selected={method === key} className={method === key ? 'tab active' : 'tab'} onClick={() => setMethod(key)} data-testid={`ecology-method-${key}`}>
                {t(METHOD_LABELS[key])}
              </button>
            ))}
          </div>
          <label className="inline">
            {t('ecologyRegion')}{' '}
            <select value={region} onChange={(event) => setRegion(event.target.value)} data-testid="ecology-region">
              {[...data.regions].sort((a, b) => a.code.localeCompare(b.code)).map((row) => (
                <option key={row.code} value={row.code}>
                  {nameOf(row)}
                </option>
              ))}
            </select>
          </label>
          <a className="button secondary" href={ecologyCsvUrl(data.year, method)} download data-testid="ecology-csv">
            {t('exportCsv')}
          </a>
        </div>
        {chosen && (
          <div className="kpis">
            <div className="kpi">
              <span className="kpi-label">{t('ecologyRegion')}</span>
              <span className="kpi-value">{nameOf(chosen)}</span>
            </div>
            <div className="kpi">
              <span className="kpi-label">{t('ecologyScore')}</span>
              <span className="kpi-value" data-testid="ecology-chosen-score">{chosen.score.toFixed(2)}</span>
            </div>
            <div className="kpi">
              <span className="kpi-label">{t('ecologyRank')}</span>
              <span className="kpi-value" data-testid="ecology-chosen-rank">
                {chosen.rank} / {data.regions.length}
              </span>
            </div>
            <div className="kpi">
              <span className="kpi-label">{t('ecologyGrade')}</span>
              <span className="kpi-value" data-testid="ecology-chosen-grade">{chosen.grade}</span>
            </div>
            {data.consistencyRatio !== undefined && (
              <div className="kpi">
                <span className="kpi-label">{t('consistencyRatio')}</span>
                <span className="kpi-value">{data.consistencyRatio.toFixed(4)}</span>
              </div>
            )}
          </div>
        )}
      </div>
      <div className="panels two">
        <div className="panel">
          <h3>
            {t('ecologyRanking')} {data.year}
          </h3>
          <EChart name="ecology-ranking" option={rankingOption} height={Math.max(360, data.regions.length * 20)} />
        </div>
        {/* min-width 0: a grid item holding a canvas must be free to shrink to a phone's width. */}
        <div style={{ minWidth: 0, display: 'flex', flexDirection: 'column', gap: '0.75rem' }}>
          <div className="panel">
            <h3>{t('ecologyRadar')}</h3>
            {radarOption && <EChart name="ecology-radar" option={radarOption} height={300} />}
            {missingDimensions.length > 0 && (
              <p className="muted small" data-testid="ecology-missing-dimensions">
                {listText({ language }, missingDimensions.map((key) => t(key)))}{punctuationOf({ language }).colon}{t('noIndicators')}
              </p>
            )}
          </div>
          <div className="panel">
            <h3>{t('ecologyTrend')}</h3>
            {trendOption ? <EChart name="ecology-trend" option={trendOption} height={260} /> : <p className="muted">{t('loading')}</p>}
          </div>
        </div>
      </div>
      <div className="panel">
        <h3>
          {t('ecologyWeights')} · {t(METHOD_LABELS[data.method])} · {data.systemVersion}
        </h3>
        <DataTable
          testId="ecology-weights"
          rows={weightRows}
          rowKey={(row) => row.indicator}
          rowData={(row) => ({ 'data-indicator': row.indicator })}
          columns={[
            // A bank's own indicators have no label here: they show as named in its file, with their unit.
            { header: t('indicator'), cell: (row) => (`eco_${row.indicator}` in MESSAGES.zh ? t(`eco_${row.indicator}` as MessageKey) : `${row.indicator}${row.unit ? bracketText({ language }, row.unit) : ''}`) },
            { header: t('dimension'), cell: (row) => t(row.dimension) },
            { header: t('direction'), cell: (row) => (row.direction === '+' ? t('higherBetter') : t('lowerBetter')) },
            { header: t('weight'), className: 'num', cell: (row) => data.weights[row.indicator]!.toFixed(4) },
            { header: t('dimensionWeight'), className: 'num', cell: (row) => data.dimensionWeights[row.dimension].toFixed(4) },
          ]}
        />
      </div>
    </section>
  );
}

