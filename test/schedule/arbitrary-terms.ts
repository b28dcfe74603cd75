import fc from 'fast-check';
import { fromDayNumber, toDayNumber, parseBusinessDate } from '../../src/calendar/business-date.js';
import type { ScheduleRequest } from '../../src/schedule/index.js';

const FIRST_DAY = toDayNumber(parseBusinessDate('1990-01-01', 'd'));
const LAST_DAY = toDayNumber(parseBusinessDate('2060-12-31', 'd'));

function money(fen: bigint): string {
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

/**
 * Random valid schedule requests over every option: all methods, interest methods, interest
 * periods, units, day-count bases, graces, firstDue, multiples and rounding modes.
 */
export const arbitraryRequest: fc.Arbitrary<ScheduleRequest> = fc
  .record({
    principalFen: fc.oneof(fc.bigInt({ min: 1n, max: 10_000_000n }), fc.bigInt({ min: 1n, max: 100_000_000_000_000n })),
    // Micro-percent: 0 to 1000% with six decimals, mostly realistic rates.
    rateMicro: fc.oneof(fc.integer({ min: 0, max: 40_000_000 }), fc.integer({ min: 0, max: 1_000_000_000 })),
    periods: fc.oneof(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 240 })),
    everySeed: fc.integer({ min: 1, max: 3650 }),
    unit: fc.constantFrom('months', 'weeks', 'days'),
    method: fc.constantFrom('equal-installments', 'equal-installments', 'equal-principal', 'interest-only', 'bullet'),
    interest: fc.constantFrom('declining-balance', 'flat'),
    interestPeriod: fc.constantFrom('same-as-repayment', 'daily'),
    daysInYear: fc.constantFrom('actual', '360', '364', '365'),
    daysInMonth: fc.constantFrom('actual', '30'),
    disbursedDay: fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
    firstDueOffset: fc.option(fc.integer({ min: 1, max: 400 })),
    graceP: fc.nat(),
    graceI: fc.nat(),
    multipleFen: fc.option(fc.constantFrom(1n, 10n, 100n, 1000n, 10000n, 7n)),
    rounding: fc.constantFrom('half-even', 'half-up'),
  })
  .map((x): ScheduleRequest => {
    // Keep the term (plus up to 400 days of firstDue offset) within the 1200-month limit.
    const everyLimit =
      x.unit === 'months'
        ? Math.max(1, Math.floor(1150 / x.periods))
        : x.unit === 'weeks'
          ? Math.min(52, Math.floor(5100 / x.periods))
          : Math.min(400, Math.floor(36000 / x.periods));
    // Mostly short frequencies (1–24 units), sometimes up to the limit.
    const every = 1 + (x.everySeed % (x.everySeed % 2 === 0 ? Math.min(24, everyLimit) : everyLimit));
    const bullet = x.method === 'bullet';
    const req: ScheduleRequest = {
      principal: money(x.principalFen),
      rate: `${Math.floor(x.rateMicro / 1_000_000)}.${String(x.rateMicro % 1_000_000).padStart(6, '0')}`,
      periods: x.periods,
      every,
      unit: x.unit,
      method: x.method,
      interest: x.interest,
      interestPeriod: x.interestPeriod,
      daysInYear: x.daysInYear,
      daysInMonth: x.daysInMonth,
      disbursed: fromDayNumber(x.disbursedDay),
      gracePrincipal: bullet ? 0 : x.graceP % x.periods,
      graceInterest: bullet ? 0 : x.graceI % x.periods,
      rounding: x.rounding,
    };
    if (x.firstDueOffset !== null) req.firstDue = fromDayNumber(x.disbursedDay + x.firstDueOffset);
    if (x.multipleFen !== null && x.method === 'equal-installments') req.installmentMultiple = money(x.multipleFen);
    return req;
  });
