/**
 * Applying for credit, end to end in one transaction: pull the enterprise's data under its
 * authorisation, compute the features, decide, and record everything the decision read. An
 * approved offer becomes a credit line when the borrower accepts it.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { appendAudit, appendAuditEvents, type AuditEvent } from '../audit/audit-trail.js';
import type { ApplicationTable, Database } from '../db/schema.js';
import type { BusinessDate } from '../calendar/index.js';
import { authorisationsCoveringFrom, DATA_SOURCES, DEFAULT_PULL_MONTHS, fetchPull, grantsInForceJson, withStoredPull, type DataProvider, type GrantInForce } from '../data/index.js';
import { getEnterprise, toEnterprise, type Enterprise } from '../enterprises/enterprises.js';
import { ConflictError, invariant, NotFoundError, ValidationError } from '../errors.js';
import { lockedBorrower } from '../db/distribution.js';
import { extractFeatures, featureValues } from '../features/index.js';
import { uuidv7 } from '../ids.js';
import { CREDIT_CONTRACT_VERSION } from '../lines/contract-text.js';
import { signContract, type ContractTerms } from '../lines/credit-contracts.js';
import { checkAccounts, setAccount, type AccountsInput } from '../lines/settlement-accounts.js';
import { openCreditLine, type CreditLine } from '../lines/credit-lines.js';
import { assignAccountManagerAtOrigination } from '../enterprises/account-manager.js';
import { formatMoney } from '../money/format-money.js';
import type { Minor } from '../money/minor.js';
import { noLprOn } from '../pricing/lpr.js';
import { rateToUnits, unitsToRate } from '../pricing/rate-units.js';
import { productByCode } from '../products/products.js';
import { getBusinessDate } from '../system/business-date.js';
import { noticeRow } from '../notifications/outbox.js';
import { decide, type Decision, type DecisionConfig, type DecisionInputs } from './decide.js';
import { regionInputFor } from '../ecology/regional-index-cache.js';
import { REGIONAL_STAMP_SQL } from '../ecology/regional-indicators.js';
import { DEFAULT_REGIONAL_POLICY } from './regional-factor.js';
import { securityInputFor } from '../collateral/security-input.js';
import { attachSecurityToLine } from '../collateral/attach-security.js';

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
 * Decides an application and records it: two round trips, one query that reads everything the
 * decision needs and one statement that writes the pull, its records, the application and their
 * audit events, all or nothing. Given a transaction, it runs in it (with the caller's other work).
 *
 * @example
 * const { decision } = await applyForCredit(db, { enterpriseId, productCode: 'MICRO-LINE' }, { provider, config, now: new Date() }, 'owner-1');
 */
export async function applyForCredit(
  db: Kysely<Database> | Transaction<Database>,
  request: ApplicationRequest,
  deps: { readonly provider: DataProvider; readonly config: DecisionConfig; readonly now: Date },
  actor: string,
): Promise<ApplicationResult> {
  const context = await applicationContext(db, request, deps.now);
  const { enterprise, product, today } = context;
  if (product.status !== 'active') throw new ConflictError(`product ${product.code} is retired`, 'productCode');
  // Authorisation first: nothing is asked of a provider without consent.
  const authorisations = authorisationsCoveringFrom(context.grants, enterprise.id, DATA_SOURCES, 'credit-assessment', deps.now);
  if (enterprise.creditCode === null) throw new ValidationError('creditCode', 'the enterprise has no credit code: record it before pulling data');
  const pull = await fetchPull({
    enterprise: { id: enterprise.id, creditCode: enterprise.creditCode, industry: enterprise.industry },
    sources: DATA_SOURCES,
    purpose: 'credit-assessment',
    provider: deps.provider,
    asOf: today,
    months: DEFAULT_PULL_MONTHS,
    actor,
    now: deps.now,
    authorisations,
  });
  // The province's grade from the index computed once per data stamp and policy, not per decision.
  const region = await regionInputFor(db, enterprise.regionCode, deps.config.regional ?? DEFAULT_REGIONAL_POLICY, today, context.regionalStamp);
  const set = extractFeatures(enterprise, pull.result);
  const features = { ...featureValues(set), cross_check_failed: set.crossChecks.some((check) => check.flagged) ? 1 : 0 };
  const inputs: DecisionInputs = {
    date: today,
    features,
    sizeClass: enterprise.sizeClass,
    product: { code: product.code, minAmount: product.minAmount.toString(), maxAmount: product.maxAmount.toString() },
    existingExposure: context.exposure.toString(),
    lprUnits: rateToUnits(context.lpr, 'lpr').toString(),
    repeatBorrower: context.repaidBefore,
    region,
    // Secured lending (src/collateral): the pure-credit ceiling, and what security lifts it.
    security: await securityInputFor(db, enterprise.id, today),
  };
  const decision = decide(inputs, deps.config);
  const applicationId = uuidv7();
  const application: Insertable<ApplicationTable> = {
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
    pull_id: pull.result.pullId,
    line_id: null,
    applied_by: actor,
    created_at: deps.now,
  };
  const decided: AuditEvent = {
    actor,
    action: 'application.decide',
    entityType: 'application',
    entityId: applicationId,
    after: { enterpriseId: enterprise.id, product: product.code, outcome: decision.outcome, reasonCodes: decision.reasonCodes, limit: formatMoney(decision.limit.limit), versions: decision.versions },
  };
  // The borrower is told the outcome: the notice is written by the same statement as the decision.
  const notice = noticeRow({
    kind: 'decision',
    dedupeKey: `decision:${applicationId}:${decision.outcome}`,
    enterpriseId: enterprise.id,
    businessDate: today,
    params: { applicationId, outcome: decision.outcome, productName: product.name, limit: formatMoney(decision.limit.limit), annualRate: decision.price === null ? '' : unitsToRate(decision.price.rateUnits) },
  }, deps.now);
  // The pull, its records, the application, its notice and both audit events in one statement.
  await appendAuditEvents(
    db,
    [
      { event: pull.event, at: deps.now },
      { event: decided, at: deps.now },
    ],
    { alongside: (qc) => withStoredPull(qc, pull.stored).with('stored_application', (db) => db.insertInto('application').values(application)).with('stored_notice', (db) => db.insertInto('notification').values(notice)) },
  );
  return { applicationId, decision, inputs };
}

