/**
 * Drawdown (用信/提款): a new loan from a credit line. Each drawdown is its own loan, with its own
 * term and schedule, disbursed on today's business date.
 *
 * One transaction: take the amount from the line (atomic, see credit-lines.ts), write the loan and
 * its schedule, post Dr loans-normal / Cr settlement. Any failure leaves nothing behind.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAuditEvents, type AuditEvent } from '../audit/audit-trail.js';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { LimitExceededError, ConflictError, invariant, SproutError, ValidationError } from '../errors.js';
import { lineFreeze } from '../monitoring/warnings.js';
import { postEntry, type NewEntry } from '../ledger/post-entry.js';
import { noticeRow, type NewNotice } from '../notifications/outbox.js';
import { getCreditLine, reserveFromLine, type CreditLine } from '../lines/credit-lines.js';
import { accountView, currentAccount, type SettlementAccountRow, type SettlementAccountView } from '../lines/settlement-accounts.js';
import { formatMoney } from '../money/format-money.js';
import { parseMoney } from '../money/parse-money.js';
import { minor, type Minor } from '../money/minor.js';
import { multiplyRate, rateToUnits, rateUnits as asRateUnits, unitsToRate } from '../pricing/rate-units.js';
import type { LprTenor } from '../pricing/lpr.js';
import { makeFloating, REPRICING_RULES, type RepricingRule } from './repricing.js';
import { productById, type Product } from '../products/products.js';
import { dueDates, parseScheduleRequest, type Amortization, type Schedule } from '../schedule/index.js';
import { bookedSchedule, type CalendarBetween } from './booked-schedule.js';
import { loadHolidayCalendarBetween } from '../system/holiday-calendar.js';
import { getBusinessDate } from '../system/business-date.js';
import { checkLoanPrincipal } from './loan-bounds.js';
import { insertNewLoan, interestBasisOf, type InterestBasis, type NewLoan } from './new-loan.js';
import { nextLoanNoteNo } from './loan-note-number.js';
import { allowedLoanOptions, requireOption, scheduleRequestFor, type LoanTerm } from './loan-term.js';

export interface DrawdownRequest extends LoanTerm {
  readonly lineId: string;
  /** Yuan, "20000.00". */
  readonly amount: string;
  /**
   * `floating`: the line's rate becomes the product's LPR plus a spread fixed today, repriced on
   * `repricing` (src/servicing/repricing.ts); needs the product's `floating-rate`. Default fixed.
   */
  readonly rateBasis?: 'fixed' | 'floating' | undefined;
  /** When a floating loan reprices: the anniversary of the drawdown (default) or each 1 January. */
  readonly repricing?: RepricingRule | undefined;
}

/** A floating loan's terms as signed. */
export interface FloatingTerms {
  readonly lprTenor: LprTenor;
  /** Percent over the LPR, signed ("0.35", "-0.10"). */
  readonly spread: string;
  readonly repricing: RepricingRule;
  readonly nextRepricingOn: BusinessDate;
}

export interface Drawdown {
  readonly loanId: string;
  /** The loan note number (借据号), "JJ20260115-00042". */
  readonly noteNo: string;
  readonly lineId: string;
  readonly amount: Minor;
  readonly annualRate: string;
  readonly disbursedOn: BusinessDate;
  readonly maturityOn: BusinessDate;
  readonly schedule: Schedule;
  readonly lineAvailable: Minor;
  /** The enterprise's account the principal was paid to, masked; null on a line opened without one. */
  readonly account: SettlementAccountView | null;
  /** A floating-rate loan's LPR, spread and repricing; null for a fixed rate. */
  readonly floating: FloatingTerms | null;
}

/** A drawdown checked and priced but not booked: what the confirmation step shows. */
export interface DrawdownPlan {
  readonly line: CreditLine;
  readonly product: Product;
  readonly amount: Minor;
  readonly today: BusinessDate;
  readonly schedule: Schedule;
  readonly amortization: Amortization;
  /** 'scheduled' for flat interest or an interest grace period: end of day bills the schedule's interest. */
  readonly interestBasis: InterestBasis;
  readonly maturityOn: BusinessDate;
  /** What the line will have left after this drawdown. */
  readonly lineAvailableAfter: Minor;
}

