/**
 * Payment certificates (付款凭证, the "digital IOU" of China's supply-chain platforms): a holder
 * splits (拆分) one into parts of any amounts summing exactly to the whole, and transfers (转让)
 * a part to its own supplier, who holds it to maturity, transfers it on, or finances it.
 *
 * Every split and transfer retires the certificate it acts on and creates new rows whose
 * `parent_id` names it, so the chain of holders is the path from a part to its root. The one guard
 * against a double transfer or a double financing is the conditional update from `held`: of two
 * racing requests on the same certificate, the second finds it no longer held (on PostgreSQL it
 * waits for the first to commit and re-reads the row) and is refused.
 *
 * Neither splitting nor transferring changes what the core enterprise owes, so neither posts to
 * the ledger: the certificates-outstanding memo account holds the confirmed amount until paid.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import type { ScfCertificateTable } from '../db/schema/supply-chain.js';
import { ConflictError, LimitExceededError, NotFoundError, ValidationError, invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import type { Minor } from '../money/minor.js';
import { checkSplit } from './split-certificate-amounts.js';
import type { CertificateStatus } from './supply-chain-codes.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A certificate as the API shows it. */
export interface Certificate {
  readonly id: string;
  readonly receivableId: string;
  readonly parentId: string | null;
  readonly programmeId: string;
  readonly coreEnterpriseId: string;
  readonly holderId: string;
  readonly tier: number;
  readonly faceAmount: Minor;
  readonly dueOn: BusinessDate;
  readonly status: CertificateStatus;
  readonly warning: string | null;
}

/** The row as a certificate. */
export function toCertificate(row: Selectable<ScfCertificateTable>): Certificate {
  return {
    id: row.id, receivableId: row.receivable_id, parentId: row.parent_id, programmeId: row.programme_id, coreEnterpriseId: row.core_enterprise_id, holderId: row.holder_id,
    tier: row.tier, faceAmount: row.face_amount, dueOn: row.due_on, status: row.status, warning: row.warning,
  };
}

/** The certificate with `id`, or NOT_FOUND. */
export async function getCertificate(db: Executor, id: string): Promise<Certificate> {
  const row = await db.selectFrom('scf_certificate').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`certificate ${id}`);
  return toCertificate(row);
}

/**
 * Takes the certificate out of `held` for `next`, in the caller's transaction, and returns it as
 * it was; a CONFLICT when it is not held by `holderId` (already split, transferred, financed or
 * paid, or another request got there first).
 */
export async function takeHeld(trx: Transaction<Database>, certificateId: string, holderId: string, next: CertificateStatus, today: BusinessDate): Promise<Certificate> {
  const row = await trx
    .updateTable('scf_certificate')
    .set({ status: next })
    .where('id', '=', certificateId)
    .where('holder_id', '=', holderId)
    .where('status', '=', 'held')
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const current = await trx.selectFrom('scf_certificate').select(['holder_id', 'status']).where('id', '=', certificateId).executeTakeFirst();
    if (!current || current.holder_id !== holderId) throw new NotFoundError(`certificate ${certificateId}`);
    throw new ConflictError(`certificate ${certificateId} is ${current.status}, no longer held`, 'certificateId', 'certificate-not-held', { status: current.status });
  }
  if (row.due_on <= today) throw new ConflictError(`certificate ${certificateId} fell due on ${row.due_on}`, 'certificateId', 'certificate-due', { dueOn: row.due_on });
  return toCertificate(row);
}

/**
 * Splits a held certificate into parts of the given amounts, which must sum exactly to its face
 * amount; the parts stay with the holder at the same tier. Returns the new certificates in the
 * order of `parts`.
 *
 * @example
 * await splitCertificate(trx, certificateId, holderId, [600_000_00n, 400_000_00n], today, 'supplier');
 */
export async function splitCertificate(trx: Transaction<Database>, certificateId: string, holderId: string, parts: readonly Minor[], today: BusinessDate, by: string): Promise<Certificate[]> {
  const before = await getCertificate(trx, certificateId);
  checkSplit(before.faceAmount, parts, 'parts');
  const parent = await takeHeld(trx, certificateId, holderId, 'split', today);
  // The face read before the update may be stale only if a dilution raced us; re-check on the locked row.
  checkSplit(parent.faceAmount, parts, 'parts');
  const children = parts.map((face) => ({ ...parent, id: uuidv7(), parentId: parent.id, faceAmount: face, status: 'held' as const }));
  await insertCertificates(trx, children, by);
  invariant(children.reduce((sum, child) => sum + child.faceAmount, 0n) === parent.faceAmount, 'split parts sum to the whole');
  await appendAudit(trx, { actor: by, action: 'scf.certificate-split', entityType: 'scf_certificate', entityId: parent.id, after: { parts: children.map((c) => ({ id: c.id, face: formatMoney(c.faceAmount) })) } });
  return children;
}

/**
 * Transfers a held certificate, whole, to `toEnterpriseId` (the holder's own supplier), one tier
 * further down the chain. To pay part of it, split it first. The receiver must be a supplier
 * invited to the certificate's programme (LIMIT_EXCEEDED `supplier-not-eligible` naming
 * `toEnterpriseId` otherwise, and nothing changes).
 */
