/**
 * What the officer console, the dashboard and the reconciliation read: each programme's usage
 * and headroom, the certificates outstanding, the balance by core enterprise and tier, and the
 * proof that the tables and the ledger agree.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { minor, type Minor } from '../money/minor.js';
import { MAX_CERTIFICATES_LISTED, toCertificate, type Certificate } from './certificates.js';
import { programmeUsage, toProgramme, type Programme, type ProgrammeUsage } from './programmes.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Bound on programmes listed: one per core enterprise. */
export const MAX_PROGRAMMES_LISTED = 500;

/** A programme with its usage and the certificates outstanding under it. */
export interface ProgrammeOverview extends ProgrammeUsage {
  readonly programme: Programme;
  readonly coreEnterpriseName: string;
  readonly certificatesOutstanding: Minor;
  readonly overdue: Minor;
}

/** Every programme, with usage, headroom and certificates outstanding. */
export async function programmeOverviews(db: Executor, coreEnterpriseId?: string): Promise<ProgrammeOverview[]> {
  let query = db.selectFrom('scf_programme as p').innerJoin('enterprise as e', 'e.id', 'p.core_enterprise_id').selectAll('p').select('e.name as core_name');
  if (coreEnterpriseId !== undefined) query = query.where('p.core_enterprise_id', '=', coreEnterpriseId);
  const rows = await query.orderBy('e.name').limit(MAX_PROGRAMMES_LISTED).execute();
  const overviews: ProgrammeOverview[] = [];
  for (const row of rows) {
    const programme = toProgramme(row);
    const usage = await programmeUsage(db, programme);
    const outstanding = await db
      .selectFrom('scf_certificate')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('face_amount'), eb.val('0')).as('total'))
      .where('programme_id', '=', programme.id)
      .where('status', 'in', ['held', 'financed'])
      .executeTakeFirstOrThrow();
    const overdue = await db
      .selectFrom('scf_financing')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('principal'), eb.val('0')).as('total'))
      .where('programme_id', '=', programme.id)
      .where('status', '=', 'overdue')
      .executeTakeFirstOrThrow();
    overviews.push({ ...usage, programme, coreEnterpriseName: row.core_name, certificatesOutstanding: minor(BigInt(outstanding.total)), overdue: minor(BigInt(overdue.total)) });
  }
  return overviews;
}

/** Bound on the suppliers listed with a programme. */
export const MAX_SUPPLIERS_LISTED = 500;

/** A supplier invited to a programme, by name, with the financing it has outstanding under it. */
export interface ProgrammeSupplier {
  readonly enterpriseId: string;
  readonly name: string;
  readonly creditCode: string | null;
  readonly financed: Minor;
}

/** Enterprises' names by id: the holders a chain or a tree of certificates names. */
export async function enterpriseNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('enterprise').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The suppliers invited to `programmeId`, by name: whom the core enterprise may enter payables for. */
export async function programmeSuppliers(db: Executor, programmeId: string): Promise<ProgrammeSupplier[]> {
  const rows = await db
    .selectFrom('scf_eligible_supplier as s')
    .innerJoin('enterprise as e', 'e.id', 's.enterprise_id')
    .select(['e.id', 'e.name', 'e.credit_code'])
    .select((eb) =>
      eb
        .selectFrom('scf_financing as f')
        .whereRef('f.supplier_id', '=', 'e.id')
        .where('f.programme_id', '=', programmeId)
        .where('f.status', '<>', 'settled')
        .select((e) => e.fn.coalesce(e.fn.sum<string>('f.principal'), e.val('0')).as('t'))
        .as('financed'),
    )
    .where('s.programme_id', '=', programmeId)
    .orderBy('e.name')
    .limit(MAX_SUPPLIERS_LISTED)
    .execute();
  return rows.map((row) => ({ enterpriseId: row.id, name: row.name, creditCode: row.credit_code, financed: minor(BigInt(row.financed ?? '0')) }));
}

