/**
 * Origination over HTTP: the enterprise authorises data access, applies, gets the decision in the
 * same response, and accepts an approved offer. Staff see the full decision record; a borrower
 * sees its own outcome, reasons, limit and rate — never score internals.
 */
import { Type, type Static, type TOptional } from '@sinclair/typebox';
import { chinaDate, grantDataAuthorisation, DATA_PURPOSES, DATA_SOURCES, type DataProvider } from '../../data/index.js';
import { inTransaction } from '../../db/transaction.js';
import { acceptOffer, applyForCredit } from '../../decision/apply-for-credit.js';
import { contractForApplication, verifyContract, type CreditContract } from '../../lines/credit-contracts.js';
import { activeDecisionConfig } from '../../decision/policy-versions.js';
import { DECISION_REASON_CODES, OUTCOMES, type Decision, type DecisionConfig, type DecisionReasonCode } from '../../decision/decide.js';
import { LIMIT_BOUNDS } from '../../decision/limit.js';
import { recordedMainFactors } from '../../decision/main-factors.js';
import { POLICY_REASON_CODES, POLICY_RULE_IDS } from '../../decision/policy-rules.js';
import { FEATURE_NAMES, type FeatureName } from '../../features/index.js';
import { APPLICATION_STATUSES, GUARANTEE_COUNT_REASONS, GUARANTOR_KINDS, GUARANTOR_STANDINGS, literals, SECURITY_BOUNDS, SIZE_CLASSES } from '../api-codes.js';
import { reviewApplication, REVIEWER_ROLES, type ReviewPolicy } from '../../decision/review-application.js';
import { NotAuthorisedError, NotFoundError, ValidationError } from '../../errors.js';
import { evidenceOf } from '../../enterprises/bindings.js';
import type { User } from '../../auth/users.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { formatMoney } from '../../money/format-money.js';
import { unitsToRate } from '../../pricing/rate-units.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { AccountInput, AmountInput, assertCanSee, CreditLineSchema, creditLineJson, IdParams } from './servicing-schemas.js';
import { BusinessDateText } from './date-schemas.js';

const APPLICANTS = roles('borrower', 'account-manager');
const REVIEWERS = roles(...REVIEWER_ROLES);

/** The regional factor the decision applied (`decision/regional-factor.ts`); null: region unknown; absent: decided before the index. */
const RegionalFactorSchema = Type.Object({
  code: Type.String({ description: 'the province, GB/T 2260' }),
  name: Type.String(),
  year: Type.Integer({ description: 'the data year of the index' }),
  score: Type.Number({ description: 'ecology index display score, 0 to 100' }),
  grade: Type.String(),
  version: Type.String(),
  spreadAdjustment: Type.String({ description: 'percentage points added to the spread, e.g. "-0.20"' }),
  limitMultiplier: Type.String({ description: 'multiplier on the sales-based limit, e.g. "1.10"' }),
});

function regionalJson(regional: unknown) {
  if (regional === undefined) return {};
  if (regional === null) return { regional: null };
  const factor = regional as { code: string; name: string; year: number; score: number; grade: string; version: string; spreadUnits: bigint | string; limitMultiplierBp: number };
  const units = BigInt(factor.spreadUnits);
  return {
    regional: {
      code: factor.code,
      name: factor.name,
      year: factor.year,
      score: factor.score,
      grade: factor.grade,
      version: factor.version,
      spreadAdjustment: units < 0n ? `-${unitsToRate(-units)}` : unitsToRate(units),
      limitMultiplier: (factor.limitMultiplierBp / 10_000).toFixed(2),
    },
  };
}

const Outcome = Type.Object({
  applicationId: Type.String(),
  outcome: literals(OUTCOMES),
  reasonCodes: Type.Array(literals(DECISION_REASON_CODES)),
  mainFactors: Type.Array(literals(FEATURE_NAMES), { description: "the scorecard's main factors behind a decline or referral: up to 3 features that cost the most points, largest first; empty for an approval" }),
  limit: Type.String(),
  annualRate: Type.Union([Type.String(), Type.Null()]),
  regional: Type.Optional(Type.Union([RegionalFactorSchema, Type.Null()])),
});

