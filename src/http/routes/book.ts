/**
 * The officer's book over HTTP (issue 14): the loan book, the review queue and pipeline, the
 * registry and the prospects, each searched, filtered, sorted and paged on the server with its
 * total; the checker's worklist with each maker's proposal and the checker's own authority; and
 * the account manager's actions on prospects (upload a file in any encoding Excel saves, convert a
 * pre-approved prospect into an application).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { CHECKED_ACTIONS } from '../../approvals/checked-actions.js';
import { pendingRequests } from '../../approvals/maker-checker.js';
import { proposalsOf } from '../../approvals/proposals.js';
import { APPLICATION_SORTS, applicationBook } from '../../book/application-book.js';
import { ENTERPRISE_SORTS, enterpriseBook } from '../../book/enterprise-book.js';
import { FINANCING_SORTS, financingBook } from '../../book/financing-book.js';
import { LOAN_SORTS, loanBook } from '../../book/loan-book.js';
import { pageRequest } from '../../book/paging.js';
import { PROSPECT_SORTS, prospectBook } from '../../book/prospect-book.js';
import { DEFAULT_QUEUE_SLA, type QueueSla } from '../../book/queue-sla.js';
import { exportCsv } from '../../csv/index.js';
import type { DataProvider } from '../../data/index.js';
import { inTransaction } from '../../db/transaction.js';
import type { DecisionConfig } from '../../decision/decide.js';
import { DECISION_REASON_CODES, OUTCOMES } from '../../decision/decide.js';
import { activeDecisionConfig } from '../../decision/policy-versions.js';
import { INDUSTRIES } from '../../enterprises/size-standard.js';
import { ValidationError } from '../../errors.js';
import { formatMoney } from '../../money/format-money.js';
import { minor } from '../../money/minor.js';
import { unitsToRate } from '../../pricing/rate-units.js';
import { PROSPECT_SOURCES, type PrescreenPolicy } from '../../prospects/prescreen.js';
import { importProspectBatch, PROSPECT_REASON_CODES } from '../../prospects/prospect-batches.js';
import { convertProspect } from '../../prospects/prospect-conversion.js';
import { FINANCING_STATUSES } from '../../supply-chain/supply-chain-codes.js';
import { MAX_PROSPECT_FILE_BYTES, PROSPECT_FILE_FORMATS, readProspectFile } from '../../prospects/prospect-file.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { ACCOUNT_PURPOSES, APPLICATION_STATUSES, APPROVAL_KINDS, CLASSIFICATIONS, LOAN_STATUSES, literals, PROSPECT_STATUSES, SIZE_CLASSES } from '../api-codes.js';
import { ApprovalRequestSchema } from './approvals.js';
import { IdParams, LoanSummarySchema, loanSummaryJson, Money } from './servicing-schemas.js';

/** Staff who read the book (the borrower reads its own through /v1/loans). */
const STAFF: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];
/** Who reads applications: exactly the staff GET /v1/applications/:id lets read one. */
const APPLICATION_READERS: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'auditor', 'admin'];
/** Everyone who checks some kind of request. */
const CHECKER_ROLES = [...new Set([...CHECKED_ACTIONS.values()].flatMap((action) => action.checkers))];

const Digits = (description: string) => Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', description }));
const Paging = {
  offset: Digits('rows to skip; 0 when absent'),
  limit: Digits('1 to 200; 50 when absent'),
  q: Type.Optional(Type.String({ maxLength: 100, description: "part of the firm's name, or the start of its credit code" })),
  order: Type.Optional(literals(['asc', 'desc'] as const)),
};
const YesNo = (description: string) => Type.Optional(literals(['true', 'false'] as const, { description }));
const yesNo = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

/** A page: its rows, where it starts, its size, and how many rows match in all. */
function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), offset: Type.Integer(), limit: Type.Integer(), total: Type.Integer({ description: 'rows matching the filters, over all pages' }) });
}

/** The loan book CSV's columns, in order (`GET /v1/book/loans.csv`). */
const LOAN_CSV_COLUMNS = ['noteNo', 'enterpriseName', 'creditCode', 'productName', 'productNameEn', 'principal', 'outstanding', 'annualRate', 'disbursedOn', 'maturityOn', 'daysPastDue', 'classification', 'status'] as const;
/** A bound on one export: a larger selection is refused, not cut short silently. */
const MAX_LOAN_CSV_ROWS = 10_000;

