/**
 * End of day bills a booked loan's schedule to the fen when its interest is not the daily accrual
 * on the balance: flat interest, an interest grace period (its interest carried to the next
 * installment). Principal grace and a rounded installment bill the booked principal. A prepayment
 * on such a loan cannot lower its installments, and bills daily interest on what is left after it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { addDays } from '../../src/calendar/business-date.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEod } from '../../src/eod/run-eod.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { currentSchedule } from '../../src/servicing/current-schedule.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { restructure } from '../../src/servicing/restructure.js';
import { loanById } from '../../src/servicing/loans.js';
import { prepaymentChoice } from '../../src/servicing/prepayment-options.js';
import { planRepayment, repay } from '../../src/servicing/repayment.js';
import { minor } from '../../src/money/minor.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { booked, borrowerWithLine, flexibleProduct } from '../support/servicing-fixtures.js';

/** The loan as the service reads it: a row end of day did not write is as of its last_eod_on (src/servicing/lazy-accrual.ts). */
async function loanRow(db: Kysely<Database>, id: string) {
  return loanById(db, id);
}

async function installmentRows(db: Kysely<Database>, id: string) {
  return db.selectFrom('loan_installment').select(['number', 'due_on', 'principal', 'interest']).where('loan_id', '=', id).orderBy('number').execute();
}

interface Billed {
  number: number;
  dueDate: string;
  principal: bigint;
  interest: bigint;
}

/**
 * Runs end of day night by night until `until` is the business date, and returns what each
 * installment's night billed (the change in principal and interest due: nothing is repaid).
 */
async function billNightly(db: Kysely<Database>, loanIds: readonly string[], until: string): Promise<Map<string, Billed[]>> {
  const schedules = new Map(await Promise.all(loanIds.map(async (id) => [id, await booked(db, id)] as const)));
  const billed = new Map<string, Billed[]>(loanIds.map((id) => [id, []]));
  for (let date = await getBusinessDate(db); date < until; ) {
    const tomorrow = addDays(date, 1);
    // The loans with an installment due tomorrow, read before and after the night that bills it
    // (on the other nights nothing is billed, and reading every loan twice a night was a fifth of
    // the statements of a 180-night test).
    const dueTomorrow = loanIds.flatMap((id) => schedules.get(id)!.filter((row) => row.dueDate === tomorrow).map((due) => ({ id, due })));
    const before = await Promise.all(dueTomorrow.map(({ id }) => loanRow(db, id)));
    const night = await runEod(db);
    assert.equal(night.businessDate, tomorrow);
    for (const [index, { id, due }] of dueTomorrow.entries()) {
      const after = await loanRow(db, id);
      billed.get(id)!.push({ number: due.number, dueDate: tomorrow, principal: after.principal_due - before[index]!.principal_due, interest: after.interest_due - before[index]!.interest_due });
    }
    date = night.businessDate;
  }
  return billed;
}

