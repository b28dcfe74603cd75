/**
 * Supply-chain finance over HTTP (issue 18): programmes (proposed under maker-checker), the core
 * enterprise's payables and their confirmation in bulk, payment at maturity; the holder's
 * certificates, split, transfer, the cost of financing shown before it is asked for, and the
 * financing; the officer's overview, the dashboard by core enterprise and tier, and the
 * reconciliation to the ledger. Every route that moves money or a certificate takes an
 * `Idempotency-Key`.
 *
 * A borrower acts for the firms it is bound to, a core-enterprise user for its core enterprise;
 * anything else is NOT_FOUND to them, so ids of other firms' papers cannot be probed.
 */
import { Type } from '@sinclair/typebox';
import { makeRequest } from '../../approvals/maker-checker.js';
import { SCF_PROGRAMME, SCF_PROGRAMME_CHANGE } from '../../approvals/checked-actions.js';
import { CHANGEABLE_TERMS, checkProgrammeChange, MAX_REASON_LENGTH, setProgrammeSuspended, type ProgrammeChangeRequest } from '../../supply-chain/programme-changes.js';
import type { Role } from '../../auth/roles.js';
import type { User } from '../../auth/users.js';
import type { BusinessDate } from '../../calendar/business-date.js';
import { inTransaction } from '../../db/transaction.js';
import { NotFoundError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import { minor } from '../../money/minor.js';
import { unitsToRate } from '../../pricing/rate-units.js';
import { once } from '../../servicing/idempotency.js';
import { certificateChain, certificateTree, getCertificate, splitCertificate, transferCertificate, type Certificate, type CertificateNode } from '../../supply-chain/certificates.js';
import { financeCertificate, quoteFinancing, type FinancingQuote } from '../../supply-chain/financing.js';
import { payReceivable, type ReceivablePayment } from '../../supply-chain/maturity.js';
import { addEligibleSupplier, parseProgrammeRequest, programmeJson } from '../../supply-chain/programmes.js';
import { confirmReceivables, MAX_RECEIVABLES_PER_BATCH, recordDilution, registerReceivable } from '../../supply-chain/receivables.js';
import { positiveAmount } from '../../supply-chain/amounts.js';
import { MAX_SPLIT_PARTS } from '../../supply-chain/split-certificate-amounts.js';
import { CERTIFICATE_STATUSES, DILUTION_EFFECTS, DILUTION_KINDS, INTEREST_PAYERS, INTEREST_TIMINGS, PROGRAMME_STATUSES, RECEIVABLE_STATUSES } from '../../supply-chain/supply-chain-codes.js';
import { balanceByCoreAndTier, enterpriseNames, holderCertificates, isReconciled, programmeOverviews, programmeSuppliers, reconcileSupplyChain, type HolderCertificate, type ProgrammeOverview } from '../../supply-chain/supply-chain-views.js';
import { getBusinessDate } from '../../system/business-date.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { literals } from '../api-codes.js';
import { ApprovalRequestSchema } from './approvals.js';
import { BusinessDateText } from './date-schemas.js';
import { AmountInput, IdempotencyHeaders, IdParams, Money } from './servicing-schemas.js';

/** Staff who read programmes, certificates and the dashboard. */
const STAFF_READERS: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];
/** Who acts for a holder: the holder itself, or its account manager at the branch. */
const HOLDER_ACTORS: Role[] = ['borrower', 'account-manager', 'admin'];
/** Who acts for a core enterprise: its own users, or the bank's operations staff. */
const CORE_ACTORS: Role[] = ['core-enterprise', 'operator', 'admin'];
/** Parties who act only for the firms they are bound to. */
const PARTY_ROLES: readonly Role[] = ['borrower', 'core-enterprise'];

