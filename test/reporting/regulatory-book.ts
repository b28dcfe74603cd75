/**
 * A generated book for the regulatory reports, lived through the services and end of day across
 * a year boundary (2024-12 to 2025-02), with the cases the reports must get right:
 * - `crossing`: a small firm inclusive at the year end whose second line takes its total credit
 *   past 10 million yuan in January;
 * - `grown`: a small firm that becomes medium-sized in January;
 * - `renewed`: a micro firm's working-capital loan renewed (无还本续贷) in February;
 * - `writtenOff`: a loan classified doubtful and written off (核销) in February;
 * - seeded random borrowers of every type, region, industry and size, some foreign-trade firms.
 * After each night the loans on the books are captured, so tests compare history with what end
 * of day left.
 */
import type { Kysely, Selectable } from 'kysely';
import { parseBusinessDate, type BusinessDate } from '../../src/calendar/business-date.js';
import { SIMULATED_REGIONS } from '../../src/data/index.js';
import type { Database, LoanTable } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise, updateReportingProfile } from '../../src/enterprises/enterprises.js';
import { runEod } from '../../src/eod/run-eod.js';
import { loanById } from '../../src/servicing/loans.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { seededRandom } from '../../src/random/seeded-random.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { renew } from '../../src/servicing/renewal.js';
import { repay } from '../../src/servicing/repayment.js';
import { writeOff } from '../../src/servicing/write-off.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { simulate } from '../support/simulate.js';

export const NIGHTS = ['2024-12-31', '2025-01-15', '2025-01-31', '2025-02-28'] as const;

export interface RegulatoryBook {
  readonly crossing: string;
  readonly grown: string;
  readonly renewedLoan: string;
  readonly renewal: string;
  readonly writtenOff: string;
  /** Active loans after each night, by date. */
  readonly nights: ReadonlyMap<string, readonly Selectable<LoanTable>[]>;
}

const ATTESTATION = { lawfulOperation: true, stableOperation: true, goodCredit: true, meetsLendingCriteria: true };
const date = (text: string) => parseBusinessDate(text, 'date');

