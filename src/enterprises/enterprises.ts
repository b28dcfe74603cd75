/**
 * The borrower record (企业档案): name, Unified Social Credit Code (统一社会信用代码, validated by
 * `credit-code.ts`), industry, region, registration date, owners, the declared size indicators,
 * and the size class by the 2011 standard (`size-standard.ts`).
 *
 * The size class is computed from the industry and the declared indicators when they are given;
 * a size class given as well must agree with it (a mismatch is a false statement or a typo).
 * Without them, the size class must be given (the minimal record older callers create).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { parseBusinessDate, type BusinessDate } from '../calendar/index.js';
import type { Database, EnterpriseOwnerRow, EnterpriseTable } from '../db/schema.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { minor, parseMoney, type Minor } from '../money/index.js';
import { parseCreditCode } from './credit-code.js';
import { parseMobilePhone, parseResidentIdNumber } from './resident-id.js';
import { classifySize, indicatorsFor, parseIndustry, type IndustryCode } from './size-standard.js';
import { parseBorrowerType, type BorrowerType } from './borrower-type.js';
import { parseIndustryCode, sizeGroupOfIndustryCode } from './industry-codes.js';
import { getBusinessDate } from '../system/business-date.js';

export type SizeClass = EnterpriseTable['size_class'];
const SIZE_CLASSES: readonly SizeClass[] = ['large', 'medium', 'small', 'micro'];
const OWNER_ROLES: readonly EnterpriseOwnerRow['role'][] = ['legal-representative', 'shareholder', 'actual-controller'];
/** Bound on owners per record: a list longer than this is a data error, not a cap table. */
const MAX_OWNERS = 50;

/** An owner, legal representative or actual controller. The ID number is stored as given, never logged. */
export type EnterpriseOwner = Readonly<EnterpriseOwnerRow>;

export interface Enterprise {
  readonly id: string;
  readonly name: string;
  readonly creditCode: string | null;
  readonly sizeClass: SizeClass;
  readonly industry: IndustryCode | null;
  /** 6-digit administrative division code (行政区划代码). */
  readonly regionCode: string | null;
  readonly registeredOn: BusinessDate | null;
  readonly owners: readonly EnterpriseOwner[];
  /** Declared employees (从业人员). */
  readonly employees: number | null;
  /** Declared annual operating revenue (营业收入), fen. */
  readonly revenue: Minor | null;
  /** Declared total assets (资产总额), fen. */
  readonly assets: Minor | null;
  /** 企业 / 个体工商户 / 小微企业主. */
  readonly borrowerType: BorrowerType;
  /** GB/T 4754-2017 section and division, 'C34'. */
  readonly industryCode: string | null;
  /** A foreign-trade firm (外贸企业) from `from`, on the evidence of a customs registration or an import-export operator record; null when not one. */
  readonly foreignTrade: { readonly from: BusinessDate; readonly evidence: string } | null;
}

/** An owner as a caller gives one: the share as percent (`sharePercent`) or as a fraction string (`share`, "0.60"). */
export interface OwnerInput {
  readonly name: string;
  readonly idNumber: string;
  readonly phone?: string | null;
  readonly role?: string;
  readonly sharePercent?: number | null;
  readonly share?: string | null;
}

/** What a caller gives to record an enterprise. Money as fen (bigint) or a yuan string "1234.56". */
export interface EnterpriseInput {
  readonly name: string;
  readonly sizeClass?: string;
  readonly creditCode?: string | null;
  readonly industry?: string | null;
  readonly regionCode?: string | null;
  readonly registeredOn?: string | null;
  readonly owners?: readonly OwnerInput[];
  readonly employees?: number | null;
  readonly revenue?: bigint | string | null;
  readonly assets?: bigint | string | null;
  readonly borrowerType?: string;
  /** GB/T 4754-2017 'C34'; when given without `industry`, the size group follows from it. */
  readonly industryCode?: string | null;
  readonly foreignTrade?: { readonly from: string; readonly evidence: string } | null;
}