/** Everything a decision reads from the database before it asks the provider. */
interface ApplicationContext {
  readonly enterprise: Enterprise;
  readonly product: { readonly id: string; readonly code: string; readonly name: string; readonly status: 'active' | 'retired'; readonly minAmount: bigint; readonly maxAmount: bigint };
  readonly today: BusinessDate;
  /** The LPR of the product's tenor in effect on the business date, percent. */
  readonly lpr: string;
  /** Credit the enterprise already holds: open lines' limits, and loans outside any line. */
  readonly exposure: bigint;
  /** Whether it has repaid a loan before. */
  readonly repaidBefore: boolean;
  readonly grants: readonly GrantInForce[];
  /** Changes when a bank imports regional indicators: the key of the cached ecology index. */
  readonly regionalStamp: string;
}

/**
 * One query for the enterprise, the product, the business date, the LPR in effect, what the
 * bank already has with the enterprise, its data authorisations and the stamp of the regional data. When the enterprise or the
 * product does not exist the query finds no row, and reading each alone names the missing one.
 */
async function applicationContext(db: Kysely<Database> | Transaction<Database>, request: ApplicationRequest, now: Date): Promise<ApplicationContext> {
  const row = await db
    .selectFrom('enterprise')
    .innerJoin('product', (join) => join.on('product.code', '=', request.productCode))
    .innerJoin('system_state', (join) => join.on('system_state.id', '=', 1))
    .selectAll('enterprise')
    .select(['product.id as product_id', 'product.code as product_code', 'product.name as product_name', 'product.status as product_status', 'product.min_amount as product_min_amount', 'product.max_amount as product_max_amount', 'product.lpr_tenor as product_lpr_tenor', 'system_state.business_date'])
    .select((eb) => [
      eb.selectFrom('lpr_rate').select('rate').whereRef('lpr_rate.tenor', '=', 'product.lpr_tenor').whereRef('lpr_rate.effective_from', '<=', 'system_state.business_date').orderBy('lpr_rate.effective_from', 'desc').limit(1).as('lpr'),
      eb.selectFrom('credit_line').select(sql<Minor>`cast(coalesce(sum(limit_amount), 0) as bigint)`.as('total')).where('credit_line.enterprise_id', '=', request.enterpriseId).where('credit_line.status', 'in', ['active', 'frozen']).as('line_limits'),
      eb.selectFrom('loan').select(sql<Minor>`cast(coalesce(sum(principal_not_due + principal_due), 0) as bigint)`.as('total')).where('loan.enterprise_id', '=', request.enterpriseId).where('loan.status', '=', 'active').where('loan.line_id', 'is', null).as('loose_loans'),
      eb.exists(eb.selectFrom('loan').select('loan.id').where('loan.enterprise_id', '=', request.enterpriseId).where('loan.status', '=', 'closed')).as('repaid_before'),
      grantsInForceJson(eb, request.enterpriseId, 'credit-assessment', now).as('grants'),
      REGIONAL_STAMP_SQL.as('regional_stamp'),
    ])
    .where('enterprise.id', '=', request.enterpriseId)
    .executeTakeFirst();
  if (row === undefined) {
    await getEnterprise(db, request.enterpriseId);
    await productByCode(db, request.productCode);
    await getBusinessDate(db);
  }
  invariant(row !== undefined, `no application context for enterprise ${request.enterpriseId} and product ${request.productCode}`);
  const today = row.business_date;
  if (row.lpr === null) throw noLprOn(row.product_lpr_tenor, today);
  return {
    enterprise: toEnterprise(row),
    product: { id: row.product_id, code: row.product_code, name: row.product_name, status: row.product_status, minAmount: row.product_min_amount, maxAmount: row.product_max_amount },
    today,
    lpr: row.lpr,
    exposure: BigInt(row.line_limits ?? 0n) + BigInt(row.loose_loans ?? 0n),
    repaidBefore: row.repaid_before === true,
    grants: row.grants,
    regionalStamp: row.regional_stamp,
  };
}

