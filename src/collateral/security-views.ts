/**
 * What secures a line and a borrower, and the loan-to-value (抵质押率) of each: read-only views
 * over the register that the officer console, the borrower portal, the decision and monitoring share.
 *
 * A line's credit is its limit while it is open (a revolving line may be drawn to its limit any
 * day), else what is still owed on it. A piece of collateral secures each line with the amount
 * allocated to it; when a revaluation leaves less eligible value than was allocated, the eligible
 * value is shared among its lines in proportion to the allocations (largest remainder, no fen
 * lost or made), so the same value is never counted twice.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { allocate } from '../money/allocate.js';
import { minor, type Minor } from '../money/minor.js';
import type { CollateralType, GuaranteeStatus, GuaranteeType } from './collateral-terms.js';
import { loanToValueBp, securedCapacity } from './eligible-value.js';
import { toValuation } from './collateral-register.js';
import { maxLtvFor, securityPolicyFor } from './security-policy.js';
import { accrualNights, accruedInterestSql } from '../servicing/lazy-accrual.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface LineCollateral {
  readonly collateralId: string;
  readonly type: CollateralType;
  readonly identifier: string;
  readonly value: Minor;
  readonly eligible: Minor;
  readonly allocated: Minor;
  /** The allocation the eligible value still covers. */
  readonly effective: Minor;
  readonly maxLtvBp: number;
}

export interface LineGuarantee {
  readonly guaranteeId: string;
  readonly guarantorName: string;
  readonly type: GuaranteeType;
  readonly amount: Minor;
  readonly status: GuaranteeStatus;
  readonly endOn: BusinessDate;
}

export interface LineSecurity {
  readonly lineId: string;
  readonly enterpriseId: string;
  readonly productCode: string;
  readonly lineStatus: string;
  /** The limit while open, else the principal owed. */
  readonly credit: Minor;
  /** Principal, interest and penalty owed on the line's active loans. */
  readonly exposure: Minor;
  readonly collateral: readonly LineCollateral[];
  readonly guarantees: readonly LineGuarantee[];
  /** Σ effective allocations. */
  readonly eligible: Minor;
  /** Σ effective allocation × its type's maximum loan-to-value. */
  readonly capacity: Minor;
  /** Held guarantees' amounts. */
  readonly guaranteed: Minor;
  /** credit / eligible, basis points rounded up; null without collateral. */
  readonly ltvBp: number | null;
  /** capacity / eligible, basis points rounded down: the line's maximum given its mix of collateral. */
  readonly maxLtvBp: number | null;
  /** The credit the collateral must carry (credit less the guarantees) is above its capacity. */
  readonly overMaximum: boolean;
}

/** Effective allocations of each piece of collateral over all its active links, keyed `collateral/line`. */
async function effectiveAllocations(db: Executor, collateralIds: readonly string[]): Promise<Map<string, Minor>> {
  const effective = new Map<string, Minor>();
  if (collateralIds.length === 0) return effective;
  const links = await db.selectFrom('collateral_link').select(['collateral_id', 'line_id', 'allocated']).where('collateral_id', 'in', collateralIds).where('released_on', 'is', null).orderBy('collateral_id').orderBy('linked_on').orderBy('line_id').execute();
  const values = await latestValuations(db, collateralIds);
  const byCollateral = new Map<string, typeof links>();
  for (const link of links) byCollateral.set(link.collateral_id, [...(byCollateral.get(link.collateral_id) ?? []), link]);
  for (const [collateralId, own] of byCollateral) {
    const eligible = values.get(collateralId)?.eligible ?? 0n;
    const total = own.reduce((sum, link) => sum + link.allocated, 0n);
    const parts = total <= eligible ? own.map((link) => link.allocated) : allocate(eligible, own.map((link) => link.allocated));
    own.forEach((link, index) => effective.set(`${collateralId}/${link.line_id}`, minor(parts[index]!)));
  }
  return effective;
}

/** The latest valuation of each piece of collateral. */
export async function latestValuations(db: Executor, collateralIds: readonly string[]): Promise<Map<string, ReturnType<typeof toValuation>>> {
  const found = new Map<string, ReturnType<typeof toValuation>>();
  if (collateralIds.length === 0) return found;
  const rows = await db.selectFrom('collateral_valuation').selectAll().where('collateral_id', 'in', collateralIds).orderBy('collateral_id').orderBy('valued_on', 'desc').orderBy('id', 'desc').execute();
  for (const row of rows) if (!found.has(row.collateral_id)) found.set(row.collateral_id, toValuation(row));
  return found;
}

/**
 * The security of one line and its loan-to-value.
 *
 * @example
 * const view = await lineSecurity(db, lineId); // view.ltvBp === 7000 for a 7,000,000 limit on 10,000,000 eligible
 */
