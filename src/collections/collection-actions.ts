/**
 * What people do on a collections case (催收): assign a loan to a collector, log a contact, record
 * a promise to pay, record a step (a legal action, a follow-up, an escalation) and mark a step
 * done. Each is one transaction with its audit event; none moves money. A case is a loan: the
 * worklist is loans (src/collections/collection-worklist.ts).
 *
 * Who does what (docs/collections.md):
 * - collectors work the loans assigned to them: `collector` (催收员), and `account-manager`
 *   (客户经理), who in many small banks collects from the firms they lent to;
 * - `risk-officer` and `admin` manage collections: they assign and reassign, and may act on any case.
 *
 * @example
 * await assignCollector(trx, { loanId, collector: 'collector' }, manager, now);
 * await logContact(trx, { loanId, channel: 'call', outcome: 'promise-made', note: '财务王姐接听', promise: { amount: '5000.00', promisedOn: '2025-07-04' } }, collector, now);
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { User } from '../auth/users.js';
import type { Role } from '../auth/roles.js';
import { addDays, daysBetween, parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { CollectionStepTable, CollectionContactTable, Database, PromiseToPayTable } from '../db/schema.js';
import { ConflictError, NotAuthorisedError, NotFoundError, ValidationError } from '../errors.js';
import { lockedBorrower } from '../db/distribution.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import { parseMoney } from '../money/parse-money.js';
import { loanById, type LoanRow } from '../servicing/loans.js';
import { getBusinessDate } from '../system/business-date.js';
import type { CollectionStepKind, ContactChannel, ContactOutcome } from './collection-codes.js';

/** Roles a loan may be assigned to. */
export const COLLECTOR_ROLES: readonly Role[] = ['collector', 'account-manager'];
/** Roles that assign and reassign, and may act on any case. */
export const COLLECTIONS_MANAGER_ROLES: readonly Role[] = ['risk-officer', 'admin'];
/** Roles that log contacts and record promises and steps (collectors on their own cases only). */
export const COLLECTIONS_WORKER_ROLES: readonly Role[] = [...COLLECTOR_ROLES, ...COLLECTIONS_MANAGER_ROLES];
/** A promise further ahead than this is a plan, not a promise: restructure instead. */
export const MAX_PROMISE_DAYS = 90;
/** Longest note a contact or a step keeps. */
export const MAX_NOTE_LENGTH = 500;

export type ContactRow = Selectable<CollectionContactTable>;
export type PromiseRow = Selectable<PromiseToPayTable>;
export type StepRow = Selectable<CollectionStepTable>;

/** The acting person: their username and role. */
export type Actor = Pick<User, 'username' | 'role'>;

/**
 * Assigns (or reassigns) an overdue loan to a collector. The audit event keeps the collector
 * before and after, so a reassignment is never silent.
 */
export async function assignCollector(trx: Transaction<Database>, input: { readonly loanId: string; readonly collector: string }, actor: Actor, now: Date): Promise<{ readonly loanId: string; readonly collector: string; readonly previous: string | null; readonly assignedOn: BusinessDate }> {
  if (!COLLECTIONS_MANAGER_ROLES.includes(actor.role)) throw new NotAuthorisedError('only a risk officer or an administrator assigns collections');
  const loan = await caseLoan(trx, input.loanId, { forUpdate: true });
  if (loan.status !== 'active' || loan.dpd === 0) throw new ConflictError(`loan ${loan.id} is not overdue; only overdue loans are assigned to collectors`, 'loanId');
  const collector = await trx.selectFrom('app_user').select(['username', 'role', 'disabled']).where('username', '=', input.collector).executeTakeFirst();
  if (collector === undefined || collector.disabled) throw new ValidationError('collector', `no active user ${input.collector}`, 'not-a-choice');
  if (!COLLECTOR_ROLES.includes(collector.role)) throw new ValidationError('collector', `${input.collector} is a ${collector.role}; collections are assigned to ${COLLECTOR_ROLES.join(' or ')}`, 'not-a-choice');
  const previous = await trx.selectFrom('collection_assignment').select('collector').where('loan_id', '=', loan.id).executeTakeFirst();
  const today = await getBusinessDate(trx);
  if (previous === undefined) {
    await trx.insertInto('collection_assignment').values({ loan_id: loan.id, enterprise_id: loan.enterprise_id, collector: collector.username, assigned_by: actor.username, assigned_on: today, assigned_at: now }).execute();
  } else {
    await trx.updateTable('collection_assignment').set({ collector: collector.username, assigned_by: actor.username, assigned_on: today, assigned_at: now }).where('loan_id', '=', loan.id).execute();
  }
  await appendAudit(
    trx,
    { actor: actor.username, action: 'collection.assign', entityType: 'loan', entityId: loan.id, before: { collector: previous?.collector ?? null }, after: { collector: collector.username, businessDate: today } },
    now,
  );
  return { loanId: loan.id, collector: collector.username, previous: previous?.collector ?? null, assignedOn: today };
}

