/**
 * Creating and changing products, under maker-checker: a product decides what every future loan
 * of it costs, so one person proposes (`requestProductChange`) and another confirms (the
 * `product.change` action in `approvals/checked-actions.ts` runs `applyProductChange`).
 *
 * Loans copy what they need of their product when they are born (rate, penalty rate, day count,
 * allocation order), so a change reaches new lines and loans only. What defines a product's
 * shape — code, kind, LPR tenor, day count, allocation order, schedule — is fixed at creation;
 * a different shape is a new product.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { formatMoney } from '../money/format-money.js';
import { parseMoney } from '../money/parse-money.js';
import type { Minor } from '../money/minor.js';
import { DEFAULT_PRODUCTS, type AllocationBucket } from './default-products.js';
import { productByCode, type Product } from './products.js';
import { MAX_LOAN_PRINCIPAL_FEN } from '../servicing/loan-bounds.js';
import { restDayInterestOf, type RestDayInterest } from '../schedule/rest-day-rule.js';
import { LOAN_OPTIONS, type LoanOption } from '../servicing/loan-term.js';

/** The terms a product change may set; amounts are decimal yuan strings, as on the wire. */
export interface ProductTerms {
  /** The Chinese name, the one in the contract. */
  readonly name?: string;
  /** The English name; a new product without one is called by its Chinese name in English too. */
  readonly nameEn?: string;
  readonly minAmount?: string;
  readonly maxAmount?: string;
  readonly minTermDays?: number;
  readonly maxTermDays?: number;
  readonly spread?: string;
  readonly penaltyMultiplier?: string;
  readonly compoundOverdueInterest?: boolean;
  /** Days before maturity from which a renewal may be asked for (1–365). */
  readonly renewalWindowDays?: number;
  readonly status?: 'active' | 'retired';
}

/** A new product: its shape and all its terms. */
export interface NewProduct extends Required<Omit<ProductTerms, 'status' | 'renewalWindowDays' | 'nameEn'>> {
  readonly renewalWindowDays?: number;
  readonly nameEn?: string;
  readonly code: string;
  readonly kind: Product['kind'];
  readonly workingCapital: boolean;
  readonly lprTenor: Product['lprTenor'];
  readonly daysInYear?: 360 | 365;
  readonly allocationOrder?: readonly AllocationBucket[];
  /** A due date on a rest day: interest to the contractual date (default) or to the next working day (src/schedule/rest-day-rule.ts). */
  readonly restDayInterest?: RestDayInterest;
  /** The schedule engine's options its term loans may take (src/servicing/loan-term.ts); absent: none, monthly installments only. */
  readonly allows?: readonly LoanOption[];
}

/** What a maker proposes and a checker confirms: stored verbatim as the request's payload. */
export type ProductChange = { readonly action: 'create'; readonly product: NewProduct } | { readonly action: 'update'; readonly code: string; readonly terms: ProductTerms };

function checkAllows(options: readonly string[]): string {
  const unknown = options.find((option) => !(LOAN_OPTIONS as readonly string[]).includes(option));
  if (unknown !== undefined) throw new ValidationError('allows', `"${unknown}" is not one of ${LOAN_OPTIONS.join(', ')}`);
  return [...new Set(options)].join(',');
}

/** Longest loan term a product may allow: three years and a day, as the term-loan default. */
const MAX_TERM_DAYS = 1096;
/** The contract rate may rise 30% to 50% on overdue principal (银发〔2003〕251号). */
const PENALTY_MULTIPLIERS = { min: 1.3, max: 1.5 };

/**
 * A penalty multiplier as a product or a supply-chain programme states it: "1.3" to "1.5", at most
 * two decimals; a ValidationError naming `penaltyMultiplier` otherwise.
 */
export function checkPenaltyMultiplier(text: string): void {
  const multiplier = Number(text);
  if (typeof text !== 'string' || !/^[0-9](\.[0-9]{1,2})?$/.test(text) || multiplier < PENALTY_MULTIPLIERS.min || multiplier > PENALTY_MULTIPLIERS.max) {
    throw new ValidationError('penaltyMultiplier', `must be from "${PENALTY_MULTIPLIERS.min}" to "${PENALTY_MULTIPLIERS.max}": the overdue rate is the contract rate plus 30% to 50%`);
  }
}