/** A feature's value as the record keeps it; null when the data was missing. */
const FeatureValueSchema = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);
/** Features by name; a record holds those its policy and model read. */
const FeaturesSchema = Type.Object(Object.fromEntries(FEATURE_NAMES.map((name) => [name, Type.Optional(FeatureValueSchema)])) as Record<FeatureName, TOptional<typeof FeatureValueSchema>>);

/**
 * The decision record staff see (docs/origination.md): the inputs as decided on, and the decision
 * with its policy trace, score, reasons, limit and versions. Further fields a record holds (the
 * price, the product's bounds) pass through unchanged.
 */
const DecisionRecordSchema = Type.Object({
  inputs: Type.Object(
    {
      date: Type.String(),
      features: FeaturesSchema,
      sizeClass: literals(SIZE_CLASSES),
      product: Type.Object({ code: Type.String() }, { additionalProperties: true }),
    },
    { additionalProperties: true },
  ),
  decision: Type.Object(
    {
      outcome: literals(OUTCOMES),
      reasonCodes: Type.Array(literals(DECISION_REASON_CODES)),
      policy: Type.Object({
        version: Type.String(),
        outcome: literals(['pass', 'refer', 'decline']),
        reasonCodes: Type.Array(literals(POLICY_REASON_CODES)),
        trace: Type.Array(
          Type.Object({
            ruleId: literals(POLICY_RULE_IDS),
            fired: Type.Boolean(),
            outcome: literals(['decline', 'refer']),
            reasonCode: literals(POLICY_REASON_CODES),
            inputs: FeaturesSchema,
          }),
        ),
      }),
      score: Type.Number(),
      probability: Type.Number(),
      band: literals(['A', 'B', 'C', 'D', 'E']),
      scoreReasons: Type.Array(Type.Object({ variable: literals(FEATURE_NAMES), pointsLost: Type.Number(), bin: Type.String() })),
      mainFactors: Type.Optional(Type.Array(literals(FEATURE_NAMES), { description: 'the main factors the engine named at decision time; absent from records written before it did' })),
      shadow: Type.Optional(
        Type.Object(
          { model: Type.String(), version: Type.String(), score: Type.Number(), probability: Type.Number(), band: literals(['A', 'B', 'C', 'D', 'E']) },
          { description: 'the shadow challenger\'s score of the same inputs; it decided nothing' },
        ),
      ),
      limit: Type.Object({ limit: Type.String({ description: 'fen, as a decimal string' }), boundBy: literals(LIMIT_BOUNDS) }),
      security: Type.Optional(
        Type.Object(
          {
            boundBy: literals(SECURITY_BOUNDS),
            limit: Type.String({ description: 'fen, as a decimal string' }),
            pureCreditRoom: Type.String({ description: 'fen' }),
            collateralCapacity: Type.String({ description: 'fen' }),
            guaranteed: Type.String({ description: 'fen: the guarantees that counted' }),
            securityNeeded: Type.String({ description: 'fen: more secured capacity needed to lend the scorecard limit' }),
            policy: Type.String(),
            guarantorCounting: Type.Optional(Type.String({ description: 'the guarantor counting policy version; absent in records made before it' })),
            guarantees: Type.Optional(
              Type.Array(
                Type.Object({
                  guaranteeId: Type.String(),
                  guarantorId: Type.String(),
                  kind: literals(GUARANTOR_KINDS),
                  standing: literals(GUARANTOR_STANDINGS),
                  checkedOn: Type.Union([Type.String(), Type.Null()]),
                  amount: Type.String({ description: 'fen' }),
                  counted: Type.Boolean(),
                  reason: Type.Optional(literals(GUARANTEE_COUNT_REASONS)),
                }),
              ),
            ),
          },
          { description: 'the security bound (absent in records made before secured lending)' },
        ),
      ),
      versions: Type.Record(Type.String(), Type.Union([Type.String(), Type.Integer()])),
    },
    { additionalProperties: true },
  ),
});

