/**
 * Applying for credit, end to end in one transaction: pull the enterprise's data under its
 * authorisation, compute the features, decide, and record everything the decision read. An
 * approved offer becomes a credit line when the borrower accepts it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAudit, appendAuditEvents, type AuditEvent } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { DATA_SOURCES, pullData, type DataProvider } from '../data/index.js';
import { getEnterprise } from '../enterprises/enterprises.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { extractFeatures, featureValues } from '../features/index.js';
import { uuidv7 } from '../ids.js';
import { signContract } from '../lines/credit-contracts.js';
import { openCreditLine, type CreditLine } from '../lines/credit-lines.js';
import { formatMoney } from '../money/format-money.js';
import { lprOn } from '../pricing/lpr.js';
import { rateToUnits, unitsToRate } from '../pricing/rate-units.js';
import { productByCode } from '../products/products.js';
import { getBusinessDate } from '../system/business-date.js';
import { decide, type Decision, type DecisionConfig, type DecisionInputs } from './decide.js';

export interface ApplicationRequest {
  readonly enterpriseId: string;
  readonly productCode: string;
}

export interface ApplicationResult {
  readonly applicationId: string;
  readonly decision: Decision;
  readonly inputs: DecisionInputs;
}

/**
 * Decides an application and records it.
 *
 * @example
 * const { decision } = await applyForCredit(trx, { enterpriseId, productCode: 'MICRO-LINE' }, { provider, config, now: new Date() }, 'owner-1');
 */
export async function applyForCredit(
  trx: Transaction<Database>,
  request: ApplicationRequest,
  deps: { readonly provider: DataProvider; readonly config: DecisionConfig; readonly now: Date },
  actor: string,
): Promise<ApplicationResult> {
  const enterprise = await getEnterprise(trx, request.enterpriseId);
  const product = await productByCode(trx, request.productCode);
  if (product.status !== 'active') throw new ConflictError(`product ${product.code} is retired`, 'productCode');
  const today = await getBusinessDate(trx);
  // Both audit events are appended together at the end: the audit heads are locked once, in order, just before commit.
  const audit: { event: AuditEvent; at: Date }[] = [];
  const pulled = await pullData(trx, enterprise.id, DATA_SOURCES, 'credit-assessment', deps.provider, deps.now, { actor, asOf: today, auditInto: audit, enterprise });
  const set = extractFeatures(enterprise, pulled);
  const features = { ...featureValues(set), cross_check_failed: set.crossChecks.some((check) => check.flagged) ? 1 : 0 };
  const relationship = await relationshipWith(trx, enterprise.id);
  const inputs: DecisionInputs = {
    date: today,
    features,
    sizeClass: enterprise.sizeClass,
    product: { code: product.code, minAmount: product.minAmount.toString(), maxAmount: product.maxAmount.toString() },
    existingExposure: relationship.exposure.toString(),
    lprUnits: rateToUnits(await lprFor(trx, product.lprTenor, today), 'lpr').toString(),
    repeatBorrower: relationship.repaidBefore,
  };
  const decision = decide(inputs, deps.config);
  const applicationId = uuidv7();
  await trx
    .insertInto('application')
    .values({
      id: applicationId,
      enterprise_id: enterprise.id,
      product_id: product.id,
      business_date: today,
      status: decision.outcome,
      outcome: decision.outcome,
      limit_amount: decision.limit.limit,
      rate_units: decision.price?.rateUnits ?? null,
      inputs: JSON.stringify(inputs),
      decision: JSON.stringify(decision, bigintAsString),
      pull_id: pulled.pullId,
      line_id: null,
      applied_by: actor,
      created_at: deps.now,
    })
    .execute();
  audit.push({
    event: {
      actor,
      action: 'application.decide',
      entityType: 'application',
      entityId: applicationId,
      after: { enterpriseId: enterprise.id, product: product.code, outcome: decision.outcome, reasonCodes: decision.reasonCodes, limit: formatMoney(decision.limit.limit), versions: decision.versions },
    },
    at: deps.now,
  });
  await appendAuditEvents(trx, audit);
  return { applicationId, decision, inputs };
}

