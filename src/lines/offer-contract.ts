/**
 * The credit contract an application's borrower reads: before acceptance, the draft for the offer
 * as it stands (the limit and rate offered, the product's terms, a line from today); after, the
 * signed copy, rendered from the stored terms and the text version they were signed under, with
 * the signature record. The same words either way, so what was read is what was signed.
 */
import type { Kysely, Transaction } from 'kysely';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import { unitsToRate } from '../pricing/rate-units.js';
import { productById } from '../products/products.js';
import { getBusinessDate } from '../system/business-date.js';
import { authorisationText, creditContractText, CREDIT_CONTRACT_VERSION, type VersionedText } from './contract-text.js';
import { contractForApplication, verifyContract, type ContractTerms } from './credit-contracts.js';

/** A line's default term when an offer is accepted (`openCreditLine`). */
const LINE_TERM_DAYS = 365;

export interface ContractDocument {
  readonly applicationId: string;
  /** `offer`: an approved offer not yet accepted; `signed`: accepted; `none`: nothing to sign (declined, referred). */
  readonly state: 'offer' | 'signed' | 'none';
  readonly contract: VersionedText | null;
  readonly authorisation: VersionedText;
  readonly contractNo: string | null;
  readonly signature: { readonly signedBy: string; readonly signedAt: Date; readonly digest: string; readonly verified: boolean } | null;
}

/**
 * The contract of `applicationId`: draft, signed copy or none.
 *
 * @example
 * const document = await contractDocument(db, applicationId); // document.contract?.zh
 */
export async function contractDocument(db: Kysely<Database> | Transaction<Database>, applicationId: string): Promise<ContractDocument> {
  const application = await db
    .selectFrom('application')
    .innerJoin('enterprise', 'enterprise.id', 'application.enterprise_id')
    .select(['application.id', 'application.status', 'application.product_id', 'application.limit_amount', 'application.rate_units', 'application.enterprise_id', 'enterprise.name', 'enterprise.credit_code'])
    .where('application.id', '=', applicationId)
    .executeTakeFirst();
  if (!application) throw new NotFoundError(`application ${applicationId}`);
  const parties = { enterpriseName: application.name, creditCode: application.credit_code };
  const authorisation = authorisationText({ ...parties, contractNo: null });
  const signed = await contractForApplication(db, applicationId);
  if (signed !== null) {
    return {
      applicationId,
      state: 'signed',
      contract: creditContractText(signed.terms, { ...parties, contractNo: signed.contractNo }, signed.terms.textVersion ?? CREDIT_CONTRACT_VERSION),
      authorisation,
      contractNo: signed.contractNo,
      signature: { signedBy: signed.signedBy, signedAt: signed.signedAt, digest: signed.digest, verified: verifyContract(signed) },
    };
  }
  if (application.status !== 'approved' || application.rate_units === null) return { applicationId, state: 'none', contract: null, authorisation, contractNo: null, signature: null };
  const product = await productById(db, application.product_id);
  const today: BusinessDate = await getBusinessDate(db);
  const terms: ContractTerms = {
    enterpriseId: application.enterprise_id,
    lineId: '',
    productCode: product.code,
    productName: product.name,
    productNameEn: product.nameEn,
    limit: formatMoney(application.limit_amount),
    revolving: product.kind === 'revolving-line',
    annualRate: unitsToRate(application.rate_units),
    startOn: today,
    endOn: addDays(today, LINE_TERM_DAYS),
    penaltyMultiplier: product.penaltyMultiplier,
    compoundOverdueInterest: product.compoundOverdueInterest,
    daysInYear: product.daysInYear,
    allocationOrder: [...product.allocationOrder],
    minTermDays: product.minTermDays,
    maxTermDays: product.maxTermDays,
    textVersion: CREDIT_CONTRACT_VERSION,
  };
  return { applicationId, state: 'offer', contract: creditContractText(terms, { ...parties, contractNo: null }), authorisation, contractNo: null, signature: null };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The signed copy as a standalone HTML page (UTF-8, no scripts, prints on A4): both texts, the
 * terms' digest and whether it still verifies.
 */
export function signedContractHtml(document: ContractDocument): string {
  const contract = document.contract!;
  const signature = document.signature!;
  const paragraphs = (text: string) => text.split('\n').map((line) => (line === '' ? '' : `<p>${escapeHtml(line)}</p>`)).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(contract.title.zh)} ${escapeHtml(document.contractNo ?? '')}</title>
<style>body{font-family:"Noto Sans CJK SC","PingFang SC",sans-serif;max-width:46em;margin:2em auto;line-height:1.6}section{margin-bottom:2em}.sig{border-top:1px solid #999;padding-top:1em;font-size:.9em}code{word-break:break-all}</style></head>
<body>
<section><h1>${escapeHtml(contract.title.zh)}</h1><p>版本 ${escapeHtml(contract.version)}</p>
${paragraphs(contract.zh)}</section>
<section lang="en"><h2>${escapeHtml(contract.title.en)}</h2>
${paragraphs(contract.en)}</section>
<section class="sig"><p>签署人 Signed by: ${escapeHtml(signature.signedBy)}</p><p>签署时间 Signed at: ${escapeHtml(signature.signedAt.toISOString())}</p>
<p>合同摘要 SHA-256: <code>${escapeHtml(signature.digest)}</code> — ${signature.verified ? '核对一致 verified' : '与存档不符 DOES NOT VERIFY'}</p>
<p>文本摘要 Text SHA-256: <code>${escapeHtml(contract.digest)}</code></p></section>
</body></html>
`;
}