export interface ContactInput {
  readonly loanId: string;
  readonly channel: ContactChannel;
  readonly outcome: ContactOutcome;
  readonly note: string;
  /** With outcome `promise-made`: the promise, recorded with the contact. */
  readonly promise?: PromiseInput | undefined;
}

export interface PromiseInput {
  /** Yuan, "5000.00". */
  readonly amount: string;
  /** The date the borrower will have paid by. */
  readonly promisedOn: string;
}

/** Logs a call, visit or letter on the current business date; with `promise`, records it too. */
export async function logContact(trx: Transaction<Database>, input: ContactInput, actor: Actor, now: Date): Promise<{ readonly contact: ContactRow; readonly promise: PromiseRow | null }> {
  const loan = await caseLoan(trx, input.loanId);
  await assertWorksCase(trx, loan.id, actor);
  if (loan.status !== 'active' && loan.status !== 'written-off') throw new ConflictError(`loan ${loan.id} is ${loan.status}; there is nothing to collect`, 'loanId');
  if ((input.outcome === 'promise-made') !== (input.promise !== undefined)) {
    throw new ValidationError('promise', input.outcome === 'promise-made' ? 'a contact whose outcome is promise-made records the promise' : `a promise goes with the outcome promise-made, not ${input.outcome}`, input.outcome === 'promise-made' ? 'required' : 'not-a-choice');
  }
  if (input.channel === 'letter' && input.outcome !== 'letter-sent') throw new ValidationError('outcome', 'a letter has the outcome letter-sent', 'not-a-choice');
  const note = checkNote(input.note, 'note');
  const today = await getBusinessDate(trx);
  const contact: ContactRow = {
    id: uuidv7(now.getTime()),
    loan_id: loan.id,
    enterprise_id: loan.enterprise_id,
    channel: input.channel,
    outcome: input.outcome,
    note,
    contacted_on: today,
    recorded_by: actor.username,
    recorded_at: now,
  };
  await trx.insertInto('collection_contact').values(contact).execute();
  await appendAudit(trx, { actor: actor.username, action: 'collection.contact', entityType: 'loan', entityId: loan.id, after: { contactId: contact.id, channel: contact.channel, outcome: contact.outcome, businessDate: today } }, now);
  const promise = input.promise === undefined ? null : await insertPromise(trx, loan, input.promise, contact.id, actor, today, now);
  return { contact, promise };
}

/** Records a promise to pay on its own (a promise made by message, or at the branch). */
export async function recordPromise(trx: Transaction<Database>, input: PromiseInput & { readonly loanId: string }, actor: Actor, now: Date): Promise<PromiseRow> {
  const loan = await caseLoan(trx, input.loanId);
  await assertWorksCase(trx, loan.id, actor);
  return insertPromise(trx, loan, input, null, actor, await getBusinessDate(trx), now);
}