/** A certificate as its holder sees it: whose it is, and what financing and payment it met. */
export interface HolderCertificate extends Certificate {
  readonly coreEnterpriseName: string;
  readonly invoiceNo: string;
  readonly financing: {
    readonly principal: Minor;
    readonly interest: Minor;
    readonly disbursed: Minor;
    readonly financedOn: string;
    readonly status: string;
    readonly surplusPaid: Minor | null;
  } | null;
}

/**
 * The certificates `holderId` holds (held or financed), or, with `paid`, those the core
 * enterprise has paid: soonest due first (latest paid first), with the core enterprise's name, the
 * invoice and the financing taken against each.
 */
export async function holderCertificates(db: Executor, holderId: string, paid: boolean): Promise<HolderCertificate[]> {
  const rows = await db
    .selectFrom('scf_certificate as c')
    .innerJoin('enterprise as e', 'e.id', 'c.core_enterprise_id')
    .innerJoin('scf_receivable as r', 'r.id', 'c.receivable_id')
    .leftJoin('scf_financing as f', 'f.certificate_id', 'c.id')
    .selectAll('c')
    .select(['e.name as core_name', 'r.invoice_no', 'f.principal', 'f.interest', 'f.disbursed', 'f.financed_on', 'f.status as financing_status', 'f.surplus_paid'])
    .where('c.holder_id', '=', holderId)
    .where('c.status', 'in', paid ? ['paid'] : ['held', 'financed'])
    .orderBy('c.due_on', paid ? 'desc' : 'asc')
    .orderBy('c.id')
    .limit(MAX_CERTIFICATES_LISTED)
    .execute();
  return rows.map((row) => ({
    ...toCertificate(row),
    coreEnterpriseName: row.core_name,
    invoiceNo: row.invoice_no,
    financing:
      row.principal === null
        ? null
        : { principal: minor(row.principal), interest: minor(row.interest ?? 0n), disbursed: minor(row.disbursed ?? 0n), financedOn: row.financed_on ?? '', status: row.financing_status ?? '', surplusPaid: row.surplus_paid === null ? null : minor(row.surplus_paid) },
  }));
}

/** Supply-chain balance of one core enterprise at one tier. */
export interface TierBalance {
  readonly coreEnterpriseId: string;
  readonly coreEnterpriseName: string;
  readonly tier: number;
  readonly certificates: number;
  readonly outstanding: Minor;
  readonly financed: Minor;
}

/** The dashboard: certificates outstanding and financing by core enterprise and tier. */
export async function balanceByCoreAndTier(db: Executor): Promise<TierBalance[]> {
  const rows = await db
    .selectFrom('scf_certificate as c')
    .innerJoin('enterprise as e', 'e.id', 'c.core_enterprise_id')
    .leftJoin('scf_financing as f', (join) => join.onRef('f.certificate_id', '=', 'c.id').on('f.status', '<>', 'settled'))
    .select(['c.core_enterprise_id', 'e.name', 'c.tier'])
    .select((eb) => [
      eb.fn.countAll<string>().as('certificates'),
      eb.fn.sum<string>('c.face_amount').as('outstanding'),
      eb.fn.coalesce(eb.fn.sum<string>('f.principal'), eb.val('0')).as('financed'),
    ])
    .where('c.status', 'in', ['held', 'financed'])
    .groupBy(['c.core_enterprise_id', 'e.name', 'c.tier'])
    .orderBy('e.name')
    .orderBy('c.tier')
    .limit(MAX_PROGRAMMES_LISTED * 10)
    .execute();
  return rows.map((row) => ({
    coreEnterpriseId: row.core_enterprise_id, coreEnterpriseName: row.name, tier: row.tier, certificates: Number(row.certificates),
    outstanding: minor(BigInt(row.outstanding)), financed: minor(BigInt(row.financed)),
  }));
}