export async function lineSecurity(db: Executor, lineId: string): Promise<LineSecurity> {
  const nights = await accrualNights(db);
  const line = await db
    .selectFrom('credit_line')
    .innerJoin('product', 'product.id', 'credit_line.product_id')
    .select(['credit_line.id', 'credit_line.enterprise_id', 'credit_line.limit_amount', 'credit_line.status', 'product.code'])
    .select((eb) => [
      eb.selectFrom('loan').select(sql<Minor>`cast(coalesce(sum(principal_not_due + principal_due), 0) as bigint)`.as('p')).whereRef('loan.line_id', '=', 'credit_line.id').whereRef('loan.enterprise_id', '=', 'credit_line.enterprise_id').where('loan.status', '=', 'active').as('principal'),
      eb.selectFrom('loan').select(sql<Minor>`cast(coalesce(sum(principal_not_due + principal_due + ${accruedInterestSql(sql`loan`, nights)} + interest_due + penalty_due), 0) as bigint)`.as('e')).whereRef('loan.line_id', '=', 'credit_line.id').whereRef('loan.enterprise_id', '=', 'credit_line.enterprise_id').where('loan.status', '=', 'active').as('exposure'),
    ])
    .where('credit_line.id', '=', lineId)
    .executeTakeFirstOrThrow();
  const date = (await db.selectFrom('system_state').select('business_date').where('id', '=', 1).executeTakeFirstOrThrow()).business_date;
  const policy = securityPolicyFor(date);
  const links = await db
    .selectFrom('collateral_link')
    .innerJoin('collateral', (join) => join.onRef('collateral.id', '=', 'collateral_link.collateral_id').onRef('collateral.enterprise_id', '=', 'collateral_link.enterprise_id'))
    .select(['collateral.id', 'collateral.type', 'collateral.identifier', 'collateral_link.allocated'])
    .where('collateral_link.line_id', '=', lineId)
    .where('collateral_link.released_on', 'is', null)
    .where('collateral.status', '=', 'registered')
    .orderBy('collateral.created_at')
    .orderBy('collateral.id')
    .execute();
  const ids = links.map((link) => link.id);
  const [effective, values] = await Promise.all([effectiveAllocations(db, ids), latestValuations(db, ids)]);
  const collateral: LineCollateral[] = links.map((link) => {
    const valuation = values.get(link.id);
    return {
      collateralId: link.id,
      type: link.type,
      identifier: link.identifier,
      value: valuation?.value ?? minor(0n),
      eligible: valuation?.eligible ?? minor(0n),
      allocated: link.allocated,
      effective: effective.get(`${link.id}/${lineId}`) ?? minor(0n),
      maxLtvBp: maxLtvFor(policy, line.code, link.type),
    };
  });
  const guaranteeRows = await db
    .selectFrom('guarantee')
    .innerJoin('guarantor', 'guarantor.id', 'guarantee.guarantor_id')
    .select(['guarantee.id', 'guarantor.name', 'guarantee.type', 'guarantee.amount', 'guarantee.status', 'guarantee.end_on'])
    .where('guarantee.line_id', '=', lineId)
    .orderBy('guarantee.created_at')
    .execute();
  const guarantees = guaranteeRows.map((row) => ({ guaranteeId: row.id, guarantorName: row.name, type: row.type, amount: row.amount, status: row.status, endOn: row.end_on }));
  const open = line.status !== 'closed';
  const credit = minor(open ? line.limit_amount : BigInt(line.principal ?? 0n));
  const eligible = collateral.reduce((sum, item) => sum + item.effective, 0n);
  const capacity = collateral.reduce((sum, item) => sum + securedCapacity({ numerator: item.effective * 10_000n, denominator: 10_000n }, item.maxLtvBp), 0n);
  const guaranteed = guarantees.filter((g) => g.status === 'held').reduce((sum, g) => sum + g.amount, 0n);
  const ltvBp = loanToValueBp(credit, eligible);
  return {
    lineId,
    enterpriseId: line.enterprise_id,
    productCode: line.code,
    lineStatus: line.status,
    credit,
    exposure: minor(BigInt(line.exposure ?? 0n)),
    collateral,
    guarantees,
    eligible: minor(eligible),
    capacity: minor(capacity),
    guaranteed: minor(guaranteed),
    ltvBp,
    maxLtvBp: eligible > 0n ? Number((capacity * 10_000n) / eligible) : null,
    overMaximum: collateral.length > 0 && credit - guaranteed > capacity,
  };
}

