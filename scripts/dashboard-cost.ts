/**
 * The dashboard's cost alone (issue 21): on a database after `bench servicing`, the time of the
 * separate readers the route used to call (read source, portfolio report, past-due buckets: six
 * statements) against the one statement (src/reporting/portfolio-dashboard.ts), `--calls` times
 * each, alternating, one at a time; prints the medians and p99s and whether the answers agree.
 *
 * DATABASE_URL=postgres://…/db node --import tsx scripts/dashboard-cost.ts --calls 200
 */
import { isDeepStrictEqual } from 'node:util';
import { openDatabase } from '../src/db/database.js';
import { readSource } from '../src/db/read-replica.js';
import { pastDueBuckets } from '../src/reporting/past-due.js';
import { portfolioDashboard } from '../src/reporting/portfolio-dashboard.js';
import { portfolioReport } from '../src/reporting/portfolio.js';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1] ?? 200) || 200;
const { db, close } = await openDatabase({ url: process.env.DATABASE_URL });
const separate = async () => {
  const readFrom = await readSource(db);
  const report = await portfolioReport(db);
  const pastDue = await pastDueBuckets(db);
  return { report, pastDue, readFrom };
};
const one = () => portfolioDashboard(db);
const ms: Record<'separate' | 'one', number[]> = { separate: [], one: [] };
let agree = true;
for (let i = 0; i < calls; i++) {
  for (const [name, read] of i % 2 === 0 ? ([['separate', separate], ['one', one]] as const) : ([['one', one], ['separate', separate]] as const)) {
    const started = performance.now();
    const answer = await read();
    ms[name].push(performance.now() - started);
    if (i === 0 && name === 'one') agree &&= isDeepStrictEqual(answer, await separate());
  }
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!.toFixed(2);
for (const name of ['separate', 'one'] as const) console.log(`${name}: p50 ${quantile(ms[name], 0.5)} ms, p99 ${quantile(ms[name], 0.99)} ms over ${calls} calls`);
console.log(`same answer: ${agree}`);
await close();
