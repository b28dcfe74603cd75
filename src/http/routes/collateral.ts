/**
 * Secured and guaranteed lending over HTTP (src/collateral): the collateral register, valuations,
 * links to lines, guarantors and guarantees, calls, releases under maker-checker, what secures a
 * line or a borrower, the book's split by security, and the events monitoring reads. Every route
 * that moves money or the memo ledger takes an `Idempotency-Key`.
 */
import { Type } from '@sinclair/typebox';
import { SEES_PERSONAL_DATA } from '../../auth/masking.js';
import type { Role } from '../../auth/roles.js';
import { linkCollateral, recordPledgeRegistration, registerCollateral, toCollateral, type Collateral, type Valuation } from '../../collateral/collateral-register.js';
import { bpAsPercent } from '../../collateral/eligible-value.js';
import { addGuarantee, callGuarantee, createGuarantor, guarantorExposure, linkGuarantee, maskedGuarantor, toGuarantee, type Guarantee, type Guarantor } from '../../collateral/guarantees.js';
import { checkGuarantor, grantGuarantorAuthorisation, guarantorChecks } from '../../collateral/guarantor-data.js';
import { requestCollateralRelease, requestGuaranteeRelease } from '../../collateral/release.js';
import { chinaDate } from '../../data/authorisations.js';
import { DATA_SOURCES } from '../../data/data-records.js';
import type { DataProvider } from '../../data/data-provider.js';
import { securityEvents, valueCollateral, type SecurityEvent } from '../../collateral/security-events.js';
import { bookSecuritySplit, borrowerSecurity, latestValuations, lineSecurity, type LineSecurity } from '../../collateral/security-views.js';
import { parseBusinessDate } from '../../calendar/business-date.js';
import { inTransaction } from '../../db/transaction.js';
import { getCreditLine } from '../../lines/credit-lines.js';
import { formatMoney } from '../../money/format-money.js';
import { once } from '../../servicing/idempotency.js';
import { caller, roles } from '../access.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { COLLATERAL_OWNERS, COLLATERAL_STATUSES, COLLATERAL_TYPES, GUARANTEE_STATUSES, GUARANTEE_TYPES, GUARANTOR_KINDS, GUARANTOR_STANDINGS, SECURITY_EVENT_KINDS, VALUATION_METHODS, LINE_STATUSES, literals } from '../api-codes.js';
import { ApprovalRequestSchema } from './approvals.js';
import { BusinessDateText } from './date-schemas.js';
import { AmountInput, assertCanSee, IdempotencyHeaders, IdParams, Money } from './servicing-schemas.js';

const STAFF: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];
/** Who registers security on an application or a line. */
const OFFICERS: Role[] = ['account-manager', 'credit-approver', 'admin'];
const RELEASE_MAKERS: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'admin'];
const Percent = Type.Union([Type.String({ description: 'percent, two decimals, e.g. "70.00"' }), Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });

const ValuationSchema = Type.Object({
  id: Type.String(),
  valuedOn: Type.String(),
  value: Money,
  method: literals(VALUATION_METHODS),
  appraiser: Type.String(),
  haircut: Type.String({ description: 'percent' }),
  haircutVersion: Type.String(),
  eligible: Money,
});

const CollateralSchema = Type.Object({
  id: Type.String(),
  enterpriseId: Type.String(),
  applicationId: Type.Union([Type.String(), Type.Null()]),
  type: literals(COLLATERAL_TYPES),
  owner: literals(COLLATERAL_OWNERS),
  ownerName: Type.String(),
  description: Type.String(),
  identifier: Type.String(),
  registration: Type.Union([Type.Object({ authority: Type.String(), number: Type.String(), registeredOn: Type.String(), rank: Type.Integer() }), Type.Null()]),
  status: literals(COLLATERAL_STATUSES),
  releasedOn: Type.Union([Type.String(), Type.Null()]),
  latestValuation: Type.Union([ValuationSchema, Type.Null()]),
});