/**
 * What a plan reads besides the line: the product, the business date and the rest days. One
 * drawdown reads each; a batch (drawdown-batch.ts) reads each once for all its drawdowns, in its
 * transaction ({@link batchReads}).
 */
export interface PlanReads {
  readonly product: (id: string) => Promise<Product>;
  readonly today: () => Promise<BusinessDate>;
  readonly calendarBetween: CalendarBetween;
}

/** Each read as asked, from `db`. */
function readsFrom(db: Kysely<Database> | Transaction<Database>): PlanReads {
  return { product: (id) => productById(db, id), today: () => getBusinessDate(db), calendarBetween: (from, to) => loadHolidayCalendarBetween(db, from, to) };
}

/**
 * The reads of `db` each made once and kept: for the plans of one batch, in one transaction, where
 * the product, the business date and the calendar are what they were for the first plan.
 *
 * @example
 * const reads = batchReads(trx);
 * for (const request of requests) await planDrawdown(trx, request, lines.get(request.lineId), reads);
 */
export function batchReads(db: Transaction<Database>): PlanReads {
  const from = readsFrom(db);
  const kept = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let found = kept.get(key) as Promise<T> | undefined;
    if (found === undefined) {
      found = read();
      kept.set(key, found);
    }
    return found;
  };
  return {
    product: (id) => once(`product ${id}`, () => from.product(id)),
    today: () => once('today', () => from.today()),
    calendarBetween: (first, last) => once(`calendar ${first} ${last}`, () => from.calendarBetween(first, last)),
  };
}

/**
 * Checks a drawdown as `drawdown` will — the amount, the term within the product's, the line
 * active and unexpired, and the amount available on it now — and builds its schedule, moving
 * nothing. A preview refused here is refused before the borrower confirms anything. `read`: the
 * line as the caller has just read it in the same transaction (`drawdown`), not read again.
 *
 * @example
 * const plan = await planDrawdown(db, { lineId, amount: '20000.00', termDays: 90 });
 */
export async function planDrawdown(db: Kysely<Database> | Transaction<Database>, request: DrawdownRequest, read?: CreditLine, reads: PlanReads = readsFrom(db)): Promise<DrawdownPlan> {
  const amount = parseMoney(request.amount, 'amount');
  if (amount <= 0n) throw new ValidationError('amount', 'must be more than 0.00');
  checkLoanPrincipal(amount, 'amount');
  invariant(read === undefined || read.id === request.lineId, `planning a drawdown from line ${request.lineId} with line ${read?.id} read`);
  const line = read ?? (await getCreditLine(db, request.lineId));
  const product = await reads.product(line.productId);
  const today = await reads.today();
  const terms = parseScheduleRequest(scheduleRequestFor(request, product.schedule, formatMoney(amount), line.annualRate, today, product.code));
  if (request.rateBasis === 'floating') requireOption(allowedLoanOptions(product.schedule), 'floating-rate', 'rateBasis', product.code);
  else if (request.repricing !== undefined) throw new ValidationError('repricing', 'goes with rateBasis floating');
  if (request.repricing !== undefined && !REPRICING_RULES.includes(request.repricing)) throw new ValidationError('repricing', `must be one of ${REPRICING_RULES.join(', ')}`);
  const schedule = await bookedSchedule(db, terms, product.schedule, reads.calendarBetween);
  const maturityOn = schedule.installments.at(-1)!.dueDate;
  // The term the borrower chose, before a due date on a rest day moves (src/schedule/rest-day-rule.ts).
  const termDays = Math.round((Date.parse(dueDates(terms).dates.at(-1)!) - Date.parse(today)) / 86_400_000);
  if (termDays < product.minTermDays || termDays > product.maxTermDays) {
    throw new ValidationError(request.termDays === undefined ? 'installments' : 'termDays', `the term must be ${product.minTermDays} to ${product.maxTermDays} days for ${product.code}; this one is ${termDays}`);
  }
  if (line.status === 'frozen') {
    // Frozen by an early warning (or by an officer): say so, and since when, so the borrower knows what to do.
    const freeze = await lineFreeze(db, line.id);
    throw new SproutError('CONFLICT', `the line is frozen${freeze === null ? '' : ` since ${freeze.since} by the ${freeze.level} ${freeze.rule} warning`}; drawdowns need an active line`, 'lineId', 'line-frozen', freeze === null ? { since: today } : { since: freeze.since, rule: freeze.rule, level: freeze.level });
  }
  if (line.status !== 'active') throw new ConflictError(`the line is ${line.status}; drawdowns need an active line`, 'lineId');
  if (line.endOn < today) throw new ConflictError(`the line expired on ${line.endOn}`, 'lineId');
  if (amount > line.available) throw new LimitExceededError(`amount ${formatMoney(amount)} is more than the ${formatMoney(line.available)} available on the line`, 'amount');
  return { line, product, amount, today, schedule, amortization: terms.method, interestBasis: interestBasisOf(terms), maturityOn, lineAvailableAfter: minor(line.available - amount) };
}