/** NOT_FOUND unless the caller is staff or bound to `enterpriseId`. */
function actFor(user: User, enterpriseId: string, what: string): void {
  if (PARTY_ROLES.includes(user.role) && !user.enterpriseIds.includes(enterpriseId)) throw new NotFoundError(what);
}

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const ProgrammeSchema = Type.Object({
  id: Type.String(),
  coreEnterpriseId: Type.String(),
  limit: Money,
  startsOn: Type.String(),
  endsOn: Type.String(),
  lprTenor: literals(['1y', '5y'] as const),
  spread: Type.String({ description: 'percentage points over the LPR' }),
  interestPayer: literals(INTEREST_PAYERS),
  interestTiming: literals(INTEREST_TIMINGS),
  advanceRate: Type.String({ description: 'percent of the confirmed amount advanced, e.g. "90.00"' }),
  maxTenorDays: Type.Integer(),
  supplierLimit: Money,
  industryLimit: Money,
  penaltyMultiplier: Type.String({ description: 'penalty rate ÷ financing rate on financing past due (罚息), e.g. "1.5"' }),
  status: literals(PROGRAMME_STATUSES),
  suspendedReason: Nullable(Type.String({ description: 'why it is suspended; null while active' })),
});

const CertificateSchema = Type.Object({
  id: Type.String(),
  receivableId: Type.String(),
  parentId: Nullable(Type.String()),
  coreEnterpriseId: Type.String(),
  holderId: Type.String(),
  tier: Type.Integer({ description: "1 for the core enterprise's direct supplier, one more per transfer" }),
  faceAmount: Money,
  dueOn: Type.String(),
  status: literals(CERTIFICATE_STATUSES),
  warning: Nullable(Type.String()),
});
const certificateJson = (c: Certificate) => ({
  id: c.id, receivableId: c.receivableId, parentId: c.parentId, coreEnterpriseId: c.coreEnterpriseId, holderId: c.holderId,
  tier: c.tier, faceAmount: formatMoney(c.faceAmount), dueOn: c.dueOn, status: c.status, warning: c.warning,
});
const HolderCertificateSchema = Type.Composite([
  CertificateSchema,
  Type.Object({
    coreEnterpriseName: Type.String(),
    invoiceNo: Type.String(),
    financing: Nullable(
      Type.Object({
        principal: Money, interest: Money, disbursed: Money, financedOn: Type.String(), status: Type.String(),
        surplusPaid: Nullable(Type.String({ description: 'paid to the holder when the core enterprise paid' })),
      }),
    ),
  }),
]);
const holderCertificateJson = (c: HolderCertificate) => ({
  ...certificateJson(c),
  coreEnterpriseName: c.coreEnterpriseName,
  invoiceNo: c.invoiceNo,
  financing:
    c.financing === null
      ? null
      : {
          principal: formatMoney(c.financing.principal), interest: formatMoney(c.financing.interest), disbursed: formatMoney(c.financing.disbursed),
          financedOn: c.financing.financedOn, status: c.financing.status, surplusPaid: c.financing.surplusPaid === null ? null : formatMoney(c.financing.surplusPaid),
        },
});
/** A certificate with its holder's name: the links of a chain or a tree, as people read them. */
const NamedCertificateSchema = Type.Composite([CertificateSchema, Type.Object({ holderName: Type.String() })]);
/** The tree, flattened depth first: a certificate before the parts made from it. */
const flatten = (node: CertificateNode): Certificate[] => [node, ...node.children.flatMap(flatten)];

const ProgrammeOverviewSchema = Type.Object({ programme: ProgrammeSchema, coreEnterpriseName: Type.String(), limit: Money, used: Money, headroom: Money, overdue: Money, certificatesOutstanding: Money });
const overviewJson = (o: ProgrammeOverview) => ({
  programme: programmeJson(o.programme), coreEnterpriseName: o.coreEnterpriseName, limit: formatMoney(o.limit), used: formatMoney(o.used),
  headroom: formatMoney(o.headroom), overdue: formatMoney(o.overdue), certificatesOutstanding: formatMoney(o.certificatesOutstanding),
});