for (const backend of BACKENDS) {
  describe(`end of day bills the booked schedule of flat-interest and grace loans on ${backend}`, () => {
    it('bills every installment of a flat-interest and an interest-grace loan to the fen, and the booked principal of principal grace and a rounded installment', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await flexibleProduct(db);
        const line = await borrowerWithLine(db, '5000000.00', 'TERM-FLEX', '4.35');
        const draw = (term: object) => inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '120000.00', installments: 6, ...term }, 'officer'));
        const flat = await draw({ interest: 'flat' });
        const grace = await draw({ gracePrincipal: 2, graceInterest: 1 });
        const rounded = await draw({ installmentMultiple: '100.00' });
        const rows = await db.selectFrom('loan').select(['id', 'interest_basis']).orderBy('id').execute();
        assert.deepEqual(Object.fromEntries(rows.map((row) => [row.id, row.interest_basis])), { [flat.loanId]: 'scheduled', [grace.loanId]: 'scheduled', [rounded.loanId]: 'daily' });

        // What the borrower is shown today is what will be billed: the booked interest, not a daily estimate.
        for (const loan of [flat, grace]) {
          const shown = currentSchedule(await loanRow(db, loan.loanId), await installmentRows(db, loan.loanId), await getBusinessDate(db));
          assert.deepEqual(shown.map((row) => row.interest), (await booked(db, loan.loanId)).map((row) => row.interest));
        }

        const maturity = [flat, grace, rounded].map((loan) => loan.maturityOn).sort().at(-1)!;
        const billed = await billNightly(db, [flat.loanId, grace.loanId, rounded.loanId], maturity);

        for (const loan of [flat, grace]) {
          assert.deepEqual(billed.get(loan.loanId), await booked(db, loan.loanId));
          const row = await loanRow(db, loan.loanId);
          assert.deepEqual([row.interest_accrued, row.principal_not_due], [0n, 0n]);
        }
        // Flat interest: every installment bills the same 4.35% of the original 120,000.00 for its days, not the falling balance's.
        const flatInterest = (await booked(db, flat.loanId)).map((row) => row.interest);
        assert.ok(flatInterest.every((interest) => interest > 0n));
        assert.ok(flatInterest.at(-1)! * 2n > flatInterest[0]!, 'the last flat installment is not the declining balance\'s small one');
        // Interest grace: the first installment bills nothing; its interest is billed with the second.
        const graceBilled = billed.get(grace.loanId)!;
        assert.deepEqual([graceBilled[0]!.principal, graceBilled[0]!.interest, graceBilled[1]!.principal], [0n, 0n, 0n]);
        assert.ok(graceBilled[1]!.interest > graceBilled[2]!.interest);
        // A rounded installment: the booked principal of every installment (interest accrues daily as before).
        assert.deepEqual(billed.get(rounded.loanId)!.map((row) => row.principal), (await booked(db, rounded.loanId)).map((row) => row.principal));

        const ledger = await reconcile(db);
        assert.equal(ledger.balanced, true, JSON.stringify(ledger, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)));
      });
    });

    it('takes an early interest payment off the next bill, refuses to lower a flat loan\'s installments, and bills daily interest on what a prepayment leaves', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await flexibleProduct(db);
        const line = await borrowerWithLine(db, '5000000.00', 'TERM-FLEX', '4.35');
        const draw = (term: object) => inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '120000.00', installments: 6, ...term }, 'officer'));
        const early = await draw({ interest: 'flat' });
        const prepaid = await draw({ interest: 'flat' });
        const firstDue = (await booked(db, early.loanId))[0]!;
        await billNightly(db, [], addDays((await getBusinessDate(db)), 10));

        // 5.00 with nothing due and more accrued pays accrued interest only: the first bill is 5.00 less.
        assert.ok((await loanRow(db, early.loanId)).interest_accrued > 500n);
        await inTransaction(db, (trx) => repay(trx, { loanId: early.loanId, amount: '5.00' }, 'borrower'));
        assert.equal((await loanRow(db, early.loanId)).interest_basis, 'scheduled');

        // The confirmation offers only shorten-term; asked anyway, lower-installments is refused, naming why.
        const plan = planRepayment(await loanRow(db, prepaid.loanId), minor(30_000_00n), 'refuse');
        const choice = prepaymentChoice(await loanRow(db, prepaid.loanId), plan.loanAfter, await installmentRows(db, prepaid.loanId), 'equal-installments', {}, await getBusinessDate(db));
        assert.deepEqual([choice?.shortenTerm.effect, choice?.lowerInstallments], ['shorten-term', null]);
        await assert.rejects(
          inTransaction(db, (trx) => repay(trx, { loanId: prepaid.loanId, amount: '30000.00', prepaymentEffect: 'lower-installments' }, 'borrower')),
          (error: { reason?: string; field?: string }) => error.reason === 'schedule-not-reamortised' && error.field === 'prepaymentEffect',
        );
        await inTransaction(db, (trx) => repay(trx, { loanId: prepaid.loanId, amount: '30000.00', prepaymentEffect: 'shorten-term' }, 'borrower'));
        const after = await loanRow(db, prepaid.loanId);
        assert.deepEqual([after.interest_basis, after.interest_accrued, after.interest_remainder], ['daily', 0n, 0n]);
        const left = after.principal_not_due;

        const today = await getBusinessDate(db);
        const billed = await billNightly(db, [early.loanId, prepaid.loanId], firstDue.dueDate);
        assert.deepEqual(billed.get(early.loanId), [{ ...firstDue, interest: firstDue.interest - 500n }]);
        // From the prepayment on: the daily accrual on the principal left, 4.35% actual/360, no fen lost.
        const nights = BigInt(Math.round((Date.parse(firstDue.dueDate) - Date.parse(today)) / 86_400_000));
        assert.deepEqual(billed.get(prepaid.loanId), [{ ...firstDue, interest: (left * 43_500n * nights) / 360_000_000n }]);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });

    it('restructured to flat interest, bills the new schedule with the interest accrued before on its first installment', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        await flexibleProduct(db);
        const line = await borrowerWithLine(db, '5000000.00', 'TERM-FLEX', '4.35');
        const loan = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '120000.00', installments: 6 }, 'officer'));
        await billNightly(db, [], addDays(await getBusinessDate(db), 10));
        const accrued = (await loanRow(db, loan.loanId)).interest_accrued;
        assert.ok(accrued > 0n);
        await inTransaction(db, (trx) => restructure(trx, { loanId: loan.loanId, installments: 6, interest: 'flat' }, 'officer'));
        const schedule = await booked(db, loan.loanId);
        assert.equal((await loanRow(db, loan.loanId)).interest_basis, 'scheduled');
        const billed = await billNightly(db, [loan.loanId], schedule[1]!.dueDate);
        assert.deepEqual(billed.get(loan.loanId), [{ ...schedule[0]!, interest: schedule[0]!.interest + accrued }, schedule[1]]);
        assert.equal((await reconcile(db)).balanced, true);
      });
    });
  });
}
