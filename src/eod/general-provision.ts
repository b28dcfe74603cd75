/**
 * The general provision (一般准备): a reserve of at least 1.5% of risk assets that financial
 * enterprises set aside from profit (《金融企业准备金计提管理办法》, 财金〔2012〕20号, art. 6–7),
 * besides the specific provision each loan carries (src/classification/provision.ts).
 *
 * End of day posts it at each month end: the target is the share (`system_state.general_provision_bp`,
 * basis points, default 150 = 1.5%) of the risk assets, taken here as the loans' outstanding
 * principal (the loans-receivable accounts, every category) and the supply-chain financing not
 * settled (the 1305 accounts), rounded down to the fen; the entry
 * moves the reserve from what it holds to the target — Dr profit distribution (利润分配-提取一般风险准备)
 * / Cr general risk reserve (一般风险准备) for a rise, the reverse for a fall — so it balances by
 * construction and a month end run twice posts nothing the second time.
 *
 * @example
 * generalProvisionTarget(1_000_000_00n, 150); // 1_500_00n: 1.5% of 1,000,000.00 is 15,000.00
 */
import { sql, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../audit/audit-trail.js';
import { invariant, ValidationError } from '../errors.js';
import { BANK_ENTERPRISE_ID, postEntry } from '../ledger/post-entry.js';
import { minor, type Minor } from '../money/minor.js';

/** The default share: 1.5% (150 basis points), the regulation's minimum. */
export const DEFAULT_GENERAL_PROVISION_BP = 150;

/** floor(riskAssets × bp / 10,000): both non-negative, so integer division is the floor. */
export function generalProvisionTarget(riskAssets: Minor, bp: number): Minor {
  invariant(riskAssets >= 0n && Number.isInteger(bp) && bp >= 0 && bp <= 10000, 'general provision: risk assets ≥ 0 and 0 ≤ bp ≤ 10000');
  return minor((riskAssets * BigInt(bp)) / 10000n);
}

/** What a month end posted. */
export interface GeneralProvisionPosting {
  readonly riskAssets: Minor;
  readonly bp: number;
  readonly target: Minor;
  readonly before: Minor;
  /** target − before: positive sets more aside, negative releases. */
  readonly change: Minor;
}

/**
 * In end of day's closing transaction for a month-end `date`: tops the reserve up (or down) to
 * its target and posts the change.
 */
export async function postGeneralProvision(trx: Transaction<Database>, date: BusinessDate, createdBy: string): Promise<GeneralProvisionPosting> {
  const state = await trx.selectFrom('system_state').select('general_provision_bp').where('id', '=', 1).executeTakeFirstOrThrow();
  const assets = await trx
    .selectFrom('loan')
    .select(sql<Minor>`cast(coalesce(sum(principal_not_due + principal_due), 0) as bigint)`.as('principal'))
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const held = await sql<{ balance: Minor }>`
    select cast(coalesce(sum(l.amount), 0) as bigint) as balance
    from journal_line l join ledger_account a on a.code = l.account_code
    where a.purpose = 'general-reserve'`.execute(trx);
  // A reserve is a credit balance: what it holds is minus the account's balance.
  const before = minor(-BigInt(held.rows[0]?.balance ?? 0n));
  const financing = await trx
    .selectFrom('scf_financing')
    .select(sql<Minor>`cast(coalesce(sum(principal), 0) as bigint)`.as('principal'))
    .where('status', '<>', 'settled')
    .executeTakeFirstOrThrow();
  const riskAssets = minor(BigInt(assets.principal) + BigInt(financing.principal));
  const target = generalProvisionTarget(riskAssets, state.general_provision_bp);
  const change = minor(target - before);
  await postEntry(trx, {
    enterpriseId: BANK_ENTERPRISE_ID,
    businessDate: date,
    kind: 'eod-general-provision',
    description: `general provision at ${date}: ${state.general_provision_bp} bp of risk assets`,
    createdBy,
    lines: [
      { purpose: 'general-reserve-appropriation', amount: change },
      { purpose: 'general-reserve', amount: minor(-change) },
    ],
  });
  return { riskAssets, bp: state.general_provision_bp, target, before, change };
}

/**
 * Sets the share from a percentage with at most two decimals ("1.5" → 150 bp), audited. It takes
 * effect at the next month end.
 *
 * @example
 * await setGeneralProvisionRate(trx, '1.8', 'finance'); // 180
 */
export async function setGeneralProvisionRate(trx: Transaction<Database>, percent: string, actor: string): Promise<number> {
  const match = /^([0-9]{1,3})(?:\.([0-9]{1,2}))?$/.exec(percent);
  const bp = match === null ? Number.NaN : Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (!(bp >= 0 && bp <= 10000)) throw new ValidationError('rate', `must be a percentage from 0 to 100 with at most two decimals, e.g. "1.5"; got "${percent}"`);
  const before = await trx.selectFrom('system_state').select('general_provision_bp').where('id', '=', 1).executeTakeFirstOrThrow();
  await trx.updateTable('system_state').set({ general_provision_bp: bp }).where('id', '=', 1).execute();
  await appendAudit(trx, { actor, action: 'general-provision.rate', entityType: 'system_state', entityId: '1', before: { bp: before.general_provision_bp }, after: { bp } });
  return bp;
}
