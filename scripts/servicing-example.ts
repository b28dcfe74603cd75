/**
 * Prints the worked example of docs/servicing.md: a revolving line, three drawdowns, one repaid,
 * one overdue, one renewed, and every journal entry they made. It runs the real services and end
 * of day on an in-memory PGlite, so the document shows what the code does.
 *
 * Run: node --import tsx scripts/servicing-example.ts > /tmp/example.md
 */
import { openPglite, kyselyOverPglite } from '../src/db/pglite-backend.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { inTransaction } from '../src/db/transaction.js';
import { createEnterprise } from '../src/enterprises/enterprises.js';
import { runEod } from '../src/eod/index.js';
import { reconcile } from '../src/ledger/reconcile.js';
import { trialBalance } from '../src/ledger/trial-balance.js';
import { openCreditLine, getCreditLine } from '../src/lines/credit-lines.js';
import { formatMoney } from '../src/money/format-money.js';
import { drawdown } from '../src/servicing/drawdown.js';
import { loanById, balancesOf } from '../src/servicing/loans.js';
import { renew } from '../src/servicing/renewal.js';
import { repay } from '../src/servicing/repayment.js';
import { getBusinessDate } from '../src/system/business-date.js';
import { seedReferenceData } from '../src/system/reference-data.js';
import { parseBusinessDate } from '../src/calendar/business-date.js';

const db = kyselyOverPglite(await openPglite('memory://'));
await migrateToLatest(db);
await seedReferenceData(db, parseBusinessDate('2025-06-30', 'date'));
const out: string[] = [];
const say = (line = '') => out.push(line);

async function closeDaysUntil(date: string): Promise<void> {
  // Bounded: the example spans a few months at most.
  for (let day = 0; day < 400 && (await getBusinessDate(db)) < date; day++) await runEod(db, { createdBy: 'eod' });
}

const line = await inTransaction(db, async (trx) => {
  const firm = await createEnterprise(trx, { name: '杭州绿芽茶叶有限公司 (Hangzhou Green Sprout Tea Co.)', sizeClass: 'micro' }, 'account-manager');
  return openCreditLine(trx, { enterpriseId: firm.id, productCode: 'MICRO-LINE', limit: '300000.00' }, 'credit-approver');
});
say(`**2025-06-30.** A revolving line of ${formatMoney(line.limit)} at ${line.annualRate}% (1-year LPR 3.00% + 1.35), to ${line.endOn}. Three drawdowns:`);
say();
const a = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '100000.00', termDays: 30 }, 'owner'));
const b = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '50000.00', termDays: 60 }, 'owner'));
const c = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '80000.00', termDays: 45 }, 'owner'));
const names = new Map([[a.loanId, 'A'], [b.loanId, 'B'], [c.loanId, 'C']]);
for (const loan of [a, b, c]) say(`- loan ${names.get(loan.loanId)}: ${formatMoney(loan.amount)} for ${loan.maturityOn} (scheduled interest ${formatMoney(loan.schedule.totalInterest)})`);
say();
say(`Available on the line: ${formatMoney((await getCreditLine(db, line.id)).available)}.`);
say();

await closeDaysUntil('2025-07-30');
const dueA = balancesOf(await loanById(db, a.loanId));
say(`**2025-07-30.** End of day 2025-07-29 billed loan A: principal ${formatMoney(dueA.principalDue)}, interest ${formatMoney(dueA.interestDue)} (30 nights of daily accrual). The owner pays it all:`);
const paidA = await inTransaction(db, (trx) => repay(trx, { loanId: a.loanId, amount: formatMoney(dueA.payoff) }, 'owner'));
say(`loan A is ${paidA.loanStatus}; the line is back to ${formatMoney((await getCreditLine(db, line.id)).available)} available.`);
say();

await closeDaysUntil('2025-08-20');
const renewed = await inTransaction(db, (trx) =>
  renew(trx, { loanId: b.loanId, termDays: 90, attestation: { lawfulOperation: true, stableOperation: true, goodCredit: true, meetsLendingCriteria: true } }, 'approver'),
);
if (renewed.decision === 'renewed') {
  names.set(renewed.newLoanId, 'B′');
  say(`**2025-08-20.** Loan B, due 2025-08-29, is renewed without repaying principal (无还本续贷): new loan B′ of ${formatMoney(renewed.principal)} to ${renewed.maturityOn}, class ${renewed.classification}; the owner pays the ${formatMoney(renewed.interestCollected)} interest accrued so far.`);
  say();
}

await closeDaysUntil('2025-09-15');
const overdue = await loanById(db, c.loanId);
say(`**2025-09-15.** Loan C fell due on 2025-08-14 and was not paid: ${overdue.dpd} days past due, classified ${overdue.classification}, penalty interest ${formatMoney(overdue.penalty_due)} at ${Number(overdue.penalty_rate_units) / 10000}% (1.5 × the contract rate) on the overdue principal plus compound interest on the overdue interest, provision ${formatMoney(overdue.provision)}.`);
say();

const entries = await db.selectFrom('journal_entry').selectAll().orderBy('business_date').orderBy('id').execute();
const lines = await db.selectFrom('journal_line').innerJoin('ledger_account', 'ledger_account.code', 'journal_line.account_code').select(['entry_id', 'line_no', 'code', 'name', 'name_zh', 'amount']).orderBy('entry_id').orderBy('line_no').execute();
// End of day posts three entries a night; the example shows the nights that mattered and sums the rest.
const interesting = entries.filter((entry) => !entry.kind.startsWith('eod-') || ['2025-07-29', '2025-08-14'].includes(entry.business_date));
say('### The journal entries');
say();
say(`${entries.length} entries in all; below, every business event and the end-of-day entries of the nights where something changed (debit positive, credit negative).`);
say();
say('| date | kind | account | debit | credit |');
say('|---|---|---|---:|---:|');
for (const entry of interesting) {
  const loanName = entry.loan_id ? ` ${names.get(entry.loan_id) ?? ''}` : '';
  for (const row of lines.filter((line) => line.entry_id === entry.id)) {
    say(`| ${entry.business_date} | ${entry.kind}${loanName} | ${row.code} ${row.name} ${row.name_zh} | ${row.amount > 0n ? formatMoney(row.amount) : ''} | ${row.amount < 0n ? formatMoney(-row.amount) : ''} |`);
  }
}
say();
const tb = await trialBalance(db, null);
say('### Trial balance on 2025-09-15');
say();
say('| account | balance |');
say('|---|---:|');
for (const row of tb.rows.filter((row) => row.balance !== 0n)) say(`| ${row.code} ${row.name} ${row.nameZh} | ${formatMoney(row.balance)} |`);
say(`| **total debit / credit** | ${formatMoney(tb.totalDebit)} / ${formatMoney(tb.totalCredit)} |`);
say();
say(`Reconciliation of the loan sub-ledger to the general ledger: ${(await reconcile(db)).balanced ? 'balanced' : 'DIFFERENCES'}.`);
process.stdout.write(`${out.join('\n')}\n`);
