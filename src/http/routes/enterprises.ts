/**
 * The enterprise registry over HTTP: record an enterprise (size class computed by the 2011
 * standard), search it, and read one. Owners' ID numbers and phones are personal data: only the
 * roles that need them (admin, risk officer) and the borrower itself see them whole.
 */
import { Type } from '@sinclair/typebox';
import { maskIdNumber, maskPhone, SEES_PERSONAL_DATA } from '../../auth/masking.js';
import type { Role } from '../../auth/roles.js';
import { bindBorrower, bindEnterprise, borrowersOf, type User } from '../../auth/users.js';
import { inTransaction } from '../../db/transaction.js';
import { createEnterprise, getEnterprise, searchEnterprises, shareFraction, MAX_SEARCH, type Enterprise } from '../../enterprises/enterprises.js';
import { INDUSTRIES } from '../../enterprises/size-standard.js';
import { ValidationError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { AmountInput, assertCanSee, IdParams } from './servicing-schemas.js';
import { BusinessDateText } from './date-schemas.js';

const STAFF: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const OwnerSchema = Type.Object({ name: Type.String(), idNumber: Type.String(), phone: Nullable(Type.String()), share: Nullable(Type.String()) });

export const EnterpriseSchema = Type.Object({
  id: Type.String(),
  creditCode: Nullable(Type.String()),
  name: Type.String(),
  industry: Nullable(Type.String()),
  regionCode: Nullable(Type.String()),
  registeredOn: Nullable(Type.String()),
  sizeClass: Type.String(),
  employees: Type.Union([Type.Integer(), Type.Null()]),
  revenue: Nullable(Type.String()),
  assets: Nullable(Type.String()),
  owners: Type.Array(OwnerSchema),
});

const BorrowerSchema = Type.Object({ username: Type.String(), displayName: Type.String(), boundAt: Type.String({ format: 'date-time' }), boundBy: Type.String() });

const SummarySchema = Type.Object({ id: Type.String(), creditCode: Nullable(Type.String()), name: Type.String(), industry: Nullable(Type.String()), regionCode: Nullable(Type.String()), sizeClass: Type.String() });

/** The registry fields a full record needs; a body with only `name` and `sizeClass` is the older minimal record. */
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
  };
}

export function enterpriseRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.post(
    '/v1/enterprises',
    {
      config: { access: roles('account-manager', 'admin', 'borrower') },
      schema: {
        summary: 'Record an enterprise in the registry (one a borrower records is bound to that borrower); the size class is computed from the industry, employees, revenue and assets (2011 standard)',
        description: 'The full record gives every registry field. A body of only `name` and `sizeClass` records the older minimal enterprise.',
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
            sizeClass: Type.Optional(Type.Union([Type.Literal('medium'), Type.Literal('small'), Type.Literal('micro'), Type.Literal('large')], { description: 'only for the minimal record; otherwise computed' })),
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
      const created = await inTransaction(db, async (trx) => {
        const enterprise = await createEnterprise(trx, body, user.username);
        if (user.role === 'borrower') await bindEnterprise(trx, user.id, enterprise.id, user.username);
        return enterprise;
      });
      const boundUser = user.role === 'borrower' ? { ...user, enterpriseIds: [...user.enterpriseIds, created.id] } : user;
      return reply.status(201).send(enterpriseJson(created, boundUser));
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
        summary: 'Let an existing borrower login act for this enterprise (an owner onboarded at the branch, a second firm of the same owner); binding twice is harmless',
        description: 'The enterprise must exist and the user must be a borrower. Audited as `user.bind-enterprise`. Answers with every borrower now bound.',
        tags: ['enterprises'],
        params: IdParams,
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 201: Type.Array(BorrowerSchema) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await inTransaction(db, (trx) => bindBorrower(trx, request.body.username, request.params.id, user.username));
      return reply.status(201).send((await borrowersOf(db, request.params.id)).map(borrowerJson));
    },
  );
}

function borrowerJson(borrower: { username: string; displayName: string; boundAt: Date; boundBy: string }) {
  return { username: borrower.username, displayName: borrower.displayName, boundAt: borrower.boundAt.toISOString(), boundBy: borrower.boundBy };
}
