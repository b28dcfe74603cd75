/**
 * Small inline-SVG charts for the scorecard report: no scripts, no external files, so the page
 * can be archived with the model and opened anywhere.
 *
 * @example
 * lineChart({ title: 'ROC', series: [{ name: 'model', points: [[0, 0], [0.2, 0.6], [1, 1]] }], xLabel: 'FPR', yLabel: 'TPR' });
 */

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const PALETTE = ['#2b6cb0', '#c53030', '#2f855a', '#805ad5', '#dd6b20'];
const W = 420;
const H = 260;
const M = { left: 52, right: 52, top: 28, bottom: 44 };

function fmt(x: number): string {
  return Number.isInteger(x) || Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
}

// Round tick values (steps of 1, 2 or 5 × 10ᵏ) inside [min, max], about `count` of them.
function axisTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9 && ticks.length < 50; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

/** A line series. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

/**
 * Lines over a common x axis (ROC, KS curves).
 *
 * @example
 * lineChart({ title: 'KS', series, xLabel: 'score', yLabel: 'cumulative share' });
 */
export function lineChart(options: { title: string; series: readonly Series[]; xLabel: string; yLabel: string; xRange?: [number, number]; yRange?: [number, number]; marker?: { x: number; label: string } }): string {
  const xs = options.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = options.series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = options.xRange ?? [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = options.yRange ?? [Math.min(0, ...ys), Math.max(...ys)];
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
  const parts: string[] = [frame(options.title, options.xLabel, options.yLabel)];
  for (const t of axisTicks(x0, x1)) parts.push(`<text x="${sx(t)}" y="${H - M.bottom + 14}" class="tick" text-anchor="middle">${fmt(t)}</text>`);
  for (const t of axisTicks(y0, y1)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${sy(t)}" y2="${sy(t)}" class="grid"/>`);
    parts.push(`<text x="${M.left - 4}" y="${sy(t) + 3}" class="tick" text-anchor="end">${fmt(t)}</text>`);
  }
  options.series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<rect x="${M.left + 8}" y="${M.top + 4 + i * 14}" width="10" height="3" fill="${PALETTE[i % PALETTE.length]}"/><text x="${M.left + 22}" y="${M.top + 9 + i * 14}" class="tick">${escapeHtml(s.name)}</text>`);
  });
  if (options.marker !== undefined) {
    const x = sx(options.marker.x);
    parts.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#555" stroke-dasharray="2 2"/><text x="${x + 3}" y="${M.top + 10}" class="tick">${escapeHtml(options.marker.label)}</text>`);
  }
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/**
 * Bars (left axis) with a line (right axis): a variable's bin counts and bad rate, or its WOE.
 *
 * @example
 * barLineChart({ title: 'age', labels: ['< 26', '≥ 26'], bars: [190, 810], line: [0.41, 0.27], barLabel: 'rows', lineLabel: 'bad rate' });
 */