/**
 * Decides a recorded application again from its stored inputs; the result must equal the
 * recorded one (same configuration versions), which `replayMatches` checks.
 */
export async function replayApplication(db: Kysely<Database>, applicationId: string, config: DecisionConfig): Promise<{ recorded: unknown; replayed: Decision; matches: boolean }> {
  const row = await db.selectFrom('application').select(['inputs', 'decision']).where('id', '=', applicationId).executeTakeFirst();
  if (!row) throw new NotFoundError(`application ${applicationId}`);
  const replayed = decide(row.inputs as DecisionInputs, config);
  // A record written before the engine named the main factors is compared without them (they derive from its score reasons).
  // The shadow challenger's score decided nothing: it is compared neither way.
  const { shadow: _recordedShadow, ...recorded } = row.decision as Record<string, unknown>;
  const { mainFactors: _factors, shadow: _shadow, ...withoutFactors } = replayed;
  const comparable = 'mainFactors' in recorded ? { ...withoutFactors, mainFactors: replayed.mainFactors } : withoutFactors;
  const matches = JSON.stringify(normalise(recorded)) === JSON.stringify(normalise(JSON.parse(JSON.stringify(comparable, bigintAsString))));
  return { recorded: row.decision, replayed, matches };
}

/**
 * Turns an approved offer into an active credit line at the offered limit and rate, with the
 * enterprise's settlement accounts (放款/还款账户) when given: registered under the line and named,
 * masked, in the signed contract. The API always asks for them; services and tests may omit them.
 */
export async function acceptOffer(trx: Transaction<Database>, applicationId: string, actor: string, contractVersion?: string, accounts?: AccountsInput): Promise<CreditLine> {
  const checkedAccounts = accounts === undefined ? undefined : checkAccounts(accounts);
  // The borrower signs the words it read: a version other than the current one was not what it saw.
  if (contractVersion !== undefined && contractVersion !== CREDIT_CONTRACT_VERSION) {
    throw new ConflictError(`the contract read was version ${contractVersion}; the current one is ${CREDIT_CONTRACT_VERSION}: read it again before signing`, 'contractVersion');
  }
  const application = await trx.selectFrom('application').innerJoin('product', 'product.id', 'application.product_id').select(['application.id', 'application.enterprise_id', 'application.status', 'application.limit_amount', 'application.rate_units', 'application.applied_by', 'product.code']).where('application.id', '=', applicationId).where('application.enterprise_id', '=', await lockedBorrower(trx, 'application', applicationId)).forUpdate().executeTakeFirst();
  if (!application) throw new NotFoundError(`application ${applicationId}`);
  if (application.status !== 'approved') throw new ConflictError(`application ${applicationId} is ${application.status}; only an approved offer can be accepted`, 'applicationId');
  const line = await openCreditLine(trx, { enterpriseId: application.enterprise_id, productCode: application.code, limit: formatMoney(application.limit_amount), annualRate: unitsToRate(application.rate_units!) }, actor);
  // The signed contract record (授信合同): the terms as accepted, with who accepted them and when.
  const signedAt = new Date();
  let contractAccounts: ContractTerms['accounts'];
  if (checkedAccounts !== undefined) {
    const disbursement = await setAccount(trx, line.id, 'disbursement', checkedAccounts.disbursement, actor, signedAt);
    const repayment = await setAccount(trx, line.id, 'repayment', checkedAccounts.repayment, actor, signedAt);
    const brief = (view: typeof disbursement) => ({ bankCode: view.bankCode, bankName: view.bankName, accountNoMasked: view.accountNoMasked });
    contractAccounts = { disbursement: brief(disbursement), repayment: brief(repayment) };
  }
  const contract = await signContract(trx, { applicationId, line, product: await productByCode(trx, application.code), signedBy: actor, signedAt, accounts: contractAccounts });
  await trx.updateTable('application').set({ status: 'accepted', line_id: line.id }).where('id', '=', applicationId).execute();
  // The security the decision lent on now secures the line it became.
  await attachSecurityToLine(trx, application.enterprise_id, line.id, actor);
  // The account manager who took the application looks after the firm from now (monitoring sends its tasks there).
  await assignAccountManagerAtOrigination(trx, application.enterprise_id, [application.applied_by, actor], actor);
  await appendAudit(trx, { actor, action: 'application.accept', entityType: 'application', entityId: applicationId, before: { status: 'approved' }, after: { status: 'accepted', lineId: line.id, contractNo: contract.contractNo, contractDigest: contract.digest } });
  return line;
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
