/**
 * Collections over HTTP (issue 16): the worklist by days-past-due bucket, the collectors, a case
 * read whole, assignment, contacts, promises to pay, steps (legal action, follow-up, escalation),
 * the collections funnel; and the enterprise timeline. Nothing here moves money: repayments,
 * restructuring and write-off stay the servicing routes of the staff loan page.
 */
import { Type } from '@sinclair/typebox';
import { ROLES, type Role } from '../../auth/roles.js';
import { pageRequest } from '../../book/paging.js';
import {
  assignableCollectors,
  assignCollector,
  collectionCase,
  completeStep,
  COLLECTIONS_MANAGER_ROLES,
  COLLECTIONS_WORKER_ROLES,
  logContact,
  recordPromise,
  recordStep,
  type ContactRow,
  type PromiseRow,
  type StepRow,
} from '../../collections/collection-actions.js';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES, COLLECTION_STEP_KINDS, COLLECTION_STEP_REASONS, COLLECTION_STEP_STATUSES, PROMISE_STATUSES } from '../../collections/collection-codes.js';
import { collectionFunnel, collectionWorklist, FUNNEL_STAGES, WORKLIST_SORTS } from '../../collections/collection-worklist.js';
import { inTransaction } from '../../db/transaction.js';
import { enterpriseTimeline, TIMELINE_EVENT_KINDS } from '../../enterprises/enterprise-timeline.js';
import { formatMoney } from '../../money/format-money.js';
import { COLLECTION_BUCKETS } from '../../reporting/past-due.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { CLASSIFICATIONS, literals } from '../api-codes.js';
import { BusinessDateText } from './date-schemas.js';
import { AmountInput, IdParams, loanSummaryJson, LoanSummarySchema, Money } from './servicing-schemas.js';

/** Who reads the worklist, the funnel and cases: the workers, and management and audit looking on. */
const READERS: Role[] = [...COLLECTIONS_WORKER_ROLES, 'management', 'auditor'];
/** Who reads an enterprise's timeline: the staff who see the enterprise whole, and collectors. */
const TIMELINE_READERS: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'collector', 'management', 'operator', 'auditor', 'admin'];

const Digits = (description: string) => Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$', description }));
const Note = Type.String({ maxLength: 500, description: 'what was said or done; at most 500 characters' });

const ContactSchema = Type.Object({
  id: Type.String(),
  loanId: Type.String(),
  channel: literals(CONTACT_CHANNELS),
  outcome: literals(CONTACT_OUTCOMES),
  note: Type.String(),
  contactedOn: Type.String({ description: 'the business date of the contact' }),
  recordedBy: Type.String(),
  recordedAt: Type.String(),
});
const PromiseSchema = Type.Object({
  id: Type.String(),
  loanId: Type.String(),
  contactId: Type.Union([Type.String(), Type.Null()]),
  amount: Money,
  madeOn: Type.String(),
  promisedOn: Type.String(),
  status: literals(PROMISE_STATUSES),
  repaid: Type.Union([Money, Type.Null()], { description: 'repaid on the loan from madeOn to settledOn; null while open' }),
  settledOn: Type.Union([Type.String(), Type.Null()], { description: 'the end of day that found it kept or broken' }),
  recordedBy: Type.String(),
});
const StepSchema = Type.Object({
  id: Type.String(),
  loanId: Type.String(),
  kind: literals(COLLECTION_STEP_KINDS),
  reason: literals(COLLECTION_STEP_REASONS),
  promiseId: Type.Union([Type.String(), Type.Null()]),
  note: Type.String(),
  dueOn: Type.String(),
  status: literals(COLLECTION_STEP_STATUSES),
  createdBy: Type.String(),
  createdOn: Type.String(),
  doneBy: Type.Union([Type.String(), Type.Null()]),
  doneOn: Type.Union([Type.String(), Type.Null()]),
});

const contactJson = (row: ContactRow) => ({
  id: row.id,
  loanId: row.loan_id,
  channel: row.channel,
  outcome: row.outcome,
  note: row.note,
  contactedOn: row.contacted_on,
  recordedBy: row.recorded_by,
  recordedAt: new Date(row.recorded_at).toISOString(),
});
const promiseJson = (row: PromiseRow) => ({
  id: row.id,
  loanId: row.loan_id,
  contactId: row.contact_id,
  amount: formatMoney(row.amount),
  madeOn: row.made_on,
  promisedOn: row.promised_on,
  status: row.status,
  repaid: row.repaid === null ? null : formatMoney(row.repaid),
  settledOn: row.settled_on,
  recordedBy: row.recorded_by,
});
const stepJson = (row: StepRow) => ({
  id: row.id,
  loanId: row.loan_id,
  kind: row.kind,
  reason: row.reason,
  promiseId: row.promise_id,
  note: row.note,
  dueOn: row.due_on,
  status: row.status,
  createdBy: row.created_by,
  createdOn: row.created_on,
  doneBy: row.done_by,
  doneOn: row.done_on,
});

