/**
 * The three tables (三表) as line charts over the months of the latest data pull: electricity,
 * water, and tax (invoiced sales and tax paid). A dip in power while invoiced sales climb is
 * exactly what a reviewer looks for.
 */
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import type { DataSeries } from '../api-portal';
import { EChart } from './EChart';
import { yuan } from '../format';
import { useI18n } from '../i18n';

echarts.use([LineChart]);

const GRID = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };

export function SeriesCharts({ series }: { readonly series: DataSeries }) {
  const { t, language } = useI18n();
  const compact = (value: number) => (value >= 10000 ? `${(value / 10000).toFixed(value >= 100000 ? 0 : 1)}${language === 'zh' ? '万' : '0k'}` : String(value));

  const options = useMemo(() => {
    const axis = { type: 'category', data: series.months, boundaryGap: false, axisLabel: { hideOverlap: true } };
    const line = (name: string, data: number[], color: string) => ({ type: 'line', name, data, smooth: true, showSymbol: false, lineStyle: { width: 2, color }, itemStyle: { color }, areaStyle: { color, opacity: 0.08 } });
    return {
      electricity: {
        tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value} kWh` },
        grid: GRID,
        xAxis: axis,
        yAxis: { type: 'value', name: 'kWh', axisLabel: { formatter: compact } },
        series: [line(t('electricity'), series.electricityKwh, '#1f7a4d')],
      },
      water: {
        tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value} t` },
        grid: GRID,
        xAxis: axis,
        yAxis: { type: 'value', name: t('tonnes'), axisLabel: { formatter: compact } },
        series: [line(t('water'), series.waterTonnes, '#2b6cb0')],
      },
      tax: {
        tooltip: { trigger: 'axis', valueFormatter: (value: number) => yuan(value.toFixed(2)) },
        legend: { top: 0, right: 0 },
        grid: GRID,
        xAxis: axis,
        // Tax paid is a few percent of sales: its own axis on the right, so both lines read.
        yAxis: [
          { type: 'value', axisLabel: { formatter: compact } },
          { type: 'value', axisLabel: { formatter: compact }, splitLine: { show: false } },
        ],
        // ECharts draws numbers; the exact decimal strings are what the API gave.
        series: [line(t('invoicedSales'), series.invoicedSales.map(Number), '#b7791f'), { ...line(t('taxPaid'), series.taxPaid.map(Number), '#c53030'), yAxisIndex: 1, areaStyle: undefined }],
      },
    };
  }, [series, language]);

  if (series.months.length === 0) return <p className="muted">{t('noDataPulled')}</p>;
  return (
    <div className="panels">
      <div className="panel">
        <h3>{t('electricityTable')}</h3>
        <EChart name="electricity" option={options.electricity} height={220} />
      </div>
      <div className="panel">
        <h3>{t('waterTable')}</h3>
        <EChart name="water" option={options.water} height={220} />
      </div>
      <div className="panel">
        <h3>{t('taxTable')}</h3>
        <EChart name="tax" option={options.tax} height={220} />
      </div>
    </div>
  );
}