/**
 * Checks a proposed change against the products as they are now; throws a ValidationError naming
 * the field, a NotFoundError for an unknown product, a ConflictError for a taken code. Run when
 * the change is proposed and again when it is confirmed (the products may have changed between).
 */
export async function checkProductChange(trx: Transaction<Database>, change: ProductChange): Promise<{ readonly before: Product | null; readonly after: ProductRowValues }> {
  if (change.action === 'create') {
    const product = change.product;
    if (!/^[A-Z0-9][A-Z0-9-]{1,31}$/.test(product.code)) throw new ValidationError('code', 'must be 2 to 32 capital letters, digits or "-"');
    const taken = await trx.selectFrom('product').select('id').where('code', '=', product.code).executeTakeFirst();
    if (taken) throw new ConflictError(`product ${product.code} exists; change it with PATCH /v1/products/${product.code}`, 'code');
    const template = DEFAULT_PRODUCTS.find((candidate) => candidate.kind === product.kind);
    if (!template) throw new ValidationError('kind', `unknown kind ${product.kind}`);
    const allocationOrder = product.allocationOrder ?? template.allocationOrder;
    if ([...allocationOrder].sort().join(',') !== 'interest,penalty,principal') throw new ValidationError('allocationOrder', 'must name penalty, interest and principal once each');
    const values = checkTerms({
      code: product.code,
      name: product.name,
      name_en: product.nameEn ?? product.name,
      kind: product.kind,
      working_capital: product.workingCapital,
      min_amount: parseMoney(product.minAmount, 'minAmount'),
      max_amount: parseMoney(product.maxAmount, 'maxAmount'),
      min_term_days: product.minTermDays,
      max_term_days: product.maxTermDays,
      schedule: {
        ...template.schedule,
        daysInYear: String(product.daysInYear ?? template.daysInYear),
        ...(product.restDayInterest === undefined ? {} : { restDayInterest: restDayInterestOf({ restDayInterest: product.restDayInterest }) }),
        ...(product.allows === undefined || product.allows.length === 0 ? {} : { allows: checkAllows(product.allows) }),
      },
      lpr_tenor: product.lprTenor,
      spread: product.spread,
      penalty_multiplier: product.penaltyMultiplier,
      compound_overdue_interest: product.compoundOverdueInterest,
      allocation_order: allocationOrder.join(','),
      days_in_year: product.daysInYear ?? template.daysInYear,
      renewal_window_days: product.renewalWindowDays ?? template.renewalWindowDays,
      status: 'active',
    });
    return { before: null, after: values };
  }
  const before = await productByCode(trx, change.code);
  const terms = change.terms;
  if (Object.keys(terms).length === 0) throw new ValidationError('body', 'name at least one term to change');
  const values = checkTerms({
    ...productRowValues(before),
    ...(terms.name === undefined ? {} : { name: terms.name }),
    ...(terms.nameEn === undefined ? {} : { name_en: terms.nameEn }),
    ...(terms.minAmount === undefined ? {} : { min_amount: parseMoney(terms.minAmount, 'minAmount') }),
    ...(terms.maxAmount === undefined ? {} : { max_amount: parseMoney(terms.maxAmount, 'maxAmount') }),
    ...(terms.minTermDays === undefined ? {} : { min_term_days: terms.minTermDays }),
    ...(terms.maxTermDays === undefined ? {} : { max_term_days: terms.maxTermDays }),
    ...(terms.spread === undefined ? {} : { spread: terms.spread }),
    ...(terms.penaltyMultiplier === undefined ? {} : { penalty_multiplier: terms.penaltyMultiplier }),
    ...(terms.compoundOverdueInterest === undefined ? {} : { compound_overdue_interest: terms.compoundOverdueInterest }),
    ...(terms.renewalWindowDays === undefined ? {} : { renewal_window_days: terms.renewalWindowDays }),
    ...(terms.status === undefined ? {} : { status: terms.status }),
  });
  return { before, after: values };
}

/**
 * Carries out a confirmed change, with the before and after in the audit trail.
 *
 * @example
 * await applyProductChange(trx, { action: 'update', code: 'MICRO-LINE', terms: { spread: '1.20' } }, 'li.risk (checked by admin)');
 */