const BookLoanSchema = Type.Object({
  ...LoanSummarySchema.properties,
  enterpriseName: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  productCode: Type.String(),
  productName: Type.String({ description: "the product's Chinese name" }),
  productNameEn: Type.String({ description: "the product's English name" }),
});

const BookFinancingSchema = Type.Object({
  id: Type.String(),
  certificateId: Type.String(),
  supplierId: Type.String({ description: 'the supplier that received the money: the borrower the regulatory reports count it under' }),
  supplierName: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()], { description: "the supplier's credit code" }),
  coreEnterpriseId: Type.String({ description: 'the obligor, whose exposure sets the classification' }),
  coreEnterpriseName: Type.String(),
  invoiceNo: Type.String(),
  principal: Money,
  outstanding: Money,
  annualRate: Type.String(),
  financedOn: Type.String(),
  dueOn: Type.String(),
  daysPastDue: Type.Integer(),
  classification: literals(CLASSIFICATIONS),
  status: literals(FINANCING_STATUSES),
});

const BookApplicationSchema = Type.Object({
  id: Type.String(),
  enterpriseId: Type.String(),
  enterpriseName: Type.String(),
  productCode: Type.String(),
  productName: Type.String({ description: "the product's Chinese name" }),
  productNameEn: Type.String({ description: "the product's English name" }),
  status: literals(APPLICATION_STATUSES),
  limit: Money,
  annualRate: Type.Union([Type.String(), Type.Null()]),
  businessDate: Type.String(),
  createdAt: Type.String(),
  reasonCodes: Type.Array(literals(DECISION_REASON_CODES)),
  ageDays: Type.Integer({ description: "days since the application's business date" }),
  slaDays: Type.Union([Type.Integer(), Type.Null()], { description: 'days its status may wait (configuration); null when it waits for no one at the bank' }),
  overSla: Type.Boolean(),
});