function outcomeJson(applicationId: string, decision: Decision) {
  return {
    applicationId,
    outcome: decision.outcome,
    reasonCodes: [...decision.reasonCodes],
    mainFactors: [...decision.mainFactors],
    limit: formatMoney(decision.limit.limit),
    annualRate: decision.price ? unitsToRate(decision.price.rateUnits) : null,
    ...regionalJson(decision.regional),
  };
}

/** The signed contract an accepted offer became: its number, the terms as accepted, signer, time and digest. */
const ContractSchema = Type.Object({
  contractNo: Type.String(),
  terms: Type.Unknown(),
  signedBy: Type.String(),
  signedAt: Type.String(),
  digest: Type.String({ description: 'SHA-256 over contract number, terms, signer and time' }),
  verified: Type.Boolean({ description: 'the digest still matches what is stored' }),
});

function contractJson(contract: CreditContract | null) {
  if (contract === null) return null;
  return { contractNo: contract.contractNo, terms: contract.terms, signedBy: contract.signedBy, signedAt: contract.signedAt.toISOString(), digest: contract.digest, verified: verifyContract(contract) };
}

/**
 * Who signed a data authorisation, as recorded with it: a borrower signs only as a verified
 * representative (its binding has evidence); staff record a consent signed at the branch and must
 * name it. Anything else is refused, so no pull ever rests on an unverified say-so.
 */
async function signature(trx: Transaction<Database>, user: User, enterpriseId: string, staffEvidence: string | undefined): Promise<string> {
  if (user.role !== 'borrower') {
    if (staffEvidence === undefined || staffEvidence.trim().length < 5) throw new ValidationError('evidence', "name the consent the representative signed (document number, e-signature id)");
    return `signed consent recorded by ${user.username}: ${staffEvidence.trim()}`;
  }
  if (staffEvidence !== undefined) throw new ValidationError('evidence', 'is for staff recording a signed consent; a borrower signs by itself');
  const binding = await evidenceOf(trx, user.id, enterpriseId);
  if (binding === null) throw new NotAuthorisedError('verify that you are the legal representative first (POST /v1/claims, or at a branch): until then no data authorisation can be signed');
  return `signed by ${user.username}, representative verified by ${binding.method}: ${binding.reference}`.slice(0, 500);
}

