/**
 * Maturity (到期兑付): the core enterprise pays the full face amount of a receivable into the
 * bank's collection account; the bank settles each financed part (the payer is the core
 * enterprise, not the borrower), and pays each holder what is left. A core enterprise that does
 * not pay makes its financings overdue: end of day ages them as past-due loans (days past due,
 * penalty, the five categories applied to its exposure as a whole, provision:
 * `ageSupplyChainFinancing`), and its late payment settles the penalty too.
 */
import { sql, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { daysBetween, type BusinessDate } from '../calendar/business-date.js';
import type { ClassificationRules } from '../classification/classification-rules.js';
import type { Classification } from '../classification/classification.js';
import { nextClassification, worseOf } from '../classification/classify.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotFoundError, invariant } from '../errors.js';
import { scfAccountPurpose } from '../ledger/chart-of-accounts.js';
import { postEntry } from '../ledger/post-entry.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { MAX_CERTIFICATES_PER_RECEIVABLE } from './certificates.js';
import { SCF_DAYS_IN_YEAR } from './financing-terms.js';
import { provisionFor } from '../classification/provision.js';
import { debtorIsNonPerforming, type DebtorLoan } from '../classification/debtor-rule.js';
import { rollToWorkingDay } from '../calendar/working-days.js';
import { loadHolidayCalendarBetween } from '../system/holiday-calendar.js';
import { postTotals, type ChunkTotals } from '../eod/process-chunk.js';

/** What one certificate's holder got when the core enterprise paid. */
export interface CertificatePayment {
  readonly certificateId: string;
  readonly holderId: string;
  readonly face: Minor;
  /** What the core enterprise paid for this part: its face, plus interest it bears. */
  readonly paid: Minor;
  readonly financingId: string | null;
  readonly principal: Minor;
  readonly interest: Minor;
  /** Penalty interest the core enterprise owed for paying late (罚息), settled with the rest. */
  readonly penalty: Minor;
  /** Paid on to the holder. */
  readonly toHolder: Minor;
}

/** A receivable paid. */
export interface ReceivablePayment {
  readonly receivableId: string;
  readonly total: Minor;
  readonly certificates: readonly CertificatePayment[];
}

/**
 * What the core enterprise owes on the receivable: the face of its live parts, plus the interest
 * of parts financed under a programme where it bears the interest, plus the penalty end of day
 * has accrued on parts it has let fall past due. Without a change.
 */
export async function amountDue(trx: Transaction<Database>, receivableId: string): Promise<Minor> {
  const parts = await liveParts(trx, receivableId);
  return minor(parts.reduce((sum, part) => sum + owedOn(part).paid, 0n));
}

/** What the core enterprise pays for one live part: its face, the interest it bears, the penalty. */
function owedOn(part: LivePart): { readonly paid: Minor; readonly interest: Minor; readonly penalty: Minor } {
  const financed = part.financing_id !== null;
  const interest = minor(financed ? (part.interest ?? 0n) : 0n);
  const penalty = minor(financed ? (part.penalty_due ?? 0n) : 0n);
  const corePaysInterest = financed && part.interest_payer === 'core-enterprise';
  return { paid: minor(part.face_amount + (corePaysInterest ? interest : 0n) + penalty), interest, penalty };
}

type LivePart = Awaited<ReturnType<typeof liveParts>>[number];

async function liveParts(trx: Transaction<Database>, receivableId: string) {
  const rows = await trx
    .selectFrom('scf_certificate as c')
    .leftJoin('scf_financing as f', 'f.certificate_id', 'c.id')
    .select(['c.id', 'c.holder_id', 'c.face_amount', 'c.status', 'f.id as financing_id', 'f.principal', 'f.interest', 'f.interest_payer', 'f.interest_timing', 'f.classification', 'f.penalty_due', 'f.provision'])
    .where('c.receivable_id', '=', receivableId)
    .where('c.status', 'in', ['held', 'financed'])
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(MAX_CERTIFICATES_PER_RECEIVABLE + 1)
    .execute();
  invariant(rows.length <= MAX_CERTIFICATES_PER_RECEIVABLE, 'a receivable has a bounded number of parts');
  return rows;
}

/**
 * The core enterprise pays receivable `receivableId` in full (on or after its due date: a late
 * payment settles the same way, the financing's classification stays as end of day left it until
 * the exposure is gone). For each live part: the receipt is posted through the collections
 * account, the financing (if any) is settled from it — principal from the account of its
 * classification, interest not yet taken to income — and the rest is paid to the holder. The
 * financing's principal leaves the programme's usage, restoring its headroom.
 */
export async function payReceivable(trx: Transaction<Database>, coreEnterpriseId: string, receivableId: string, today: BusinessDate, by: string): Promise<ReceivablePayment> {
  const receivable = await trx.selectFrom('scf_receivable').selectAll().where('id', '=', receivableId).forUpdate().executeTakeFirst();
  if (!receivable || receivable.buyer_id !== coreEnterpriseId) throw new NotFoundError(`receivable ${receivableId}`);
  if (receivable.status !== 'confirmed') throw new ConflictError(`receivable ${receivable.invoice_no} is ${receivable.status}`, 'receivableId');
  const parts = await liveParts(trx, receivableId);
  invariant(parts.length > 0, 'a confirmed receivable has live parts until paid');
  const payments: CertificatePayment[] = [];
  for (const part of parts) {
    const face = part.face_amount;
    const financed = part.financing_id !== null;
    const principal = minor(financed ? (part.principal ?? 0n) : 0n);
    const { paid, interest, penalty } = owedOn(part);
    // Interest still owed to the bank at maturity; discounted interest went to income at the outset.
    const interestNow = minor(financed && part.interest_timing === 'at-maturity' ? interest : 0n);
    // The penalty was taken to income night by night (penalty-receivable); the late payer pays it, not the holder.
    const toHolder = minor(paid - principal - interestNow - penalty);
    invariant(toHolder >= 0n, 'the holder is never asked to pay');
    await postEntry(trx, {
      enterpriseId: part.holder_id, businessDate: today, kind: 'scf-payment-received', description: `core enterprise paid invoice ${receivable.invoice_no}`, createdBy: by, certificateId: part.id,
      lines: [
        { purpose: 'settlement', amount: paid },
        { purpose: 'scf-collections', amount: minor(-paid) },
        { purpose: 'scf-certificates-contra', amount: face },
        { purpose: 'scf-certificates', amount: minor(-face) },
      ],
    });
    const classification = (part.classification ?? 'normal') as Classification;
    await postEntry(trx, {
      enterpriseId: part.holder_id, businessDate: today, kind: 'scf-settlement', description: `settlement of certificate ${part.id}`, createdBy: by, certificateId: part.id,
      lines: [
        { purpose: 'scf-collections', amount: paid },
        { purpose: scfAccountPurpose(classification), amount: minor(-principal) },
        { purpose: 'interest-income', amount: minor(-interestNow) },
        { purpose: 'penalty-receivable', amount: minor(-penalty) },
        { purpose: 'settlement', amount: minor(-toHolder) },
      ],
    });
    // A settled financing's provision is released with it, as a paid-off loan's is.
    const provision = minor(part.provision ?? 0n);
    await postEntry(trx, {
      enterpriseId: part.holder_id, businessDate: today, kind: 'provision-release', description: `provision released on settlement of certificate ${part.id}`, createdBy: by, certificateId: part.id,
      lines: [
        { purpose: 'loan-loss-provision', amount: provision },
        { purpose: 'provision-expense', amount: minor(-provision) },
      ],
    });
    await trx.updateTable('scf_certificate').set({ status: 'paid' }).where('id', '=', part.id).execute();
    if (part.financing_id !== null) {
      await trx.updateTable('scf_financing').set({ status: 'settled', settled_on: today, surplus_paid: toHolder, provision: minor(0n) }).where('id', '=', part.financing_id).execute();
    }
    payments.push({ certificateId: part.id, holderId: part.holder_id, face, paid, financingId: part.financing_id, principal, interest: interestNow, penalty, toHolder });
  }
  await trx.updateTable('scf_receivable').set({ status: 'paid' }).where('id', '=', receivableId).execute();
  const total = minor(payments.reduce((sum, p) => sum + p.paid, 0n));
  const faces = payments.reduce((sum, p) => sum + p.face, 0n);
  invariant(faces === receivable.confirmed_amount, 'the live parts add up to the confirmed amount');
  await appendAudit(trx, { actor: by, action: 'scf.receivable-pay', entityType: 'scf_receivable', entityId: receivableId, after: { total: formatMoney(total), parts: payments.length, late: today > receivable.due_on } });
  return { receivableId, total, certificates: payments };
}

/** What one night's ageing did. */
export interface AgeingSummary {
  readonly overdue: number;
  readonly reclassified: number;
  /** Penalty interest accrued tonight, fen. */
  readonly penalty: Minor;
  /** Tonight's change of the financings' loan-loss provision, fen. */
  readonly provisionDelta: Minor;
}

/** Penalty accrues as a loan's: rate units are percent × 10^4, over a 360-day year (SCF_DAYS_IN_YEAR). */
const PENALTY_DIVISOR = SCF_DAYS_IN_YEAR * 1_000_000n;

/**
 * End of day for supply-chain financing, treated as the loan book is (src/eod/process-chunk.ts):
 * - days past due: a financing the core enterprise has not paid by its due date (rolled to the
 *   next working day when it is a rest day, as a loan's payment is) is overdue, dpd = tomorrow −
 *   that date;
 * - penalty (罚息) each night it is overdue: (principal × penalty rate units + remainder) ÷ (360 ×
 *   10^6), the remainder carried so no fen is lost, the penalty rate fixed at financing as the
 *   financing rate × the programme's multiplier;
 * - classification by the overdue rules (`nextClassification`). The core enterprise is the
 *   obligor of every financing against its certificates, so each takes the worst category any of
 *   them reaches (no automatic upgrade out of non-performing); and the debtor rule
 *   (`debtorIsNonPerforming`) over its loans and these financings together makes them at least
 *   substandard when more than the rules' share of its claims is non-performing;
 * - provision: principal × the category's rate (`provisionFor`);
 * - the entries of the loan book's night (`postTotals`: accrual, reclassification between the
 *   supply-chain classification accounts, provision), each naming the certificate it is for.
 * A financing is processed once a date (`last_eod_on`), so closing a date again adds nothing.
 * `citus`: on Citus, each entry is posted in statements Citus routes (`postTotals`).
 */
export async function ageSupplyChainFinancing(trx: Transaction<Database>, date: BusinessDate, rules: ClassificationRules, by: string, citus = false): Promise<AgeingSummary> {
  const rows = await trx
    .selectFrom('scf_financing')
    .select(['id', 'certificate_id', 'core_enterprise_id', 'due_on', 'principal', 'classification', 'status', 'penalty_rate_units', 'penalty_remainder', 'provision', 'last_eod_on'])
    .where('status', '<>', 'settled')
    .orderBy('core_enterprise_id')
    .orderBy('id')
    .forUpdate()
    .execute();
  const due = rows.filter((row) => row.due_on <= date).map((row) => row.due_on);
  const calendar = due.length === 0 ? null : await loadHolidayCalendarBetween(trx, due.reduce((a, b) => (a < b ? a : b)), date);
  const ageing = rows.map((row) => {
    const overdueFrom = calendar === null || row.due_on > date ? null : rollToWorkingDay(row.due_on, calendar);
    const dpd = overdueFrom !== null && overdueFrom <= date ? daysBetween(overdueFrom, date) + 1 : 0;
    const done = row.last_eod_on !== null && row.last_eod_on >= date;
    return { ...row, dpd, done, byRules: done ? row.classification : nextClassification(row.classification, dpd, rules) };
  });
  const worstByCore = new Map<string, Classification>();
  for (const row of ageing) worstByCore.set(row.core_enterprise_id, worseOf(worstByCore.get(row.core_enterprise_id) ?? 'normal', row.byRules));
  // The debtor rule over all the core enterprise's claims at the bank: its loans (as tonight's chunks left them) and these financings.
  for (const [core, worst] of worstByCore) {
    const loans = await trx.selectFrom('loan').select(['principal_not_due', 'principal_due', 'classification']).where('enterprise_id', '=', core).where('status', '=', 'active').execute();
    const claims: DebtorLoan[] = [
      ...loans.map((loan) => ({ principal: loan.principal_not_due + loan.principal_due, classification: loan.classification })),
      ...ageing.filter((row) => row.core_enterprise_id === core).map((row) => ({ principal: row.principal, classification: worst })),
    ];
    if (debtorIsNonPerforming(claims, rules)) worstByCore.set(core, worseOf(worst, 'substandard'));
  }
  let overdue = 0;
  let reclassified = 0;
  let penaltyTotal = 0n;
  let provisionTotal = 0n;
  for (const row of ageing) {
    if (row.done) continue;
    const next = worstByCore.get(row.core_enterprise_id) ?? row.byRules;
    const status = row.dpd > 0 ? 'overdue' : 'active';
    const numerator = row.dpd > 0 ? row.principal * row.penalty_rate_units + row.penalty_remainder : row.penalty_remainder;
    const penalty = minor(row.dpd > 0 ? numerator / PENALTY_DIVISOR : 0n);
    const provision = minor(provisionFor(row.principal, next, rules));
    if (status === 'overdue') overdue++;
    if (next !== row.classification) reclassified++;
    penaltyTotal += penalty;
    provisionTotal += provision - row.provision;
    await trx
      .updateTable('scf_financing')
      .set((eb) => ({
        dpd: row.dpd, status, classification: next, provision, last_eod_on: date,
        penalty_due: eb('penalty_due', '+', penalty),
        penalty_remainder: row.dpd > 0 ? numerator % PENALTY_DIVISOR : row.penalty_remainder,
      }))
      .where('id', '=', row.id)
      .execute();
    const totals: ChunkTotals = {
      loans: 1, billed: 0, interest: minor(0n), penalty,
      moves: next === row.classification ? [] : [{ from: row.classification, to: next, principal: row.principal }],
      provisionDelta: minor(provision - row.provision),
    };
    await postTotals(trx, date, `end of day ${date}, supply-chain financing ${row.id}`, by, totals, { accountOf: scfAccountPurpose, certificateId: row.certificate_id }, citus);
  }
  // No financing on the books (the rows above are every one not settled, locked): no history row to write.
  if (rows.length > 0) await recordFinancingDay(trx, date);
  return { overdue, reclassified, penalty: minor(penaltyTotal), provisionDelta: minor(provisionTotal) };
}

/**
 * The night's history of the financings (`scf_financing_day`, migration 0060), as `loan_day` is
 * the loans': one row for each financing on the books at the close of `date` (not settled), as
 * tonight's ageing left it. The regulatory reports as of `date` read these rows beside the loans'
 * (src/reporting/book-as-of.ts), with the supplier that received the money as the borrower. A
 * date's rows are written once; ageing the same date again adds none.
 */
async function recordFinancingDay(trx: Transaction<Database>, date: BusinessDate): Promise<void> {
  await sql`insert into scf_financing_day (business_date, financing_id, enterprise_id, core_enterprise_id, principal, rate_units, dpd, classification, provision, penalty_due, financed_on)
    select cast(${date} as date), f.id, f.supplier_id, f.core_enterprise_id, f.principal, f.rate_units, f.dpd, f.classification, f.provision, f.penalty_due, f.financed_on
    from scf_financing f
    where f.status <> 'settled' and f.financed_on <= cast(${date} as date)
    on conflict (business_date, financing_id) do nothing`.execute(trx);
}
