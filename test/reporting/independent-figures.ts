/**
 * The regulatory figures computed a second, independent way: plain TypeScript over the raw rows
 * (every `loan_day`, `loan`, `enterprise_profile` and `credit_line` row read whole), with none of
 * the reports' SQL or roll-up code. Tests compare it with the SQL reports.
 */
import type { Kysely, Selectable } from 'kysely';
import type { CreditLineTable, Database, EnterpriseProfileTable, LoanDayTable, LoanTable } from '../../src/db/schema.js';

const CATS = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'];
const CEILING = 1_000_000_000n;

export interface Raw {
  loans: Map<string, Selectable<LoanTable>>;
  days: Selectable<LoanDayTable>[];
  profiles: Selectable<EnterpriseProfileTable>[];
  lines: Selectable<CreditLineTable>[];
  products: Map<string, string>;
}

export async function readRaw(db: Kysely<Database>): Promise<Raw> {
  return {
    loans: new Map((await db.selectFrom('loan').selectAll().execute()).map((l) => [l.id, l])),
    days: await db.selectFrom('loan_day').selectAll().execute(),
    profiles: await db.selectFrom('enterprise_profile').selectAll().execute(),
    lines: await db.selectFrom('credit_line').selectAll().execute(),
    products: new Map((await db.selectFrom('product').select(['id', 'code']).execute()).map((p) => [p.id, p.code])),
  };
}

/** Fen as "1234.56". */
export function yuan(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** part/whole in percent with two decimals, half-even, as a string. */
export function pct(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0.00';
  const n = part * 10_000n;
  let q = n / whole;
  const r = n % whole;
  const twice = (r < 0n ? -r : r) * 2n;
  const w = whole < 0n ? -whole : whole;
  if (twice > w || (twice === w && q % 2n !== 0n)) q += n < 0n ? -1n : 1n;
  return yuan(q);
}

function profileAt(raw: Raw, enterpriseId: string, date: string) {
  let best: Selectable<EnterpriseProfileTable> | undefined;
  for (const p of raw.profiles) if (p.enterprise_id === enterpriseId && p.valid_from <= date && (best === undefined || p.valid_from > best.valid_from)) best = p;
  return best;
}

function lineInForce(raw: Raw, lineId: string | null, date: string) {
  const line = lineId === null ? undefined : raw.lines.find((l) => l.id === lineId);
  return line !== undefined && line.start_on <= date && line.end_on >= date ? line : undefined;
}

/** Rows of `date` joined to their loans. */
function onBooks(raw: Raw, date: string) {
  return raw.days.filter((d) => d.business_date === date).map((d) => ({ day: d, loan: raw.loans.get(d.loan_id)!, balance: d.principal_not_due + d.principal_due }));
}

export function creditTotal(raw: Raw, enterpriseId: string, date: string): bigint {
  let total = 0n;
  for (const l of raw.lines) if (l.enterprise_id === enterpriseId && l.start_on <= date && l.end_on >= date) total += l.limit_amount;
  for (const { loan } of onBooks(raw, date)) if (loan.enterprise_id === enterpriseId && lineInForce(raw, loan.line_id, date) === undefined) total += loan.principal;
  return total;
}

export function inclusiveOn(raw: Raw, enterpriseId: string, date: string): boolean {
  const p = profileAt(raw, enterpriseId, date);
  if (p === undefined || creditTotal(raw, enterpriseId, date) > CEILING) return false;
  return p.borrower_type !== 'enterprise' || p.size_class === 'small' || p.size_class === 'micro';
}

export interface Totals {
  balance: bigint;
  borrowers: number;
  loans: number;
  npl: bigint;
  byCategory: bigint[];
  rateWeighted: bigint;
}

export function totals(raw: Raw, date: string, keep: (enterpriseId: string) => boolean): Totals {
  const result: Totals = { balance: 0n, borrowers: 0, loans: 0, npl: 0n, byCategory: CATS.map(() => 0n), rateWeighted: 0n };
  const borrowers = new Set<string>();
  for (const { day, loan, balance } of onBooks(raw, date)) {
    if (!keep(loan.enterprise_id)) continue;
    borrowers.add(loan.enterprise_id);
    result.loans++;
    result.balance += balance;
    result.rateWeighted += balance * loan.rate_units;
    const c = CATS.indexOf(day.classification);
    result.byCategory[c]! += balance;
    if (c >= 2) result.npl += balance;
  }
  result.borrowers = borrowers.size;
  return result;
}

/** New lending (renewals excluded) from..to to borrowers inclusive on the day of each loan. */
export function newInclusive(raw: Raw, from: string, to: string): { principal: bigint; weighted: bigint } {
  let principal = 0n;
  let weighted = 0n;
  for (const loan of raw.loans.values()) {
    if (loan.renewed_from_id !== null || loan.disbursed_on < from || loan.disbursed_on > to) continue;
    if (!inclusiveOn(raw, loan.enterprise_id, loan.disbursed_on)) continue;
    principal += loan.principal;
    weighted += loan.principal * loan.rate_units;
  }
  return { principal, weighted };
}

/** Where each loan on the books at `from` stood at `to`: category, 'repaid' or 'written-off', by starting category. */
export function migration(raw: Raw, from: string, to: string, keep: (enterpriseId: string) => boolean = () => true): Map<string, { loans: number; balance: bigint }> {
  const cells = new Map<string, { loans: number; balance: bigint }>();
  const atTo = new Map(onBooks(raw, to).map((row) => [row.loan.id, row.day.classification]));
  for (const { day, loan, balance } of onBooks(raw, from)) {
    if (!keep(loan.enterprise_id)) continue;
    let current = loan;
    for (;;) {
      const next = [...raw.loans.values()].find((l) => l.renewed_from_id === current.id && l.disbursed_on <= to);
      if (next === undefined) break;
      current = next;
    }
    const destination = atTo.get(current.id) ?? (current.status === 'written-off' ? 'written-off' : 'repaid');
    const key = `${day.classification}>${destination}`;
    const cell = cells.get(key) ?? { loans: 0, balance: 0n };
    cells.set(key, { loans: cell.loans + 1, balance: cell.balance + balance });
  }
  return cells;
}

export function foreignOn(raw: Raw, enterpriseId: string, date: string): boolean {
  const p = profileAt(raw, enterpriseId, date);
  return p?.foreign_trade_from != null && p.foreign_trade_from <= date;
}

export function provinceOf(raw: Raw, enterpriseId: string, date: string): string {
  const region = profileAt(raw, enterpriseId, date)?.region_code;
  return region == null ? 'unknown' : `${region.slice(0, 2)}0000`;
}

export function sizeOf(raw: Raw, enterpriseId: string, date: string): string {
  return profileAt(raw, enterpriseId, date)?.size_class ?? 'unknown';
}