async function insertPromise(trx: Transaction<Database>, loan: LoanRow, input: PromiseInput, contactId: string | null, actor: Actor, today: BusinessDate, now: Date): Promise<PromiseRow> {
  if (loan.status !== 'active') throw new ConflictError(`loan ${loan.id} is ${loan.status}; it takes no repayments to promise`, 'loanId');
  const amount = parseMoney(input.amount, 'amount');
  if (amount <= 0n) throw new ValidationError('amount', 'must be more than 0.00', 'too-small', { limit: '0.01' });
  const promisedOn = parseBusinessDate(input.promisedOn, 'promisedOn');
  if (promisedOn < today) throw new ValidationError('promisedOn', `must be on or after the business date ${today}`, 'too-small', { limit: today });
  const latest = addDays(today, MAX_PROMISE_DAYS);
  if (promisedOn > latest) throw new ValidationError('promisedOn', `must be within ${MAX_PROMISE_DAYS} days, on or before ${latest}`, 'too-large', { limit: latest });
  const open = await trx.selectFrom('promise_to_pay').select('id').where('loan_id', '=', loan.id).where('status', '=', 'open').executeTakeFirst();
  if (open !== undefined) throw new ConflictError(`loan ${loan.id} already has an open promise ${open.id}; end of day settles it first`, 'loanId');
  const promise: PromiseRow = {
    id: uuidv7(now.getTime()),
    loan_id: loan.id,
    enterprise_id: loan.enterprise_id,
    contact_id: contactId,
    amount,
    made_on: today,
    promised_on: promisedOn,
    status: 'open',
    repaid: null,
    settled_on: null,
    recorded_by: actor.username,
    recorded_at: now,
  };
  await trx.insertInto('promise_to_pay').values(promise).execute();
  await appendAudit(trx, { actor: actor.username, action: 'collection.promise', entityType: 'loan', entityId: loan.id, after: { promiseId: promise.id, amount: formatMoney(amount), promisedOn, businessDate: today } }, now);
  return promise;
}

/**
 * Records a step on a case: a legal action (with its reference in the note: the court, the case
 * number), a follow-up or an escalation, due on `dueOn` (default: today).
 */
export async function recordStep(trx: Transaction<Database>, input: { readonly loanId: string; readonly kind: CollectionStepKind; readonly note: string; readonly dueOn?: string | undefined }, actor: Actor, now: Date): Promise<StepRow> {
  const loan = await caseLoan(trx, input.loanId);
  await assertWorksCase(trx, loan.id, actor);
  if (input.kind === 'legal-action' && !COLLECTIONS_MANAGER_ROLES.includes(actor.role)) throw new NotAuthorisedError('a legal action is recorded by a risk officer or an administrator');
  if (loan.status !== 'active' && loan.status !== 'written-off') throw new ConflictError(`loan ${loan.id} is ${loan.status}; there is nothing to collect`, 'loanId');
  const note = checkNote(input.note, 'note');
  if (note === '') throw new ValidationError('note', 'say what the step is (for a legal action: the court and the case number)', 'required');
  const today = await getBusinessDate(trx);
  const dueOn = input.dueOn === undefined ? today : parseBusinessDate(input.dueOn, 'dueOn');
  if (dueOn < today) throw new ValidationError('dueOn', `must be on or after the business date ${today}`, 'too-small', { limit: today });
  if (daysBetween(today, dueOn) > 366) throw new ValidationError('dueOn', 'must be within a year', 'too-large', { limit: addDays(today, 366) });
  const step: StepRow = {
    id: uuidv7(now.getTime()),
    loan_id: loan.id,
    enterprise_id: loan.enterprise_id,
    kind: input.kind,
    reason: 'staff',
    promise_id: null,
    note,
    due_on: dueOn,
    status: 'open',
    created_by: actor.username,
    created_on: today,
    created_at: now,
    done_by: null,
    done_on: null,
  };
  await trx.insertInto('collection_step').values(step).execute();
  await appendAudit(trx, { actor: actor.username, action: 'collection.step', entityType: 'loan', entityId: loan.id, after: { stepId: step.id, kind: step.kind, dueOn, businessDate: today } }, now);
  return step;
}

/** Marks an open step done today. */
export async function completeStep(trx: Transaction<Database>, stepId: string, actor: Actor, now: Date): Promise<StepRow> {
  const step = await trx.selectFrom('collection_step').selectAll().where('id', '=', stepId).where('enterprise_id', '=', await lockedBorrower(trx, 'collection_step', stepId)).forUpdate().executeTakeFirst();
  if (step === undefined) throw new NotFoundError(`collection step ${stepId}`);
  await assertWorksCase(trx, step.loan_id, actor);
  if (step.status === 'done') throw new ConflictError(`step ${stepId} was done on ${step.done_on}`, 'stepId');
  const today = await getBusinessDate(trx);
  await trx.updateTable('collection_step').set({ status: 'done', done_by: actor.username, done_on: today }).where('id', '=', stepId).execute();
  await appendAudit(trx, { actor: actor.username, action: 'collection.step-done', entityType: 'loan', entityId: step.loan_id, before: { stepId, status: 'open' }, after: { stepId, status: 'done', businessDate: today } }, now);
  return { ...step, status: 'done', done_by: actor.username, done_on: today };
}