/**
 * Decides a recorded application again from its stored inputs; the result must equal the
 * recorded one (same configuration versions), which `replayMatches` checks.
 */
export async function replayApplication(db: Kysely<Database>, applicationId: string, config: DecisionConfig): Promise<{ recorded: unknown; replayed: Decision; matches: boolean }> {
  const row = await db.selectFrom('application').select(['inputs', 'decision']).where('id', '=', applicationId).executeTakeFirst();
  if (!row) throw new NotFoundError(`application ${applicationId}`);
  const replayed = decide(row.inputs as DecisionInputs, config);
  const matches = JSON.stringify(normalise(row.decision)) === JSON.stringify(normalise(JSON.parse(JSON.stringify(replayed, bigintAsString))));
  return { recorded: row.decision, replayed, matches };
}

/**
 * Turns an approved offer into an active credit line at the offered limit and rate.
 */
export async function acceptOffer(trx: Transaction<Database>, applicationId: string, actor: string): Promise<CreditLine> {
  const application = await trx.selectFrom('application').innerJoin('product', 'product.id', 'application.product_id').select(['application.id', 'application.enterprise_id', 'application.status', 'application.limit_amount', 'application.rate_units', 'product.code']).where('application.id', '=', applicationId).forUpdate().executeTakeFirst();
  if (!application) throw new NotFoundError(`application ${applicationId}`);
  if (application.status !== 'approved') throw new ConflictError(`application ${applicationId} is ${application.status}; only an approved offer can be accepted`, 'applicationId');
  const line = await openCreditLine(trx, { enterpriseId: application.enterprise_id, productCode: application.code, limit: formatMoney(application.limit_amount), annualRate: unitsToRate(application.rate_units!) }, actor);
  // The signed contract record (授信合同): the terms as accepted, with who accepted them and when.
  const contract = await signContract(trx, { applicationId, line, product: await productByCode(trx, application.code), signedBy: actor, signedAt: new Date() });
  await trx.updateTable('application').set({ status: 'accepted', line_id: line.id }).where('id', '=', applicationId).execute();
  await appendAudit(trx, { actor, action: 'application.accept', entityType: 'application', entityId: applicationId, before: { status: 'approved' }, after: { status: 'accepted', lineId: line.id, contractNo: contract.contractNo, contractDigest: contract.digest } });
  return line;
}

/**
 * What the bank already has with the enterprise, in one round trip: credit it holds (open lines'
 * limits, and loans outside any line) and whether it has repaid a loan before.
 */
async function relationshipWith(trx: Transaction<Database>, enterpriseId: string): Promise<{ exposure: bigint; repaidBefore: boolean }> {
  const row = await trx
    .selectNoFrom((eb) => [
      eb.selectFrom('credit_line').select(sql<bigint>`cast(coalesce(sum(limit_amount), 0) as bigint)`.as('total')).where('enterprise_id', '=', enterpriseId).where('status', 'in', ['active', 'frozen']).as('lines'),
      eb.selectFrom('loan').select(sql<bigint>`cast(coalesce(sum(principal_not_due + principal_due), 0) as bigint)`.as('total')).where('enterprise_id', '=', enterpriseId).where('status', '=', 'active').where('line_id', 'is', null).as('loose'),
      eb.exists(eb.selectFrom('loan').select('id').where('enterprise_id', '=', enterpriseId).where('status', '=', 'closed')).as('repaid'),
    ])
    .executeTakeFirstOrThrow();
  return { exposure: BigInt(row.lines ?? 0n) + BigInt(row.loose ?? 0n), repaidBefore: row.repaid === true };
}

async function lprFor(trx: Transaction<Database>, tenor: '1y' | '5y', date: string): Promise<string> {
  const rows = await trx.selectFrom('lpr_rate').selectAll().where('tenor', '=', tenor).execute();
  return lprOn(rows.map((row) => ({ tenor: row.tenor, effectiveFrom: row.effective_from, rate: row.rate })), tenor, date);
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** JSON with keys sorted (jsonb reorders keys), for comparing a stored record with a replay. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, normalise((value as Record<string, unknown>)[key])]));
  return value;
}
