/**
 * Receivables (应收账款) and their confirmation (确权). A supplier invited to a core enterprise's
 * programme registers what the core enterprise owes it: invoice number, amount, dates, trade
 * documents. The core enterprise confirms it in its portal, and the confirmed amount becomes a
 * payment certificate (付款凭证) held by the supplier at tier 1. Credit notes, returns and disputes
 * (`recordDilution`) reduce what is owed while nothing has been done with the certificate, and
 * raise a warning on every part of it once something has.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/sqlstate.js';
import { ConflictError, LimitExceededError, NotFoundError, ValidationError, invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { postEntry } from '../ledger/post-entry.js';
import { formatMoney } from '../money/format-money.js';
import { minor, type Minor } from '../money/minor.js';
import { positiveAmount } from './amounts.js';
import { programmeOfCore, requireActive, toProgramme } from './programmes.js';
import { DILUTION_KINDS, type DilutionEffect, type DilutionKind } from './supply-chain-codes.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The public pledge registry (中国人民银行征信中心动产融资统一登记公示系统): before a receivable is
 * registered, the bank searches it for a pledge or transfer of the same invoice to someone else.
 * Sprout has no connection to it; a bank plugs its client in here.
 */
export interface PledgeRegistry {
  /** Searches the registry; `clear` false means the invoice is already pledged or transferred. */
  check(query: { readonly sellerId: string; readonly invoiceNo: string; readonly amount: Minor }): Promise<{ readonly clear: boolean; readonly reference: string }>;
}

/** The registry hook when none is configured: records that no search was made. */
export const NO_PLEDGE_REGISTRY: PledgeRegistry = {
  check: async () => ({ clear: true, reference: 'not-checked' }),
};

/** A receivable as its seller enters it (decimal strings). */
export interface ReceivableInput {
  readonly invoiceNo: string;
  readonly amount: string;
  readonly issuedOn: string;
  readonly dueOn: string;
  readonly documents?: string;
}

/** Bound on receivables in one import or one bulk confirmation. */
export const MAX_RECEIVABLES_PER_BATCH = 500;

/**
 * Registers a receivable of `sellerId` on `coreEnterpriseId`. The seller must be invited to the
 * core enterprise's programme; the same invoice number from the same seller can never be
 * registered twice (a unique key, so two racing requests cannot both pass); the pledge registry
 * is asked first.
 */