/** Tables against ledger for one programme; every difference zero when they agree. */
export interface ProgrammeReconciliation {
  readonly programmeId: string;
  readonly financingOutstanding: Minor;
  readonly financingInLedger: Minor;
  readonly certificatesOutstanding: Minor;
  readonly certificatesInLedger: Minor;
  readonly collectionsInLedger: Minor;
  /** Penalty accrued on financings not settled, against the penalty receivable posted for the programme's certificates. */
  readonly penaltyOutstanding: Minor;
  readonly penaltyInLedger: Minor;
  /** Provision held on financings not settled, against the loan-loss provision (a credit, so negated) posted for them. */
  readonly provisionHeld: Minor;
  readonly provisionInLedger: Minor;
}

/** True when every pair of a programme's reconciliation agrees and the collections account is empty. */
export function isReconciled(row: ProgrammeReconciliation): boolean {
  return row.financingInLedger === row.financingOutstanding && row.certificatesInLedger === row.certificatesOutstanding && row.collectionsInLedger === 0n
    && row.penaltyInLedger === row.penaltyOutstanding && row.provisionInLedger === row.provisionHeld;
}

/**
 * The programme's usage (financing principal not settled) against the balance of the supply-chain
 * financing accounts posted for its certificates; the certificates outstanding (held or financed)
 * against the memo account; the collections account, which a completed payment leaves at zero; and
 * the penalty and provision end of day keeps on late financings against their ledger accounts.
 */
export async function reconcileSupplyChain(db: Executor): Promise<ProgrammeReconciliation[]> {
  const ledger = await sql<{ programme_id: string; purpose: string; balance: string }>`
    select c.programme_id, a.purpose, sum(l.amount) as balance
      from journal_line l
      join journal_entry j on j.id = l.entry_id and j.enterprise_id = l.enterprise_id
      join scf_certificate c on c.id = j.certificate_id
      join ledger_account a on a.code = l.account_code
     group by c.programme_id, a.purpose`.execute(db);
  const balances = new Map<string, Map<string, bigint>>();
  for (const row of ledger.rows) {
    const byPurpose = balances.get(row.programme_id) ?? new Map<string, bigint>();
    byPurpose.set(row.purpose, BigInt(row.balance));
    balances.set(row.programme_id, byPurpose);
  }
  const held = await db
    .selectFrom('scf_financing')
    .select(['programme_id'])
    .select((eb) => [eb.fn.sum<string>('penalty_due').as('penalty'), eb.fn.sum<string>('provision').as('provision')])
    .where('status', '<>', 'settled')
    .groupBy('programme_id')
    .execute();
  const heldBy = new Map(held.map((row) => [row.programme_id, row]));
  const result: ProgrammeReconciliation[] = [];
  for (const overview of await programmeOverviews(db)) {
    const byPurpose = balances.get(overview.programme.id) ?? new Map<string, bigint>();
    const sumOf = (prefix: string) => [...byPurpose].filter(([purpose]) => purpose.startsWith(prefix)).reduce((sum, [, amount]) => sum + amount, 0n);
    result.push({
      programmeId: overview.programme.id,
      financingOutstanding: overview.used,
      financingInLedger: minor(['scf-normal', 'scf-special-mention', 'scf-substandard', 'scf-doubtful', 'scf-loss'].reduce((sum, p) => sum + (byPurpose.get(p) ?? 0n), 0n)),
      certificatesOutstanding: overview.certificatesOutstanding,
      certificatesInLedger: minor(byPurpose.get('scf-certificates') ?? 0n),
      collectionsInLedger: minor(sumOf('scf-collections')),
      penaltyOutstanding: minor(BigInt(heldBy.get(overview.programme.id)?.penalty ?? 0)),
      penaltyInLedger: minor(byPurpose.get('penalty-receivable') ?? 0n),
      provisionHeld: minor(BigInt(heldBy.get(overview.programme.id)?.provision ?? 0)),
      provisionInLedger: minor(-(byPurpose.get('loan-loss-provision') ?? 0n)),
    });
  }
  return result;
}