/**
 * Records an enterprise, audited in the same transaction (owners' ID numbers masked in the audit).
 *
 * @example
 * const firm = await createEnterprise(trx, {
 *   name: '杭州绿芽茶叶有限公司', creditCode: '91350100M000100Y43', industry: 'retail', regionCode: '330106',
 *   registeredOn: '2019-04-01', employees: 12, revenue: '3200000.00',
 *   owners: [{ name: '王芳', idNumber: '330106198001011234', role: 'legal-representative' }],
 * }, 'account-manager');
 * firm.sizeClass; // 'small' (retail: 10 ≤ X < 50 and 100 ≤ Y < 500 万元)
 */
export async function createEnterprise(db: Transaction<Database>, input: EnterpriseInput, actor: string): Promise<Enterprise> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '' || name.length > 200) throw new ValidationError('name', 'must be 1 to 200 characters', name === '' ? 'required' : 'too-long', name === '' ? undefined : { limit: 200 });
  const creditCode = input.creditCode === undefined || input.creditCode === null ? null : parseCreditCode(input.creditCode, 'creditCode');
  const industryCode = input.industryCode === undefined || input.industryCode === null ? null : parseIndustryCode(input.industryCode, 'industryCode');
  const industry = input.industry === undefined || input.industry === null ? (industryCode === null ? null : sizeGroupOfIndustryCode(industryCode)) : parseIndustry(input.industry, 'industry');
  const borrowerType = input.borrowerType === undefined ? 'enterprise' : parseBorrowerType(input.borrowerType);
  const foreignTrade = parseForeignTrade(input.foreignTrade);
  const regionCode = input.regionCode === undefined || input.regionCode === null ? null : parseRegionCode(input.regionCode, 'regionCode');
  const registeredOn = input.registeredOn === undefined || input.registeredOn === null ? null : parseBusinessDate(input.registeredOn, 'registeredOn');
  const employees = parseEmployees(input.employees);
  const revenue = parseAmount(input.revenue, 'revenue');
  const assets = parseAmount(input.assets, 'assets');
  const owners = parseOwners(input.owners);
  const sizeClass = decideSizeClass(input.sizeClass, industry, { employees, revenue, assets });

  if (creditCode !== null) {
    const taken = await db.selectFrom('enterprise').select('id').where('credit_code', '=', creditCode).executeTakeFirst();
    if (taken) throw new ConflictError(`an enterprise with credit code ${creditCode} exists`, 'creditCode');
  }
  const enterprise: Enterprise = { id: uuidv7(), name, creditCode, sizeClass, industry, regionCode, registeredOn, owners, employees, revenue, assets, borrowerType, industryCode, foreignTrade };
  await db
    .insertInto('enterprise')
    .values({
      id: enterprise.id,
      name,
      credit_code: creditCode,
      size_class: sizeClass,
      created_at: new Date(),
      industry,
      region_code: regionCode,
      registered_on: registeredOn,
      employees,
      revenue,
      assets,
      owners: JSON.stringify(owners),
      borrower_type: borrowerType,
      industry_code: industryCode,
      foreign_trade_from: foreignTrade?.from ?? null,
      foreign_trade_evidence: foreignTrade?.evidence ?? null,
    })
    .execute();
  await recordProfile(db, enterprise.id);
  await appendAudit(db, { actor, action: 'enterprise.create', entityType: 'enterprise', entityId: enterprise.id, after: forAudit(enterprise) });
  return enterprise;
}

/**
 * Reads an enterprise; {@link NotFoundError} when there is none.
 *
 * @example
 * const firm = await getEnterprise(db, id);
 */
export async function getEnterprise(db: Kysely<Database> | Transaction<Database>, id: string): Promise<Enterprise> {
  const row = await db.selectFrom('enterprise').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`enterprise ${id}`);
  return toEnterprise(row);
}

