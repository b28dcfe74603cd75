/**
 * The decision policy over HTTP: the versions, and proposing a new one (maker-checker).
 */
import { Type, type Static } from '@sinclair/typebox';
import { makeRequest } from '../../approvals/maker-checker.js';
import { POLICY_CHANGE } from '../../approvals/checked-actions.js';
import { inTransaction } from '../../db/transaction.js';
import type { DecisionConfig } from '../../decision/decide.js';
import { activeDecisionConfig, listPolicyVersions, POLICY_SUBJECT, policyDocument, policyParts } from '../../decision/policy-versions.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { ApprovalRequestSchema } from './approvals.js';
import { literals } from '../api-codes.js';
import { POLICY_REASON_CODES, POLICY_RULE_IDS } from '../../decision/policy-rules.js';
import { FEATURE_NAMES } from '../../features/index.js';
import { DIMENSIONS } from '../../ecology/indicator-system.js';
import { BusinessDateText } from './date-schemas.js';

const Version = Type.String({ minLength: 1, maxLength: 64 });
const Percent = Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,4})?$', description: 'percent per year, e.g. "1.35"' });
const Yuan = Type.String({ pattern: '^[0-9]{1,13}(\\.[0-9]{1,2})?$', description: 'yuan, at most two decimals' });
const ByBand = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(schema: T) => Type.Object({ A: schema, B: schema, C: schema, D: schema }, { additionalProperties: false });
const Scalar = Type.Union([Type.Number({ minimum: -1e12, maximum: 1e12 }), Type.String({ maxLength: 200 }), Type.Boolean(), Type.Null()]);

const SignedPercent = Type.String({ pattern: '^-?[0-9]{1,3}(\\.[0-9]{1,4})?$', description: 'percent per year, may be negative, e.g. "-0.20"' });
const RegionalSchema = Type.Object(
  {
    version: Version,
    method: Type.Union([Type.Literal('entropy'), Type.Literal('ahp'), Type.Literal('combined')]),
    alpha: Type.Number({ minimum: 0, maximum: 1 }),
    ahp: Type.Optional(Type.Array(Type.Array(Type.Number({ minimum: 1 / 9 - 1e-9, maximum: 9 }), { minItems: 5, maxItems: 5 }), { minItems: 5, maxItems: 5, description: 'Saaty matrix over economic, financial, legal, credit, administrative' })),
    gradeCuts: Type.Object({ A: Type.Number({ minimum: 0, maximum: 100 }), B: Type.Number({ minimum: 0, maximum: 100 }), C: Type.Number({ minimum: 0, maximum: 100 }) }, { additionalProperties: false }),
    spreads: ByBand(SignedPercent),
    limitMultiplierBp: ByBand(Type.Integer({ minimum: 0, maximum: 30_000 })),
    indicators: Type.Object(
      {
        version: Version,
        indicators: Type.Array(
          Type.Object(
            {
              indicator: Type.String({ minLength: 1, maxLength: 64 }),
              dimension: Type.Union(DIMENSIONS.map((dimension) => Type.Literal(dimension))),
              direction: Type.Union([Type.Literal('+'), Type.Literal('-')]),
              unit: Type.Optional(Type.String({ maxLength: 64 })),
              source: Type.Optional(Type.String({ maxLength: 300 })),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 200 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'the regional factor: the ecology index it reads and what each grade does to the spread and the limit' },
);

const PolicyDocumentSchema = {
  policy: Type.Object(
    {
      version: Version,
      effectiveFrom: BusinessDateText,
      rules: Type.Array(
        Type.Object(
          {
            id: literals(POLICY_RULE_IDS, { description: 'a rule of the catalogue (src/decision/policy-rules.ts)' }),
            description: Type.String({ minLength: 1, maxLength: 500 }),
            when: Type.Array(
              Type.Object(
                {
                  feature: literals(FEATURE_NAMES),
                  op: Type.Union([Type.Literal('<'), Type.Literal('<='), Type.Literal('>'), Type.Literal('>='), Type.Literal('=='), Type.Literal('!='), Type.Literal('in')]),
                  value: Type.Union([Scalar, Type.Array(Scalar, { maxItems: 100 })]),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 20 },
            ),
            outcome: Type.Union([Type.Literal('decline'), Type.Literal('refer')]),
            reasonCode: literals(POLICY_REASON_CODES),
          },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    },
    { additionalProperties: false },
  ),
  bands: Type.Object(
    {
      version: Version,
      cuts: Type.Array(Type.Object({ band: Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C'), Type.Literal('D')]), minScore: Type.Integer({ minimum: 0, maximum: 2000 }) }, { additionalProperties: false }), { minItems: 4, maxItems: 4 }),
    },
    { additionalProperties: false },
  ),
  limits: Type.Object(
    { version: Version, salesShareBp: ByBand(Type.Integer({ minimum: 0, maximum: 10_000 })), inclusiveCeiling: Yuan, granularity: Yuan },
    { additionalProperties: false },
  ),
  pricing: Type.Object(
    { version: Version, spreads: ByBand(Percent), inclusiveDiscount: Percent, repeatDiscount: Percent, floor: Percent },
    { additionalProperties: false },
  ),
  regional: Type.Optional(RegionalSchema),
};

const PolicyVersionSchema = Type.Object({
  version: Type.Integer(),
  note: Type.String(),
  madeBy: Type.String(),
  checkedBy: Type.String(),
  activatedAt: Type.String(),
  ...PolicyDocumentSchema,
});

const PoliciesSchema = Type.Object({ activeVersion: Type.Union([Type.Integer(), Type.Null()]), active: Type.Object(PolicyDocumentSchema), versions: Type.Array(PolicyVersionSchema) });

export function policyRoutes(app: TypedApp, context: AppContext, deps: { readonly config: DecisionConfig }): void {
  app.get(
    '/v1/policies',
    {
      config: { access: roles('risk-officer', 'credit-approver', 'management', 'auditor', 'admin') },
      schema: {
        summary: 'The decision policy: the one in force (activeVersion null: the built-in defaults) and every approved version, newest first',
        tags: ['origination'],
        response: { 200: PoliciesSchema },
      },
    },
    async () => {
      const versions = await listPolicyVersions(context.db);
      const active = await activeDecisionConfig(context.db, deps.config);
      return {
        activeVersion: versions[0]?.version ?? null,
        active: policyDocument(active),
        versions: versions.map(({ document, ...version }) => ({ ...version, ...document })),
        // The domain types are readonly; the wire type is the same shape, mutable.
      } as Static<typeof PoliciesSchema>;
    },
  );

  app.post(
    '/v1/policies',
    {
      config: { access: roles(...POLICY_CHANGE.makers) },
      schema: {
        summary: 'Propose a new decision policy version: 202 with the policy.change request another risk officer or an admin confirms; it becomes active then',
        tags: ['origination'],
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 500 }), ...PolicyDocumentSchema }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const { note, ...document } = request.body;
      // Checked now so the maker hears of a mistake at once, and again when confirmed.
      policyParts(document);
      const made = await inTransaction(context.db, (trx) => makeRequest(trx, POLICY_CHANGE, POLICY_SUBJECT, { note, ...document }, caller(request)));
      return reply.status(202).send(made);
    },
  );
}