export interface BorrowerSecurity {
  readonly enterpriseId: string;
  readonly lines: readonly LineSecurity[];
  /** Σ open lines' limits (and what is owed on closed ones). */
  readonly credit: Minor;
  /** Eligible value of every registered piece of collateral of the borrower. */
  readonly eligible: Minor;
  /** Eligible value not allocated to any line: what a new application can be secured on. */
  readonly freeEligibleByType: Readonly<Partial<Record<CollateralType, bigint>>>;
  /** Held guarantees not tied to a line yet. */
  readonly unlinkedGuaranteed: Minor;
  readonly guaranteed: Minor;
  readonly ltvBp: number | null;
}

/** The security of every line of a borrower, and its loan-to-value as a whole. */
export async function borrowerSecurity(db: Executor, enterpriseId: string): Promise<BorrowerSecurity> {
  const lineRows = await db.selectFrom('credit_line').select('id').where('enterprise_id', '=', enterpriseId).orderBy('created_at').orderBy('id').limit(200).execute();
  const lines: LineSecurity[] = [];
  for (const row of lineRows) lines.push(await lineSecurity(db, row.id));
  const collateral = await db.selectFrom('collateral').select(['id', 'type']).where('enterprise_id', '=', enterpriseId).where('status', '=', 'registered').execute();
  const values = await latestValuations(db, collateral.map((c) => c.id));
  const links = collateral.length === 0 ? [] : await db.selectFrom('collateral_link').select(['collateral_id', 'allocated']).where('collateral_id', 'in', collateral.map((c) => c.id)).where('released_on', 'is', null).execute();
  const freeEligibleByType: Partial<Record<CollateralType, bigint>> = {};
  let eligible = 0n;
  for (const item of collateral) {
    const value = values.get(item.id)?.eligible ?? 0n;
    eligible += value;
    const taken = links.filter((link) => link.collateral_id === item.id).reduce((sum, link) => sum + link.allocated, 0n);
    if (value > taken) freeEligibleByType[item.type] = (freeEligibleByType[item.type] ?? 0n) + (value - taken);
  }
  const guarantees = await db.selectFrom('guarantee').select(['amount', 'line_id']).where('enterprise_id', '=', enterpriseId).where('status', '=', 'held').execute();
  const credit = lines.reduce((sum, line) => sum + line.credit, 0n);
  return {
    enterpriseId,
    lines,
    credit: minor(credit),
    eligible: minor(eligible),
    freeEligibleByType,
    unlinkedGuaranteed: minor(guarantees.filter((g) => g.line_id === null).reduce((sum, g) => sum + g.amount, 0n)),
    guaranteed: minor(guarantees.reduce((sum, g) => sum + g.amount, 0n)),
    ltvBp: loanToValueBp(credit, eligible),
  };
}

/** The book by security: principal owed on loans whose line is secured, else guaranteed, else pure credit. */
export interface BookSecuritySplit {
  readonly secured: { readonly balance: Minor; readonly loans: number };
  readonly guaranteed: { readonly balance: Minor; readonly loans: number };
  readonly pureCredit: { readonly balance: Minor; readonly loans: number };
}

/**
 * One aggregate over active loans: secured when the line has registered collateral linked,
 * guaranteed when it has a held guarantee and no collateral, pure credit otherwise.
 */
export async function bookSecuritySplit(db: Executor): Promise<BookSecuritySplit> {
  const rows = await db
    .selectFrom('loan')
    .select((eb) => [
      eb
        .case()
        .when(eb.exists(eb.selectFrom('collateral_link').innerJoin('collateral', (join) => join.onRef('collateral.id', '=', 'collateral_link.collateral_id').onRef('collateral.enterprise_id', '=', 'collateral_link.enterprise_id')).select('collateral_link.line_id').whereRef('collateral_link.line_id', '=', 'loan.line_id').whereRef('collateral_link.enterprise_id', '=', 'loan.enterprise_id').where('collateral_link.released_on', 'is', null).where('collateral.status', '=', 'registered')))
        .then(sql.lit('secured'))
        .when(eb.exists(eb.selectFrom('guarantee').select('guarantee.id').whereRef('guarantee.line_id', '=', 'loan.line_id').whereRef('guarantee.enterprise_id', '=', 'loan.enterprise_id').where('guarantee.status', 'in', ['held', 'called'])))
        .then(sql.lit('guaranteed'))
        .else(sql.lit('pure-credit'))
        .end()
        .as('security'),
      sql<Minor>`cast(coalesce(sum(principal_not_due + principal_due), 0) as bigint)`.as('balance'),
      sql<string>`count(*)`.as('loans'),
    ])
    .where('loan.status', '=', 'active')
    .groupBy('security')
    .execute();
  const part = (name: string) => {
    const row = rows.find((r) => r.security === name);
    return { balance: minor(row ? BigInt(row.balance) : 0n), loans: row ? Number(row.loans) : 0 };
  };
  return { secured: part('secured'), guaranteed: part('guaranteed'), pureCredit: part('pure-credit') };
}