const BookEnterpriseSchema = Type.Object({
  id: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  industry: Type.Union([literals(INDUSTRIES), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  sizeClass: literals(SIZE_CLASSES),
  registeredOn: Type.Union([Type.String(), Type.Null()]),
  customer: Type.Boolean({ description: 'has a line that is not closed, an active loan, or an application in progress' }),
  activeLoans: Type.Integer(),
  outstanding: Money,
});

const BookProspectSchema = Type.Object({
  id: Type.String(),
  batchId: Type.String(),
  batchSource: literals(PROSPECT_SOURCES),
  batchName: Type.String(),
  position: Type.Integer(),
  creditCode: Type.String(),
  name: Type.String(),
  status: literals(PROSPECT_STATUSES),
  indicativeLimit: Type.Union([Money, Type.Null()]),
  reasons: Type.Array(literals(PROSPECT_REASON_CODES)),
  detail: Type.Union([Type.String(), Type.Null()]),
  enterpriseId: Type.Union([Type.String(), Type.Null()]),
  applicationId: Type.Union([Type.String(), Type.Null()]),
});

const ProposedAccountSchema = Type.Object({ bankName: Type.String(), bankCode: Type.String(), accountNoMasked: Type.String({ description: '"****0123"' }) });

const ProposalSchema = Type.Object({
  subjectName: Type.Union([Type.String(), Type.Null()], { description: 'the firm the request is about' }),
  enterpriseId: Type.Union([Type.String(), Type.Null()]),
  amount: Type.Union([Money, Type.Null()], { description: 'what the maker proposes: the limit to approve, the balance to write off' }),
  current: Type.Union([Money, Type.Null()], { description: "what stands today: the decision's proposed limit, the loan's outstanding balance" }),
  note: Type.Union([Type.String(), Type.Null()], { description: "the maker's note or reason" }),
  account: Type.Union(
    [
      Type.Object({
        lineId: Type.String(),
        purpose: literals(ACCOUNT_PURPOSES),
        before: Type.Union([ProposedAccountSchema, Type.Null()], { description: 'the account in force now; null when the line has none of this purpose' }),
        after: ProposedAccountSchema,
      }),
      Type.Null(),
    ],
    { description: 'a settlement account change (line.account-change): the account in force and the one proposed, numbers masked' },
  ),
});

export function bookRoutes(app: TypedApp, context: AppContext, deps: { readonly provider: DataProvider; readonly config: DecisionConfig; readonly policy: PrescreenPolicy; readonly sla?: QueueSla }): void {
  const { db } = context;
  const sla = deps.sla ?? DEFAULT_QUEUE_SLA;

  app.get(
    '/v1/book/loans',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'The loan book: every loan with its firm, searched, filtered, sorted and paged, with the total',
        description: '`q` matches part of the firm name, the start of its credit code, part of the loan note number (借据号), or the end of the loan id. Default order: newest disbursement first.',
        tags: ['loans'],
        querystring: Type.Object(
          {
            ...Paging,
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            lineId: Type.Optional(Type.String({ format: 'uuid', description: 'only the loans drawn from this credit line' })),
            status: Type.Optional(literals(LOAN_STATUSES)),
            classification: Type.Optional(literals(CLASSIFICATIONS)),
            overdue: YesNo('true: days past due > 0 only; false: none overdue'),
            productCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            sort: Type.Optional(literals(LOAN_SORTS)),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(BookLoanSchema) },
      },
    },
    async (request) => {
      const { offset, limit, overdue, ...filter } = request.query;
      const page = await loanBook(db, { ...filter, overdue: yesNo(overdue) }, pageRequest({ offset, limit }));
      return { ...page, items: page.items.map((row) => ({ ...loanSummaryJson(row.loan), enterpriseName: row.enterpriseName, creditCode: row.creditCode, productCode: row.productCode, productName: row.productName, productNameEn: row.productNameEn })) };
    },
  );

  app.get(
    '/v1/book/financings',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: "Supply-chain financings in the loan book: each with its supplier, core enterprise and invoice, filtered by status, classification and overdue as loans are, sorted and paged, with the total",
        description: '`q` matches part of the supplier\'s or the core enterprise\'s name, the start of the supplier\'s credit code, or part of the invoice number. Default order: newest financing first.',
        tags: ['loans'],
        querystring: Type.Object(
          {
            ...Paging,
            status: Type.Optional(literals(FINANCING_STATUSES)),
            classification: Type.Optional(literals(CLASSIFICATIONS)),
            overdue: YesNo('true: days past due > 0 only; false: none overdue'),
            sort: Type.Optional(literals(FINANCING_SORTS)),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(BookFinancingSchema) },
      },
    },
    async (request) => {
      const { offset, limit, overdue, ...filter } = request.query;
      const page = await financingBook(db, { ...filter, overdue: yesNo(overdue) }, pageRequest({ offset, limit }));
      return {
        ...page,
        items: page.items.map(({ principal, outstanding, rateUnits, dpd, ...row }) => ({
          ...row, principal: formatMoney(minor(principal)), outstanding: formatMoney(minor(outstanding)), annualRate: unitsToRate(rateUnits), daysPastDue: dpd,
        })),
      };
    },
  );

  app.get(
    '/v1/book/loans.csv',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'The loan book as CSV: the loans /v1/book/loans lists with the same filters and order, one row each, named by note number (借据号)',
        description: `At most ${MAX_LOAN_CSV_ROWS.toLocaleString('en')} rows; a larger selection is refused (narrow the filters). Amounts are yuan "1234.00".`,
        tags: ['loans'],
        querystring: Type.Object(
          {
            q: Paging.q,
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            lineId: Type.Optional(Type.String({ format: 'uuid', description: 'only the loans drawn from this credit line' })),
            status: Type.Optional(literals(LOAN_STATUSES)),
            classification: Type.Optional(literals(CLASSIFICATIONS)),
            overdue: YesNo('true: days past due > 0 only; false: none overdue'),
            productCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            sort: Type.Optional(literals(LOAN_SORTS)),
            order: Paging.order,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { overdue, ...filter } = request.query;
      const page = await loanBook(db, { ...filter, overdue: yesNo(overdue) }, { offset: 0, limit: MAX_LOAN_CSV_ROWS + 1 });
      if (page.items.length > MAX_LOAN_CSV_ROWS) throw new ValidationError('q', `the selection has ${page.total} loans; a CSV holds at most ${MAX_LOAN_CSV_ROWS}: narrow the filters`, 'too-large', { limit: MAX_LOAN_CSV_ROWS });
      const rows = page.items.map(({ loan, enterpriseName, creditCode, productName, productNameEn }) => [
        loan.note_no,
        enterpriseName,
        creditCode ?? '',
        productName,
        productNameEn,
        formatMoney(loan.principal),
        formatMoney(loan.principal_not_due + loan.principal_due),
        loan.annual_rate,
        loan.disbursed_on,
        loan.maturity_on,
        loan.dpd,
        loan.classification,
        loan.status,
      ]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="sprout-loans.csv"')
        .send(exportCsv([LOAN_CSV_COLUMNS, ...rows]));
    },
  );

  app.get(
    '/v1/book/applications',
    {
      config: { access: roles(...APPLICATION_READERS) },
      schema: {
        summary: 'Applications (the review queue and the pipeline) with their age and service-level flag, searched, filtered, sorted and paged, with the total',
        description: 'All statuses unless `status` is given. Default order: oldest first (who waited longest). `slaDays` come from the bank\'s queue configuration.',
        tags: ['origination'],
        querystring: Type.Object(
          {
            ...Paging,
            status: Type.Optional(literals(APPLICATION_STATUSES)),
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            productCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            overSla: YesNo('true: only applications waiting longer than their service level'),
            sort: Type.Optional(literals(APPLICATION_SORTS)),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ...PageOf(BookApplicationSchema).properties,
            asOf: Type.String({ description: 'the business date ages are counted to' }),
            sla: Type.Object({ version: Type.String(), referredDays: Type.Integer(), confirmationDays: Type.Integer() }),
          }),
        },
      },
    },
    async (request) => {
      const { offset, limit, overSla, ...filter } = request.query;
      const page = await applicationBook(db, { ...filter, overSla: yesNo(overSla) }, pageRequest({ offset, limit }), sla);
      return {
        ...page,
        sla,
        items: page.items.map(({ rateUnits, ...row }) => ({
          ...row,
          limit: formatMoney(row.limit),
          annualRate: rateUnits === null ? null : unitsToRate(rateUnits),
          createdAt: row.createdAt.toISOString(),
          reasonCodes: [...row.reasonCodes],
        })),
      };
    },
  );

  app.get(
    '/v1/book/enterprises',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'The registry: firms searched, filtered, sorted and paged, with the total; each says whether it is a customer',
        tags: ['enterprises'],
        querystring: Type.Object(
          {
            ...Paging,
            industry: Type.Optional(literals(INDUSTRIES)),
            sizeClass: Type.Optional(literals(SIZE_CLASSES)),
            customer: YesNo('true: customers only; false: firms not yet customers'),
            sort: Type.Optional(literals(ENTERPRISE_SORTS)),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(BookEnterpriseSchema) },
      },
    },
    async (request) => {
      const { offset, limit, customer, ...filter } = request.query;
      const page = await enterpriseBook(db, { ...filter, customer: yesNo(customer) }, pageRequest({ offset, limit }));
      return { ...page, items: page.items.map((row) => ({ ...row, outstanding: formatMoney(row.outstanding) })) };
    },
  );

  app.get(
    '/v1/book/prospects',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Prospects across every batch, searched, filtered, sorted and paged, with the total; existing customers are their own status',
        tags: ['origination'],
        querystring: Type.Object(
          {
            ...Paging,
            batchId: Type.Optional(Type.String({ format: 'uuid' })),
            status: Type.Optional(literals(PROSPECT_STATUSES)),
            converted: YesNo('true: converted into an application; false: not yet'),
            sort: Type.Optional(literals(PROSPECT_SORTS)),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(BookProspectSchema) },
      },
    },
    async (request) => {
      const { offset, limit, converted, ...filter } = request.query;
      const page = await prospectBook(db, { ...filter, converted: yesNo(converted) }, pageRequest({ offset, limit }));
      return { ...page, items: page.items.map((row) => ({ ...row, indicativeLimit: row.indicativeLimit === null ? null : formatMoney(row.indicativeLimit), reasons: [...row.reasons] })) };
    },
  );

  app.get(
    '/v1/book/approvals',
    {
      config: { access: roles(...CHECKER_ROLES) },
      schema: {
        summary: "The checker's worklist: requests waiting for a second person, each with the maker's proposal, and the caller's own authority",
        description: '`mine` marks the caller\'s own requests: the server never lets the maker confirm them (NOT_AUTHORISED), and a client should not offer it.',
        tags: ['approvals'],
        response: {
          200: Type.Object({
            checker: Type.Object({
              username: Type.String(),
              role: Type.String(),
              approvalLimit: Type.Union([Money, Type.Null()], { description: 'the most the caller may approve (审批权限); null: no authority to approve credit' }),
              kinds: Type.Array(literals(APPROVAL_KINDS), { description: 'the kinds of request the caller may check' }),
            }),
            items: Type.Array(Type.Object({ ...ApprovalRequestSchema.properties, mine: Type.Boolean(), proposal: ProposalSchema })),
          }),
        },
      },
    },
    async (request) => {
      const user = caller(request);
      const pending = await pendingRequests(db, CHECKED_ACTIONS, user.role);
      const proposals = await proposalsOf(db, pending);
      const row = await db.selectFrom('app_user').select('approval_limit').where('id', '=', user.id).executeTakeFirst();
      return {
        checker: {
          username: user.username,
          role: user.role,
          approvalLimit: row?.approval_limit === null || row?.approval_limit === undefined ? null : formatMoney(row.approval_limit),
          kinds: [...CHECKED_ACTIONS.values()].filter((action) => action.checkers.includes(user.role)).map((action) => action.kind),
        },
        items: pending.map((pendingRequest, index) => ({ ...pendingRequest, mine: pendingRequest.maker === user.username, proposal: proposals[index]! })),
      };
    },
  );

  app.post(
    '/v1/prospect-batches/file',
    {
      config: { access: roles('account-manager', 'admin') },
      schema: {
        summary: 'Import a prospect list from a file: CSV in UTF-8 or GBK/GB18030 (detected), tab-separated text, or an XLSX workbook',
        description:
          'The file travels base64-encoded in `content`. UTF-8 is tried first (strictly), then GB18030; a file that is neither, or that decodes to mojibake (replacement characters, private-use characters, UTF-8 read as Latin-1), is refused with the reason and nothing is imported. The answer says how it was read.',
        tags: ['origination'],
        body: Type.Object(
          {
            source: literals(PROSPECT_SOURCES),
            sourceName: Type.String({ minLength: 1, maxLength: 200 }),
            fileName: Type.Optional(Type.String({ maxLength: 200 })),
            content: Type.String({ minLength: 1, maxLength: Math.ceil((MAX_PROSPECT_FILE_BYTES * 4) / 3) + 4, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: 'the file, base64' }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            format: literals(PROSPECT_FILE_FORMATS),
            rows: Type.Integer(),
            batch: Type.Object({
              id: Type.String(),
              source: literals(PROSPECT_SOURCES),
              sourceName: Type.String(),
              total: Type.Integer(),
              preApproved: Type.Integer(),
              declined: Type.Integer(),
              invalid: Type.Integer(),
              existing: Type.Integer(),
              createdAt: Type.String(),
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const file = await readProspectFile(Buffer.from(request.body.content, 'base64'));
      if (file.rows.length === 0) throw new ValidationError('file', 'has no rows of credit code and name');
      const { batch } = await importProspectBatch(db, { source: request.body.source, sourceName: request.body.sourceName, prospects: file.rows }, { provider: deps.provider, policy: deps.policy }, caller(request).username);
      return reply.status(201).send({ format: file.format, rows: file.rows.length, batch: { ...batch, createdAt: batch.createdAt.toISOString() } });
    },
  );

  app.post(
    '/v1/prospects/:id/conversion',
    {
      config: { access: roles('account-manager', 'admin') },
      schema: {
        summary: 'Convert a pre-approved prospect into an application: the firm recorded (if new), the signed data authorisation recorded, the application decided',
        description: 'One transaction: a refusal (an existing customer, a prospect converted before, a consent not named) leaves nothing behind.',
        tags: ['origination'],
        params: IdParams,
        body: Type.Object(
          {
            productCode: Type.String({ minLength: 1, maxLength: 64 }),
            evidence: Type.String({ minLength: 5, maxLength: 300, description: "the consent the firm's representative signed at the branch (document number, e-signature id)" }),
            sizeClass: Type.Optional(literals(['medium', 'small', 'micro'] as const, { description: 'for a firm new to the registry, until its full record is taken; micro when absent' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            prospectId: Type.String(),
            enterpriseId: Type.String(),
            applicationId: Type.String(),
            outcome: literals(OUTCOMES),
            reasonCodes: Type.Array(literals(DECISION_REASON_CODES)),
            limit: Money,
          }),
        },
      },
    },
    async (request, reply) => {
      const config = await activeDecisionConfig(db, deps.config);
      const converted = await inTransaction(db, (trx) => convertProspect(trx, request.params.id, request.body, { provider: deps.provider, config, now: context.now() }, caller(request).username));
      const { decision } = converted.application;
      return reply.status(201).send({
        prospectId: converted.prospectId,
        enterpriseId: converted.enterpriseId,
        applicationId: converted.application.applicationId,
        outcome: decision.outcome,
        reasonCodes: [...decision.reasonCodes],
        limit: formatMoney(decision.limit.limit),
      });
    },
  );
}
