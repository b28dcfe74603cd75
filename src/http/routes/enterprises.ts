/**
 * The enterprise registry over HTTP: record an enterprise (size class computed by the 2011
 * standard), search it, and read one. Owners' ID numbers and phones are personal data: only the
 * roles that need them (admin, risk officer) and the borrower itself see them whole.
 */
import { Type } from '@sinclair/typebox';
import { maskIdNumber, maskPhone, SEES_PERSONAL_DATA } from '../../auth/masking.js';
import type { Role } from '../../auth/roles.js';
import { borrowersOf, type BoundBorrower, type User } from '../../auth/users.js';
import { BINDING_VERIFY } from '../../approvals/checked-actions.js';
import { makeRequest } from '../../approvals/maker-checker.js';
import { checkBindingVerification } from '../../enterprises/bindings.js';
import { accountManagerOf, setAccountManager } from '../../enterprises/account-manager.js';
import { ApprovalRequestSchema } from './approvals.js';
import { inTransaction } from '../../db/transaction.js';
import { createEnterprise, getEnterprise, searchEnterprises, updateReportingProfile, shareFraction, MAX_SEARCH, type Enterprise } from '../../enterprises/enterprises.js';
import { INDUSTRIES } from '../../enterprises/size-standard.js';
import { BORROWER_TYPES } from '../../enterprises/borrower-type.js';
import { industryNames } from '../../enterprises/industry-codes.js';
import { regionFullName } from '../../enterprises/region-codes.js';
import { ValidationError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { AmountInput, assertCanSee, IdParams } from './servicing-schemas.js';
import { literals, SIZE_CLASSES } from '../api-codes.js';
import { BusinessDateText } from './date-schemas.js';

const STAFF: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const OwnerSchema = Type.Object({ name: Type.String(), idNumber: Type.String(), phone: Nullable(Type.String()), share: Nullable(Type.String()) });

export const EnterpriseSchema = Type.Object({
  id: Type.String(),
  creditCode: Nullable(Type.String()),
  name: Type.String(),
  industry: Type.Union([literals(INDUSTRIES), Type.Null()]),
  regionCode: Nullable(Type.String()),
  registeredOn: Nullable(Type.String()),
  sizeClass: literals(SIZE_CLASSES),
  employees: Type.Union([Type.Integer(), Type.Null()]),
  revenue: Nullable(Type.String()),
  assets: Nullable(Type.String()),
  owners: Type.Array(OwnerSchema),
  borrowerType: literals(BORROWER_TYPES),
  industryCode: Nullable(Type.String({ description: 'GB/T 4754-2017 section and division, e.g. "C34"' })),
  industryName: Type.Union([Type.Object({ section: Type.String(), sectionZh: Type.String(), division: Type.String(), divisionZh: Type.String() }), Type.Null()]),
  regionName: Type.Union([Type.Object({ zh: Type.String(), en: Type.String() }), Type.Null()], { description: 'GB/T 2260 province, city and county names of regionCode' }),
  foreignTrade: Type.Union([Type.Object({ from: Type.String(), evidence: Type.String() }), Type.Null()]),
});

const BorrowerSchema = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  boundAt: Type.String({ format: 'date-time' }),
  boundBy: Type.String(),
  verification: Type.Union([Type.Object({ method: Type.String(), reference: Type.String(), verifiedAt: Type.String({ format: 'date-time' }), verifiedBy: Type.String() }), Type.Null()], { description: 'why the binding holds: identity-check, account-manager (maker-checker) or shell; null for a binding made before verification was required (review it)' }),
});

const SummarySchema = Type.Object({ id: Type.String(), creditCode: Nullable(Type.String()), name: Type.String(), industry: Type.Union([literals(INDUSTRIES), Type.Null()]), regionCode: Nullable(Type.String()), sizeClass: literals(SIZE_CLASSES) });

/** The registry fields a full record needs; a body with only `name` and `sizeClass` is the older minimal record. */
const ForeignTradeInput = Type.Object(
  { from: BusinessDateText, evidence: Type.String({ minLength: 4, maxLength: 200, description: 'customs registration code or import-export operator record' }) },
  { additionalProperties: false },
);

function industryNameJson(code: string | null) {
  if (code === null) return null;
  const names = industryNames(code);
  return names.sectionName === null || names.divisionName === null ? null : { section: names.sectionName.en, sectionZh: names.sectionName.zh, division: names.divisionName.en, divisionZh: names.divisionName.zh };
}

const FULL_RECORD_FIELDS = ['creditCode', 'industry', 'regionCode', 'registeredOn', 'employees', 'revenue', 'assets', 'owners'] as const;