/** An enterprise row as the registry's record. */
export function toEnterprise(row: Selectable<EnterpriseTable>): Enterprise {
  return {
    id: row.id,
    name: row.name,
    creditCode: row.credit_code,
    sizeClass: row.size_class,
    industry: row.industry as IndustryCode | null,
    regionCode: row.region_code,
    registeredOn: row.registered_on,
    // Owners recorded before phones were kept have none.
    owners: row.owners.map((owner) => ({ ...owner, phone: owner.phone ?? null })),
    employees: row.employees,
    revenue: row.revenue === null ? null : minor(row.revenue),
    assets: row.assets === null ? null : minor(row.assets),
    borrowerType: row.borrower_type,
    industryCode: row.industry_code,
    foreignTrade: row.foreign_trade_from === null ? null : { from: row.foreign_trade_from, evidence: row.foreign_trade_evidence ?? '' },
  };
}

/** What `updateReportingProfile` may change; an absent field stays as it is. */
export interface ReportingProfileChange {
  readonly sizeClass?: string;
  readonly borrowerType?: string;
  readonly regionCode?: string;
  readonly industryCode?: string;
  /** null clears the flag. */
  readonly foreignTrade?: { readonly from: string; readonly evidence: string } | null;
}

/**
 * Changes what reports read of a borrower (size class after an annual review, borrower type,
 * region, industry, the foreign-trade flag) and records the new profile from today's business
 * date, so reports as of earlier dates still see the borrower as it was. Audited.
 *
 * @example
 * await updateReportingProfile(trx, id, { sizeClass: 'medium' }, 'risk-officer'); // from today, no longer small
 */
export async function updateReportingProfile(db: Transaction<Database>, id: string, change: ReportingProfileChange, actor: string): Promise<Enterprise> {
  const before = await getEnterprise(db, id);
  if (change.sizeClass !== undefined && !(SIZE_CLASSES as readonly string[]).includes(change.sizeClass)) throw new ValidationError('sizeClass', `must be one of ${SIZE_CLASSES.join(', ')}`);
  const industryCode = change.industryCode === undefined ? undefined : parseIndustryCode(change.industryCode, 'industryCode');
  const foreignTrade = change.foreignTrade === undefined ? undefined : parseForeignTrade(change.foreignTrade);
  await db
    .updateTable('enterprise')
    .set({
      ...(change.sizeClass === undefined ? {} : { size_class: change.sizeClass as SizeClass }),
      ...(change.borrowerType === undefined ? {} : { borrower_type: parseBorrowerType(change.borrowerType) }),
      ...(change.regionCode === undefined ? {} : { region_code: parseRegionCode(change.regionCode, 'regionCode') }),
      ...(industryCode === undefined ? {} : { industry_code: industryCode, industry: sizeGroupOfIndustryCode(industryCode) }),
      ...(foreignTrade === undefined ? {} : { foreign_trade_from: foreignTrade?.from ?? null, foreign_trade_evidence: foreignTrade?.evidence ?? null }),
    })
    .where('id', '=', id)
    .execute();
  await recordProfile(db, id);
  const after = await getEnterprise(db, id);
  const fields = (e: Enterprise) => ({ sizeClass: e.sizeClass, borrowerType: e.borrowerType, regionCode: e.regionCode, industryCode: e.industryCode, foreignTrade: e.foreignTrade });
  await appendAudit(db, { actor, action: 'enterprise.profile', entityType: 'enterprise', entityId: id, before: fields(before), after: fields(after) });
  return after;
}

/**
 * Copies the enterprise's reporting attributes into `enterprise_profile` from today's business
 * date (replacing a row already written today): the history reports as of a date read.
 */
export async function recordProfile(db: Transaction<Database>, id: string): Promise<void> {
  const today = await getBusinessDate(db);
  const row = await db.selectFrom('enterprise').select(['size_class', 'borrower_type', 'region_code', 'industry_code', 'foreign_trade_from']).where('id', '=', id).executeTakeFirstOrThrow();
  await db.deleteFrom('enterprise_profile').where('enterprise_id', '=', id).where('valid_from', '=', today).execute();
  await db
    .insertInto('enterprise_profile')
    .values({ enterprise_id: id, valid_from: today, size_class: row.size_class, borrower_type: row.borrower_type, region_code: row.region_code, industry_code: row.industry_code, foreign_trade_from: row.foreign_trade_from })
    .execute();
}