export function barLineChart(options: { title: string; labels: readonly string[]; bars: readonly number[]; line: readonly number[]; barLabel: string; lineLabel: string }): string {
  const n = options.labels.length;
  const plotW = W - M.left - M.right;
  const slot = plotW / Math.max(1, n);
  const barMax = Math.max(1, ...options.bars);
  const lineMin = Math.min(0, ...options.line);
  const lineMax = Math.max(...options.line, lineMin + 1e-9);
  const plotH = H - M.top - M.bottom;
  const by = (v: number) => H - M.bottom - (v / barMax) * plotH;
  const ly = (v: number) => H - M.bottom - ((v - lineMin) / (lineMax - lineMin)) * plotH;
  const parts: string[] = [frame(options.title, '', options.barLabel)];
  for (const t of axisTicks(0, barMax, 4)) parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${by(t)}" y2="${by(t)}" class="grid"/><text x="${M.left - 4}" y="${by(t) + 3}" class="tick" text-anchor="end">${fmt(t)}</text>`);
  for (const t of axisTicks(lineMin, lineMax, 4)) parts.push(`<text x="${W - M.right + 4}" y="${ly(t) + 3}" class="tick" fill="${PALETTE[1]}">${fmt(t)}</text>`);
  options.labels.forEach((label, i) => {
    const x = M.left + i * slot;
    const v = options.bars[i] as number;
    parts.push(`<rect x="${(x + slot * 0.15).toFixed(1)}" y="${by(v).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(H - M.bottom - by(v)).toFixed(1)}" fill="#bee3f8" stroke="${PALETTE[0]}"/>`);
    const short = label.length > 14 ? `${label.slice(0, 13)}…` : label;
    parts.push(`<text x="${(x + slot / 2).toFixed(1)}" y="${H - M.bottom + 13}" class="tick" text-anchor="middle"><title>${escapeHtml(label)}</title>${escapeHtml(short)}</text>`);
  });
  const d = options.line.map((v, i) => `${i === 0 ? 'M' : 'L'}${(M.left + (i + 0.5) * slot).toFixed(1)},${ly(v).toFixed(1)}`).join('');
  parts.push(`<path d="${d}" fill="none" stroke="${PALETTE[1]}" stroke-width="2"/>`);
  options.line.forEach((v, i) => parts.push(`<circle cx="${(M.left + (i + 0.5) * slot).toFixed(1)}" cy="${ly(v).toFixed(1)}" r="3" fill="${PALETTE[1]}"/>`));
  parts.push(`<text x="${W - 6}" y="${M.top - 10}" class="axis" text-anchor="end" fill="${PALETTE[1]}">${escapeHtml(options.lineLabel)}</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/**
 * Overlaid histograms (score distribution of goods and of bads, each as a share of its group).
 *
 * @example
 * histogram({ title: 'Scores', edges: [400, 450, 500], groups: [{ name: 'goods', counts: [3, 9] }], xLabel: 'score' });
 */
export function histogram(options: { title: string; edges: readonly number[]; groups: readonly { name: string; counts: readonly number[] }[]; xLabel: string }): string {
  const shares = options.groups.map((g) => {
    const total = g.counts.reduce((a, b) => a + b, 0) || 1;
    return g.counts.map((c) => c / total);
  });
  const yMax = Math.max(1e-9, ...shares.flat());
  const x0 = options.edges[0] as number;
  const x1 = options.edges[options.edges.length - 1] as number;
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - (y / yMax) * (H - M.top - M.bottom);
  const parts: string[] = [frame(options.title, options.xLabel, 'share of group')];
  for (const t of axisTicks(0, yMax, 4)) parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${sy(t)}" y2="${sy(t)}" class="grid"/><text x="${M.left - 4}" y="${sy(t) + 3}" class="tick" text-anchor="end">${Number((t * 100).toFixed(1))}%</text>`);
  for (const t of axisTicks(x0, x1)) parts.push(`<text x="${sx(t)}" y="${H - M.bottom + 14}" class="tick" text-anchor="middle">${fmt(t)}</text>`);
  shares.forEach((group, g) => {
    group.forEach((share, i) => {
      const a = sx(options.edges[i] as number);
      const b = sx(options.edges[i + 1] as number);
      parts.push(`<rect x="${a.toFixed(1)}" y="${sy(share).toFixed(1)}" width="${Math.max(0, b - a - 1).toFixed(1)}" height="${(H - M.bottom - sy(share)).toFixed(1)}" fill="${PALETTE[g % PALETTE.length]}" fill-opacity="0.45"/>`);
    });
    parts.push(`<rect x="${M.left + 8}" y="${M.top + 2 + g * 14}" width="10" height="8" fill="${PALETTE[g % PALETTE.length]}" fill-opacity="0.6"/><text x="${M.left + 22}" y="${M.top + 9 + g * 14}" class="tick">${escapeHtml((options.groups[g] as { name: string }).name)}</text>`);
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function frame(title: string, xLabel: string, yLabel: string): string {
  return (
    `<style>.tick{font:10px sans-serif;fill:#333}.axis{font:11px sans-serif;fill:#333}.grid{stroke:#e2e8f0}.title{font:bold 13px sans-serif}</style>` +
    `<text x="${M.left}" y="16" class="title">${escapeHtml(title)}</text>` +
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/>` +
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333"/>` +
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" class="axis" text-anchor="middle">${escapeHtml(xLabel)}</text>` +
    `<text x="12" y="${(M.top + H - M.bottom) / 2}" class="axis" text-anchor="middle" transform="rotate(-90 12 ${(M.top + H - M.bottom) / 2})">${escapeHtml(yLabel)}</text>`
  );
}
