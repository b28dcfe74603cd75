/**
 * The scorecard report: one self-contained HTML page (inline CSS and SVG, no scripts) that a
 * risk officer can read, file with the model and show a regulator — the model's provenance,
 * the variable selection, coefficients, the scorecard itself, each variable's binning with its
 * WOE and bad-rate charts, and the model's discrimination on the given data (ROC, KS, score
 * distribution, gains table).
 *
 * @example
 * writeFileSync('report.html', scorecardReportHtml(model, scoringDataset(model, table, { column: 'class', bad: 'bad' })));
 */
import { ValidationError } from '../errors.js';
import { describeRule } from './bin-rule.js';
import type { Dataset } from './dataset.js';
import { auc, gini, ks, rocCurve } from './discrimination.js';
import { gainsTable } from './gains-table.js';
import { scoreDataset } from './apply-scorecard.js';
import type { ScorecardModel } from './scorecard-model.js';
import { barLineChart, escapeHtml, histogram, lineChart } from './svg-chart.js';

const f2 = (x: number) => x.toFixed(2);
const f4 = (x: number) => x.toFixed(4);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pValue = (p: number) => (p < 1e-4 ? '<0.0001' : p.toFixed(4));

// Columns from `numericFrom` up to (not including) `numericTo` are right-aligned numbers.
function tableHtml(headers: readonly string[], rows: readonly (readonly (string | number)[])[], numericFrom = 1, numericTo = headers.length): string {
  const cls = (i: number) => (i >= numericFrom && i < numericTo ? ' class="n"' : '');
  const head = headers.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${escapeHtml(String(cell))}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

// Keeps the ROC and KS paths small on large data: every point matters only at screen resolution.
function thin<T>(points: readonly T[], most = 400): T[] {
  if (points.length <= most) return [...points];
  const step = (points.length - 1) / (most - 1);
  return Array.from({ length: most }, (_, i) => points[Math.round(i * step)] as T);
}

/**
 * Renders the report for a model on a labelled data set (read with `scoringDataset(model, table,
 * target)`). `title` heads the page.
 *
 * @example
 * scorecardReportHtml(model, data, 'German credit, 2025 validation');
 */
export function scorecardReportHtml(model: ScorecardModel, data: Dataset, title = 'Scorecard report'): string {
  const y = data.target;
  if (y === undefined) throw new ValidationError('target', 'the report needs the target column to measure the model');
  const scored = scoreDataset(model, data);
  const area = auc(scored.probabilities, y);
  const ksResult = ks(scored.probabilities, y);
  let bads = 0;
  for (const t of y) bads += t;
  const sections: string[] = [];

  sections.push(`<h1>${escapeHtml(title)}</h1>
<div class="cards">
${[
  ['AUC', f4(area)],
  ['Gini', f4(gini(area))],
  ['KS', f4(ksResult.ks)],
  ['rows', String(data.rows)],
  ['bad rate', pct(bads / data.rows)],
  ['variables', String(model.variables.length)],
]
  .map(([k, v]) => `<div class="card"><div class="k">${k}</div><div class="v">${v}</div></div>`)
  .join('')}
</div>
<p>Model trained on ${model.data.rows} rows (${model.data.bads} bad, target <code>${escapeHtml(model.target.column)} = ${escapeHtml(model.target.bad)}</code>);
training AUC ${f4(model.training.auc)}, KS ${f4(model.training.ks)}. Data fingerprint <code>${model.data.fingerprint.slice(0, 16)}…</code>.
Scaling: ${model.scaling.basePoints} points at good:bad odds ${model.scaling.goodBadOdds}:1, ${model.scaling.pdo} points to double the odds
(factor ${f4(model.scaling.factor)}, offset ${f4(model.scaling.offset)}). Figures below are on the ${data.rows} rows of this report's data unless marked "training".</p>`);

  sections.push(`<h2>Coefficients</h2>${tableHtml(
    ['term', 'coefficient', 'std. error', 'z', 'p-value', 'IV (training)'],
    [
      ['(intercept)', f4(model.intercept.coefficient), f4(model.intercept.standardError), f2(model.intercept.coefficient / model.intercept.standardError), pValue(model.intercept.pValue), ''],
      ...model.variables.map((v) => [v.name, f4(v.coefficient), f4(v.standardError), f2(v.coefficient / v.standardError), pValue(v.pValue), f4(v.iv)]),
    ],
  )}`);

  sections.push(`<h2>Variable selection</h2>${tableHtml(
    ['variable', 'IV (training)', 'status', 'why'],
    model.selection.map((s) => [s.name, f4(s.iv), s.status, s.detail]),
    1,
    2,
  )}`);

  const scorecardRows: (string | number)[][] = [['(base points)', '', Math.round(model.intercept.points)]];
  for (const v of model.variables) for (const bin of v.bins) scorecardRows.push([v.name, describeRule(bin.rule), Math.round(bin.points)]);
  sections.push(`<h2>Scorecard</h2><p>Score = base points + the points of the applicant's bin in each variable (rounded here; the model keeps exact points).</p>${tableHtml(['variable', 'bin', 'points'], scorecardRows, 2)}`);

  const variableSections = model.variables.map((v, index) => {
    const assigned = scored.bins[index] as Int32Array;
    const counts = v.bins.map(() => ({ n: 0, bads: 0 }));
    assigned.forEach((b, r) => {
      const c = counts[b] as { n: number; bads: number };
      c.n++;
      c.bads += y[r] as number;
    });
    const labels = v.bins.map((bin) => describeRule(bin.rule));
    const rows = v.bins.map((bin, b) => {
      const c = counts[b] as { n: number; bads: number };
      return [labels[b] as string, bin.count, pct(bin.share), bin.bads, pct(bin.badRate), f4(bin.woe), f4(bin.iv), f2(bin.points), c.n, c.n === 0 ? '–' : pct(c.bads / c.n)];
    });
    const charts =
      barLineChart({ title: `${v.name}: rows and bad rate (this data)`, labels, bars: counts.map((c) => c.n), line: counts.map((c) => (c.n === 0 ? 0 : c.bads / c.n)), barLabel: 'rows', lineLabel: 'bad rate' }) +
      barLineChart({ title: `${v.name}: WOE (training)`, labels, bars: v.bins.map((bin) => bin.count), line: v.bins.map((bin) => bin.woe), barLabel: 'training rows', lineLabel: 'WOE' });
    const trend = v.trend === 'none' ? '' : `, bad rate ${v.trend} (enforced)`;
    return `<h3>${escapeHtml(v.name)}</h3><p>${v.kind}, ${v.method} binning${trend}; IV ${f4(v.iv)}; unknown values go to "${escapeHtml(labels[v.fallbackBin] as string)}".</p>
<div class="charts">${charts}</div>
${tableHtml(['bin', 'rows (training)', 'share', 'bads', 'bad rate', 'WOE', 'IV', 'points', 'rows (this data)', 'bad rate (this data)'], rows)}`;
  });
  sections.push(`<h2>Binning</h2>${variableSections.join('\n')}`);

  const roc = rocCurve(scored.probabilities, y);
  const rocPoints = thin(roc.map((p) => [p.fpr, p.tpr] as const));
  // KS curve along the score (safest last): cumulative shares of bads and goods below each score.
  const ksBad = thin(roc.slice(1).map((p) => [model.scaling.offset - model.scaling.factor * Math.log(p.threshold / (1 - p.threshold)), p.tpr] as const));
  const ksGood = thin(roc.slice(1).map((p) => [model.scaling.offset - model.scaling.factor * Math.log(p.threshold / (1 - p.threshold)), p.fpr] as const));
  const ksScore = model.scaling.offset - model.scaling.factor * Math.log(ksResult.threshold / (1 - ksResult.threshold));
  const minScore = Math.min(...scored.scores);
  const maxScore = Math.max(...scored.scores);
  const edges = Array.from({ length: 21 }, (_, i) => minScore + ((maxScore - minScore) * i) / 20);
  const bucket = (s: number) => Math.min(19, Math.max(0, Math.floor(((s - minScore) / (maxScore - minScore || 1)) * 20)));
  const goodCounts = new Array<number>(20).fill(0);
  const badCounts = new Array<number>(20).fill(0);
  scored.scores.forEach((s, r) => {
    const counts = y[r] === 1 ? badCounts : goodCounts;
    counts[bucket(s)] = (counts[bucket(s)] as number) + 1;
  });
  sections.push(`<h2>Discrimination</h2><div class="charts">
${lineChart({ title: `ROC curve (AUC ${f4(area)})`, series: [{ name: 'model', points: rocPoints }, { name: 'random', points: [[0, 0], [1, 1]], dashed: true }], xLabel: 'false-positive rate (goods declined)', yLabel: 'true-positive rate (bads declined)', xRange: [0, 1], yRange: [0, 1] })}
${lineChart({ title: `KS curve (KS ${f4(ksResult.ks)})`, series: [{ name: 'bads, cumulative', points: [...ksBad].reverse() }, { name: 'goods, cumulative', points: [...ksGood].reverse() }], xLabel: 'score', yLabel: 'share at or below score', yRange: [0, 1], marker: { x: ksScore, label: `KS at ${ksScore.toFixed(0)}` } })}
${histogram({ title: 'Score distribution', edges, groups: [{ name: 'goods', counts: goodCounts }, { name: 'bads', counts: badCounts }], xLabel: 'score' })}
</div>`);

  const gains = gainsTable(scored.scores, y, 10);
  sections.push(`<h2>Gains table</h2><p>Rows sorted by score, lowest (riskiest) first, in ten groups of equal size.</p>${tableHtml(
    ['group', 'scores', 'rows', 'bads', 'bad rate', 'cum. bads', 'cum. goods', 'KS', 'lift'],
    gains.map((g) => [g.group, `${g.minScore.toFixed(0)}–${g.maxScore.toFixed(0)}`, g.count, g.bads, pct(g.badRate), pct(g.cumulativeBadShare), pct(g.cumulativeGoodShare), f4(g.ks), f2(g.lift)]),
  )}`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#1a202c;padding:0 16px}
h1{font-size:24px}h2{margin-top:32px;border-bottom:1px solid #cbd5e0;padding-bottom:4px}h3{margin-top:24px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{border:1px solid #e2e8f0;padding:3px 8px;text-align:left}
th{background:#edf2f7}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tbody tr:nth-child(even){background:#f7fafc}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #cbd5e0;border-radius:6px;padding:8px 14px;min-width:90px}
.card .k{font-size:12px;color:#4a5568}.card .v{font-size:20px;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:12px}svg{border:1px solid #edf2f7;background:#fff}code{background:#edf2f7;padding:0 3px}
</style></head><body>
${sections.join('\n')}
</body></html>
`;
}