const WorklistRowSchema = Type.Object({
  loanId: Type.String(),
  noteNo: Type.String({ description: "the loan's note number (借据号)" }),
  enterpriseId: Type.String(),
  enterpriseName: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  daysPastDue: Type.Integer(),
  bucket: literals(COLLECTION_BUCKETS),
  overdueSince: Type.Union([Type.String(), Type.Null()]),
  classification: literals(CLASSIFICATIONS),
  overdueAmount: Money,
  outstanding: Money,
  collector: Type.Union([Type.String(), Type.Null()]),
  lastContact: Type.Union([Type.Object({ on: Type.String(), channel: literals(CONTACT_CHANNELS), outcome: literals(CONTACT_OUTCOMES) }), Type.Null()]),
  openPromise: Type.Union([Type.Object({ amount: Money, promisedOn: Type.String() }), Type.Null()]),
  nextStep: Type.Union([Type.Object({ kind: literals(COLLECTION_STEP_KINDS), dueOn: Type.String() }), Type.Null()]),
  brokenPromises: Type.Integer(),
});

const TimelineEventSchema = Type.Object({
  kind: literals(TIMELINE_EVENT_KINDS),
  id: Type.String(),
  businessDate: Type.String(),
  at: Type.Union([Type.String(), Type.Null()], { description: 'when it was written; null for end-of-day events' }),
  loanId: Type.Union([Type.String(), Type.Null()]),
  amount: Type.Union([Money, Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]), { description: "the event's codes: status, outcome, channel, step, purpose…" }),
});

