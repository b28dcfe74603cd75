/**
 * A supply chain for tests: one core enterprise with a programme (limit 5,000,000.00, LPR 1y
 * + 0.50 = 3.50% on 2025-06-30, 90% advance, 180 days' tenor, discounted interest borne by the
 * supplier unless asked otherwise) and three tiers of suppliers, the first invited.
 */
import type { Kysely } from 'kysely';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import type { Minor } from '../../src/money/minor.js';
import { addEligibleSupplier, createProgramme, type ProgrammeRequest } from '../../src/supply-chain/programmes.js';
import { confirmReceivables, registerReceivable } from '../../src/supply-chain/receivables.js';
import { createEnterprise } from '../support/loan-fixtures.js';

export const TODAY = '2025-06-30' as BusinessDate;
/** 90 days after TODAY. */
export const DUE = '2025-09-28' as BusinessDate;

export interface Chain {
  readonly core: string;
  readonly tier1: string;
  readonly tier2: string;
  readonly tier3: string;
  readonly programmeId: string;
}

export async function supplyChain(db: Kysely<Database>, overrides: Partial<ProgrammeRequest> = {}, prefix = '', ids: { readonly core?: string; readonly tier1?: string } = {}): Promise<Chain> {
  const core = await createEnterprise(db, `${prefix}华东重工集团`, ids.core);
  const tier1 = await createEnterprise(db, `${prefix}一级配件厂`, ids.tier1);
  const tier2 = await createEnterprise(db, `${prefix}二级铸件厂`);
  const tier3 = await createEnterprise(db, `${prefix}三级原料商`);
  const programme = await inTransaction(db, (trx) =>
    createProgramme(
      trx,
      {
        coreEnterpriseId: core, limit: '5000000.00', startsOn: '2025-01-01', endsOn: '2026-12-31', lprTenor: '1y', spread: '0.50',
        interestPayer: 'supplier', interestTiming: 'discounted', advanceRate: '90', maxTenorDays: 180,
        supplierLimit: '2000000.00', industryLimit: '4000000.00', supplierIds: [tier1], ...overrides,
      },
      'risk-officer',
    ),
  );
  return { core, tier1, tier2, tier3, programmeId: programme.id };
}

/** Invites further suppliers to the chain's programme (a certificate is transferred only to an invited one). */
export async function invite(db: Kysely<Database>, chain: Chain, ...enterpriseIds: string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const id of enterpriseIds) await addEligibleSupplier(trx, chain.programmeId, id, 'risk-officer');
  });
}

/** Registers and confirms an invoice of tier 1 on the core; returns the receivable and its certificate. */
export async function confirmedCertificate(db: Kysely<Database>, chain: Chain, invoiceNo: string, amount: string, dueOn: BusinessDate = DUE): Promise<{ receivableId: string; certificateId: string; face: Minor }> {
  return inTransaction(db, async (trx) => {
    const { id } = await registerReceivable(trx, chain.core, chain.tier1, { invoiceNo, amount, issuedOn: '2025-06-01', dueOn }, TODAY, 'tier1-user');
    const [confirmation] = await confirmReceivables(trx, chain.core, [id], TODAY, 'core-user');
    return { receivableId: id, certificateId: confirmation!.certificateId, face: confirmation!.confirmedAmount };
  });
}

/** The balance of an account purpose in the ledger. */
export async function balanceOf(db: Kysely<Database>, purpose: string): Promise<bigint> {
  const row = await db
    .selectFrom('journal_line as l')
    .innerJoin('ledger_account as a', 'a.code', 'l.account_code')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('l.amount'), eb.val('0')).as('total'))
    .where('a.purpose', '=', purpose)
    .executeTakeFirstOrThrow();
  return BigInt(row.total);
}
