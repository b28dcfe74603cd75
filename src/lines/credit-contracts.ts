/**
 * The signed contract record (授信合同) an accepted offer becomes, beside its credit line: the
 * terms the borrower accepted, frozen as they stood, who accepted them and when, and a SHA-256
 * digest over terms, signer and time. The line may later change (drawn, frozen, renewed); the
 * contract says what was agreed.
 *
 * @example
 * const contract = await signContract(trx, { applicationId, line, product, signedBy: 'owner-1', signedAt: new Date() });
 * verifyContract(contract); // true
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import type { Product } from '../products/products.js';
import { CREDIT_CONTRACT_VERSION } from './contract-text.js';
import type { CreditLine } from './credit-lines.js';

/** The terms a contract freezes; money as decimal strings, as the borrower read them. */
export interface ContractTerms {
  readonly enterpriseId: string;
  readonly lineId: string;
  readonly productCode: string;
  /** The product's Chinese name, the one the binding text names. */
  readonly productName: string;
  /** The product's English name for the courtesy translation; contracts signed before products had one lack it. */
  readonly productNameEn?: string;
  readonly limit: string;
  readonly revolving: boolean;
  readonly annualRate: string;
  readonly startOn: string;
  readonly endOn: string;
  readonly penaltyMultiplier: string;
  readonly compoundOverdueInterest: boolean;
  readonly daysInYear: number;
  readonly allocationOrder: readonly string[];
  readonly minTermDays: number;
  readonly maxTermDays: number;
  /** The version of the words signed (`contract-text.ts`); absent on contracts signed before texts were versioned. */
  readonly textVersion?: string;
  /** The settlement accounts registered at signing, masked (absent on contracts signed before they were asked for). */
  readonly accounts?: { readonly disbursement: ContractAccount; readonly repayment: ContractAccount };
}

/** An account as the contract records it: the number masked to its last four digits. */
export interface ContractAccount {
  readonly bankCode: string;
  readonly bankName: string;
  readonly accountNoMasked: string;
}

export interface CreditContract {
  readonly id: string;
  readonly contractNo: string;
  readonly applicationId: string;
  readonly terms: ContractTerms;
  readonly signedBy: string;
  readonly signedAt: Date;
  readonly digest: string;
}

/** SHA-256 over the canonical JSON of the contract number, terms, signer and signing time. */
export function contractDigest(contract: Omit<CreditContract, 'id' | 'digest' | 'applicationId'>): string {
  const body = canonicalJson({ contractNo: contract.contractNo, terms: contract.terms, signedBy: contract.signedBy, signedAt: contract.signedAt.toISOString() });
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** True when the stored digest still matches the contract's terms, signer and time. */
export function verifyContract(contract: CreditContract): boolean {
  return contractDigest(contract) === contract.digest;
}

/**
 * Records the contract for an accepted offer, in the caller's transaction. The number is the
 * signing date and the first twelve hex digits of the line's id (SX-20260701-01a2…), unique as
 * the line is.
 */
export async function signContract(
  trx: Transaction<Database>,
  input: { readonly applicationId: string; readonly line: CreditLine; readonly product: Product; readonly signedBy: string; readonly signedAt: Date; readonly accounts?: ContractTerms['accounts'] },
): Promise<CreditContract> {
  const { line, product } = input;
  const terms: ContractTerms = {
    enterpriseId: line.enterpriseId,
    lineId: line.id,
    productCode: product.code,
    productName: product.name,
    productNameEn: product.nameEn,
    limit: formatMoney(line.limit),
    revolving: line.revolving,
    annualRate: line.annualRate,
    startOn: line.startOn,
    endOn: line.endOn,
    penaltyMultiplier: product.penaltyMultiplier,
    compoundOverdueInterest: product.compoundOverdueInterest,
    daysInYear: product.daysInYear,
    allocationOrder: [...product.allocationOrder],
    minTermDays: product.minTermDays,
    maxTermDays: product.maxTermDays,
    textVersion: CREDIT_CONTRACT_VERSION,
    ...(input.accounts === undefined ? {} : { accounts: input.accounts }),
  };
  const contractNo = `SX-${line.startOn.replaceAll('-', '')}-${line.id.replaceAll('-', '').slice(0, 12)}`;
  const unsigned = { contractNo, terms, signedBy: input.signedBy, signedAt: input.signedAt };
  const contract: CreditContract = { id: uuidv7(), applicationId: input.applicationId, ...unsigned, digest: contractDigest(unsigned) };
  await trx
    .insertInto('credit_contract')
    .values({
      id: contract.id,
      contract_no: contractNo,
      application_id: input.applicationId,
      enterprise_id: line.enterpriseId,
      line_id: line.id,
      terms: JSON.stringify(terms),
      signed_by: contract.signedBy,
      signed_at: contract.signedAt,
      digest: contract.digest,
    })
    .execute();
  return contract;
}

/** The contract an application became, or null when it was never accepted. */
export async function contractForApplication(db: Kysely<Database> | Transaction<Database>, applicationId: string): Promise<CreditContract | null> {
  const row = await db.selectFrom('credit_contract').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  if (!row) return null;
  return { id: row.id, contractNo: row.contract_no, applicationId: row.application_id, terms: row.terms as ContractTerms, signedBy: row.signed_by, signedAt: new Date(row.signed_at), digest: row.digest };
}

/** Like {@link contractForApplication}, NOT_FOUND when absent. */
export async function getContractForApplication(db: Kysely<Database> | Transaction<Database>, applicationId: string): Promise<CreditContract> {
  const contract = await contractForApplication(db, applicationId);
  if (!contract) throw new NotFoundError(`contract for application ${applicationId}`);
  return contract;
}