/**
 * An enterprise as `user` may see it: owners' ID numbers and phones masked unless the role needs
 * them or the user is the enterprise's own borrower. Callers check that a borrower owns it.
 */
export function enterpriseJson(enterprise: Enterprise, user: User) {
  const whole = SEES_PERSONAL_DATA.includes(user.role) || (user.role === 'borrower' && user.enterpriseIds.includes(enterprise.id));
  return {
    id: enterprise.id,
    creditCode: enterprise.creditCode,
    name: enterprise.name,
    industry: enterprise.industry,
    regionCode: enterprise.regionCode,
    registeredOn: enterprise.registeredOn,
    sizeClass: enterprise.sizeClass,
    employees: enterprise.employees,
    revenue: enterprise.revenue === null ? null : formatMoney(enterprise.revenue),
    assets: enterprise.assets === null ? null : formatMoney(enterprise.assets),
    owners: enterprise.owners.map((owner) => ({
      name: owner.name,
      idNumber: whole ? owner.idNumber : maskIdNumber(owner.idNumber),
      phone: owner.phone === null ? null : whole ? owner.phone : maskPhone(owner.phone),
      share: shareFraction(owner.sharePercent),
    })),
    borrowerType: enterprise.borrowerType,
    industryCode: enterprise.industryCode,
    industryName: industryNameJson(enterprise.industryCode),
    regionName: enterprise.regionCode === null ? null : { zh: regionFullName(enterprise.regionCode, 'zh'), en: regionFullName(enterprise.regionCode, 'en') },
    foreignTrade: enterprise.foreignTrade,
  };
}

