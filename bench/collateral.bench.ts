/**
 * Secured and guaranteed lending at scale, on an in-memory PGlite: N borrowers, each with a
 * 6,000,000 term-loan line secured by a registered house (value 8,000,000, eligible 5,600,000 at a
 * 30% haircut, all of it allocated to the line) and guaranteed 1,200,000 by one guarantee company,
 * with 1,000,000 drawn. Times:
 * - a market-index revaluation of the N houses (−20%: every line goes above its maximum
 *   loan-to-value and raises a `security_event`), `revalueByIndex`, one transaction per piece;
 * - one end of day over the N loans with a tenth of them left substandard at 30 days past due, so
 *   the guarantee step (src/eod/guarantee-cover.ts) lifts them to special mention.
 *
 * Run: `node --import tsx bench/collateral.bench.ts [N]` (default 500), or import `run()`.
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { parseBusinessDate } from '../src/calendar/business-date.js';
import { linkCollateral, recordPledgeRegistration, registerCollateral } from '../src/collateral/collateral-register.js';
import { addGuarantee, createGuarantor } from '../src/collateral/guarantees.js';
import { revalueByIndex } from '../src/collateral/index-revaluation.js';
import { valueCollateral } from '../src/collateral/security-events.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { kyselyOverPglite, openPglite } from '../src/db/pglite-backend.js';
import { inTransaction } from '../src/db/transaction.js';
import { createEnterprise } from '../src/enterprises/enterprises.js';
import { runEod } from '../src/eod/run-eod.js';
import { openCreditLine } from '../src/lines/credit-lines.js';
import { drawdown } from '../src/servicing/drawdown.js';
import { seedReferenceData } from '../src/system/reference-data.js';

export interface CollateralBenchResult {
  readonly benchmark: 'collateral';
  readonly backend: 'pglite (memory)';
  readonly pieces: number;
  readonly setupSeconds: number;
  readonly revalueSeconds: number;
  /** CPU (user + sys) of this process during the revaluation: PGlite runs in it, so this is the database's work too. */
  readonly revalueCpuSeconds: number;
  readonly msPerPiece: number;
  readonly cpuMsPerPiece: number;
  readonly events: number;
  readonly eodSeconds: number;
  readonly eodCpuSeconds: number;
  readonly liftedByGuarantee: number;
}

export async function run(options: { pieces?: number } = {}): Promise<CollateralBenchResult> {
  const pieces = options.pieces ?? 500;
  const db = kyselyOverPglite(await openPglite('memory://'));
  try {
    await migrateToLatest(db);
    await seedReferenceData(db, parseBusinessDate('2025-06-30', 'date'));
    let started = performance.now();
    const company = await inTransaction(db, (trx) => createGuarantor(trx, { kind: 'company', name: '浙江省融资担保有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '100000000000.00', marginRatioBp: 1000 }, 'bench'));
    const loans: string[] = [];
    for (let i = 0; i < pieces; i++) {
      const lineId = await inTransaction(db, async (trx) => {
        const firm = await createEnterprise(trx, { name: `基准企业${i}`, sizeClass: 'small' }, 'bench');
        const line = await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'TERM-LOAN', limit: '6000000.00' }, 'bench');
        const house = await registerCollateral(trx, { enterpriseId: firm.id, type: 'residential-real-estate', owner: 'borrower', ownerName: `基准企业${i}`, description: `住宅 ${i}`, identifier: `浙(2024)杭州市不动产权第${String(i).padStart(7, '0')}号` }, 'bench');
        await valueCollateral(trx, house.id, { value: '8000000.00', method: 'appraisal', appraiser: '浙江中衡资产评估' }, 'bench');
        await recordPledgeRegistration(trx, house.id, { authority: '杭州市不动产登记中心', number: `REG-${i}`, registeredOn: '2025-06-28', rank: 1 }, 'bench');
        await linkCollateral(trx, house.id, line.id, '5600000.00', 'bench');
        await addGuarantee(trx, { guarantorId: company.id, enterpriseId: firm.id, lineId: line.id, type: 'joint-and-several', amount: '1200000.00', startOn: '2025-06-30', endOn: '2028-06-30' }, 'bench');
        return line.id;
      });
      const { loanId } = await inTransaction(db, (trx) => drawdown(trx, { lineId, amount: '1000000.00', installments: 12 }, 'bench'));
      loans.push(loanId);
    }
    const setupSeconds = seconds(started);

    started = performance.now();
    let cpu = process.cpuUsage();
    const revalued = await revalueByIndex(db, [{ type: 'residential-real-estate', changeBp: -2000, source: '杭州住宅价格指数' }], 'bench');
    const revalueSeconds = seconds(started);
    const revalueCpuSeconds = cpuSeconds(cpu);

    // A tenth of the loans substandard at 30 days past due (as the debtor rule or a reviewer would leave them); the books follow.
    const lifted = loans.filter((_, i) => i % 10 === 0);
    await sql`update loan set principal_due = 8000000, principal_not_due = principal_not_due - 8000000, overdue_since = '2025-06-01', dpd = 29,
      classification = 'substandard', provision = (principal_not_due + principal_due) / 4 where id in (${sql.join(lifted)})`.execute(db);
    started = performance.now();
    cpu = process.cpuUsage();
    const summary = await runEod(db);
    const eodSeconds = seconds(started);
    const eodCpuSeconds = cpuSeconds(cpu);
    const special = await db.selectFrom('loan').select((eb) => eb.fn.countAll<string>().as('n')).where('id', 'in', lifted).where('classification', '=', 'special-mention').executeTakeFirstOrThrow();
    if (summary.loans !== pieces) throw new Error(`end of day saw ${summary.loans} loans, not ${pieces}`);
    return {
      benchmark: 'collateral',
      backend: 'pglite (memory)',
      pieces,
      setupSeconds,
      revalueSeconds,
      revalueCpuSeconds,
      msPerPiece: Math.round((revalueSeconds * 1000 * 10) / pieces) / 10,
      cpuMsPerPiece: Math.round((revalueCpuSeconds * 1000 * 10) / pieces) / 10,
      events: revalued.reduce((n, piece) => n + piece.events.length, 0),
      eodSeconds,
      eodCpuSeconds,
      liftedByGuarantee: Number(special.n),
    };
  } finally {
    await db.destroy();
  }
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000) / 1000;
}

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run({ pieces: process.argv[2] === undefined ? 500 : Number(process.argv[2]) })));
}