export async function createRegulatoryBook(db: Kysely<Database>, seed = 15): Promise<RegulatoryBook> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  await setBusinessDate(db, date('2024-12-02'));
  const nights = new Map<string, Selectable<LoanTable>[]>();
  const night = async (day: BusinessDate) => {
    await setBusinessDate(db, day);
    await runEod(db, { shardsPerChunk: 256 });
    // Each loan as the service reads it (a row end of day did not write is as of its last_eod_on).
    const active = await db.selectFrom('loan').select('id').where('status', '=', 'active').execute();
    const loans: Selectable<LoanTable>[] = [];
    for (const { id } of active) loans.push(await loanById(db, id));
    nights.set(day, loans);
  };
  const firm = (name: string, fields: Record<string, unknown>) => inTransaction(db, (trx) => createEnterprise(trx, { name, ...fields }, 'test'));
  const line = (enterpriseId: string, productCode: string, limit: string, annualRate: string) =>
    inTransaction(db, (trx) => openCreditLine(trx, { enterpriseId, productCode, limit, annualRate, termDays: 720 }, 'test'));
  const draw = (lineId: string, amount: string, termDays: number) => inTransaction(db, (trx) => drawdown(trx, { lineId, amount, termDays }, 'test'));

  // The named cases.
  const crossing = await firm('杭州越线机械有限公司', { sizeClass: 'small', regionCode: '330106', industryCode: 'C34' });
  const crossingLine = await line(crossing.id, 'TERM-LOAN', '8000000.00', '4.10');
  await draw(crossingLine.id, '5000000.00', 300);
  const grown = await firm('深圳长大电子有限公司', { sizeClass: 'small', regionCode: '440305', industryCode: 'C39', foreignTrade: { from: '2024-12-01', evidence: '海关注册编码 4403960123' } });
  const grownLine = await line(grown.id, 'MICRO-LINE', '2000000.00', '4.20');
  await draw(grownLine.id, '1500000.00', 200);
  const renewedFirm = await firm('宁波续贷商贸有限公司', { sizeClass: 'micro', regionCode: '330203', industryCode: 'F51' });
  const renewedLine = await line(renewedFirm.id, 'MICRO-LINE', '500000.00', '4.35');
  const renewedLoan = await draw(renewedLine.id, '200000.00', 70);
  const badFirm = await firm('温州核销五金店', { sizeClass: 'micro', borrowerType: 'individual-business', regionCode: '330302', industryCode: 'F52' });
  const badLine = await line(badFirm.id, 'MICRO-LINE', '300000.00', '6.50');
  const bad = await draw(badLine.id, '250000.00', 200);

  // Seeded borrowers: every borrower type, size class, demo region, industry; a fifth trade abroad.
  const industries = ['A01', 'C13', 'C18', 'C29', 'E48', 'F51', 'F52', 'G54', 'H62', 'I65', 'L72', 'O80'];
  const randomLines: string[] = [];
  for (let i = 0; i < 14; i++) {
    const type = pick(['enterprise', 'enterprise', 'enterprise', 'individual-business', 'small-business-owner'] as const);
    const region = pick(SIMULATED_REGIONS).code;
    const foreign = random() < 0.2 ? { from: pick(['2024-06-01', '2025-01-10']), evidence: `海关注册编码 ${region.slice(0, 4)}96${String(1000 + i)}` } : null;
    const f = await firm(`随机企业${i}`, { sizeClass: pick(['micro', 'micro', 'small', 'medium', 'large']), borrowerType: type, regionCode: region, industryCode: pick(industries), foreignTrade: foreign });
    const product = random() < 0.5 ? 'MICRO-LINE' : 'SHORT-TERM';
    const l = await line(f.id, product, `${100_000 + Math.floor(random() * 20) * 100_000}.00`, pick(['3.85', '4.35', '5.20', '7.80']));
    randomLines.push(l.id);
    await draw(l.id, `${50_000 + Math.floor(random() * 10) * 5_000}.00`, 60 + Math.floor(random() * 200));
  }
  await night(date('2024-12-31'));

  // January: new lending this year, the crossing line, a borrower becomes medium.
  await setBusinessDate(db, date('2025-01-10'));
  const second = await line(crossing.id, 'MICRO-LINE', '3000000.00', '3.90');
  await draw(second.id, '1000000.00', 180);
  for (const lineId of randomLines.slice(0, 6)) await draw(lineId, '30000.00', 90);
  // A firm that stops paying: doubtful by the end of January.
  await simulate(db, bad.loanId, { classification: 'doubtful', principalDue: 250_000_00n, overdueSince: '2024-07-01', dpd: 190 });
  await night(date('2025-01-15'));
  await setBusinessDate(db, date('2025-01-20'));
  await inTransaction(db, (trx) => updateReportingProfile(trx, grown.id, { sizeClass: 'medium' }, 'risk-officer'));
  await night(date('2025-01-31'));

  // February: a renewal before maturity, a write-off, a repayment.
  await setBusinessDate(db, date('2025-02-05'));
  const outcome = await inTransaction(db, (trx) => renew(trx, { loanId: renewedLoan.loanId, termDays: 90, attestation: ATTESTATION }, 'credit-approver'));
  if (outcome.decision !== 'renewed') throw new Error(`renewal refused: ${JSON.stringify(outcome.refusals)}`);
  await inTransaction(db, (trx) => writeOff(trx, { loanId: bad.loanId, reason: 'borrower absconded, court ruling' }, 'risk-officer'));
  const firstRandom = await db.selectFrom('loan').select('id').where('line_id', '=', randomLines[0]!).where('status', '=', 'active').orderBy('disbursed_on').executeTakeFirstOrThrow();
  await inTransaction(db, (trx) => repay(trx, { loanId: firstRandom.id, amount: '10000.00' }, 'test'));
  await night(date('2025-02-28'));

  return { crossing: crossing.id, grown: grown.id, renewedLoan: renewedLoan.loanId, renewal: outcome.newLoanId, writtenOff: bad.loanId, nights };
}