const GuarantorSchema = Type.Object({
  id: Type.String(),
  kind: literals(GUARANTOR_KINDS),
  name: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  idNumber: Type.Union([Type.String({ description: 'masked unless the role sees personal data' }), Type.Null()]),
  exposureCap: Type.Union([Money, Type.Null()]),
  marginRatio: Type.Union([Type.String({ description: 'percent' }), Type.Null()]),
  rating: Type.Union([Type.String(), Type.Null()]),
  standing: literals(GUARANTOR_STANDINGS),
  checkedOn: Type.Union([Type.String(), Type.Null()]),
});

const GuarantorCheckSchema = Type.Object({
  id: Type.String(),
  guarantorId: Type.String(),
  asOf: Type.String(),
  provider: Type.String(),
  sources: Type.Array(literals(DATA_SOURCES)),
  authorisationId: Type.String(),
  dishonestDebtor: Type.Boolean(),
  lawsuitsAsDefendant: Type.Integer(),
  standing: Type.Union([Type.Literal('clear'), Type.Literal('adverse')]),
  recordCount: Type.Integer(),
});

/** A guarantor as the officer's panel shows it: its standing, latest findings and (companies) how much of its cap is used. */
const GuarantorStandingSchema = Type.Object({
  guarantor: GuarantorSchema,
  guaranteed: Money,
  room: Type.Union([Money, Type.Null()]),
  capUsed: Type.Union([Type.String({ description: 'percent of the cap used by held guarantees' }), Type.Null()]),
  latestCheck: Type.Union([GuarantorCheckSchema, Type.Null()]),
  authorisedUntil: Type.Union([Type.String({ description: "the latest expiry of the guarantor's unrevoked authorisations in force" }), Type.Null()]),
});

const GuaranteeSchema = Type.Object({
  id: Type.String(),
  guarantorId: Type.String(),
  enterpriseId: Type.String(),
  lineId: Type.Union([Type.String(), Type.Null()]),
  applicationId: Type.Union([Type.String(), Type.Null()]),
  type: literals(GUARANTEE_TYPES),
  amount: Money,
  startOn: Type.String(),
  endOn: Type.String(),
  status: literals(GUARANTEE_STATUSES),
});

const LineSecuritySchema = Type.Object({
  lineId: Type.String(),
  enterpriseId: Type.String(),
  productCode: Type.String(),
  lineStatus: literals(LINE_STATUSES),
  credit: Money,
  exposure: Money,
  collateral: Type.Array(
    Type.Object({ collateralId: Type.String(), type: literals(COLLATERAL_TYPES), identifier: Type.String(), value: Money, eligible: Money, allocated: Money, effective: Money, maxLtv: Type.String() }),
  ),
  guarantees: Type.Array(Type.Object({ guaranteeId: Type.String(), guarantorName: Type.String(), type: literals(GUARANTEE_TYPES), amount: Money, status: literals(GUARANTEE_STATUSES), endOn: Type.String() })),
  eligible: Money,
  capacity: Money,
  guaranteed: Money,
  ltv: Percent,
  maxLtv: Percent,
  overMaximum: Type.Boolean(),
});

const SecurityEventSchema = Type.Object({
  id: Type.String(),
  kind: literals(SECURITY_EVENT_KINDS),
  enterpriseId: Type.String(),
  lineId: Type.String(),
  collateralId: Type.String(),
  businessDate: Type.String(),
  ltv: Type.String(),
  maxLtv: Type.String(),
});

function valuationJson(v: Valuation) {
  return { id: v.id, valuedOn: v.valuedOn, value: formatMoney(v.value), method: v.method, appraiser: v.appraiser, haircut: bpAsPercent(v.haircutBp), haircutVersion: v.haircutVersion, eligible: formatMoney(v.eligible) };
}

