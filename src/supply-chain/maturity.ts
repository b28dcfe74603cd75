/**
 * Maturity (到期兑付): the core enterprise pays the full face amount of a receivable into the
 * bank's collection account; the bank settles each financed part (the payer is the core
 * enterprise, not the borrower), and pays each holder what is left. A core enterprise that does
 * not pay makes its financings overdue, and the five-category rules are applied to its exposure
 * as a whole (`ageSupplyChainFinancing`, run at end of day).
 */
import type { Transaction } from 'kysely';
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
 * of parts financed under a programme where it bears the interest. Without a change.
 */
export async function amountDue(trx: Transaction<Database>, receivableId: string): Promise<Minor> {
  const parts = await liveParts(trx, receivableId);
  return minor(parts.reduce((sum, part) => sum + part.face_amount + (part.interest_payer === 'core-enterprise' ? (part.interest ?? 0n) : 0n), 0n));
}

async function liveParts(trx: Transaction<Database>, receivableId: string) {
  const rows = await trx
    .selectFrom('scf_certificate as c')
    .leftJoin('scf_financing as f', 'f.certificate_id', 'c.id')
    .select(['c.id', 'c.holder_id', 'c.face_amount', 'c.status', 'f.id as financing_id', 'f.principal', 'f.interest', 'f.interest_payer', 'f.interest_timing', 'f.classification'])
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
    const interest = minor(financed ? (part.interest ?? 0n) : 0n);
    const corePaysInterest = financed && part.interest_payer === 'core-enterprise';
    const paid = minor(face + (corePaysInterest ? interest : 0n));
    // Interest still owed to the bank at maturity; discounted interest went to income at the outset.
    const interestNow = minor(financed && part.interest_timing === 'at-maturity' ? interest : 0n);
    const toHolder = minor(paid - principal - interestNow);
    invariant(toHolder >= 0n, 'the holder is never asked to pay');
    await postEntry(trx, {
      businessDate: today, kind: 'scf-payment-received', description: `core enterprise paid invoice ${receivable.invoice_no}`, createdBy: by, certificateId: part.id,
      lines: [
        { purpose: 'settlement', amount: paid },
        { purpose: 'scf-collections', amount: minor(-paid) },
        { purpose: 'scf-certificates-contra', amount: face },
        { purpose: 'scf-certificates', amount: minor(-face) },
      ],
    });
    const classification = (part.classification ?? 'normal') as Classification;
    await postEntry(trx, {
      businessDate: today, kind: 'scf-settlement', description: `settlement of certificate ${part.id}`, createdBy: by, certificateId: part.id,
      lines: [
        { purpose: 'scf-collections', amount: paid },
        { purpose: scfAccountPurpose(classification), amount: minor(-principal) },
        { purpose: 'interest-income', amount: minor(-interestNow) },
        { purpose: 'settlement', amount: minor(-toHolder) },
      ],
    });
    await trx.updateTable('scf_certificate').set({ status: 'paid' }).where('id', '=', part.id).execute();
    if (part.financing_id !== null) {
      await trx.updateTable('scf_financing').set({ status: 'settled', settled_on: today, surplus_paid: toHolder }).where('id', '=', part.financing_id).execute();
    }
    payments.push({ certificateId: part.id, holderId: part.holder_id, face, paid, financingId: part.financing_id, principal, interest: interestNow, toHolder });
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
}

/**
 * End of day for supply-chain financing: a financing unpaid after its due date is overdue, days
 * past due counted as for loans (tomorrow − due date). The core enterprise is the obligor of
 * every financing against its certificates, so the debtor rule applies across them: each takes
 * the worst category any of them reaches (no automatic upgrade out of non-performing). A change of
 * category moves the principal between the classification accounts.
 */
export async function ageSupplyChainFinancing(trx: Transaction<Database>, date: BusinessDate, rules: ClassificationRules, by: string): Promise<AgeingSummary> {
  const rows = await trx
    .selectFrom('scf_financing')
    .select(['id', 'certificate_id', 'core_enterprise_id', 'due_on', 'principal', 'classification', 'status'])
    .where('status', '<>', 'settled')
    .orderBy('core_enterprise_id')
    .orderBy('id')
    .forUpdate()
    .execute();
  const ageing = rows.map((row) => {
    const dpd = row.due_on <= date ? daysBetween(row.due_on, date) + 1 : 0;
    return { ...row, dpd, byRules: nextClassification(row.classification, dpd, rules) };
  });
  const worstByCore = new Map<string, Classification>();
  for (const row of ageing) worstByCore.set(row.core_enterprise_id, worseOf(worstByCore.get(row.core_enterprise_id) ?? 'normal', row.byRules));
  let overdue = 0;
  let reclassified = 0;
  for (const row of ageing) {
    const next = worstByCore.get(row.core_enterprise_id) ?? row.byRules;
    const status = row.dpd > 0 ? 'overdue' : 'active';
    if (status === 'overdue') overdue++;
    await trx.updateTable('scf_financing').set({ dpd: row.dpd, status, classification: next }).where('id', '=', row.id).execute();
    if (next !== row.classification) {
      reclassified++;
      await postEntry(trx, {
        businessDate: date, kind: 'scf-reclassification', description: `financing ${row.id}: ${row.classification} → ${next}`, createdBy: by, certificateId: row.certificate_id,
        lines: [
          { purpose: scfAccountPurpose(next), amount: row.principal },
          { purpose: scfAccountPurpose(row.classification), amount: minor(-row.principal) },
        ],
      });
    }
  }
  return { overdue, reclassified };
}