/** Customs registration codes are 10 characters; an import-export operator record number is longer. Bounded either way. */
function parseForeignTrade(input: { readonly from: string; readonly evidence: string } | null | undefined): { from: BusinessDate; evidence: string } | null {
  if (input === undefined || input === null) return null;
  const from = parseBusinessDate(input.from, 'foreignTrade.from');
  const evidence = typeof input.evidence === 'string' ? input.evidence.trim() : '';
  if (evidence.length < 4 || evidence.length > 200) throw new ValidationError('foreignTrade.evidence', 'must name the customs registration code or the import-export operator record (4 to 200 characters)');
  return { from, evidence };
}

// Province-level prefixes of GB/T 2260 (11 Beijing … 65 Xinjiang, 71 Taiwan, 81 Hong Kong, 82 Macao).
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82']);

/**
 * Validates a 6-digit administrative division code (行政区划代码, GB/T 2260): six digits whose
 * first two are a province.
 *
 * @example
 * parseRegionCode('330106', 'regionCode'); // '330106' (杭州市西湖区)
 */
export function parseRegionCode(text: string, field = 'regionCode'): string {
  if (typeof text !== 'string' || !/^\d{6}$/.test(text)) throw new ValidationError(field, 'must be a 6-digit administrative division code, e.g. "330106"', 'division-code');
  if (!PROVINCES.has(text.slice(0, 2))) throw new ValidationError(field, `'${text.slice(0, 2)}' is not a province code (11–65, 71, 81, 82)`, 'province-code', { code: text.slice(0, 2) });
  return text;
}

function parseEmployees(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError('employees', 'must be a whole number, zero or more');
  return value;
}

function parseAmount(value: bigint | string | null | undefined, field: string): Minor | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') {
    if (value < 0n) throw new ValidationError(field, 'must not be negative');
    return minor(value);
  }
  return parseMoney(value, field);
}

function parseOwners(input: EnterpriseInput['owners']): EnterpriseOwner[] {
  if (input === undefined) return [];
  if (!Array.isArray(input) || input.length > MAX_OWNERS) throw new ValidationError('owners', `must be a list of at most ${MAX_OWNERS} owners`);
  const owners = input.map((owner, i) => {
    const name = typeof owner.name === 'string' ? owner.name.trim() : '';
    if (name === '' || name.length > 100) throw new ValidationError(`owners[${i}].name`, 'must be 1 to 100 characters');
    const idNumber = parseResidentIdNumber(owner.idNumber, `owners[${i}].idNumber`);
    const phone = owner.phone === undefined || owner.phone === null ? null : parseMobilePhone(owner.phone, `owners[${i}].phone`);
    const role = owner.role ?? 'shareholder';
    if (!(OWNER_ROLES as readonly string[]).includes(role)) throw new ValidationError(`owners[${i}].role`, `must be one of ${OWNER_ROLES.join(', ')}`);
    const share = owner.share === undefined || owner.share === null ? (owner.sharePercent ?? null) : parseShare(owner.share, `owners[${i}].share`);
    if (share !== null && !(Number.isFinite(share) && share >= 0 && share <= 100)) throw new ValidationError(`owners[${i}].sharePercent`, 'must be 0 to 100');
    return { name, idNumber, phone, role: role as EnterpriseOwner['role'], sharePercent: share };
  });
  const total = owners.reduce((sum, owner) => sum + (owner.sharePercent ?? 0), 0);
  // Shares are of one enterprise: together at most the whole (a small tolerance for rounded percents).
  if (total > 100.005) throw new ValidationError('owners', `shares add up to ${total.toFixed(2)}%, more than the whole enterprise`);
  return owners;
}

/** A share as a fraction "0.60" (up to four decimals) → percent 60. */
function parseShare(text: string, field: string): number {
  if (typeof text !== 'string' || !/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/.test(text)) throw new ValidationError(field, 'must be a fraction from "0" to "1" with at most four decimals, e.g. "0.60"');
  // Four decimals of a fraction are two of a percent: exact after rounding to 1/100.
  return Math.round(Number(text) * 10_000) / 100;
}