export async function transferCertificate(trx: Transaction<Database>, certificateId: string, holderId: string, toEnterpriseId: string, today: BusinessDate, by: string): Promise<Certificate> {
  if (toEnterpriseId === holderId) throw new ValidationError('toEnterpriseId', 'must be another enterprise than the holder', 'invalid-format');
  const target = await trx.selectFrom('enterprise').select('id').where('id', '=', toEnterpriseId).executeTakeFirst();
  if (!target) throw new NotFoundError(`enterprise ${toEnterpriseId}`);
  const parent = await takeHeld(trx, certificateId, holderId, 'transferred', today);
  if (toEnterpriseId === parent.coreEnterpriseId) throw new ValidationError('toEnterpriseId', 'a certificate is paid by its core enterprise, not transferred to it', 'invalid-format');
  // Only to a supplier invited to the programme (the list the supplier's page offers, `…/transferees`).
  const invited = await trx.selectFrom('scf_eligible_supplier').select('enterprise_id').where('programme_id', '=', parent.programmeId).where('enterprise_id', '=', toEnterpriseId).executeTakeFirst();
  if (!invited) throw new LimitExceededError(`toEnterpriseId: enterprise ${toEnterpriseId} is not invited to the programme of this certificate`, 'toEnterpriseId', 'supplier-not-eligible');
  const child: Certificate = { ...parent, id: uuidv7(), parentId: parent.id, holderId: toEnterpriseId, tier: parent.tier + 1, status: 'held' };
  await insertCertificates(trx, [child], by);
  await appendAudit(trx, { actor: by, action: 'scf.certificate-transfer', entityType: 'scf_certificate', entityId: parent.id, after: { to: toEnterpriseId, certificateId: child.id, face: formatMoney(child.faceAmount) } });
  return child;
}

async function insertCertificates(trx: Transaction<Database>, certificates: readonly Certificate[], by: string): Promise<void> {
  const now = new Date();
  await trx
    .insertInto('scf_certificate')
    .values(
      certificates.map((c) => ({
        id: c.id, receivable_id: c.receivableId, parent_id: c.parentId, programme_id: c.programmeId, core_enterprise_id: c.coreEnterpriseId, holder_id: c.holderId,
        tier: c.tier, face_amount: c.faceAmount, due_on: c.dueOn, status: c.status, warning: c.warning, created_by: by, created_at: now,
      })),
    )
    .execute();
}

/** Bound on a chain's length and a receivable's parts: each split has at most 50 parts, and no real chain is deeper than this. */
export const MAX_CERTIFICATES_PER_RECEIVABLE = 5_000;

/** One certificate in the tree of a receivable, with the parts made from it. */
export interface CertificateNode extends Certificate {
  readonly children: readonly CertificateNode[];
}

/**
 * The whole tree of certificates made from one confirmation, root first: who held what, how it
 * was split and to whom it passed.
 */
export async function certificateTree(db: Executor, receivableId: string): Promise<CertificateNode> {
  const rows = await db.selectFrom('scf_certificate').selectAll().where('receivable_id', '=', receivableId).orderBy('created_at').orderBy('id').limit(MAX_CERTIFICATES_PER_RECEIVABLE + 1).execute();
  invariant(rows.length <= MAX_CERTIFICATES_PER_RECEIVABLE, 'a receivable has a bounded number of certificates');
  const byParent = new Map<string | null, Certificate[]>();
  for (const row of rows) {
    const certificate = toCertificate(row);
    byParent.set(certificate.parentId, [...(byParent.get(certificate.parentId) ?? []), certificate]);
  }
  const build = (certificate: Certificate): CertificateNode => ({ ...certificate, children: (byParent.get(certificate.id) ?? []).map(build) });
  const root = byParent.get(null)?.[0];
  if (!root) throw new NotFoundError(`certificates of receivable ${receivableId}`);
  return build(root);
}

/** The chain of holders from the root to `certificateId`: root first, the certificate last. */
export async function certificateChain(db: Executor, certificateId: string): Promise<Certificate[]> {
  const chain: Certificate[] = [];
  let next: string | null = certificateId;
  for (let step = 0; next !== null; step++) {
    invariant(step < MAX_CERTIFICATES_PER_RECEIVABLE, 'a chain ends at its root');
    const certificate = await getCertificate(db, next);
    chain.unshift(certificate);
    next = certificate.parentId;
  }
  return chain;
}

/** Bound on one page of certificates. */
export const MAX_CERTIFICATES_LISTED = 500;

/** The certificates an enterprise holds now (held or financed), soonest due first. */
export async function certificatesHeld(db: Executor, holderId: string): Promise<Certificate[]> {
  const rows = await db
    .selectFrom('scf_certificate')
    .selectAll()
    .where('holder_id', '=', holderId)
    .where('status', 'in', ['held', 'financed'])
    .orderBy('due_on')
    .orderBy('id')
    .limit(MAX_CERTIFICATES_LISTED)
    .execute();
  return rows.map(toCertificate);
}