function collateralJson(c: Collateral, latest: Valuation | null | undefined) {
  return { ...c, latestValuation: latest ? valuationJson(latest) : null };
}

function guarantorJson(g: Guarantor, role: Role) {
  const shown = SEES_PERSONAL_DATA.includes(role) ? g : maskedGuarantor(g);
  return { id: shown.id, kind: shown.kind, name: shown.name, creditCode: shown.creditCode, idNumber: shown.idNumber, exposureCap: shown.exposureCap === null ? null : formatMoney(shown.exposureCap), marginRatio: shown.marginRatioBp === null ? null : bpAsPercent(shown.marginRatioBp), rating: shown.rating, standing: shown.standing, checkedOn: shown.checkedOn };
}

function guaranteeJson(g: Guarantee) {
  return { ...g, amount: formatMoney(g.amount) };
}

export function lineSecurityJson(view: LineSecurity) {
  return {
    lineId: view.lineId,
    enterpriseId: view.enterpriseId,
    productCode: view.productCode,
    lineStatus: view.lineStatus as (typeof LINE_STATUSES)[number],
    credit: formatMoney(view.credit),
    exposure: formatMoney(view.exposure),
    collateral: view.collateral.map((c) => ({ collateralId: c.collateralId, type: c.type, identifier: c.identifier, value: formatMoney(c.value), eligible: formatMoney(c.eligible), allocated: formatMoney(c.allocated), effective: formatMoney(c.effective), maxLtv: bpAsPercent(c.maxLtvBp) })),
    guarantees: view.guarantees.map((g) => ({ ...g, amount: formatMoney(g.amount) })),
    eligible: formatMoney(view.eligible),
    capacity: formatMoney(view.capacity),
    guaranteed: formatMoney(view.guaranteed),
    ltv: view.ltvBp === null ? null : bpAsPercent(view.ltvBp),
    maxLtv: view.maxLtvBp === null ? null : bpAsPercent(view.maxLtvBp),
    overMaximum: view.overMaximum,
  };
}

function eventJson(e: SecurityEvent) {
  return { id: e.id, kind: e.kind, enterpriseId: e.enterpriseId, lineId: e.lineId, collateralId: e.collateralId, businessDate: e.businessDate, ltv: bpAsPercent(e.ltvBp), maxLtv: bpAsPercent(e.maxLtvBp) };
}

