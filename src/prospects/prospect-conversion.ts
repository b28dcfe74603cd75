/**
 * Converting a pre-approved prospect into an application (批量获客 → 进件): the account manager
 * has met the firm, its representative has signed the data authorisation at the branch, and one
 * action records the firm in the registry (if it is new), records the signed consent, applies
 * through the same `applyForCredit` every application goes through, and links the prospect to the
 * application — all in one transaction, so a refusal leaves nothing half done.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { addDays } from '../calendar/index.js';
import { chinaDate, DATA_SOURCES, grantDataAuthorisation, type DataProvider } from '../data/index.js';
import type { Database } from '../db/schema.js';
import { applyForCredit, type ApplicationResult } from '../decision/apply-for-credit.js';
import type { DecisionConfig } from '../decision/decide.js';
import { createEnterprise } from '../enterprises/enterprises.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';

/** Days the branch-signed authorisation recorded at conversion runs: long enough to decide and to draw. */
export const CONVERSION_AUTHORISATION_DAYS = 365;

export interface ProspectConversion {
  readonly productCode: string;
  /** The signed consent's reference (document number, e-signature id): staff name what the representative signed. */
  readonly evidence: string;
  /** For a firm new to the registry: its size class until its full record is taken (default micro). */
  readonly sizeClass?: 'small' | 'micro' | 'medium';
}

export interface ConvertedProspect {
  readonly prospectId: string;
  readonly enterpriseId: string;
  readonly application: ApplicationResult;
}

/**
 * Converts a pre-approved prospect into an application. An existing customer, a declined or invalid
 * row, or a prospect converted before is a CONFLICT naming why.
 *
 * @example
 * const { application } = await convertProspect(trx, prospectId, { productCode: 'MICRO-LINE', evidence: '授权书 HZ-2026-0042' }, { provider, config, now }, 'account-manager');
 */
export async function convertProspect(
  trx: Transaction<Database>,
  prospectId: string,
  input: ProspectConversion,
  deps: { readonly provider: DataProvider; readonly config: DecisionConfig; readonly now: Date },
  actor: string,
): Promise<ConvertedProspect> {
  const evidence = typeof input.evidence === 'string' ? input.evidence.trim() : '';
  if (evidence.length < 5 || evidence.length > 300) throw new ValidationError('evidence', "name the consent the representative signed (document number, e-signature id), 5 to 300 characters");
  const prospect = await trx.selectFrom('prospect').selectAll().where('id', '=', prospectId).forUpdate().executeTakeFirst();
  if (!prospect) throw new NotFoundError(`prospect ${prospectId}`);
  if (prospect.application_id !== null) throw new ConflictError(`prospect ${prospect.id} was converted into application ${prospect.application_id}`, 'id');
  if (prospect.status === 'existing-customer') throw new ConflictError(`${prospect.name} is already a customer: serve it from its enterprise record`, 'id');
  if (prospect.status !== 'pre-approved') throw new ConflictError(`prospect ${prospect.id} is ${prospect.status}; only pre-approved prospects are converted`, 'id');

  let enterpriseId = prospect.enterprise_id;
  if (enterpriseId === null) {
    const known = await trx.selectFrom('enterprise').select('id').where('credit_code', '=', prospect.credit_code).executeTakeFirst();
    enterpriseId = known?.id ?? (await createEnterprise(trx, { name: prospect.name, creditCode: prospect.credit_code, sizeClass: input.sizeClass ?? 'micro' }, actor)).id;
  }
  const grantedOn = chinaDate(deps.now);
  await grantDataAuthorisation(
    trx,
    { enterpriseId, sources: DATA_SOURCES, purpose: 'credit-assessment', grantedOn, expiresOn: addDays(grantedOn, CONVERSION_AUTHORISATION_DAYS), evidence: `signed consent recorded by ${actor}: ${evidence}` },
    actor,
    deps.now,
  );
  const application = await applyForCredit(trx, { enterpriseId, productCode: input.productCode }, deps, actor);
  await trx.updateTable('prospect').set({ application_id: application.applicationId, enterprise_id: enterpriseId }).where('id', '=', prospect.id).execute();
  await appendAudit(trx, { actor, action: 'prospect.convert', entityType: 'prospect', entityId: prospect.id, after: { enterpriseId, applicationId: application.applicationId, outcome: application.decision.outcome } });
  return { prospectId: prospect.id, enterpriseId, application };
}
