/**
 * What financing a payment certificate costs (pure, no database): the amount advanced, the
 * interest by the day to the due date, and what the supplier receives now and at maturity.
 */
import { daysBetween, type BusinessDate } from '../calendar/business-date.js';
import { divideRounded } from '../money/rounding.js';
import { minor, type Minor } from '../money/minor.js';
import type { RateUnits } from '../pricing/rate-units.js';
import { invariant } from '../errors.js';
import type { InterestPayer, InterestTiming } from './supply-chain-codes.js';

/** Interest on supply-chain financing counts actual days over a 360-day year, as Sprout's loans do (DOMAIN.md). */
export const SCF_DAYS_IN_YEAR = 360n;

/** Basis points in one: an advance rate of 9000 bp lends 90% of the face amount. */
export const BP_PER_ONE = 10_000n;

/** What decides the terms. */
export interface FinancingInput {
  readonly face: Minor;
  readonly advanceRateBp: number;
  readonly rateUnits: RateUnits;
  readonly financedOn: BusinessDate;
  readonly dueOn: BusinessDate;
  readonly interestPayer: InterestPayer;
  readonly interestTiming: InterestTiming;
}

/** The terms, every amount in fen. */
export interface FinancingTerms {
  /** The amount advanced: face × advance rate, rounded down to the fen (the bank never advances more than the rate). */
  readonly principal: Minor;
  readonly days: number;
  /** principal × rate × days / 360, rounded half-even once. */
  readonly interest: Minor;
  /** Paid to the holder today: the principal, less the interest when it is discounted. */
  readonly disbursed: Minor;
  /** What the core enterprise pays at maturity: the face, plus the interest when it bears it. */
  readonly corePays: Minor;
  /** Paid on to the holder when the core enterprise pays: what is left after the bank's claim. */
  readonly surplusAtMaturity: Minor;
  /** All the holder receives, now and later: face less the interest it bears. */
  readonly holderReceives: Minor;
}

/**
 * The terms of financing `input.face` from `financedOn` to `dueOn`. `days` is at least one;
 * callers refuse a certificate due today or earlier before asking.
 *
 * @example
 * financingTerms({ face: 100_000_00n, advanceRateBp: 9000, rateUnits: 35000n, financedOn: '2025-07-01', dueOn: '2025-09-29',
 *   interestPayer: 'supplier', interestTiming: 'discounted' });
 * // principal 90,000.00; 90 days; interest 787.50; disbursed 89,212.50; surplus at maturity 10,000.00
 */
export function financingTerms(input: FinancingInput): FinancingTerms {
  const days = daysBetween(input.financedOn, input.dueOn);
  invariant(days > 0, 'financing runs at least one day');
  invariant(input.advanceRateBp > 0 && BigInt(input.advanceRateBp) <= BP_PER_ONE, 'advance rate within (0, 100%]');
  const principal = minor((input.face * BigInt(input.advanceRateBp)) / BP_PER_ONE);
  // Rate units are percent × 10^4, so the yearly fraction is units / 10^6.
  const interest = minor(divideRounded(principal * input.rateUnits * BigInt(days), SCF_DAYS_IN_YEAR * 1_000_000n, 'half-even'));
  const discounted = input.interestTiming === 'discounted';
  const coreBears = input.interestPayer === 'core-enterprise';
  const disbursed = minor(discounted ? principal - interest : principal);
  const corePays = minor(coreBears ? input.face + interest : input.face);
  // At maturity the bank takes back the principal, and the interest when it was not taken up front.
  const surplusAtMaturity = minor(corePays - principal - (discounted ? 0n : interest));
  const holderReceives = minor(disbursed + surplusAtMaturity);
  invariant(holderReceives === input.face - (coreBears ? 0n : interest), 'the holder receives the face less the interest it bears');
  return { principal, days, interest, disbursed, corePays, surplusAtMaturity, holderReceives };
}