export function collectionRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;
  const now = () => context.now();

  app.get(
    '/v1/collections/worklist',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: 'The collections worklist: active overdue loans by days-past-due bucket, with collector, last contact, open promise and next step; paged, with the count of every bucket',
        description: '`collector=me` is the caller; `collector=none` the loans nobody works yet. Default order: most days past due first.',
        tags: ['collections'],
        querystring: Type.Object(
          {
            offset: Digits('rows to skip; 0 when absent'),
            limit: Digits('1 to 200; 50 when absent'),
            q: Type.Optional(Type.String({ maxLength: 100, description: "part of the firm's name, the start of its credit code, or part of the loan note number (借据号)" })),
            bucket: Type.Optional(literals(COLLECTION_BUCKETS)),
            collector: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a username, `me` or `none`' })),
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            sort: Type.Optional(literals(WORKLIST_SORTS)),
            order: Type.Optional(literals(['asc', 'desc'] as const)),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(WorklistRowSchema),
            offset: Type.Integer(),
            limit: Type.Integer(),
            total: Type.Integer({ description: 'rows matching the filters, over all pages' }),
            buckets: Type.Array(Type.Object({ bucket: literals(COLLECTION_BUCKETS), loans: Type.Integer(), overdue: Money }), { description: 'every bucket under the same filters but the bucket, for the tabs' }),
          }),
        },
      },
    },
    async (request) => {
      const { offset, limit, collector, ...filter } = request.query;
      const who = collector === 'me' ? caller(request).username : collector === 'none' ? null : collector;
      const page = await collectionWorklist(db, { ...filter, collector: who }, pageRequest({ offset, limit }));
      return {
        ...page,
        items: page.items.map((row) => ({
          ...row,
          overdueAmount: formatMoney(row.overdueAmount),
          outstanding: formatMoney(row.outstanding),
          openPromise: row.openPromise === null ? null : { amount: formatMoney(row.openPromise.amount), promisedOn: row.openPromise.promisedOn },
        })),
        buckets: page.buckets.map((bucket) => ({ ...bucket, overdue: formatMoney(bucket.overdue) })),
      };
    },
  );

  app.get(
    '/v1/collections/collectors',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: 'The people overdue loans may be assigned to (collectors and account managers), with how many overdue loans each works',
        tags: ['collections'],
        response: { 200: Type.Array(Type.Object({ username: Type.String(), displayName: Type.String(), role: literals(ROLES), loans: Type.Integer() })) },
      },
    },
    async () => assignableCollectors(db),
  );

  app.get(
    '/v1/collections/funnel',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: 'The collections funnel today: overdue loans, of those assigned, of those contacted since overdue, of those with a promise to pay, of those with a promise kept',
        tags: ['collections', 'reports'],
        response: { 200: Type.Array(Type.Object({ stage: literals(FUNNEL_STAGES), loans: Type.Integer(), overdue: Money })) },
      },
    },
    async () => (await collectionFunnel(db)).map((stage) => ({ ...stage, overdue: formatMoney(stage.overdue) })),
  );

  app.get(
    '/v1/collections/loans/:id',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: "A collections case: the loan, its collector, and every contact, promise to pay and step, newest first",
        tags: ['collections'],
        params: IdParams,
        response: {
          200: Type.Object({
            loan: Type.Object({ ...LoanSummarySchema.properties, overdueAmount: Money }),
            enterpriseName: Type.String(),
            collector: Type.Union([Type.String(), Type.Null()]),
            contacts: Type.Array(ContactSchema),
            promises: Type.Array(PromiseSchema),
            steps: Type.Array(StepSchema),
          }),
        },
      },
    },
    async (request) => {
      const found = await collectionCase(db, request.params.id);
      return {
        loan: { ...loanSummaryJson(found.loan), overdueAmount: formatMoney(found.loan.principal_due + found.loan.interest_due + found.loan.penalty_due) },
        enterpriseName: found.enterpriseName,
        collector: found.collector,
        contacts: found.contacts.map(contactJson),
        promises: found.promises.map(promiseJson),
        steps: found.steps.map(stepJson),
      };
    },
  );

  app.put(
    '/v1/collections/loans/:id/assignment',
    {
      config: { access: roles(...COLLECTIONS_MANAGER_ROLES) },
      schema: {
        summary: 'Assign (or reassign) an overdue loan to a collector; the audit trail keeps who had it before',
        tags: ['collections'],
        params: IdParams,
        body: Type.Object({ collector: Type.String({ minLength: 1, maxLength: 64, description: 'the username of a collector or an account manager' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ loanId: Type.String(), collector: Type.String(), previous: Type.Union([Type.String(), Type.Null()]), assignedOn: Type.String() }) },
      },
    },
    async (request) => inTransaction(db, (trx) => assignCollector(trx, { loanId: request.params.id, collector: request.body.collector }, caller(request), now())),
  );

  app.post(
    '/v1/collections/loans/:id/contacts',
    {
      config: { access: roles(...COLLECTIONS_WORKER_ROLES) },
      schema: {
        summary: 'Log a call, visit or letter with its outcome on the business date; with outcome promise-made, the promise to pay it brought',
        description: 'Collectors log on the loans assigned to them; risk officers and administrators on any.',
        tags: ['collections'],
        params: IdParams,
        body: Type.Object(
          {
            channel: literals(CONTACT_CHANNELS),
            outcome: literals(CONTACT_OUTCOMES),
            note: Note,
            promise: Type.Optional(Type.Object({ amount: AmountInput, promisedOn: BusinessDateText }, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ contact: ContactSchema, promise: Type.Union([PromiseSchema, Type.Null()]) }) },
      },
    },
    async (request, reply) => {
      const result = await inTransaction(db, (trx) => logContact(trx, { ...request.body, loanId: request.params.id }, caller(request), now()));
      return reply.status(201).send({ contact: contactJson(result.contact), promise: result.promise === null ? null : promiseJson(result.promise) });
    },
  );

  app.post(
    '/v1/collections/loans/:id/promises',
    {
      config: { access: roles(...COLLECTIONS_WORKER_ROLES) },
      schema: {
        summary: 'Record a promise to pay: an amount by a date (at most 90 days ahead); end of day marks it kept or broken',
        tags: ['collections'],
        params: IdParams,
        body: Type.Object({ amount: AmountInput, promisedOn: BusinessDateText }, { additionalProperties: false }),
        response: { 201: PromiseSchema },
      },
    },
    async (request, reply) => {
      const promise = await inTransaction(db, (trx) => recordPromise(trx, { ...request.body, loanId: request.params.id }, caller(request), now()));
      return reply.status(201).send(promiseJson(promise));
    },
  );

  app.post(
    '/v1/collections/loans/:id/steps',
    {
      config: { access: roles(...COLLECTIONS_WORKER_ROLES) },
      schema: {
        summary: 'Record a step on a case: a legal action (risk officer or administrator; the note names the court and the case number), a follow-up or an escalation',
        tags: ['collections'],
        params: IdParams,
        body: Type.Object({ kind: literals(COLLECTION_STEP_KINDS), note: Note, dueOn: Type.Optional(BusinessDateText) }, { additionalProperties: false }),
        response: { 201: StepSchema },
      },
    },
    async (request, reply) => {
      const step = await inTransaction(db, (trx) => recordStep(trx, { ...request.body, loanId: request.params.id }, caller(request), now()));
      return reply.status(201).send(stepJson(step));
    },
  );

  app.post(
    '/v1/collections/steps/:id/done',
    {
      config: { access: roles(...COLLECTIONS_WORKER_ROLES) },
      schema: {
        summary: 'Mark an open step done on the business date',
        tags: ['collections'],
        params: IdParams,
        response: { 200: StepSchema },
      },
    },
    async (request) => stepJson(await inTransaction(db, (trx) => completeStep(trx, request.params.id, caller(request), now()))),
  );

  app.get(
    '/v1/enterprises/:id/timeline',
    {
      config: { access: roles(...TIMELINE_READERS) },
      schema: {
        summary: 'The enterprise timeline: applications, data pulls, drawdowns, repayments, restructures, renewals, write-offs, contacts, promises and collections steps, newest business date first (at most 200)',
        tags: ['enterprises', 'collections'],
        params: IdParams,
        response: { 200: Type.Array(TimelineEventSchema) },
      },
    },
    async (request) =>
      (await enterpriseTimeline(db, request.params.id)).map((event) => ({ ...event, at: event.at === null ? null : new Date(event.at).toISOString(), amount: event.amount === null ? null : formatMoney(event.amount) })),
  );
}