/**
 * Draws `amount` from a line as a new loan. `check`, given the line as read in the transaction,
 * throws when the caller may not draw on it (the HTTP route's access check): before anything else
 * is checked or written, so a refused caller learns nothing of the line, and without reading the
 * line a second time. Drawdowns arriving together are booked together by drawdown-batch.ts, from
 * the same plan and the same rows built below.
 *
 * @example
 * const loan = await drawdown(trx, { lineId, amount: '20000.00', termDays: 90 }, 'borrower');
 */
export async function drawdown(trx: Transaction<Database>, request: DrawdownRequest, actor: string, check?: (line: CreditLine) => void): Promise<Drawdown> {
  const read = await getCreditLine(trx, request.lineId);
  check?.(read);
  const plan = await planDrawdown(trx, { ...request, lineId: read.id }, read);
  const { line, amount, today } = plan;
  // The plan read `available` without a lock; the conditional update is what decides a race, and
  // returns what the line has left (its row locked from here to commit).
  const lineAvailable = await reserveFromLine(trx, line.id, amount, today);
  if (lineAvailable === undefined) {
    const now = await getCreditLine(trx, line.id);
    throw new LimitExceededError(`amount ${formatMoney(amount)} is more than the ${formatMoney(now.available)} available on the line`, 'amount', 'above-available', { amount: formatMoney(amount), available: formatMoney(now.available) });
  }

  const account = await currentAccount(trx, line.id, 'disbursement');
  // The note number is taken last (below): the day's counter row is locked from then to commit.
  const { loanId } = await insertNewLoan(trx, newLoanOf(plan), { noteNo: 'at-the-end' });
  await postEntry(trx, drawdownEntry(plan, loanId, actor, account?.id ?? null));
  // A floating rate: the spread over today's LPR is fixed now, for the loan's life.
  let floating: FloatingTerms | null = null;
  if (request.rateBasis === 'floating') {
    const { product } = plan;
    const repricing = request.repricing ?? 'anniversary';
    const signed = await makeFloating(trx, loanId, { lprTenor: product.lprTenor, repricing }, actor);
    floating = { lprTenor: product.lprTenor, spread: signed.spreadUnits < 0n ? `-${unitsToRate(asRateUnits(-signed.spreadUnits))}` : unitsToRate(signed.spreadUnits), repricing, nextRepricingOn: signed.nextRepricingOn };
  }
  const noteNo = await nextLoanNoteNo(trx, today);
  const receipt = noticeRow(drawdownReceipt(plan, loanId, noteNo));
  // The note number, the receipt and the audit in one statement: the counter row is held for that and the commit.
  await appendAuditEvents(trx, [{ event: drawdownAuditEvent(plan, loanId, lineAvailable, account?.id ?? null, actor) }], {
    alongside: (qc) =>
      qc
        .with('numbered_loan', (db) => db.updateTable('loan').set({ note_no: noteNo }).where('id', '=', loanId).where('enterprise_id', '=', line.enterpriseId))
        .with('stored_receipt', (db) => db.insertInto('notification').values(receipt).onConflict((oc) => oc.columns(['dedupe_key', 'enterprise_id']).doNothing())),
  });
  return drawdownResult(plan, { loanId, noteNo, lineAvailable, account, floating });
}