export function enterpriseRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.post(
    '/v1/enterprises',
    {
      config: { access: roles('account-manager', 'admin', 'borrower') },
      schema: {
        summary: 'Record an enterprise in the registry; the size class is computed from the industry, employees, revenue and assets (2011 standard)',
        description: 'The full record gives every registry field. A body of only `name` and `sizeClass` records the older minimal enterprise. Recording a firm does not let a borrower act for it: it then claims it as the verified legal representative (`POST /v1/claims`).',
        tags: ['enterprises'],
        body: Type.Object(
          {
            creditCode: Type.Optional(Type.String({ minLength: 18, maxLength: 18, description: 'Unified Social Credit Code (GB 32100-2015)' })),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            industry: Type.Optional(Type.Union(INDUSTRIES.map((industry) => Type.Literal(industry)))),
            regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
            registeredOn: Type.Optional(BusinessDateText),
            employees: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
            revenue: Type.Optional(AmountInput),
            assets: Type.Optional(AmountInput),
            owners: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    name: Type.String({ minLength: 1, maxLength: 100 }),
                    idNumber: Type.String({ minLength: 18, maxLength: 18, description: 'resident ID number (GB 11643-1999)' }),
                    phone: Type.Optional(Type.String({ minLength: 11, maxLength: 20 })),
                    share: Type.Optional(Type.String({ maxLength: 6, description: 'fraction of the enterprise, e.g. "0.60"' })),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 50 },
              ),
            ),
            sizeClass: Type.Optional(literals(SIZE_CLASSES, { description: 'only for the minimal record; otherwise computed' })),
            borrowerType: Type.Optional(literals(BORROWER_TYPES, { description: 'enterprise (default), individual business 个体工商户, small-business owner 小微企业主' })),
            industryCode: Type.Optional(Type.String({ pattern: '^[A-Ta-t][0-9]{2}$', description: 'GB/T 4754-2017 section and division, e.g. "C34"; gives the size group when industry is absent' })),
            foreignTrade: Type.Optional(Type.Union([ForeignTradeInput, Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 201: EnterpriseSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.sizeClass === undefined) {
        const missing = FULL_RECORD_FIELDS.find((field) => body[field] === undefined);
        if (missing !== undefined) throw new ValidationError(missing, 'is required for a registry record (or give only name and sizeClass for a minimal one)');
      }
      const user = caller(request);
      // Recording binds no one: who may act for the firm is earned by a claim (identity check) or staff verification.
      const created = await inTransaction(db, (trx) => createEnterprise(trx, body, user.username));
      return reply.status(201).send(enterpriseJson(created, user));
    },
  );

  app.get(
    '/v1/enterprises',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Search the registry by part of the name or the start of the credit code; without q, the newest',
        tags: ['enterprises'],
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: `1 to ${MAX_SEARCH}; 50 when absent` })) }, { additionalProperties: false }),
        response: { 200: Type.Array(SummarySchema) },
      },
    },
    async (request) => searchEnterprises(db, { q: request.query.q, limit: request.query.limit === undefined ? 50 : Number(request.query.limit) }),
  );

  app.get(
    '/v1/enterprises/:id',
    {
      config: { access: roles('borrower', ...STAFF) },
      schema: { summary: 'An enterprise; owners’ ID numbers and phones masked for roles that do not need them', tags: ['enterprises'], params: IdParams, response: { 200: EnterpriseSchema } },
    },
    async (request) => {
      const user = caller(request);
      assertCanSee(user, request.params.id, `enterprise ${request.params.id}`);
      return enterpriseJson(await getEnterprise(db, request.params.id), user);
    },
  );

  app.patch(
    '/v1/enterprises/:id/reporting-profile',
    {
      config: { access: roles('account-manager', 'risk-officer', 'admin') },
      schema: {
        summary: 'Change what regulatory reports read of a borrower (size class after a review, borrower type, region, industry, foreign-trade flag), from today’s business date; earlier dates keep the earlier profile',
        tags: ['enterprises'],
        params: IdParams,
        body: Type.Object(
          {
            sizeClass: Type.Optional(literals(SIZE_CLASSES)),
            borrowerType: Type.Optional(literals(BORROWER_TYPES)),
            regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
            industryCode: Type.Optional(Type.String({ pattern: '^[A-Ta-t][0-9]{2}$' })),
            foreignTrade: Type.Optional(Type.Union([ForeignTradeInput, Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: EnterpriseSchema },
      },
    },
    async (request) => {
      const user = caller(request);
      return enterpriseJson(await inTransaction(db, (trx) => updateReportingProfile(trx, request.params.id, request.body, user.username)), user);
    },
  );

  const AccountManagerSchema = Type.Object({ enterpriseId: Type.String(), accountManager: Type.Union([Type.String(), Type.Null()]) });
  app.get(
    '/v1/enterprises/:id/account-manager',
    {
      config: { access: roles(...STAFF) },
      schema: { summary: 'The account manager (客户经理) who looks after the enterprise and takes its monitoring follow-ups; null: none, tasks go to the pool', tags: ['enterprises'], params: IdParams, response: { 200: AccountManagerSchema } },
    },
    async (request) => ({ enterpriseId: request.params.id, accountManager: await accountManagerOf(db, request.params.id) }),
  );

  app.put(
    '/v1/enterprises/:id/account-manager',
    {
      config: { access: roles('account-manager', 'risk-officer', 'admin') },
      schema: {
        summary: "Assign the enterprise's account manager (null: none); its open follow-up tasks not taken by someone else move to that person",
        tags: ['enterprises'],
        params: IdParams,
        body: Type.Object({ username: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ enterpriseId: Type.String(), accountManager: Type.Union([Type.String(), Type.Null()]), tasksMoved: Type.Integer() }) },
      },
    },
    async (request) => inTransaction(db, (trx) => setAccountManager(trx, request.params.id, request.body.username, caller(request).username)),
  );

  app.get(
    '/v1/enterprises/:id/borrowers',
    {
      config: { access: roles(...STAFF) },
      schema: { summary: 'The borrower logins that may act for an enterprise (apply, draw, repay), oldest binding first', tags: ['enterprises'], params: IdParams, response: { 200: Type.Array(BorrowerSchema) } },
    },
    async (request) => {
      await getEnterprise(db, request.params.id);
      return (await borrowersOf(db, request.params.id)).map(borrowerJson);
    },
  );

  app.post(
    '/v1/enterprises/:id/borrowers',
    {
      config: { access: roles('account-manager', 'admin') },
      schema: {
        summary: "Request that an existing borrower login may act for this enterprise, on the branch's verification of the person (maker-checker: a second staff member approves)",
        description: 'For an owner onboarded at the branch, or one the registry check cannot verify. `evidence` says what was checked (ID card, business licence, a letter of authority) — never a whole ID number. Answers 202 with the `binding.verify` approval request; once approved, the binding holds with that evidence.',
        tags: ['enterprises'],
        params: IdParams,
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), evidence: Type.String({ minLength: 5, maxLength: 300 }) }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const made = await inTransaction(db, async (trx) => {
        const payload = await checkBindingVerification(trx, { enterpriseId: request.params.id, username: request.body.username, evidence: request.body.evidence });
        return makeRequest(trx, BINDING_VERIFY, request.params.id, payload, user);
      });
      return reply.status(202).send(made);
    },
  );
}

function borrowerJson(borrower: BoundBorrower) {
  const verification = borrower.verification === null ? null : { ...borrower.verification, verifiedAt: borrower.verification.verifiedAt.toISOString() };
  return { username: borrower.username, displayName: borrower.displayName, boundAt: borrower.boundAt.toISOString(), boundBy: borrower.boundBy, verification };
}
