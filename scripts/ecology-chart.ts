/**
 * Draws docs/ecology-2023.svg: the provinces ranked on the regional financial ecology index for
 * 2023 (shipped NBS data, default indicators, entropy weights), Jilin marked. Run with
 * `npx tsx scripts/ecology-chart.ts`; the figures are the same as `sprout ecology index --year 2023`.
 */
import { writeFileSync } from 'node:fs';
import { shippedPanel } from '../src/ecology/ecology-files.js';
import { ecologyIndex } from '../src/ecology/ecology-index.js';
import { DEFAULT_INDICATOR_SYSTEM } from '../src/ecology/indicator-system.js';

const index = ecologyIndex(shippedPanel(), DEFAULT_INDICATOR_SYSTEM, { method: 'entropy', years: [2023] });
const ROW = 18;
const LEFT = 120;
const WIDTH = 640;
const BAR = WIDTH - LEFT - 60;
const TOP = 36;
const height = TOP + index.regions.length * ROW + 30;
const colour = (code: string, grade: string) => (code === '220000' ? '#d9534f' : grade === 'A' ? '#1f7a4d' : '#9aa5b1');
const rows = index.regions.map((region, i) => {
  const y = TOP + i * ROW;
  const w = Math.max(1, (region.score / 100) * BAR);
  return [
    `<text x="${LEFT - 6}" y="${y + 12}" text-anchor="end">${region.rank}. ${region.nameEn}</text>`,
    `<rect x="${LEFT}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW - 5}" fill="${colour(region.code, region.grade)}"/>`,
    `<text x="${(LEFT + w + 4).toFixed(1)}" y="${y + 12}">${region.score.toFixed(1)} ${region.grade}</text>`,
  ].join('');
});
const ticks = [0, 20, 40, 60, 80, 100].map((tick) => {
  const x = LEFT + (tick / 100) * BAR;
  return `<line x1="${x}" y1="${TOP}" x2="${x}" y2="${height - 26}" stroke="#e3e6ea"/><text x="${x}" y="${height - 12}" text-anchor="middle">${tick}</text>`;
});
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#222">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${LEFT}" y="20" font-size="13" font-weight="bold">Regional financial ecology index 2023 (NBS data, default indicators, entropy weights)</text>
${ticks.join('\n')}
${rows.join('\n')}
</svg>
`;
writeFileSync('docs/ecology-2023.svg', svg);
console.log(`docs/ecology-2023.svg: ${index.regions.length} provinces`);