export async function applyProductChange(trx: Transaction<Database>, change: ProductChange, actor: string): Promise<{ code: string; action: ProductChange['action'] }> {
  const { before, after } = await checkProductChange(trx, change);
  if (before === null) {
    await trx.insertInto('product').values({ id: uuidv7(), ...after, schedule: JSON.stringify(after.schedule), created_at: new Date() }).execute();
  } else {
    const { code: _code, kind: _kind, schedule: _schedule, ...terms } = after;
    await trx.updateTable('product').set(terms).where('id', '=', before.id).execute();
  }
  const saved = await productByCode(trx, after.code);
  await appendAudit(trx, {
    actor,
    action: `product.${change.action}`,
    entityType: 'product',
    entityId: saved.id,
    before: before === null ? undefined : auditView(before),
    after: auditView(saved),
  });
  return { code: saved.code, action: change.action };
}

/** A product's row, as written. */
type ProductRowValues = {
  code: string;
  name: string;
  name_en: string;
  kind: Product['kind'];
  working_capital: boolean;
  min_amount: Minor;
  max_amount: Minor;
  min_term_days: number;
  max_term_days: number;
  schedule: Record<string, unknown>;
  lpr_tenor: Product['lprTenor'];
  spread: string;
  penalty_multiplier: string;
  compound_overdue_interest: boolean;
  allocation_order: string;
  days_in_year: number;
  renewal_window_days: number;
  status: Product['status'];
};

function productRowValues(product: Product): ProductRowValues {
  return {
    code: product.code,
    name: product.name,
    name_en: product.nameEn,
    kind: product.kind,
    working_capital: product.workingCapital,
    min_amount: product.minAmount,
    max_amount: product.maxAmount,
    min_term_days: product.minTermDays,
    max_term_days: product.maxTermDays,
    schedule: { ...product.schedule },
    lpr_tenor: product.lprTenor,
    spread: product.spread,
    penalty_multiplier: product.penaltyMultiplier,
    compound_overdue_interest: product.compoundOverdueInterest,
    allocation_order: product.allocationOrder.join(','),
    days_in_year: product.daysInYear,
    renewal_window_days: product.renewalWindowDays,
    status: product.status,
  };
}

/** The rules every product's terms obey, whether new or changed. */
function checkTerms(values: ProductRowValues): ProductRowValues {
  const name = values.name.trim();
  if (name === '' || values.name.length > 200) throw new ValidationError('name', 'must be 1 to 200 characters');
  const nameEn = values.name_en.trim();
  if (nameEn === '' || values.name_en.length > 200) throw new ValidationError('nameEn', 'must be 1 to 200 characters');
  if (values.min_amount <= 0n) throw new ValidationError('minAmount', 'must be more than 0.00');
  if (values.max_amount < values.min_amount) throw new ValidationError('maxAmount', `must be at least minAmount (${formatMoney(values.min_amount)})`);
  // A product may not offer a loan the books cannot carry (the bound end of day's integer maths relies on).
  if (values.max_amount > MAX_LOAN_PRINCIPAL_FEN) throw new ValidationError('maxAmount', `must be at most ${formatMoney(MAX_LOAN_PRINCIPAL_FEN)}, the largest loan Sprout books`);
  for (const [field, days] of [['minTermDays', values.min_term_days], ['maxTermDays', values.max_term_days]] as const) {
    if (!Number.isInteger(days) || days < 1 || days > MAX_TERM_DAYS) throw new ValidationError(field, `must be a whole number of days from 1 to ${MAX_TERM_DAYS}`);
  }
  if (!Number.isInteger(values.renewal_window_days) || values.renewal_window_days < 1 || values.renewal_window_days > 365) throw new ValidationError('renewalWindowDays', 'must be a whole number of days from 1 to 365', values.renewal_window_days < 1 ? 'too-small' : 'too-large', { limit: values.renewal_window_days < 1 ? 1 : 365 });
  if (values.max_term_days < values.min_term_days) throw new ValidationError('maxTermDays', `must be at least minTermDays (${values.min_term_days})`);
  if (!/^[0-9](\.[0-9]{1,4})?$/.test(values.spread)) throw new ValidationError('spread', 'must be percentage points over the LPR from "0" to "9.9999", e.g. "1.35"');
  checkPenaltyMultiplier(values.penalty_multiplier);
  return { ...values, name, name_en: nameEn };
}

/** A product as the audit trail shows it: amounts as decimal strings. */
function auditView(product: Product) {
  return { ...product, minAmount: formatMoney(product.minAmount), maxAmount: formatMoney(product.maxAmount) };
}