export async function registerReceivable(
  trx: Transaction<Database>,
  coreEnterpriseId: string,
  sellerId: string,
  input: ReceivableInput,
  today: BusinessDate,
  by: string,
  registry: PledgeRegistry = NO_PLEDGE_REGISTRY,
): Promise<{ readonly id: string; readonly registryReference: string }> {
  const invoiceNo = typeof input.invoiceNo === 'string' ? input.invoiceNo.trim() : '';
  if (!/^[A-Za-z0-9._\/-]{1,40}$/.test(invoiceNo)) throw new ValidationError('invoiceNo', 'must be 1 to 40 letters, digits, ".", "_", "/" or "-"', 'invalid-format');
  const amount = positiveAmount(input.amount, 'amount');
  const issuedOn = parseBusinessDate(input.issuedOn, 'issuedOn');
  const dueOn = parseBusinessDate(input.dueOn, 'dueOn');
  if (dueOn < issuedOn) throw new ValidationError('dueOn', 'must not be before issuedOn', 'invalid-date');
  if (dueOn <= today) throw new ValidationError('dueOn', 'must be after today: an expired receivable cannot be registered', 'invalid-date');
  const documents = input.documents ?? '';
  if (documents.length > 500) throw new ValidationError('documents', 'must be at most 500 characters', 'too-long', { max: 500 });
  const programme = await programmeOfCore(trx, coreEnterpriseId);
  requireActive(programme, 'coreEnterpriseId');
  if (sellerId === coreEnterpriseId) throw new ValidationError('sellerId', 'a core enterprise does not sell to itself', 'invalid-format');
  const eligible = await trx.selectFrom('scf_eligible_supplier').select('enterprise_id').where('programme_id', '=', programme.id).where('enterprise_id', '=', sellerId).executeTakeFirst();
  if (!eligible) throw new LimitExceededError(`enterprise ${sellerId} is not invited to the programme of ${coreEnterpriseId}`, 'sellerId', 'supplier-not-eligible');
  const duplicate = await trx.selectFrom('scf_receivable').select('id').where('seller_id', '=', sellerId).where('invoice_no', '=', invoiceNo).executeTakeFirst();
  if (duplicate) throw duplicateInvoice(invoiceNo);
  const search = await registry.check({ sellerId, invoiceNo, amount });
  if (!search.clear) throw new ConflictError(`invoice ${invoiceNo} is already pledged or transferred in the registry (${search.reference})`, 'invoiceNo', 'registry-pledged', { reference: search.reference });
  const id = uuidv7();
  const now = new Date();
  try {
    await trx
      .insertInto('scf_receivable')
      .values({
        id, programme_id: programme.id, seller_id: sellerId, buyer_id: coreEnterpriseId, invoice_no: invoiceNo, amount,
        issued_on: issuedOn, due_on: dueOn, documents, status: 'registered', confirmed_amount: null, confirmed_by: null, confirmed_on: null,
        registry_reference: search.reference, created_by: by, created_at: now,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateInvoice(invoiceNo);
    throw error;
  }
  await appendAudit(trx, { actor: by, action: 'scf.receivable-register', entityType: 'scf_receivable', entityId: id, after: { coreEnterpriseId, sellerId, invoiceNo, amount: formatMoney(amount), dueOn } }, now);
  return { id, registryReference: search.reference };
}

function duplicateInvoice(invoiceNo: string): ConflictError {
  return new ConflictError(`invoice ${invoiceNo} of this seller is already registered`, 'invoiceNo', 'invoice-already-registered', { invoiceNo });
}

/** What one confirmation made. */
export interface Confirmation {
  readonly receivableId: string;
  readonly certificateId: string;
  readonly confirmedAmount: Minor;
}

/**
 * The core enterprise confirms (确权) its receivables in bulk: each must be registered on it,
 * undisputed and not yet due. The confirmed amount is the invoice less the credit notes and
 * returns recorded so far; it becomes a certificate held by the seller at tier 1, and the
 * certificates-outstanding memo account grows by it. All or nothing: one bad receivable refuses
 * the batch, naming it.
 */
export async function confirmReceivables(trx: Transaction<Database>, coreEnterpriseId: string, receivableIds: readonly string[], today: BusinessDate, by: string): Promise<Confirmation[]> {
  if (receivableIds.length === 0) throw new ValidationError('receivableIds', 'name at least one receivable', 'too-small', { min: 1 });
  if (receivableIds.length > MAX_RECEIVABLES_PER_BATCH) throw new ValidationError('receivableIds', `at most ${MAX_RECEIVABLES_PER_BATCH} at once`, 'too-large', { max: MAX_RECEIVABLES_PER_BATCH });
  const confirmations: Confirmation[] = [];
  const now = new Date();
  for (const receivableId of new Set(receivableIds)) {
    const row = await trx.selectFrom('scf_receivable').selectAll().where('id', '=', receivableId).forUpdate().executeTakeFirst();
    if (!row || row.buyer_id !== coreEnterpriseId) throw new NotFoundError(`receivable ${receivableId}`);
    if (row.status !== 'registered') throw new ConflictError(`receivable ${row.invoice_no} is ${row.status}, not awaiting confirmation`, 'receivableIds');
    if (row.disputed) throw new ConflictError(`receivable ${row.invoice_no} is disputed`, 'receivableIds', 'receivable-disputed', { invoiceNo: row.invoice_no });
    if (row.due_on <= today) throw new ConflictError(`receivable ${row.invoice_no} fell due on ${row.due_on}`, 'receivableIds', 'certificate-due', { dueOn: row.due_on });
    const reduced = await reductions(trx, receivableId);
    const confirmedAmount = minor(row.amount - reduced);
    invariant(confirmedAmount > 0n, 'a receivable reduced to nothing is not confirmable');
    const programme = toProgramme(await trx.selectFrom('scf_programme').selectAll().where('id', '=', row.programme_id).executeTakeFirstOrThrow());
    // A suspended programme confirms nothing new: no new certificate while it is suspended.
    requireActive(programme, 'receivableIds');
    await trx.updateTable('scf_receivable').set({ status: 'confirmed', confirmed_amount: confirmedAmount, confirmed_by: by, confirmed_on: today }).where('id', '=', receivableId).execute();
    const certificateId = uuidv7();
    await trx
      .insertInto('scf_certificate')
      .values({
        id: certificateId, receivable_id: receivableId, parent_id: null, programme_id: programme.id, core_enterprise_id: coreEnterpriseId,
        holder_id: row.seller_id, tier: 1, face_amount: confirmedAmount, due_on: row.due_on, status: 'held', warning: null, created_by: by, created_at: now,
      })
      .execute();
    await postEntry(trx, {
      enterpriseId: row.seller_id, businessDate: today, kind: 'scf-certificate-issued', description: `certificate for invoice ${row.invoice_no} confirmed`, createdBy: by, certificateId,
      lines: [{ purpose: 'scf-certificates', amount: confirmedAmount }, { purpose: 'scf-certificates-contra', amount: minor(-confirmedAmount) }],
    });
    await appendAudit(trx, { actor: by, action: 'scf.receivable-confirm', entityType: 'scf_receivable', entityId: receivableId, after: { certificateId, confirmedAmount: formatMoney(confirmedAmount) } }, now);
    confirmations.push({ receivableId, certificateId, confirmedAmount });
  }
  return confirmations;
}

/** The core enterprise refuses to confirm a receivable (not owed, wrong amount): it can then never be financed. */
export async function rejectReceivable(trx: Transaction<Database>, coreEnterpriseId: string, receivableId: string, reason: string, by: string): Promise<void> {
  const row = await trx.selectFrom('scf_receivable').select(['buyer_id', 'status']).where('id', '=', receivableId).forUpdate().executeTakeFirst();
  if (!row || row.buyer_id !== coreEnterpriseId) throw new NotFoundError(`receivable ${receivableId}`);
  if (row.status !== 'registered') throw new ConflictError(`receivable ${receivableId} is ${row.status}, not awaiting confirmation`, 'receivableId');
  if (reason.trim().length === 0 || reason.length > 500) throw new ValidationError('reason', 'must be 1 to 500 characters', 'too-long', { max: 500 });
  await trx.updateTable('scf_receivable').set({ status: 'rejected' }).where('id', '=', receivableId).execute();
  await appendAudit(trx, { actor: by, action: 'scf.receivable-reject', entityType: 'scf_receivable', entityId: receivableId, after: { reason } });
}

/** Credit notes and returns recorded against a receivable so far. */
async function reductions(db: Executor, receivableId: string): Promise<Minor> {
  const row = await db
    .selectFrom('scf_dilution')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount'), eb.val('0')).as('total'))
    .where('receivable_id', '=', receivableId)
    .where('kind', 'in', ['credit-note', 'return'])
    .where('effect', '=', 'reduced')
    .executeTakeFirstOrThrow();
  return minor(BigInt(row.total));
}

/** A dilution as entered. */
export interface DilutionInput {
  readonly kind: DilutionKind;
  /** For a credit note or a return; ignored for a dispute. */
  readonly amount?: string;
  readonly note: string;
}

/**
 * Records a dilution (稀释) of a receivable: a credit note or a return reduces what is owed; a
 * dispute stops every part of it from being financed until resolved.
 *
 * A reduction takes effect on the amount owed only while that amount is still in the hands it
 * was confirmed to: before confirmation, or while the one certificate is held, unsplit, untransferred
 * and unfinanced by the seller. After that the bank has relied on the confirmed amount (others
 * hold parts of it, or it lent against it), so the reduction is recorded as a `warning` on every
 * live part, for the core enterprise and the bank to settle outside the certificate.
 */
export async function recordDilution(trx: Transaction<Database>, receivableId: string, input: DilutionInput, today: BusinessDate, by: string): Promise<{ readonly effect: DilutionEffect }> {
  if (!DILUTION_KINDS.includes(input.kind)) throw new ValidationError('kind', `must be one of ${DILUTION_KINDS.join(', ')}`, 'not-a-choice');
  if (typeof input.note !== 'string' || input.note.trim().length === 0 || input.note.length > 500) throw new ValidationError('note', 'must be 1 to 500 characters', 'too-long', { max: 500 });
  const receivable = await trx.selectFrom('scf_receivable').selectAll().where('id', '=', receivableId).forUpdate().executeTakeFirst();
  if (!receivable) throw new NotFoundError(`receivable ${receivableId}`);
  if (receivable.status === 'paid' || receivable.status === 'rejected') throw new ConflictError(`receivable ${receivable.invoice_no} is ${receivable.status}`, 'receivableId');
  let effect: DilutionEffect;
  let amount = minor(0n);
  if (input.kind === 'dispute' || input.kind === 'dispute-resolved') {
    const disputed = input.kind === 'dispute';
    if (receivable.disputed === disputed) throw new ConflictError(`receivable ${receivable.invoice_no} is ${disputed ? 'already' : 'not'} disputed`, 'kind');
    await trx.updateTable('scf_receivable').set({ disputed }).where('id', '=', receivableId).execute();
    effect = disputed ? 'blocked' : 'cleared';
  } else {
    amount = positiveAmount(input.amount ?? '', 'amount');
    effect = await reduceOrWarn(trx, receivable, amount, input.note, today, by);
  }
  await trx
    .insertInto('scf_dilution')
    .values({ id: uuidv7(), receivable_id: receivableId, kind: input.kind, amount, business_date: today, note: input.note, effect, created_by: by, created_at: new Date() })
    .execute();
  await appendAudit(trx, { actor: by, action: 'scf.dilution', entityType: 'scf_receivable', entityId: receivableId, after: { kind: input.kind, amount: formatMoney(amount), effect } });
  return { effect };
}

async function reduceOrWarn(
  trx: Transaction<Database>,
  receivable: { readonly id: string; readonly status: string; readonly amount: Minor; readonly invoice_no: string },
  amount: Minor,
  note: string,
  today: BusinessDate,
  by: string,
): Promise<DilutionEffect> {
  if (receivable.status === 'registered') {
    const left = receivable.amount - (await reductions(trx, receivable.id));
    if (amount >= left) throw new ValidationError('amount', `must be less than the ${formatMoney(minor(left))} still owed; reject the receivable instead`, 'too-large', { max: formatMoney(minor(left - 1n)) });
    return 'reduced';
  }
  const certificates = await trx.selectFrom('scf_certificate').selectAll().where('receivable_id', '=', receivable.id).forUpdate().execute();
  const root = certificates.length === 1 ? certificates[0] : undefined;
  if (root !== undefined && root.status === 'held') {
    if (amount >= root.face_amount) throw new ValidationError('amount', `must be less than the certificate's ${formatMoney(root.face_amount)}`, 'too-large', { max: formatMoney(minor(root.face_amount - 1n)) });
    const face = minor(root.face_amount - amount);
    await trx.updateTable('scf_certificate').set({ face_amount: face }).where('id', '=', root.id).execute();
    await trx.updateTable('scf_receivable').set({ confirmed_amount: face }).where('id', '=', receivable.id).execute();
    await postEntry(trx, {
      enterpriseId: root.holder_id, businessDate: today, kind: 'scf-dilution', description: `dilution of invoice ${receivable.invoice_no}: ${note}`, createdBy: by, certificateId: root.id,
      lines: [{ purpose: 'scf-certificates', amount: minor(-amount) }, { purpose: 'scf-certificates-contra', amount }],
    });
    return 'reduced';
  }
  const warning = `dilution of ${formatMoney(amount)} on ${today} after the certificate was split, transferred or financed: ${note}`;
  await trx.updateTable('scf_certificate').set({ warning }).where('receivable_id', '=', receivable.id).where('status', 'in', ['held', 'financed']).execute();
  return 'warning';
}