/**
 * A percent share as the API's fraction string: 60 → "0.60", 33.33 → "0.3333".
 *
 * @example
 * shareFraction(60); // '0.60'
 */
export function shareFraction(percent: number | null): string | null {
  if (percent === null) return null;
  const text = (Math.round(percent * 100) / 10_000).toFixed(4);
  return text.replace(/(\.\d\d\d?)0+$/, '$1').replace(/(\.\d\d)0$/, '$1');
}

function decideSizeClass(given: string | undefined, industry: IndustryCode | null, indicators: { employees: number | null; revenue: Minor | null; assets: Minor | null }): SizeClass {
  if (given !== undefined && !(SIZE_CLASSES as readonly string[]).includes(given)) {
    throw new ValidationError('sizeClass', `must be one of ${SIZE_CLASSES.join(', ')}`);
  }
  const computable = industry !== null && indicatorsFor(industry).every((key) => indicators[key] !== null);
  if (!computable) {
    if (given === undefined) {
      throw new ValidationError('sizeClass', 'must be given, unless the industry and its size indicators (employees, revenue, assets as the industry needs) are');
    }
    return given as SizeClass;
  }
  const computed = classifySize(industry, indicators).sizeClass;
  if (given !== undefined && given !== computed) {
    throw new ValidationError('sizeClass', `is '${given}' but the declared figures make a ${industry} firm '${computed}' (工信部联企业〔2011〕300号)`);
  }
  return computed;
}

/** The audit copy: owners' ID numbers masked (first 3 and last 4 characters shown). */
function forAudit(enterprise: Enterprise): object {
  return { ...enterprise, owners: enterprise.owners.map((owner) => ({ ...owner, idNumber: maskIdNumber(owner.idNumber), phone: maskPhone(owner.phone) })) };
}

function maskIdNumber(id: string): string {
  return id.length <= 7 ? '*'.repeat(id.length) : id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

function maskPhone(phone: string | null): string | null {
  return phone === null ? null : phone.slice(0, 3) + '****' + phone.slice(-4);
}

/** A line of the registry search. */
export interface EnterpriseSummary {
  readonly id: string;
  readonly creditCode: string | null;
  readonly name: string;
  readonly industry: IndustryCode | null;
  readonly regionCode: string | null;
  readonly sizeClass: SizeClass;
}

/** Largest page of a registry search; the search is for a screen, not an export. */
export const MAX_SEARCH = 200;

/**
 * Searches the registry by part of the name or the start of the credit code (case-insensitive),
 * names in order; without `q`, the newest first.
 *
 * @example
 * await searchEnterprises(db, { q: '绿芽', limit: 20 }); // [{ name: '杭州绿芽茶叶有限公司', … }]
 */
export async function searchEnterprises(db: Kysely<Database>, options: { readonly q?: string; readonly limit: number }): Promise<EnterpriseSummary[]> {
  if (!Number.isSafeInteger(options.limit) || options.limit < 1 || options.limit > MAX_SEARCH) throw new ValidationError('limit', `must be 1 to ${MAX_SEARCH}`);
  const q = options.q?.trim() ?? '';
  if (q.length > 100) throw new ValidationError('q', 'must be at most 100 characters');
  let query = db.selectFrom('enterprise').select(['id', 'credit_code', 'name', 'industry', 'region_code', 'size_class']);
  if (q === '') {
    query = query.orderBy('created_at', 'desc').orderBy('id', 'desc');
  } else {
    // LIKE's own wildcards in the search text are literal.
    const escaped = q.replace(/[\\%_]/g, (char) => `\\${char}`);
    query = query
      .where((eb) => eb.or([eb('name', 'ilike', `%${escaped}%`), eb('credit_code', 'like', `${escaped.toUpperCase()}%`)]))
      .orderBy('name')
      .orderBy('id');
  }
  const rows = await query.limit(options.limit).execute();
  return rows.map((row) => ({ id: row.id, creditCode: row.credit_code, name: row.name, industry: row.industry as IndustryCode | null, regionCode: row.region_code, sizeClass: row.size_class }));
}