export function applicationRoutes(app: TypedApp, context: AppContext, deps: { readonly provider: DataProvider; readonly config: DecisionConfig; readonly review: ReviewPolicy }): void {
  const { db } = context;

  app.post(
    '/v1/enterprises/:id/authorisations',
    {
      config: { access: APPLICANTS },
      schema: {
        summary: "Record the enterprise's authorisation to pull its data (sources, purpose, until when), signed by its verified representative",
        description: 'A borrower signs it itself, and only for an enterprise it is bound to with evidence (a claim verified against the registry, or staff verification): until then no data is pulled. An account manager records a consent the representative signed at the branch, naming it in `evidence`.',
        tags: ['origination'],
        params: IdParams,
        body: Type.Object(
          {
            sources: Type.Array(literals(DATA_SOURCES), { minItems: 1, maxItems: DATA_SOURCES.length }),
            purpose: literals(DATA_PURPOSES),
            expiresOn: BusinessDateText,
            evidence: Type.Optional(Type.String({ minLength: 5, maxLength: 300, description: "staff only, and required of them: the signed consent's reference (document number, e-signature id)" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), sources: Type.Array(literals(DATA_SOURCES)), purpose: literals(DATA_PURPOSES), grantedOn: Type.String(), expiresOn: Type.String(), evidence: Type.String() }) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      assertCanSee(user, request.params.id, `enterprise ${request.params.id}`);
      const now = context.now();
      const granted = await inTransaction(db, async (trx) => {
        const evidence = await signature(trx, user, request.params.id, request.body.evidence);
        return grantDataAuthorisation(trx, { enterpriseId: request.params.id, sources: request.body.sources, purpose: request.body.purpose, grantedOn: chinaDate(now), expiresOn: request.body.expiresOn, evidence }, user.username, now);
      });
      return reply.status(201).send({ id: granted.id, sources: [...granted.sources], purpose: granted.purpose, grantedOn: granted.grantedOn, expiresOn: granted.expiresOn, evidence: granted.evidence ?? '' });
    },
  );

  app.post(
    '/v1/applications',
    {
      config: { access: APPLICANTS },
      schema: {
        summary: 'Apply for credit: the decision (approved with a limit and rate, declined with reasons, or referred to a person) in the same response',
        tags: ['origination'],
        body: Type.Object({ enterpriseId: Type.String({ format: 'uuid' }), productCode: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 201: Outcome },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      assertCanSee(user, request.body.enterpriseId, `enterprise ${request.body.enterpriseId}`);
      const config = await activeDecisionConfig(db, deps.config);
      const result = await applyForCredit(db, request.body, { provider: deps.provider, config, now: context.now() }, user.username);
      return reply.status(201).send(outcomeJson(result.applicationId, result.decision));
    },
  );

  app.get(
    '/v1/applications',
    {
      config: { access: REVIEWERS },
      schema: {
        summary: 'The review queue: applications by status (default: referred), oldest first, optionally of one enterprise',
        tags: ['origination'],
        querystring: Type.Object(
          {
            status: Type.Optional(literals(APPLICATION_STATUSES)),
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              enterpriseId: Type.String(),
              enterpriseName: Type.String(),
              productCode: Type.String(),
              status: literals(APPLICATION_STATUSES),
              limit: Type.String(),
              annualRate: Type.Union([Type.String(), Type.Null()]),
              businessDate: Type.String(),
              createdAt: Type.String(),
              reasonCodes: Type.Array(literals(DECISION_REASON_CODES)),
            }),
          ),
        },
      },
    },
    async (request) => {
      let query = db
        .selectFrom('application')
        .innerJoin('enterprise', 'enterprise.id', 'application.enterprise_id')
        .innerJoin('product', 'product.id', 'application.product_id')
        .select(['application.id', 'application.enterprise_id', 'enterprise.name as enterprise_name', 'product.code as product_code', 'application.status', 'application.limit_amount', 'application.rate_units', 'application.business_date', 'application.created_at', 'application.decision'])
        .where('application.status', '=', request.query.status ?? 'referred');
      if (request.query.enterpriseId !== undefined) query = query.where('application.enterprise_id', '=', request.query.enterpriseId);
      const rows = await query.orderBy('application.created_at').orderBy('application.id').limit(500).execute();
      return rows.map((row) => ({
        id: row.id,
        enterpriseId: row.enterprise_id,
        enterpriseName: row.enterprise_name,
        productCode: row.product_code,
        status: row.status,
        limit: formatMoney(row.limit_amount),
        annualRate: row.rate_units === null ? null : unitsToRate(row.rate_units),
        businessDate: row.business_date,
        createdAt: new Date(row.created_at).toISOString(),
        reasonCodes: (row.decision as { reasonCodes: DecisionReasonCode[] }).reasonCodes,
      }));
    },
  );

  app.post(
    '/v1/applications/:id/review',
    {
      config: { access: REVIEWERS },
      schema: {
        summary: 'Review a referred application: approve within your approval authority (above the threshold a second approver confirms) or decline, with a note',
        tags: ['origination'],
        params: IdParams,
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
            limit: Type.Optional(AmountInput),
            note: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            applicationId: Type.String(),
            status: Type.Union([Type.Literal('approved'), Type.Literal('declined'), Type.Literal('pending-confirmation')]),
            approvalRequestId: Type.Union([Type.String(), Type.Null()]),
            limit: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const result = await inTransaction(db, (trx) => reviewApplication(trx, request.params.id, request.body, caller(request), deps.review));
      return { ...result, limit: formatMoney(result.limit) };
    },
  );

  app.get(
    '/v1/applications/:id',
    {
      config: { access: roles('borrower', 'account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin') },
      schema: {
        summary: 'An application: the outcome; for staff also the full decision record (inputs, features, rules, score, reasons, versions)',
        tags: ['origination'],
        params: IdParams,
        response: {
          200: Type.Object({
            ...Outcome.properties,
            enterpriseId: Type.String(),
            enterpriseName: Type.String(),
            creditCode: Type.Union([Type.String(), Type.Null()]),
            status: literals(APPLICATION_STATUSES),
            lineId: Type.Union([Type.String(), Type.Null()]),
            contract: Type.Union([ContractSchema, Type.Null()]),
            record: Type.Optional(DecisionRecordSchema),
          }),
        },
      },
    },
    async (request) => {
      const user = caller(request);
      const row = await db.selectFrom('application').selectAll().where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw new NotFoundError(`application ${request.params.id}`);
      assertCanSee(user, row.enterprise_id, `application ${row.id}`);
      const decision = row.decision as { outcome: Decision['outcome']; reasonCodes: DecisionReasonCode[]; regional?: unknown; mainFactors?: string[]; scoreReasons?: { variable: string; pointsLost: number }[] };
      const enterprise = await db.selectFrom('enterprise').select(['name', 'credit_code']).where('id', '=', row.enterprise_id).executeTakeFirst();
      return {
        applicationId: row.id,
        outcome: decision.outcome,
        reasonCodes: decision.reasonCodes,
        mainFactors: recordedMainFactors(decision),
        limit: formatMoney(row.limit_amount),
        annualRate: row.rate_units === null ? null : unitsToRate(row.rate_units),
        ...regionalJson(decision.regional),
        enterpriseId: row.enterprise_id,
        enterpriseName: enterprise?.name ?? '',
        creditCode: enterprise?.credit_code ?? null,
        status: row.status,
        lineId: row.line_id,
        contract: contractJson(await contractForApplication(db, row.id)),
        // The stored JSON is what decide() wrote; the schema above is its shape.
        ...(user.role === 'borrower' ? {} : { record: { inputs: row.inputs, decision: row.decision } as Static<typeof DecisionRecordSchema> }),
      };
    },
  );

  app.post(
    '/v1/applications/:id/accept',
    {
      config: { access: roles('borrower', 'account-manager') },
      schema: {
        summary: 'Accept an approved offer: it becomes a signed contract record (GET the application for it) and an active credit line',
        description: 'A borrower signs the contract it read (GET /v1/applications/{id}/contract): `?contractVersion=` names that text\'s version and is required of a borrower; a version other than the current one is a CONFLICT. Staff accepting for a borrower who signed on paper may omit it. The body registers the enterprise\'s disbursement and repayment accounts.',
        tags: ['origination'],
        params: IdParams,
        querystring: Type.Object({ contractVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'the version of the contract text signed' })) }, { additionalProperties: false }),
        body: Type.Object(
          {
            accounts: Type.Object(
              {
                disbursement: AccountInput,
                repayment: Type.Optional(AccountInput),
              },
              { additionalProperties: false, description: "the enterprise's own settlement accounts: where drawdowns are paid, and what repayments are debited from (the disbursement account when absent); named masked in the signed contract (GET /v1/lines/{id}/accounts after)" },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreditLineSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const row = await db.selectFrom('application').select('enterprise_id').where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw new NotFoundError(`application ${request.params.id}`);
      assertCanSee(user, row.enterprise_id, `application ${request.params.id}`);
      const contractVersion = request.query.contractVersion;
      if (user.role === 'borrower' && contractVersion === undefined) throw new ValidationError('contractVersion', 'read the contract (GET /v1/applications/{id}/contract) and sign it by naming its version');
      return reply.status(201).send(creditLineJson(await inTransaction(db, (trx) => acceptOffer(trx, request.params.id, user.username, contractVersion, request.body.accounts))));
    },
  );
}
