/**
 * The products a new database starts with. Products are data (the `product` table); these are
 * only the defaults a bank edits.
 */
import { minor, type Minor } from '../money/minor.js';
import type { LprTenor } from '../pricing/lpr.js';

/** Where a repayment goes first. Default: penalty → interest → principal (SPEC §7). */
export type AllocationBucket = 'penalty' | 'interest' | 'principal';

/** What a product lends as: a revolving line, a short-term loan, a term loan. */
export type ProductKind = 'revolving-line' | 'short-term' | 'term-loan';

export interface ProductDefinition {
  readonly code: string;
  /** The Chinese name, the one in the contract a borrower signs ("小微循环贷"). */
  readonly name: string;
  /** The English name, shown on English pages ("Revolving micro credit line"). */
  readonly nameEn: string;
  readonly kind: ProductKind;
  /** Working-capital (流动资金) loans may be renewed without repaying principal (无还本续贷). */
  readonly workingCapital: boolean;
  readonly minAmount: Minor;
  readonly maxAmount: Minor;
  readonly minTermDays: number;
  readonly maxTermDays: number;
  /** Default schedule terms for a drawdown, as the schedule engine reads them. */
  readonly schedule: Readonly<Record<string, string | number>>;
  readonly lprTenor: LprTenor;
  /** Percentage points over the LPR, e.g. "1.35". */
  readonly spread: string;
  /** Penalty rate = contract rate × this, on overdue principal (罚息), e.g. "1.5". */
  readonly penaltyMultiplier: string;
  /** Whether overdue interest itself bears interest at the penalty rate (复利). */
  readonly compoundOverdueInterest: boolean;
  readonly allocationOrder: readonly AllocationBucket[];
  /** Chinese banks quote the daily rate as the annual rate ÷ 360 (日利率 = 年利率 / 360). */
  readonly daysInYear: 360 | 365;
  /**
   * How many days before a loan's maturity its renewal (续贷) may be asked for. The 2024 notice
   * (金规〔2024〕13号) has the borrower apply before maturity and lets the bank review in advance;
   * 30 days gives the review time without renewing a loan the day it is drawn.
   */
  readonly renewalWindowDays: number;
}

/** The renewal window a product gets unless it says otherwise (migration 0027's default too). */
export const DEFAULT_RENEWAL_WINDOW_DAYS = 30;

const PENALTY_FIRST: readonly AllocationBucket[] = ['penalty', 'interest', 'principal'];

export const DEFAULT_PRODUCTS: readonly ProductDefinition[] = [
  {
    code: 'MICRO-LINE',
    name: '小微循环贷',
    nameEn: 'Revolving micro credit line',
    kind: 'revolving-line',
    workingCapital: true,
    minAmount: minor(100_00n),
    maxAmount: minor(3_000_000_00n),
    minTermDays: 1,
    maxTermDays: 365,
    schedule: { method: 'bullet', interestPeriod: 'daily', daysInYear: '360' },
    lprTenor: '1y',
    spread: '1.35',
    penaltyMultiplier: '1.5',
    compoundOverdueInterest: true,
    allocationOrder: PENALTY_FIRST,
    daysInYear: 360,
    renewalWindowDays: DEFAULT_RENEWAL_WINDOW_DAYS,
  },
  {
    code: 'SHORT-TERM',
    name: '短期流动资金贷款',
    nameEn: 'Short-term working-capital loan',
    kind: 'short-term',
    workingCapital: true,
    minAmount: minor(1_000_00n),
    maxAmount: minor(5_000_000_00n),
    minTermDays: 1,
    maxTermDays: 365,
    schedule: { method: 'bullet', interestPeriod: 'daily', daysInYear: '360' },
    lprTenor: '1y',
    spread: '1.50',
    penaltyMultiplier: '1.5',
    compoundOverdueInterest: true,
    allocationOrder: PENALTY_FIRST,
    daysInYear: 360,
    renewalWindowDays: DEFAULT_RENEWAL_WINDOW_DAYS,
  },
  {
    code: 'TERM-LOAN',
    name: '等额本息贷款',
    nameEn: 'Term loan, equal installments',
    kind: 'term-loan',
    workingCapital: true,
    minAmount: minor(10_000_00n),
    maxAmount: minor(10_000_000_00n),
    minTermDays: 28,
    maxTermDays: 1096,
    schedule: { method: 'equal-installments', unit: 'months', interestPeriod: 'daily', daysInYear: '360' },
    lprTenor: '1y',
    spread: '1.80',
    penaltyMultiplier: '1.5',
    compoundOverdueInterest: true,
    allocationOrder: PENALTY_FIRST,
    daysInYear: 360,
    renewalWindowDays: DEFAULT_RENEWAL_WINDOW_DAYS,
  },
];