export function collateralRoutes(app: TypedApp, context: AppContext, deps: { readonly provider: DataProvider }): void {
  const { db } = context;

  async function guarantorStandingJson(guarantorId: string, role: Role) {
    const [exposure, checks, grant] = await Promise.all([
      guarantorExposure(db, guarantorId),
      guarantorChecks(db, guarantorId),
      db
        .selectFrom('guarantor_authorisation')
        .select('expires_on')
        .where('guarantor_id', '=', guarantorId)
        .where('revoked_at', 'is', null)
        .where('granted_on', '<=', chinaDate(context.now()))
        .where('expires_on', '>=', chinaDate(context.now()))
        .orderBy('expires_on', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
    const cap = exposure.guarantor.exposureCap;
    const latest = checks[0];
    return {
      guarantor: guarantorJson(exposure.guarantor, role),
      guaranteed: formatMoney(exposure.guaranteed),
      room: exposure.room === null ? null : formatMoney(exposure.room),
      capUsed: cap === null || cap <= 0n ? null : bpAsPercent(Number((exposure.guaranteed * 10_000n + cap - 1n) / cap)),
      latestCheck: latest === undefined ? null : { ...latest, sources: [...latest.sources] },
      authorisedUntil: grant?.expires_on ?? null,
    };
  }

  app.post(
    '/v1/collateral',
    {
      config: { access: roles(...OFFICERS) },
      schema: {
        summary: 'Enter a piece of collateral in the register (押品登记), pending until its pledge is registered',
        tags: ['collateral'],
        body: Type.Object(
          {
            enterpriseId: Uuid,
            applicationId: Type.Optional(Uuid),
            type: literals(COLLATERAL_TYPES),
            owner: literals(COLLATERAL_OWNERS),
            ownerName: Type.String({ minLength: 1, maxLength: 200 }),
            description: Type.String({ minLength: 1, maxLength: 500 }),
            identifier: Type.String({ minLength: 1, maxLength: 100, description: 'property certificate number, VIN, invoice number…' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: CollateralSchema },
      },
    },
    async (request, reply) => {
      const created = await inTransaction(db, (trx) => registerCollateral(trx, request.body, caller(request).username));
      return reply.status(201).send(collateralJson(created, null));
    },
  );

  app.get(
    '/v1/enterprises/:id/security',
    {
      config: { access: roles('borrower', ...STAFF) },
      schema: {
        summary: 'What secures a borrower: its collateral with the latest valuations, its lines with their loan-to-value, its guarantees',
        tags: ['collateral'],
        params: IdParams,
        response: {
          200: Type.Object({
            enterpriseId: Type.String(),
            collateral: Type.Array(CollateralSchema),
            lines: Type.Array(LineSecuritySchema),
            guarantees: Type.Array(GuaranteeSchema),
            credit: Money,
            eligible: Money,
            guaranteed: Money,
            unlinkedGuaranteed: Money,
            ltv: Percent,
            guarantors: Type.Array(GuarantorStandingSchema, { description: "each guarantor of the borrower's guarantees with its standing and findings; empty for the borrower (a guarantor's court records are its own)" }),
          }),
        },
      },
    },
    async (request) => {
      const user = caller(request);
      assertCanSee(user, request.params.id, `enterprise ${request.params.id}`);
      const view = await borrowerSecurity(db, request.params.id);
      const rows = await db.selectFrom('collateral').selectAll().where('enterprise_id', '=', request.params.id).orderBy('created_at').orderBy('id').limit(200).execute();
      const values = await latestValuations(db, rows.map((row) => row.id));
      const guarantees = await db.selectFrom('guarantee').selectAll().where('enterprise_id', '=', request.params.id).orderBy('created_at').limit(200).execute();
      const guarantorIds = user.role === 'borrower' ? [] : [...new Set(guarantees.map((g) => g.guarantor_id))];
      const guarantors = await Promise.all(guarantorIds.map((guarantorId) => guarantorStandingJson(guarantorId, user.role)));
      return {
        enterpriseId: view.enterpriseId,
        collateral: rows.map((row) => collateralJson(toCollateral(row), values.get(row.id))),
        lines: view.lines.map(lineSecurityJson),
        guarantees: guarantees.map((row) => guaranteeJson(toGuarantee(row))),
        credit: formatMoney(view.credit),
        eligible: formatMoney(view.eligible),
        guaranteed: formatMoney(view.guaranteed),
        unlinkedGuaranteed: formatMoney(view.unlinkedGuaranteed),
        ltv: view.ltvBp === null ? null : bpAsPercent(view.ltvBp),
        guarantors,
      };
    },
  );

  app.post(
    '/v1/collateral/:id/registration',
    {
      config: { access: roles(...OFFICERS) },
      schema: {
        summary: 'Record the registration of the pledge or mortgage (authority, number, date, rank); the collateral goes on the memo ledger',
        tags: ['collateral'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ authority: Type.String({ minLength: 1, maxLength: 200 }), number: Type.String({ minLength: 1, maxLength: 100 }), registeredOn: BusinessDateText, rank: Type.Integer({ minimum: 1, maximum: 9 }) }, { additionalProperties: false }),
        response: { 200: CollateralSchema },
      },
    },
    async (request) => {
      const user = caller(request);
      const body = { ...request.body, collateralId: request.params.id };
      return once(db, 'collateral-registration', user.id, request.headers['idempotency-key'], body, async (trx) => {
        const registered = await recordPledgeRegistration(trx, request.params.id, request.body, user.username);
        return collateralJson(registered, (await latestValuations(trx, [registered.id])).get(registered.id));
      });
    },
  );

  app.post(
    '/v1/collateral/:id/valuations',
    {
      config: { access: roles('account-manager', 'credit-approver', 'risk-officer', 'admin') },
      schema: {
        summary: 'Record a valuation (appraisal, market index, book value); the memo entry follows the value and a loan-to-value above the maximum raises an event',
        tags: ['collateral'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ value: AmountInput, method: literals(VALUATION_METHODS), appraiser: Type.String({ minLength: 1, maxLength: 200 }), valuedOn: Type.Optional(BusinessDateText) }, { additionalProperties: false }),
        response: { 201: Type.Object({ valuation: ValuationSchema, events: Type.Array(SecurityEventSchema) }) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const body = { ...request.body, collateralId: request.params.id };
      const result = await once(db, 'collateral-valuation', user.id, request.headers['idempotency-key'], body, async (trx) => {
        const { valuation, events } = await valueCollateral(trx, request.params.id, request.body, user.username);
        return { valuation: valuationJson(valuation), events: events.map(eventJson) };
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/v1/collateral/:id/links',
    {
      config: { access: roles(...OFFICERS) },
      schema: {
        summary: 'Set an amount of the collateral\'s eligible value against a line of the same borrower',
        tags: ['collateral'],
        params: IdParams,
        body: Type.Object({ lineId: Uuid, allocated: AmountInput }, { additionalProperties: false }),
        response: { 200: LineSecuritySchema },
      },
    },
    async (request) => {
      await inTransaction(db, (trx) => linkCollateral(trx, request.params.id, request.body.lineId, request.body.allocated, caller(request).username));
      return lineSecurityJson(await lineSecurity(db, request.body.lineId));
    },
  );

  app.post(
    '/v1/collateral/:id/release',
    {
      config: { access: roles(...RELEASE_MAKERS) },
      schema: {
        summary: 'Request the release (解押) of collateral whose lines are repaid and closed; it takes effect when a second person approves',
        tags: ['collateral'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const body = { id: request.params.id, reason: request.body.reason };
      const made = await once(db, 'collateral-release', user.id, request.headers['idempotency-key'], body, (trx) => requestCollateralRelease(trx, body.id, body.reason, user));
      return reply.status(202).send(made);
    },
  );

  app.get(
    '/v1/lines/:id/security',
    {
      config: { access: roles('borrower', ...STAFF) },
      schema: { summary: 'What secures a line: collateral allocated to it, guarantees, loan-to-value against its maximum', tags: ['collateral'], params: IdParams, response: { 200: LineSecuritySchema } },
    },
    async (request) => {
      const line = await getCreditLine(db, request.params.id);
      assertCanSee(caller(request), line.enterpriseId, `credit line ${line.id}`);
      return lineSecurityJson(await lineSecurity(db, line.id));
    },
  );

  app.post(
    '/v1/guarantors',
    {
      config: { access: roles(...OFFICERS) },
      schema: {
        summary: 'Add a guarantor: a guarantee company (credit code, cap across the bank, margin deposit ratio, rating) or a person (resident ID number)',
        tags: ['guarantees'],
        body: Type.Object(
          {
            kind: literals(GUARANTOR_KINDS),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            creditCode: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
            idNumber: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
            exposureCap: Type.Optional(AmountInput),
            marginRatioBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
            rating: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: GuarantorSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const created = await inTransaction(db, (trx) => createGuarantor(trx, request.body, user.username));
      return reply.status(201).send(guarantorJson(created, user.role));
    },
  );

  app.post(
    '/v1/guarantors/:id/authorisations',
    {
      config: { access: roles(...OFFICERS) },
      schema: {
        summary: "Record the guarantor's own authorisation to pull its data: a company its tax, registration and court records, a person the court records only",
        tags: ['guarantees'],
        params: IdParams,
        body: Type.Object(
          { sources: Type.Array(literals(DATA_SOURCES), { minItems: 1, maxItems: 3 }), grantedOn: BusinessDateText, expiresOn: BusinessDateText, evidence: Type.String({ minLength: 1, maxLength: 500, description: 'where the signed consent is kept' }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), guarantorId: Type.String(), sources: Type.Array(literals(DATA_SOURCES)), grantedOn: Type.String(), expiresOn: Type.String(), evidence: Type.String() }) },
      },
    },
    async (request, reply) => {
      const grant = await inTransaction(db, (trx) => grantGuarantorAuthorisation(trx, request.params.id, request.body, caller(request).username, context.now()));
      return reply.status(201).send({ ...grant, sources: [...grant.sources] });
    },
  );

  app.post(
    '/v1/guarantors/:id/checks',
    {
      config: { access: roles('account-manager', 'credit-approver', 'risk-officer', 'admin') },
      schema: {
        summary: "Pull the guarantor's own data under its authorisation: a dishonest-debtor listing or a pending case against it makes it adverse, and its guarantees then add nothing",
        tags: ['guarantees'],
        params: IdParams,
        response: { 201: GuarantorCheckSchema },
      },
    },
    async (request, reply) => {
      const check = await inTransaction(db, (trx) => checkGuarantor(trx, request.params.id, deps.provider, context.now(), caller(request).username));
      return reply.status(201).send({ ...check, sources: [...check.sources] });
    },
  );

  app.get(
    '/v1/guarantors/:id/checks',
    {
      config: { access: roles(...STAFF) },
      schema: { summary: "A guarantor's data checks, newest first", tags: ['guarantees'], params: IdParams, response: { 200: Type.Array(GuarantorCheckSchema) } },
    },
    async (request) => (await guarantorChecks(db, request.params.id)).map((check) => ({ ...check, sources: [...check.sources] })),
  );

  app.get(
    '/v1/guarantors/:id/exposure',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'A guarantor\'s total guaranteed exposure across the bank, the room its cap leaves and the margin deposit it owes',
        tags: ['guarantees'],
        params: IdParams,
        response: { 200: Type.Object({ guarantor: GuarantorSchema, guaranteed: Money, room: Type.Union([Money, Type.Null()]), marginDeposit: Type.Union([Money, Type.Null()]), guarantees: Type.Integer() }) },
      },
    },
    async (request) => {
      const exposure = await guarantorExposure(db, request.params.id);
      return {
        guarantor: guarantorJson(exposure.guarantor, caller(request).role),
        guaranteed: formatMoney(exposure.guaranteed),
        room: exposure.room === null ? null : formatMoney(exposure.room),
        marginDeposit: exposure.marginDeposit === null ? null : formatMoney(exposure.marginDeposit),
        guarantees: exposure.guarantees,
      };
    },
  );

  app.post(
    '/v1/guarantees',
    {
      config: { access: roles(...OFFICERS) },
      schema: {
        summary: 'Take a guarantee for a borrower (on a line, an application, or until a line opens); held on the memo ledger',
        tags: ['guarantees'],
        headers: IdempotencyHeaders,
        body: Type.Object(
          { guarantorId: Uuid, enterpriseId: Uuid, lineId: Type.Optional(Uuid), applicationId: Type.Optional(Uuid), type: literals(GUARANTEE_TYPES), amount: AmountInput, startOn: BusinessDateText, endOn: BusinessDateText },
          { additionalProperties: false },
        ),
        response: { 201: GuaranteeSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const result = await once(db, 'guarantee', user.id, request.headers['idempotency-key'], request.body, async (trx) => guaranteeJson(await addGuarantee(trx, request.body, user.username)));
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/v1/guarantees/:id/link',
    {
      config: { access: roles(...OFFICERS) },
      schema: { summary: 'Tie a guarantee taken for the borrower to one of its lines', tags: ['guarantees'], params: IdParams, body: Type.Object({ lineId: Uuid }, { additionalProperties: false }), response: { 200: GuaranteeSchema } },
    },
    async (request) => guaranteeJson(await inTransaction(db, (trx) => linkGuarantee(trx, request.params.id, request.body.lineId, caller(request).username))),
  );

  app.post(
    '/v1/guarantees/:id/call',
    {
      config: { access: roles('risk-officer', 'admin') },
      schema: {
        summary: 'Call a guarantee on a defaulted loan (more than 90 days past due): the claim, and what the guarantor paid applied to the loan',
        tags: ['guarantees'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          { loanId: Uuid, recovered: Type.String({ pattern: '^[0-9]{1,13}(\\.[0-9]{1,2})?$', description: 'yuan the guarantor paid; "0.00" records the claim alone' }), enforcementExhausted: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ claimId: Type.String(), guaranteeId: Type.String(), loanId: Type.String(), claimed: Money, recovered: Money, toPenalty: Money, toInterest: Money, toPrincipal: Money, loanStatus: Type.Union([Type.Literal('active'), Type.Literal('closed')]) }),
        },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const body = { ...request.body, guaranteeId: request.params.id };
      const result = await once(db, 'guarantee-call', user.id, request.headers['idempotency-key'], body, async (trx) => {
        const call = await callGuarantee(trx, body, user.username);
        return { ...call, claimed: formatMoney(call.claimed), recovered: formatMoney(call.recovered), toPenalty: formatMoney(call.toPenalty), toInterest: formatMoney(call.toInterest), toPrincipal: formatMoney(call.toPrincipal) };
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/v1/guarantees/:id/release',
    {
      config: { access: roles(...RELEASE_MAKERS) },
      schema: {
        summary: 'Request the release of a guarantee whose line is repaid and closed; it takes effect when a second person approves',
        tags: ['guarantees'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const body = { id: request.params.id, reason: request.body.reason };
      const made = await once(db, 'guarantee-release', user.id, request.headers['idempotency-key'], body, (trx) => requestGuaranteeRelease(trx, body.id, body.reason, user));
      return reply.status(202).send(made);
    },
  );

  app.get(
    '/v1/reports/security-split',
    {
      config: { access: roles('management', 'risk-officer', 'auditor', 'admin') },
      schema: {
        summary: 'The book by security: principal owed on secured, guaranteed and pure-credit loans',
        tags: ['reports'],
        response: { 200: Type.Object({ secured: Type.Object({ balance: Money, loans: Type.Integer() }), guaranteed: Type.Object({ balance: Money, loans: Type.Integer() }), pureCredit: Type.Object({ balance: Money, loans: Type.Integer() }) }) },
      },
    },
    async () => {
      const split = await bookSecuritySplit(db);
      const part = (p: { balance: bigint; loans: number }) => ({ balance: formatMoney(p.balance), loans: p.loans });
      return { secured: part(split.secured), guaranteed: part(split.guaranteed), pureCredit: part(split.pureCredit) };
    },
  );

  app.get(
    '/v1/security-events',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Security events for monitoring: revaluations that left a line\'s loan-to-value above its maximum',
        tags: ['collateral'],
        querystring: Type.Object({ since: Type.Optional(BusinessDateText), enterpriseId: Type.Optional(Uuid), limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'at most this many, 1 to 500 (default 100); digits, as query values are never coerced' })) }, { additionalProperties: false }),
        response: { 200: Type.Array(SecurityEventSchema) },
      },
    },
    async (request) => {
      const since = request.query.since === undefined ? undefined : parseBusinessDate(request.query.since, 'since');
      const events = await securityEvents(db, { ...(since === undefined ? {} : { since }), ...(request.query.enterpriseId === undefined ? {} : { enterpriseId: request.query.enterpriseId }), limit: Math.min(Number(request.query.limit ?? '100'), 500) });
      return events.map(eventJson);
    },
  );
}