const QuoteSchema = Type.Object({
  certificateId: Type.String(),
  face: Money,
  rate: Type.String({ description: 'percent a year: the LPR plus the spread on the day' }),
  financedOn: Type.String(),
  dueOn: Type.String(),
  days: Type.Integer(),
  principal: Money,
  interest: Money,
  interestPayer: literals(INTEREST_PAYERS),
  interestTiming: literals(INTEREST_TIMINGS),
  disbursed: Type.String({ description: 'paid to the holder today' }),
  surplusAtMaturity: Type.String({ description: 'paid to the holder when the core enterprise pays' }),
  holderReceives: Type.String({ description: 'all the holder receives: today and at maturity' }),
  corePays: Type.String({ description: 'what the core enterprise pays at maturity for this certificate' }),
});
const quoteJson = (q: FinancingQuote) => ({
  certificateId: q.certificateId, face: formatMoney(q.face), rate: unitsToRate(q.rateUnits), financedOn: q.financedOn, dueOn: q.dueOn, days: q.days,
  principal: formatMoney(q.principal), interest: formatMoney(q.interest), interestPayer: q.interestPayer, interestTiming: q.interestTiming,
  disbursed: formatMoney(q.disbursed), surplusAtMaturity: formatMoney(q.surplusAtMaturity), holderReceives: formatMoney(q.holderReceives), corePays: formatMoney(q.corePays),
});

const ReceivableSchema = Type.Object({
  id: Type.String(),
  sellerId: Type.String(),
  sellerName: Type.String(),
  buyerId: Type.String(),
  invoiceNo: Type.String(),
  amount: Money,
  confirmedAmount: Nullable(Money),
  issuedOn: Type.String(),
  dueOn: Type.String(),
  status: literals(RECEIVABLE_STATUSES),
  disputed: Type.Boolean(),
  financed: Money,
});

const PaymentSchema = Type.Object({
  receivableId: Type.String(),
  total: Money,
  certificates: Type.Array(Type.Object({ certificateId: Type.String(), holderId: Type.String(), face: Money, paid: Money, financingId: Nullable(Type.String()), principal: Money, interest: Money, penalty: Type.String({ description: 'penalty interest for paying late (罚息), paid by the core enterprise' }), toHolder: Money })),
});
const paymentJson = (p: ReceivablePayment) => ({
  receivableId: p.receivableId,
  total: formatMoney(p.total),
  certificates: p.certificates.map((c) => ({ ...c, face: formatMoney(c.face), paid: formatMoney(c.paid), principal: formatMoney(c.principal), interest: formatMoney(c.interest), penalty: formatMoney(c.penalty), toHolder: formatMoney(c.toHolder) })),
});