/** A collections case read whole: the collector, and every contact, promise and step, newest first. */
export interface CollectionCase {
  readonly loan: LoanRow;
  readonly enterpriseName: string;
  readonly collector: string | null;
  readonly contacts: readonly ContactRow[];
  readonly promises: readonly PromiseRow[];
  readonly steps: readonly StepRow[];
}

/** Most contacts, promises or steps a case lists (a loan contacted daily for years stays under it). */
export const MAX_CASE_ROWS = 1000;

export async function collectionCase(db: Kysely<Database> | Transaction<Database>, loanId: string): Promise<CollectionCase> {
  const loan = await caseLoan(db, loanId);
  const assignment = await db.selectFrom('collection_assignment').select('collector').where('loan_id', '=', loanId).executeTakeFirst();
  const firm = await db.selectFrom('enterprise').select('name').where('id', '=', loan.enterprise_id).executeTakeFirstOrThrow();
  const contacts = await db.selectFrom('collection_contact').selectAll().where('loan_id', '=', loanId).orderBy('contacted_on', 'desc').orderBy('id', 'desc').limit(MAX_CASE_ROWS).execute();
  const promises = await db.selectFrom('promise_to_pay').selectAll().where('loan_id', '=', loanId).orderBy('made_on', 'desc').orderBy('id', 'desc').limit(MAX_CASE_ROWS).execute();
  const steps = await db.selectFrom('collection_step').selectAll().where('loan_id', '=', loanId).orderBy('created_on', 'desc').orderBy('id', 'desc').limit(MAX_CASE_ROWS).execute();
  return { loan, enterpriseName: firm.name, collector: assignment?.collector ?? null, contacts, promises, steps };
}

/** The people loans may be assigned to, with how many overdue loans each works now. */
export async function assignableCollectors(db: Kysely<Database>): Promise<{ readonly username: string; readonly displayName: string; readonly role: Role; readonly loans: number }[]> {
  const users = await db.selectFrom('app_user').select(['username', 'display_name', 'role']).where('role', 'in', COLLECTOR_ROLES).where('disabled', '=', false).orderBy('username').limit(1000).execute();
  const counts = await db
    .selectFrom('collection_assignment')
    .innerJoin('loan', (join) => join.onRef('loan.id', '=', 'collection_assignment.loan_id').onRef('loan.enterprise_id', '=', 'collection_assignment.enterprise_id'))
    .where('loan.status', '=', 'active')
    .where('loan.dpd', '>', 0)
    .groupBy('collection_assignment.collector')
    .select(['collection_assignment.collector', (eb) => eb.fn.countAll().as('loans')])
    .execute();
  return users.map((user) => ({ username: user.username, displayName: user.display_name, role: user.role, loans: Number(counts.find((row) => row.collector === user.username)?.loans ?? 0) }));
}

async function caseLoan(db: Kysely<Database> | Transaction<Database>, loanId: string, options: { forUpdate?: boolean } = {}): Promise<LoanRow> {
  try {
    return await loanById(db, loanId, options);
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(`loan ${loanId}`);
    throw error;
  }
}

/** Collectors act on the cases assigned to them; managers on any. */
async function assertWorksCase(db: Kysely<Database> | Transaction<Database>, loanId: string, actor: Actor): Promise<void> {
  if (COLLECTIONS_MANAGER_ROLES.includes(actor.role)) return;
  if (!COLLECTOR_ROLES.includes(actor.role)) throw new NotAuthorisedError('your role does not work collections');
  const assignment = await db.selectFrom('collection_assignment').select('collector').where('loan_id', '=', loanId).executeTakeFirst();
  if (assignment?.collector !== actor.username) throw new NotAuthorisedError(`loan ${loanId} is not assigned to you`);
}

function checkNote(note: string, field: string): string {
  const text = note.trim();
  if (text.length > MAX_NOTE_LENGTH) throw new ValidationError(field, `must be at most ${MAX_NOTE_LENGTH} characters`, 'too-long', { limit: MAX_NOTE_LENGTH });
  return text;
}