/**
 * The loan a planned drawdown books: the line's rate, the product's penalty and compounding,
 * starting normal with no provision.
 *
 * @example
 * const { loanId } = await insertNewLoan(trx, newLoanOf(plan), { noteNo: 'at-the-end' });
 */
export function newLoanOf(plan: DrawdownPlan): NewLoan {
  const { line, product, amount, today, schedule, amortization, interestBasis } = plan;
  const rateUnits = rateToUnits(line.annualRate, 'annualRate');
  const penaltyRateUnits = multiplyRate(rateUnits, product.penaltyMultiplier);
  return {
    enterpriseId: line.enterpriseId,
    productId: product.id,
    lineId: line.id,
    renewedFromId: null,
    disbursedOn: today,
    principal: amount,
    annualRate: line.annualRate,
    rateUnits,
    penaltyRateUnits,
    compoundRateUnits: product.compoundOverdueInterest ? penaltyRateUnits : asRateUnits(0n),
    daysInYear: product.daysInYear,
    workingCapital: product.workingCapital,
    allocationOrder: product.allocationOrder.join(','),
    schedule,
    amortization,
    interestBasis,
    classification: 'normal',
    provision: minor(0n),
    lastEodOn: null,
  };
}

/**
 * The drawdown's journal entry: Dr loans-normal / Cr settlement, naming the loan's id (its note
 * number is taken last).
 *
 * @example
 * await postEntry(trx, drawdownEntry(plan, loanId, 'borrower', account?.id ?? null));
 */
export function drawdownEntry(plan: DrawdownPlan, loanId: string, actor: string, accountId: string | null): NewEntry {
  const { line, amount, today } = plan;
  return {
    enterpriseId: line.enterpriseId,
    businessDate: today,
    kind: 'drawdown',
    description: `drawdown ${formatMoney(amount)} on line ${line.id} as loan ${loanId}`,
    loanId,
    createdBy: actor,
    accountId,
    lines: [
      { purpose: 'loans-normal', amount },
      { purpose: 'settlement', amount: minor(-amount) },
    ],
  };
}

/** The borrower's receipt of a drawdown (notification outbox), once its note number is known. */
export function drawdownReceipt(plan: DrawdownPlan, loanId: string, noteNo: string): NewNotice {
  const { line, amount, today, maturityOn } = plan;
  return { kind: 'drawdown-receipt', dedupeKey: `drawdown-receipt:${loanId}`, enterpriseId: line.enterpriseId, loanId, businessDate: today, params: { noteNo, amount: formatMoney(amount), annualRate: line.annualRate, disbursedOn: today, maturityOn } };
}

/** The audit event of a drawdown: the line, amount and rate, and what the line has left. */
export function drawdownAuditEvent(plan: DrawdownPlan, loanId: string, lineAvailable: Minor, accountId: string | null, actor: string): AuditEvent {
  const { line, amount, today, maturityOn } = plan;
  return { actor, action: 'loan.drawdown', entityType: 'loan', entityId: loanId, after: { lineId: line.id, amount, annualRate: line.annualRate, disbursedOn: today, maturityOn, lineAvailable, accountId } };
}

/** What the caller is answered. */
export function drawdownResult(
  plan: DrawdownPlan,
  booked: { readonly loanId: string; readonly noteNo: string; readonly lineAvailable: Minor; readonly account: SettlementAccountRow | undefined; readonly floating: FloatingTerms | null },
): Drawdown {
  const { line, amount, today, schedule, maturityOn } = plan;
  const { loanId, noteNo, lineAvailable, account, floating } = booked;
  return { loanId, noteNo, lineId: line.id, amount, annualRate: line.annualRate, disbursedOn: today, maturityOn, schedule, lineAvailable, account: account === undefined ? null : accountView(account), floating };
}