export function supplyChainRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;
  const today = async (): Promise<BusinessDate> => getBusinessDate(db);

  app.post(
    '/v1/supply-chain/programmes',
    {
      config: { access: roles(...SCF_PROGRAMME.makers) },
      schema: {
        summary: "Propose a core enterprise's programme: 202 with the scf.programme request another person confirms",
        tags: ['supply-chain'],
        body: Type.Object(
          {
            coreEnterpriseId: Uuid,
            limit: AmountInput,
            startsOn: BusinessDateText,
            endsOn: BusinessDateText,
            lprTenor: literals(['1y', '5y'] as const),
            spread: Type.String({ pattern: '^[0-9]{1,2}(\\.[0-9]{1,4})?$', description: 'percentage points over the LPR, e.g. "0.50"' }),
            interestPayer: literals(INTEREST_PAYERS),
            interestTiming: literals(INTEREST_TIMINGS),
            advanceRate: Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,2})?$', description: 'percent of the confirmed amount advanced, 1 to 100' }),
            maxTenorDays: Type.Integer({ minimum: 1, maximum: 365 }),
            supplierLimit: AmountInput,
            industryLimit: AmountInput,
            penaltyMultiplier: Type.Optional(Type.String({ pattern: '^[0-9](\\.[0-9]{1,2})?$', description: 'penalty rate ÷ financing rate on financing past due, "1.3" to "1.5"; default "1.5"' })),
            supplierIds: Type.Optional(Type.Array(Uuid, { maxItems: 500, uniqueItems: true, description: 'suppliers invited at once' })),
          },
          { additionalProperties: false },
        ),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      parseProgrammeRequest(request.body);
      const made = await inTransaction(db, (trx) => makeRequest(trx, SCF_PROGRAMME, request.body.coreEnterpriseId, request.body, user));
      return reply.status(202).send(made);
    },
  );

  app.get(
    '/v1/supply-chain/programmes',
    {
      config: { access: roles(...STAFF_READERS) },
      schema: {
        summary: 'Every programme with its usage (financing outstanding), headroom, overdue financing and certificates outstanding',
        tags: ['supply-chain'],
        response: { 200: Type.Object({ items: Type.Array(ProgrammeOverviewSchema) }) },
      },
    },
    async () => ({ items: (await programmeOverviews(db)).map(overviewJson) }),
  );

  app.get(
    '/v1/supply-chain/core-enterprises/:id/programme',
    {
      config: { access: roles('core-enterprise', ...STAFF_READERS) },
      schema: {
        summary: "A core enterprise's programme(s) with usage and headroom, and the suppliers invited to each with their financing outstanding: what its portal shows",
        tags: ['supply-chain'],
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Composite([ProgrammeOverviewSchema, Type.Object({ suppliers: Type.Array(Type.Object({ enterpriseId: Type.String(), name: Type.String(), creditCode: Nullable(Type.String()), financed: Money })) })])),
          }),
        },
      },
    },
    async (request) => {
      actFor(caller(request), request.params.id, `enterprise ${request.params.id}`);
      const overviews = await programmeOverviews(db, request.params.id);
      const items = [];
      for (const overview of overviews) {
        const suppliers = await programmeSuppliers(db, overview.programme.id);
        items.push({ ...overviewJson(overview), suppliers: suppliers.map((supplier) => ({ ...supplier, financed: formatMoney(supplier.financed) })) });
      }
      return { items };
    },
  );

  app.post(
    '/v1/supply-chain/programmes/:id/suppliers',
    {
      config: { access: roles('account-manager', 'risk-officer', 'admin') },
      schema: {
        summary: 'Invite a supplier to a programme: it may then register receivables on the core enterprise',
        tags: ['supply-chain'],
        params: IdParams,
        body: Type.Object({ enterpriseId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await inTransaction(db, (trx) => addEligibleSupplier(trx, request.params.id, request.body.enterpriseId, user.username));
      return reply.status(204).send(null);
    },
  );

  const Reason = Type.String({ minLength: 1, maxLength: MAX_REASON_LENGTH, description: 'why, kept with the programme and in the audit trail' });
  const ProgrammeChangeBody = Type.Object(
    {
      limit: Type.Optional(AmountInput),
      endsOn: Type.Optional(BusinessDateText),
      spread: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}(\\.[0-9]{1,4})?$', description: 'percentage points over the LPR, e.g. "0.50"' })),
      advanceRate: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,2})?$', description: 'percent of the confirmed amount advanced, 1 to 100' })),
      maxTenorDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
      supplierLimit: Type.Optional(AmountInput),
      industryLimit: Type.Optional(AmountInput),
      penaltyMultiplier: Type.Optional(Type.String({ pattern: '^[0-9](\\.[0-9]{1,2})?$', description: 'penalty rate ÷ financing rate, "1.3" to "1.5"' })),
      reason: Reason,
    },
    { additionalProperties: false },
  );
  const ChangePreviewSchema = Type.Object({
    programmeId: Type.String(),
    changes: Type.Array(Type.Object({ term: literals(CHANGEABLE_TERMS), from: Type.String(), to: Type.String() })),
  });
  const changeRequest = (id: string, body: Omit<ProgrammeChangeRequest, 'programmeId'>): ProgrammeChangeRequest => ({ programmeId: id, ...body });

  app.post(
    '/v1/supply-chain/programmes/:id/change-preview',
    {
      config: { access: roles(...SCF_PROGRAMME_CHANGE.makers) },
      schema: {
        summary: "What a change of a programme's terms would do, term by term (from, to); nothing changes",
        tags: ['supply-chain'],
        params: IdParams,
        body: ProgrammeChangeBody,
        response: { 200: ChangePreviewSchema },
      },
    },
    async (request) => {
      const { preview } = await checkProgrammeChange(db, changeRequest(request.params.id, request.body), await today());
      return { programmeId: preview.programmeId, changes: [...preview.changes] };
    },
  );

  app.post(
    '/v1/supply-chain/programmes/:id/changes',
    {
      config: { access: roles(...SCF_PROGRAMME_CHANGE.makers) },
      schema: {
        summary: "Propose a change of a programme's terms going forward (limit, end, price, advance, tenor, concentration, penalty): 202 with the scf.programme-change request another person confirms; financings already made keep their terms",
        tags: ['supply-chain'],
        params: IdParams,
        body: ProgrammeChangeBody,
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const change = changeRequest(request.params.id, request.body);
      await checkProgrammeChange(db, change, await today());
      const made = await inTransaction(db, (trx) => makeRequest(trx, SCF_PROGRAMME_CHANGE, request.params.id, change, user));
      return reply.status(202).send(made);
    },
  );

  for (const [path, suspend] of [['suspend', true], ['resume', false]] as const) {
    app.post(
      `/v1/supply-chain/programmes/:id/${path}`,
      {
        config: { access: roles('risk-officer', 'admin') },
        schema: {
          summary: suspend
            ? 'Suspend a programme at once: no new receivables, confirmations or financings; certificates and financings already made run to maturity'
            : 'Resume a suspended programme: it takes new receivables, confirmations and financings again',
          tags: ['supply-chain'],
          params: IdParams,
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: ProgrammeSchema },
        },
      },
      async (request) => {
        const user = caller(request);
        return programmeJson(await inTransaction(db, (trx) => setProgrammeSuspended(trx, request.params.id, suspend, request.body.reason, user.username)));
      },
    );
  }

  app.get(
    '/v1/supply-chain/balance',
    {
      config: { access: roles(...STAFF_READERS) },
      schema: {
        summary: 'The dashboard: certificates outstanding and financing by core enterprise and tier',
        tags: ['supply-chain'],
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ coreEnterpriseId: Type.String(), coreEnterpriseName: Type.String(), tier: Type.Integer(), certificates: Type.Integer(), outstanding: Money, financed: Money })) }) },
      },
    },
    async () => ({ items: (await balanceByCoreAndTier(db)).map((row) => ({ ...row, outstanding: formatMoney(row.outstanding), financed: formatMoney(row.financed) })) }),
  );

  app.get(
    '/v1/supply-chain/reconciliation',
    {
      config: { access: roles('risk-officer', 'management', 'operator', 'auditor', 'admin') },
      schema: {
        summary: "Each programme's financing and certificates outstanding against the ledger; equal pairs and a zero collections balance when they agree",
        tags: ['supply-chain'],
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ programmeId: Type.String(), financingOutstanding: Money, financingInLedger: Money, certificatesOutstanding: Money, certificatesInLedger: Money, collectionsInLedger: Money })),
            reconciled: Type.Boolean(),
          }),
        },
      },
    },
    async () => {
      const rows = await reconcileSupplyChain(db);
      return {
        items: rows.map((r) => ({
          programmeId: r.programmeId, financingOutstanding: formatMoney(r.financingOutstanding), financingInLedger: formatMoney(r.financingInLedger),
          certificatesOutstanding: formatMoney(r.certificatesOutstanding), certificatesInLedger: formatMoney(r.certificatesInLedger), collectionsInLedger: formatMoney(r.collectionsInLedger),
        })),
        reconciled: rows.every(isReconciled),
      };
    },
  );

  app.post(
    '/v1/supply-chain/receivables',
    {
      config: { access: roles('borrower', 'core-enterprise', 'account-manager', 'admin') },
      schema: {
        summary: "Register a receivable (an invoice the core enterprise owes): by the seller, or entered by the core enterprise as its payable",
        description: 'The same invoice number from the same seller is a CONFLICT (`invoice-already-registered`); a seller not invited to the programme is LIMIT_EXCEEDED (`supplier-not-eligible`).',
        tags: ['supply-chain'],
        body: Type.Object(
          {
            coreEnterpriseId: Uuid,
            sellerId: Uuid,
            invoiceNo: Type.String({ minLength: 1, maxLength: 40 }),
            amount: AmountInput,
            issuedOn: BusinessDateText,
            dueOn: BusinessDateText,
            documents: Type.Optional(Type.String({ maxLength: 500, description: 'trade documents: contract, delivery note numbers' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), registryReference: Type.String() }) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const { coreEnterpriseId, sellerId, ...input } = request.body;
      if (user.role === 'core-enterprise') actFor(user, coreEnterpriseId, `enterprise ${coreEnterpriseId}`);
      else actFor(user, sellerId, `enterprise ${sellerId}`);
      const date = await today();
      const made = await inTransaction(db, (trx) => registerReceivable(trx, coreEnterpriseId, sellerId, input, date, user.username));
      return reply.status(201).send(made);
    },
  );

  app.get(
    '/v1/supply-chain/receivables',
    {
      config: { access: roles('core-enterprise', ...STAFF_READERS) },
      schema: {
        summary: "A core enterprise's payables: registered (awaiting confirmation), confirmed (with what is financed against them), rejected and paid, soonest due first",
        tags: ['supply-chain'],
        querystring: Type.Object({ coreEnterpriseId: Uuid, status: Type.Optional(literals(RECEIVABLE_STATUSES)) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ReceivableSchema) }) },
      },
    },
    async (request) => {
      const user = caller(request);
      actFor(user, request.query.coreEnterpriseId, `enterprise ${request.query.coreEnterpriseId}`);
      let query = db
        .selectFrom('scf_receivable as r')
        .innerJoin('enterprise as e', 'e.id', 'r.seller_id')
        .select(['r.id', 'r.seller_id', 'e.name', 'r.buyer_id', 'r.invoice_no', 'r.amount', 'r.confirmed_amount', 'r.issued_on', 'r.due_on', 'r.status', 'r.disputed'])
        .select((eb) =>
          eb
            .selectFrom('scf_financing as f')
            .innerJoin('scf_certificate as c', 'c.id', 'f.certificate_id')
            .whereRef('c.receivable_id', '=', 'r.id')
            .where('f.status', '<>', 'settled')
            .select((e) => e.fn.coalesce(e.fn.sum<string>('f.principal'), e.val('0')).as('s'))
            .as('financed'),
        )
        .where('r.buyer_id', '=', request.query.coreEnterpriseId);
      if (request.query.status !== undefined) query = query.where('r.status', '=', request.query.status);
      const rows = await query.orderBy('r.due_on').orderBy('r.id').limit(MAX_RECEIVABLES_PER_BATCH).execute();
      return {
        items: rows.map((r) => ({
          id: r.id, sellerId: r.seller_id, sellerName: r.name, buyerId: r.buyer_id, invoiceNo: r.invoice_no, amount: formatMoney(r.amount),
          confirmedAmount: r.confirmed_amount === null ? null : formatMoney(r.confirmed_amount), issuedOn: r.issued_on, dueOn: r.due_on, status: r.status,
          disputed: r.disputed, financed: formatMoney(minor(BigInt(r.financed ?? '0'))),
        })),
      };
    },
  );

  app.post(
    '/v1/supply-chain/receivables/confirmation',
    {
      config: { access: roles(...CORE_ACTORS) },
      schema: {
        summary: 'The core enterprise confirms (确权) receivables in bulk: each becomes a payment certificate held by its seller; all or none',
        tags: ['supply-chain'],
        body: Type.Object({ coreEnterpriseId: Uuid, receivableIds: Type.Array(Uuid, { minItems: 1, maxItems: MAX_RECEIVABLES_PER_BATCH, uniqueItems: true }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ receivableId: Type.String(), certificateId: Type.String(), confirmedAmount: Money })) }) },
      },
    },
    async (request) => {
      const user = caller(request);
      actFor(user, request.body.coreEnterpriseId, `enterprise ${request.body.coreEnterpriseId}`);
      const date = await today();
      const made = await inTransaction(db, (trx) => confirmReceivables(trx, request.body.coreEnterpriseId, request.body.receivableIds, date, user.username));
      return { items: made.map((c) => ({ ...c, confirmedAmount: formatMoney(c.confirmedAmount) })) };
    },
  );

  app.post(
    '/v1/supply-chain/receivables/:id/dilutions',
    {
      config: { access: roles('core-enterprise', 'account-manager', 'risk-officer', 'admin') },
      schema: {
        summary: 'Record a credit note, a return, a dispute or its resolution: reduces the confirmed amount while the seller holds the certificate whole, else warns on every part',
        tags: ['supply-chain'],
        params: IdParams,
        body: Type.Object({ kind: literals(DILUTION_KINDS), amount: Type.Optional(AmountInput), note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ effect: literals(DILUTION_EFFECTS) }) },
      },
    },
    async (request) => {
      const user = caller(request);
      const receivable = await db.selectFrom('scf_receivable').select('buyer_id').where('id', '=', request.params.id).executeTakeFirst();
      if (!receivable) throw new NotFoundError(`receivable ${request.params.id}`);
      actFor(user, receivable.buyer_id, `receivable ${request.params.id}`);
      const date = await today();
      return inTransaction(db, (trx) => recordDilution(trx, request.params.id, request.body, date, user.username));
    },
  );

  app.post(
    '/v1/supply-chain/receivables/:id/payment',
    {
      config: { access: roles(...CORE_ACTORS) },
      schema: {
        summary: 'The core enterprise pays the receivable in full: each financed part is settled from it and every holder is paid what is left',
        tags: ['supply-chain'],
        params: IdParams,
        headers: IdempotencyHeaders,
        response: { 200: PaymentSchema },
      },
    },
    async (request) => {
      const user = caller(request);
      const receivable = await db.selectFrom('scf_receivable').select('buyer_id').where('id', '=', request.params.id).executeTakeFirst();
      if (!receivable) throw new NotFoundError(`receivable ${request.params.id}`);
      actFor(user, receivable.buyer_id, `receivable ${request.params.id}`);
      const date = await today();
      return once(db, 'scf-payment', user.id, request.headers['idempotency-key'], { id: request.params.id }, async (trx) => paymentJson(await payReceivable(trx, receivable.buyer_id, request.params.id, date, user.username)));
    },
  );

  app.get(
    '/v1/supply-chain/receivables/:id/certificates',
    {
      config: { access: roles('core-enterprise', ...STAFF_READERS) },
      schema: {
        summary: 'The tree of certificates made from a receivable, depth first (each certificate before the parts made from it; `parentId` links them): every split and transfer, tier by tier',
        tags: ['supply-chain'],
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(NamedCertificateSchema) }) },
      },
    },
    async (request) => {
      const user = caller(request);
      const receivable = await db.selectFrom('scf_receivable').select('buyer_id').where('id', '=', request.params.id).executeTakeFirst();
      if (!receivable) throw new NotFoundError(`receivable ${request.params.id}`);
      actFor(user, receivable.buyer_id, `receivable ${request.params.id}`);
      return { items: await named(flatten(await certificateTree(db, request.params.id))) };
    },
  );

  app.get(
    '/v1/supply-chain/certificates',
    {
      config: { access: roles('borrower', ...STAFF_READERS) },
      schema: {
        summary: 'The certificates an enterprise holds (held or financed, soonest due first), or with `status=paid` those its core enterprise paid; each with the core enterprise, the invoice and the financing taken against it',
        tags: ['supply-chain'],
        querystring: Type.Object({ holderId: Uuid, status: Type.Optional(literals(['outstanding', 'paid'] as const)) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(HolderCertificateSchema) }) },
      },
    },
    async (request) => {
      actFor(caller(request), request.query.holderId, `enterprise ${request.query.holderId}`);
      return { items: (await holderCertificates(db, request.query.holderId, request.query.status === 'paid')).map(holderCertificateJson) };
    },
  );

  /** The certificate, when the caller may see it: staff, or a borrower bound to its holder. */
  const visibleCertificate = async (user: User, id: string): Promise<Certificate> => {
    const certificate = await getCertificate(db, id);
    actFor(user, certificate.holderId, `certificate ${id}`);
    return certificate;
  };

  /** Certificates as JSON with their holders' names. */
  const named = async (list: readonly Certificate[]) => {
    const names = await enterpriseNames(db, list.map((c) => c.holderId));
    return list.map((c) => ({ ...certificateJson(c), holderName: names.get(c.holderId) ?? '' }));
  };

  app.get(
    '/v1/supply-chain/certificates/:id/chain',
    {
      config: { access: roles('borrower', ...STAFF_READERS) },
      schema: { summary: 'The chain of holders from the confirmation to this certificate, root first, each with its name', tags: ['supply-chain'], params: IdParams, response: { 200: Type.Object({ items: Type.Array(NamedCertificateSchema) }) } },
    },
    async (request) => {
      await visibleCertificate(caller(request), request.params.id);
      return { items: await named(await certificateChain(db, request.params.id)) };
    },
  );

  app.get(
    '/v1/supply-chain/certificates/:id/transferees',
    {
      config: { access: roles('borrower', ...STAFF_READERS) },
      schema: {
        summary: "Whom the holder may transfer the certificate to: the other suppliers invited to its programme, by name and credit code (not their figures)",
        tags: ['supply-chain'],
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ enterpriseId: Type.String(), name: Type.String(), creditCode: Nullable(Type.String()) })) }) },
      },
    },
    async (request) => {
      const certificate = await visibleCertificate(caller(request), request.params.id);
      const suppliers = await programmeSuppliers(db, certificate.programmeId);
      return { items: suppliers.filter((s) => s.enterpriseId !== certificate.holderId && s.enterpriseId !== certificate.coreEnterpriseId).map((s) => ({ enterpriseId: s.enterpriseId, name: s.name, creditCode: s.creditCode })) };
    },
  );

  app.post(
    '/v1/supply-chain/certificates/:id/split',
    {
      config: { access: roles(...HOLDER_ACTORS) },
      schema: {
        summary: 'Split a held certificate into parts of the given amounts, which must sum exactly to its face amount',
        tags: ['supply-chain'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ parts: Type.Array(AmountInput, { minItems: 2, maxItems: MAX_SPLIT_PARTS }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(CertificateSchema) }) },
      },
    },
    async (request) => {
      const user = caller(request);
      const certificate = await visibleCertificate(user, request.params.id);
      const parts = request.body.parts.map((part, index) => positiveAmount(part, `parts.${index}`));
      const date = await today();
      return once(db, 'scf-split', user.id, request.headers['idempotency-key'], { id: request.params.id, parts: request.body.parts }, async (trx) => ({
        items: (await splitCertificate(trx, certificate.id, certificate.holderId, parts, date, user.username)).map(certificateJson),
      }));
    },
  );

  app.post(
    '/v1/supply-chain/certificates/:id/transfer',
    {
      config: { access: roles(...HOLDER_ACTORS) },
      schema: {
        summary: "Transfer a held certificate, whole, to the holder's own supplier (split it first to pay part)",
        tags: ['supply-chain'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Type.Object({ toEnterpriseId: Uuid }, { additionalProperties: false }),
        response: { 200: CertificateSchema },
      },
    },
    async (request) => {
      const user = caller(request);
      const certificate = await visibleCertificate(user, request.params.id);
      const date = await today();
      return once(db, 'scf-transfer', user.id, request.headers['idempotency-key'], { id: request.params.id, to: request.body.toEnterpriseId }, async (trx) =>
        certificateJson(await transferCertificate(trx, certificate.id, certificate.holderId, request.body.toEnterpriseId, date, user.username)),
      );
    },
  );

  app.get(
    '/v1/supply-chain/certificates/:id/financing-quote',
    {
      config: { access: roles('borrower', ...STAFF_READERS) },
      schema: {
        summary: 'What financing the certificate today would cost and pay, or why it would be refused; changes nothing',
        tags: ['supply-chain'],
        params: IdParams,
        response: { 200: QuoteSchema },
      },
    },
    async (request) => {
      const certificate = await visibleCertificate(caller(request), request.params.id);
      return quoteJson(await quoteFinancing(db, certificate.id, certificate.holderId, await today()));
    },
  );

  app.post(
    '/v1/supply-chain/certificates/:id/financing',
    {
      config: { access: roles(...HOLDER_ACTORS) },
      schema: {
        summary: "Finance a held certificate: the advance is paid to the holder at once, on the quote's terms",
        tags: ['supply-chain'],
        params: IdParams,
        headers: IdempotencyHeaders,
        response: { 201: Type.Object({ id: Type.String(), quote: QuoteSchema }) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const certificate = await visibleCertificate(user, request.params.id);
      const date = await today();
      const made = await once(db, 'scf-financing', user.id, request.headers['idempotency-key'], { id: request.params.id }, async (trx) => {
        const financing = await financeCertificate(trx, certificate.id, certificate.holderId, date, user.username);
        return { id: financing.id, quote: quoteJson(financing) };
      });
      return reply.status(201).send(made);
    },
  );
}
