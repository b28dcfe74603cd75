/**
 * A new loan's term as the borrower chooses it — one repayment after `termDays`, or `installments`
 * (monthly unless the product allows another frequency) — turned into the schedule engine's
 * request with the product's defaults. Used by drawdowns and renewals alike.
 *
 * The schedule engine's other options — a weekly, biweekly or quarterly frequency, grace periods,
 * flat interest, a rounded installment — and a floating rate are offered per product: its
 * schedule's `allows` (a comma-separated list of {@link LOAN_OPTIONS}) names those its loans may
 * take; an option the product does not allow is refused, naming the field.
 */
import { ValidationError } from '../errors.js';
import type { ScheduleRequest } from '../schedule/index.js';

/** The options a product may allow its term loans, beyond the monthly installment. */
export const LOAN_OPTIONS = ['frequency', 'grace', 'flat-interest', 'installment-rounding', 'floating-rate'] as const;
export type LoanOption = (typeof LOAN_OPTIONS)[number];

/** How often installments fall due, and as what the schedule engine counts it. */
export const FREQUENCIES = { monthly: { every: 1, unit: 'months' }, weekly: { every: 1, unit: 'weeks' }, biweekly: { every: 2, unit: 'weeks' }, quarterly: { every: 3, unit: 'months' } } as const;
export type Frequency = keyof typeof FREQUENCIES;

export interface LoanTerm {
  /** A single repayment of principal and interest after this many days (1–365). */
  readonly termDays?: number | undefined;
  /** Or this many installments (1–60), by the product's method unless `method` says. */
  readonly installments?: number | undefined;
  readonly method?: string | undefined;
  /** Default monthly; another needs the product's `frequency`. */
  readonly frequency?: Frequency | undefined;
  /** Leading installments of interest only; needs `grace`. */
  readonly gracePrincipal?: number | undefined;
  /** Leading installments paying nothing (their interest paid with the first after); needs `grace`. */
  readonly graceInterest?: number | undefined;
  /** `flat` (on the original principal) needs `flat-interest`. */
  readonly interest?: 'declining-balance' | 'flat' | undefined;
  /** Round the level installment to a multiple of this ("100.00"); needs `installment-rounding`. */
  readonly installmentMultiple?: string | undefined;
}

/**
 * The options a product's schedule allows.
 *
 * @example
 * allowedLoanOptions({ allows: 'grace,frequency' }); // Set { 'grace', 'frequency' }
 */
export function allowedLoanOptions(defaults: Readonly<Record<string, unknown>>): ReadonlySet<LoanOption> {
  const text = typeof defaults.allows === 'string' ? defaults.allows : '';
  return new Set(text.split(',').map((s) => s.trim()).filter((s): s is LoanOption => (LOAN_OPTIONS as readonly string[]).includes(s)));
}

/** Refuses an option the product does not allow, naming the field the borrower set. */
export function requireOption(allowed: ReadonlySet<LoanOption>, option: LoanOption, field: string, productCode: string): void {
  if (!allowed.has(option)) throw new ValidationError(field, `product ${productCode} does not offer ${option === 'frequency' ? 'a repayment frequency other than monthly' : option === 'grace' ? 'grace periods' : option === 'flat-interest' ? 'flat interest' : option === 'installment-rounding' ? 'a rounded installment' : 'a floating rate'}`);
}

/**
 * @example
 * scheduleRequestFor({ termDays: 90 }, product.schedule, '100000.00', '4.35', '2025-06-30');
 * scheduleRequestFor({ installments: 8, frequency: 'quarterly' }, product.schedule, '100000.00', '4.35', '2025-06-30', 'TERM-LOAN');
 */
export function scheduleRequestFor(term: LoanTerm, defaults: Readonly<Record<string, string | number>>, principal: string, rate: string, today: string, productCode = 'this product'): ScheduleRequest {
  const base = { ...defaults, principal, rate, disbursed: today };
  if ((term.termDays === undefined) === (term.installments === undefined)) {
    throw new ValidationError('termDays', 'give either termDays (one repayment at maturity) or installments (monthly), not both or neither');
  }
  const optional = { frequency: term.frequency, gracePrincipal: term.gracePrincipal, graceInterest: term.graceInterest, interest: term.interest, installmentMultiple: term.installmentMultiple };
  if (term.termDays !== undefined) {
    const given = Object.entries(optional).find(([, value]) => value !== undefined);
    if (given !== undefined) throw new ValidationError(given[0], 'goes with installments, not with termDays (one repayment at maturity)');
    if (!Number.isInteger(term.termDays) || term.termDays < 1 || term.termDays > 365) throw new ValidationError('termDays', 'must be a whole number of days from 1 to 365');
    return { ...base, method: 'bullet', periods: 1, every: term.termDays, unit: 'days', interestPeriod: 'daily' };
  }
  const installments = term.installments!;
  if (!Number.isInteger(installments) || installments < 1 || installments > 60) throw new ValidationError('installments', 'must be a whole number from 1 to 60');
  const method = term.method ?? (defaults.method === 'bullet' ? 'equal-installments' : String(defaults.method ?? 'equal-installments'));
  const allowed = allowedLoanOptions(defaults);
  const frequency = term.frequency ?? 'monthly';
  if (!(frequency in FREQUENCIES)) throw new ValidationError('frequency', `must be one of ${Object.keys(FREQUENCIES).join(', ')}`);
  if (frequency !== 'monthly') requireOption(allowed, 'frequency', 'frequency', productCode);
  if ((term.gracePrincipal ?? 0) > 0) requireOption(allowed, 'grace', 'gracePrincipal', productCode);
  if ((term.graceInterest ?? 0) > 0) requireOption(allowed, 'grace', 'graceInterest', productCode);
  if (term.interest === 'flat') requireOption(allowed, 'flat-interest', 'interest', productCode);
  if (term.installmentMultiple !== undefined) requireOption(allowed, 'installment-rounding', 'installmentMultiple', productCode);
  return {
    ...base,
    method,
    periods: installments,
    ...FREQUENCIES[frequency],
    ...(term.gracePrincipal === undefined ? {} : { gracePrincipal: term.gracePrincipal }),
    ...(term.graceInterest === undefined ? {} : { graceInterest: term.graceInterest }),
    ...(term.interest === undefined ? {} : { interest: term.interest }),
    ...(term.installmentMultiple === undefined ? {} : { installmentMultiple: term.installmentMultiple }),
  };
}
