import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { inTransaction } from '../../src/db/transaction.js';
import type { Database } from '../../src/db/schema.js';
import { buildSchedule, parseScheduleRequest, type ScheduleRequest } from '../../src/schedule/index.js';
import { drawdown, planDrawdown, type DrawdownRequest } from '../../src/servicing/drawdown.js';
import { repriceDueLoans } from '../../src/servicing/repricing.js';
import { booked, borrowerWithLine, flexibleProduct } from '../support/servicing-fixtures.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

/** What the schedule engine itself gives for the same terms (the product's defaults: daily interest, 360 days). */
function engine(request: Omit<ScheduleRequest, 'disbursed' | 'rate' | 'interestPeriod' | 'daysInYear'>) {
  const schedule = buildSchedule(parseScheduleRequest({ ...request, rate: '4.35', disbursed: '2025-06-30', interestPeriod: 'daily', daysInYear: '360' }));
  return schedule.installments.map((row) => ({ number: row.number, dueDate: row.dueDate, principal: row.principal, interest: row.interest }));
}

const CASES: { name: string; term: Partial<DrawdownRequest>; engine: Omit<ScheduleRequest, 'disbursed' | 'rate' | 'interestPeriod' | 'daysInYear' | 'principal'> }[] = [
  { name: 'weekly', term: { installments: 26, frequency: 'weekly' }, engine: { periods: 26, every: 1, unit: 'weeks', method: 'equal-installments' } },
  { name: 'biweekly', term: { installments: 26, frequency: 'biweekly' }, engine: { periods: 26, every: 2, unit: 'weeks', method: 'equal-installments' } },
  { name: 'quarterly', term: { installments: 8, frequency: 'quarterly', method: 'equal-principal' }, engine: { periods: 8, every: 3, unit: 'months', method: 'equal-principal' } },
  { name: 'grace periods', term: { installments: 12, gracePrincipal: 3, graceInterest: 1 }, engine: { periods: 12, method: 'equal-installments', gracePrincipal: 3, graceInterest: 1 } },
  { name: 'flat interest', term: { installments: 12, interest: 'flat' }, engine: { periods: 12, method: 'equal-installments', interest: 'flat' } },
  { name: 'installment rounding', term: { installments: 12, installmentMultiple: '100.00' }, engine: { periods: 12, method: 'equal-installments', installmentMultiple: '100.00' } },
];

for (const backend of BACKENDS) {
  describe(`booked term loans with the schedule engine's options on ${backend}`, () => {
    it('books each option the product allows with exactly the schedule engine\'s installments', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await flexibleProduct(db);
        const line = await borrowerWithLine(db, '5000000.00', 'TERM-FLEX', '4.35');
        for (const option of CASES) {
          const loan = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '120000.00', ...option.term }, 'officer'));
          const expected = engine({ principal: '120000.00', ...option.engine });
          assert.deepEqual(await booked(db, loan.loanId), expected, option.name);
          assert.equal(loan.maturityOn, expected.at(-1)!.dueDate, option.name);
        }
        // Spot checks that the options did what they say: grace pays no principal for three, nothing at all first; rounding gives whole hundreds.
        const grace = engine({ principal: '120000.00', periods: 12, method: 'equal-installments', gracePrincipal: 3, graceInterest: 1 });
        assert.deepEqual(grace.slice(0, 3).map((row) => row.principal), [0n, 0n, 0n]);
        assert.equal(grace[0]!.interest, 0n);
        const rounded = engine({ principal: '120000.00', periods: 12, method: 'equal-installments', installmentMultiple: '100.00' });
        assert.ok(rounded.slice(0, -1).every((row) => (row.principal + row.interest) % 100_00n === 0n));
      });
    });

    it('refuses an option the product does not allow, naming the field', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '1000000.00', 'TERM-LOAN', '4.35');
        const refused: [Partial<DrawdownRequest>, string][] = [
          [{ installments: 12, frequency: 'weekly' }, 'frequency'],
          [{ installments: 12, gracePrincipal: 2 }, 'gracePrincipal'],
          [{ installments: 12, graceInterest: 1 }, 'graceInterest'],
          [{ installments: 12, interest: 'flat' }, 'interest'],
          [{ installments: 12, installmentMultiple: '100.00' }, 'installmentMultiple'],
          [{ installments: 12, rateBasis: 'floating' }, 'rateBasis'],
          [{ termDays: 90, frequency: 'quarterly' }, 'frequency'],
        ];
        for (const [term, field] of refused) {
          await assert.rejects(planDrawdown(db, { lineId: line.id, amount: '100000.00', ...term }), { code: 'VALIDATION', field }, field);
        }
        // Monthly at a fixed rate needs nothing.
        assert.equal((await planDrawdown(db, { lineId: line.id, amount: '100000.00', installments: 12, frequency: 'monthly', rateBasis: 'fixed' })).schedule.installments.length, 12);
      });
    });

    it('a floating drawdown fixes its spread over the LPR at signing and reprices on 1 January', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await flexibleProduct(db);
        const line = await borrowerWithLine(db, '5000000.00', 'TERM-FLEX', '4.35');
        const lpr = (await db.selectFrom('lpr_rate').select('rate').where('tenor', '=', '1y').where('effective_from', '<=', '2025-06-30' as never).orderBy('effective_from', 'desc').limit(1).executeTakeFirstOrThrow()).rate;
        const loan = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '120000.00', installments: 24, rateBasis: 'floating', repricing: 'january-first' }, 'officer'));
        const spreadUnits = 43_500n - BigInt(Math.round(Number(lpr) * 10_000));
        assert.deepEqual(loan.floating, { lprTenor: '1y', spread: (Number(spreadUnits) / 10_000).toFixed(2), repricing: 'january-first', nextRepricingOn: '2026-01-01' });
        const row = await db.selectFrom('loan').select(['rate_basis', 'lpr_tenor', 'spread_units', 'repricing', 'next_repricing_on']).where('id', '=', loan.loanId).executeTakeFirstOrThrow();
        assert.deepEqual({ ...row, spread_units: BigInt(row.spread_units!) }, { rate_basis: 'floating', lpr_tenor: '1y', spread_units: spreadUnits, repricing: 'january-first', next_repricing_on: '2026-01-01' });
        // A new fixing in force by 1 January: the loan takes it plus its spread.
        await db.insertInto('lpr_rate').values({ tenor: '1y', effective_from: '2025-12-22' as never, rate: '2.80' }).execute();
        assert.equal((await repriceDueLoans(db, '2026-01-01' as never, 'eod')).loans, 1);
        const repriced = await db.selectFrom('loan').select(['rate_units', 'next_repricing_on']).where('id', '=', loan.loanId).executeTakeFirstOrThrow();
        assert.equal(BigInt(repriced.rate_units), 28_000n + spreadUnits);
        assert.equal(repriced.next_repricing_on, '2027-01-01');
      });
    });

    it('over HTTP: products say which options they allow; a drawdown takes them, or is refused naming the field', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        await flexibleProduct(db);
        const headers = { authorization: `Bearer ${await tokenFor('operator')}` };
        const products = (await app.inject({ method: 'GET', url: '/v1/products', headers })).json() as { code: string; allows: string[] }[];
        assert.deepEqual(products.find((p) => p.code === 'TERM-FLEX')!.allows, ['frequency', 'grace', 'flat-interest', 'installment-rounding', 'floating-rate']);
        assert.deepEqual(products.find((p) => p.code === 'TERM-LOAN')!.allows, []);
        const flexible = await borrowerWithLine(db, '5000000.00', 'TERM-FLEX', '4.35');
        const drawn = await app.inject({ method: 'POST', url: `/v1/lines/${flexible.id}/drawdowns`, headers: { ...headers, 'idempotency-key': 'flex-drawdown-1' }, payload: { amount: '120000.00', installments: 26, frequency: 'biweekly', rateBasis: 'floating' } });
        assert.equal(drawn.statusCode, 201, drawn.body);
        const body = drawn.json() as { schedule: { installments: { dueDate: string }[] }; floating: { repricing: string; nextRepricingOn: string } };
        assert.deepEqual(body.schedule.installments.slice(0, 2).map((row) => row.dueDate), ['2025-07-14', '2025-07-28']);
        assert.deepEqual([body.floating.repricing, body.floating.nextRepricingOn], ['anniversary', '2026-06-30']);
        const plain = await borrowerWithLine(db, '1000000.00', 'TERM-LOAN', '4.35');
        const refused = await app.inject({ method: 'POST', url: `/v1/lines/${plain.id}/drawdown-preview`, headers, payload: { amount: '120000.00', installments: 12, interest: 'flat' } });
        assert.equal(refused.statusCode, 400);
        assert.equal((refused.json() as { error: { field: string } }).error.field, 'interest');
      });
    });
  });
}
