/**
 * Lazy accrual (src/servicing/lazy-accrual.ts) is the eager night to the fen: the same commands —
 * drawdowns, nights of end of day, repayments and prepayments, repricings, overdue episodes — run on
 * two databases, one whose end of day writes every loan's row every night (`accrual: 'eager'`) and one
 * that skips the rows of loans whose interest alone accrues. Both must leave the same loans (as
 * every reader sees them), the same history rows, the same journal and both reconciled; and the
 * lazy database must really have skipped rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEod } from '../../src/eod/index.js';
import { reconcile } from '../../src/ledger/reconcile.js';
import { formatMoney } from '../../src/money/format-money.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { accrualNightInStatementSql, accrualNightSql, accrualNights, materialiseAccrual } from '../../src/servicing/lazy-accrual.js';
import { balancesOf, listLoans, loanById } from '../../src/servicing/loans.js';
import { repay } from '../../src/servicing/repayment.js';
import { repayMany } from '../../src/servicing/repayment-batch.js';
import { makeFloating } from '../../src/servicing/repricing.js';
import { getBusinessDate, setBusinessDate } from '../../src/system/business-date.js';
import { addDays } from '../../src/calendar/business-date.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';

type Command =
  | { kind: 'draw'; amount: bigint; termDays: number; installments: number }
  | { kind: 'repay'; loan: number; amount: bigint; payoff: boolean; lower: boolean }
  | { kind: 'eod'; nights: number }
  | { kind: 'reprice'; loan: number; rate: number }
  | { kind: 'repay-many'; amount: bigint }
  | { kind: 'move'; days: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('draw' as const), amount: fc.bigInt({ min: 1_000_00n, max: 40_000_00n }), termDays: fc.integer({ min: 3, max: 40 }), installments: fc.integer({ min: 0, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('repay' as const), loan: fc.nat(9), amount: fc.bigInt({ min: 1n, max: 20_000_00n }), payoff: fc.boolean(), lower: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('eod' as const), nights: fc.integer({ min: 1, max: 6 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('reprice' as const), loan: fc.nat(9), rate: fc.integer({ min: 250, max: 420 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('repay-many' as const), amount: fc.bigInt({ min: 1n, max: 5_000_00n }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('move' as const), days: fc.integer({ min: 1, max: 5 }) }), weight: 1 },
);

/** Runs one command; returns what happened, so both databases can be seen to do the same. */
async function apply(db: Kysely<Database>, lineId: string, loans: string[], step: Command, eager: boolean): Promise<string> {
  try {
    if (step.kind === 'draw') {
      const term = step.installments === 0 ? { termDays: step.termDays } : { installments: step.installments };
      const result = await inTransaction(db, (trx) => drawdown(trx, { lineId, amount: formatMoney(step.amount), ...term }, 'p'));
      loans.push(result.loanId);
      return 'drawn';
    }
    if (step.kind === 'eod') {
      for (let night = 0; night < step.nights; night++) await runEod(db, { accrual: eager ? 'eager' : 'lazy' });
      return 'nights';
    }
    if (step.kind === 'move') {
      // An operator moves the business date without end of day: no night accrues for the days skipped.
      await setBusinessDate(db, addDays(await getBusinessDate(db), step.days));
      return 'moved';
    }
    if (step.kind === 'repay-many') {
      // Every loan drawn, in one batch (repayment-batch.ts locks and materialises them together).
      const outcomes = await inTransaction(db, (trx) => repayMany(trx, loans.map((loanId) => ({ request: { loanId, amount: formatMoney(step.amount) }, actor: 'p' }))));
      return outcomes.map((outcome) => (outcome.ok ? `${outcome.value.loanStatus} ${outcome.value.balances.payoff}` : `refused ${(outcome.error as { code?: string }).code}`)).join(', ');
    }
    const loanId = loans[step.loan % Math.max(loans.length, 1)];
    if (loanId === undefined) return 'no loan';
    if (step.kind === 'repay') {
      const amount = step.payoff ? balancesOf(await loanById(db, loanId)).payoff : step.amount;
      if (amount <= 0n) return 'nothing owed';
      const result = await inTransaction(db, (trx) => repay(trx, { loanId, amount: formatMoney(amount), prepaymentEffect: step.lower ? 'lower-installments' : 'shorten-term' }, 'p'));
      return `repaid ${result.loanStatus} ${allocationText(result.allocation)}`;
    }
    // A repricing: the loan floats on the 1-year LPR (once), a new fixing is in force today, and the
    // loan's repricing date is today, so tonight's end of day reprices it before the chunks.
    const today = await getBusinessDate(db);
    const loan = await loanById(db, loanId);
    if (loan.status !== 'active') return 'not active';
    if (loan.rate_basis !== 'floating') await inTransaction(db, (trx) => makeFloating(trx, loanId, { lprTenor: '1y', repricing: 'anniversary' }, 'p'));
    await sql`insert into lpr_rate (tenor, effective_from, rate) values ('1y', cast(${today} as date), ${(step.rate / 100).toFixed(2)})
      on conflict (tenor, effective_from) do update set rate = excluded.rate`.execute(db);
    await db.updateTable('loan').set({ next_repricing_on: today }).where('id', '=', loanId).execute();
    return 'repricing';
  } catch (error) {
    return `refused ${(error as { code?: string }).code ?? String(error)}`;
  }
}

/** Everything the two databases must agree on, loans named by the order they were drawn. */
async function picture(db: Kysely<Database>, loans: readonly string[]) {
  const index = new Map(loans.map((id, n) => [id, n]));
  const shown = await Promise.all(
    loans.map(async (id) => {
      const l = await loanById(db, id);
      return [l.status, l.principal_not_due, l.principal_due, l.interest_accrued, l.interest_due, l.penalty_due, l.interest_remainder, l.penalty_remainder,
        l.overdue_since, l.dpd, l.classification, l.provision, l.next_due_on, l.rate_units, l.last_eod_on].map(String).join(' ');
    }),
  );
  const listed = (await listLoans(db, { limit: 100 })).map((l) => `${index.get(l.id)} ${l.interest_accrued} ${l.interest_remainder} ${l.last_eod_on}`).sort();
  const history = (await db.selectFrom('loan_day').selectAll().orderBy('business_date').orderBy('loan_id').execute())
    .map((row) => [row.business_date, index.get(row.loan_id), row.principal_not_due, row.principal_due, row.interest_accrued, row.interest_due, row.penalty_due, row.dpd,
      row.classification, row.provision, row.rate_units].map(String).join(' '))
    .sort();
  const journal = (await sql<{ business_date: string; kind: string; account_code: string; amount: bigint; entries: bigint }>`
      select e.business_date, e.kind, l.account_code, cast(sum(l.amount) as bigint) as amount, count(distinct e.id) as entries
      from journal_entry e join journal_line l on l.entry_id = e.id
      group by e.business_date, e.kind, l.account_code order by 1, 2, 3`.execute(db)).rows
    .map((row) => `${String(row.business_date)} ${row.kind} ${row.account_code} ${row.amount} ${row.entries}`);
  return { shown, listed, history, journal, reconciled: (await reconcile(db)).balanced, businessDate: await getBusinessDate(db) };
}

/** Each loan's accrual night read with the nights passed in and read in the statement: the same for every loan? */
async function bothNightForms(db: Kysely<Database>) {
  const passed = await db.selectFrom('loan').select(['id', accrualNightSql(sql`loan`, await accrualNights(db)).as('night')]).orderBy('id').execute();
  const inStatement = await db.selectFrom('loan').select(['id', accrualNightInStatementSql(sql`loan`).as('night')]).orderBy('id').execute();
  return { nights: [...new Set(inStatement.map((row) => String(row.night)))].join(' '), same: JSON.stringify(passed) === JSON.stringify(inStatement) && passed.length > 0 };
}

/**
 * Whether another backend waits on a lock `trx` holds (PostgreSQL: pg_blocking_pids), asked every
 * 20 ms until it does, `done()` says the awaited work finished without waiting, or `ms` have passed.
 */
async function blockedBy(trx: Transaction<Database>, done: () => boolean, ms: number): Promise<boolean> {
  for (const started = performance.now(); performance.now() - started < ms && !done(); ) {
    const { rows } = await sql<{ blocked: boolean }>`select exists (select 1 from pg_stat_activity a where pg_backend_pid() = any(pg_blocking_pids(a.pid))) as blocked`.execute(trx);
    if (rows[0]?.blocked === true) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/**
 * Starts `work` while `trx` is open, and waits until `trx`'s backend blocks it, or it has finished
 * without waiting (30 s at most): what `work` returned, and whether it waited on `trx`.
 */
async function startBesideOpen<T>(trx: Transaction<Database>, work: () => Promise<T>): Promise<{ started: Promise<T>; waited: boolean }> {
  let finished = false;
  const started = work();
  started.then(() => { finished = true; }, () => { finished = true; });
  return { started, waited: await blockedBy(trx, () => finished, 30_000) };
}

/** A repayment's allocation as text (its parts are bigints), to compare the two databases' answers. */
const allocationText = (allocation: unknown) => JSON.stringify(allocation, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** A borrower's loan of 50,000.00 in three installments, drawn and then taken through three nights. */
async function drawnThreeNightsAgo(db: Kysely<Database>, accrual: 'eager' | 'lazy') {
  const line = await borrowerWithLine(db, '200000.00');
  const loan = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '50000.00', installments: 3 }, 'p'));
  for (let night = 0; night < 3; night++) await runEod(db, { accrual });
  return loan;
}

/** Loans whose row end of day left as of an earlier night: the lazy path was taken. */
async function skippedRows(db: Kysely<Database>): Promise<number> {
  const row = await sql<{ n: bigint }>`select count(*) as n from loan l where l.status = 'active'
    and l.last_eod_on < (select max(business_date) from loan_day)`.execute(db);
  return Number(row.rows[0]?.n ?? 0n);
}

for (const backend of BACKENDS) {
  describe(`lazy accrual on ${backend}`, () => {
    it('materialises n nights as n eager nights would, to the fen, past the range of int8 for n·P·r', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 100_000_000_000n }), fc.bigInt({ min: 0n, max: 1_000_000n }), fc.constantFrom(360, 365), fc.integer({ min: 1, max: 400 }), fc.bigInt({ min: 0n, max: 1_000_000_000n }), (p, r, days, n, seed) => {
          const divisor = BigInt(days) * 1_000_000n;
          const start = { status: 'active', interest_basis: 'daily', last_eod_on: '2025-01-01' as const, principal_not_due: p, rate_units: r, days_in_year: days, interest_accrued: 7n, interest_remainder: seed % divisor };
          let accrued = start.interest_accrued;
          let remainder = start.interest_remainder;
          for (let night = 0; night < n; night++) {
            const numerator = p * r + remainder;
            accrued += numerator / divisor;
            remainder = numerator % divisor;
          }
          const night = new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);
          const lazy = materialiseAccrual(start as Parameters<typeof materialiseAccrual>[0], night as Parameters<typeof materialiseAccrual>[1]);
          assert.deepEqual([lazy.interest_accrued, lazy.interest_remainder, lazy.last_eod_on], [accrued, remainder, night]);
        }),
        { numRuns: 200 },
      );
    });

    it('a SPROUT_EOD_ACCRUAL other than eager or lazy refuses the night, naming it, before anything is written', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db, '200000.00');
        await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '50000.00', installments: 3 }, 'p'));
        const before = await getBusinessDate(db);
        const saved = process.env.SPROUT_EOD_ACCRUAL;
        process.env.SPROUT_EOD_ACCRUAL = 'sometimes';
        try {
          await assert.rejects(runEod(db), (error: { code?: string; field?: string; message?: string }) => {
            assert.equal(error.code, 'VALIDATION');
            assert.equal(error.field, 'SPROUT_EOD_ACCRUAL');
            assert.match(String(error.message), /SPROUT_EOD_ACCRUAL.*must be eager or lazy; got sometimes/);
            return true;
          });
        } finally {
          if (saved === undefined) delete process.env.SPROUT_EOD_ACCRUAL;
          else process.env.SPROUT_EOD_ACCRUAL = saved;
        }
        assert.equal(await getBusinessDate(db), before);
        assert.equal((await db.selectFrom('eod_run').select('id').execute()).length, 0);
        assert.equal((await db.selectFrom('journal_entry').select('id').where('kind', '<>', 'drawdown').execute()).length, 0);
      });
    });

    it('a repayment between a loan\'s chunk and the close of its night counts that night, as the eager night does', async () => {
      const run = (accrual: 'eager' | 'lazy') =>
        withTestDatabase(backend, async ({ db }) => {
          const loan = await drawnThreeNightsAgo(db, accrual);
          const seen: string[] = [];
          const nightsInWindow: string[] = [];
          // The only chunk has committed; the night is not closed: the loan's history row of tonight exists.
          await runEod(db, {
            accrual,
            afterChunk: async () => {
              seen.push(String((await loanById(db, loan.loanId)).interest_accrued));
              // The loans list reads the nights in its own statement; the same as loanById and as the nights passed in.
              seen.push(String((await listLoans(db, { limit: 100 })).find((l) => l.id === loan.loanId)!.interest_accrued));
              const forms = await bothNightForms(db);
              assert.equal(forms.same, true, `the nights passed in and read in the statement differ (${accrual})`);
              nightsInWindow.push(forms.nights);
              const paid = await inTransaction(db, (trx) => repay(trx, { loanId: loan.loanId, amount: '20000.00' }, 'p'));
              seen.push(allocationText(paid.allocation));
            },
          });
          for (let night = 0; night < 3; night++) await runEod(db, { accrual });
          return { seen, nightsInWindow, skipped: await skippedRows(db), picture: await picture(db, [loan.loanId]) };
        });
      const eager = await run('eager');
      const lazy = await run('lazy');
      // Read between the chunk and the close: the lazy night (the loan's row of tonight is written) against the last night closed.
      assert.notEqual(lazy.nightsInWindow[0], eager.nightsInWindow[0]);
      assert.equal(eager.picture.reconciled, true);
      assert.ok(BigInt(eager.seen[0]!) > 0n);
      assert.deepEqual(lazy.seen, eager.seen);
      assert.equal(eager.seen[1], eager.seen[0], 'the list shows what the loan shows');
      assert.deepEqual(lazy.picture, eager.picture);
      assert.equal(lazy.skipped, 1, 'the lazy nights left the loan\'s row as of an earlier night');
    });

    // A repayment waits for the chunk of its loan (on a lazy night at the chunk's row, which the
    // money-change gate shares before any loan is locked; on an eager night at the loan's row, which
    // the chunk locks: docs/decisions.md, "The money-change gate"): a repayment that read its nights
    // while the chunk was still open would count the night before tonight's as the last, and pay on a
    // row the chunk has already accrued tonight from. PGlite is one connection, so a chunk and a repayment cannot overlap there.
    it('a repayment racing a chunk waits for it, then counts that night once, as one made after the chunk', { skip: backend === 'pglite' ? 'one connection: nothing overlaps' : false }, async () => {
      const run = (race: boolean) =>
        withTestDatabase(backend, async ({ db }) => {
          const loan = await drawnThreeNightsAgo(db, 'lazy');
          const repayment = () => inTransaction(db, (trx) => repay(trx, { loanId: loan.loanId, amount: '20000.00' }, 'p'));
          let paid: ReturnType<typeof repayment> | undefined;
          let waited = false;
          await runEod(db, {
            accrual: 'lazy',
            // Racing: the repayment starts while the chunk's transaction is open, and the chunk
            // commits once the repayment is seen waiting on it, or once it has finished without
            // waiting (or 30 s have passed). Else it starts after the chunk.
            beforeChunkCommit: race
              ? async (_chunk, trx) => {
                  ({ started: paid, waited } = await startBesideOpen(trx, repayment));
                }
              : undefined,
            afterChunk: async () => {
              paid ??= repayment();
              await paid;
            },
          });
          const allocation = allocationText((await paid!).allocation);
          for (let night = 0; night < 3; night++) await runEod(db, { accrual: 'lazy' });
          return { waited, allocation, skipped: await skippedRows(db), picture: await picture(db, [loan.loanId]) };
        });
      const after = await run(false);
      const raced = await run(true);
      assert.equal(after.picture.reconciled, true);
      assert.equal(raced.allocation, after.allocation);
      assert.deepEqual(raced.picture, after.picture);
      assert.equal(raced.waited, true, 'the repayment waited for the chunk\'s lock');
      assert.equal(raced.skipped, 1, 'the lazy nights left the loan\'s row as of an earlier night');
    });

    // The batched repayments lock their loans through `lockLoans` (repayment-batch.ts), which passes
    // the same gate as `loanById`: on a lazy night the batch waits for the chunk of its loans.
    it('a repayment batch racing a chunk waits for it, then pays as after the chunk', { skip: backend === 'pglite' ? 'one connection: nothing overlaps' : false }, async () => {
      const run = (race: boolean) =>
        withTestDatabase(backend, async ({ db }) => {
          const line = await borrowerWithLine(db, '200000.00');
          const ids: string[] = [];
          for (const amount of ['50000.00', '30000.00']) ids.push((await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount, installments: 3 }, 'p'))).loanId);
          for (let night = 0; night < 3; night++) await runEod(db, { accrual: 'lazy' });
          const batch = () => inTransaction(db, (trx) => repayMany(trx, ids.map((loanId) => ({ request: { loanId, amount: '20000.00' }, actor: 'p' }))));
          let paid: ReturnType<typeof batch> | undefined;
          let waited = false;
          await runEod(db, {
            accrual: 'lazy',
            beforeChunkCommit: race
              ? async (_chunk, trx) => {
                  ({ started: paid, waited } = await startBesideOpen(trx, batch));
                }
              : undefined,
            afterChunk: async () => {
              paid ??= batch();
              await paid;
            },
          });
          const outcomes = (await paid!).map((outcome) => (outcome.ok ? allocationText(outcome.value.allocation) : `refused ${String(outcome.error)}`));
          for (let night = 0; night < 3; night++) await runEod(db, { accrual: 'lazy' });
          return { waited, outcomes, skipped: await skippedRows(db), picture: await picture(db, ids) };
        });
      const after = await run(false);
      const raced = await run(true);
      assert.equal(after.picture.reconciled, true);
      assert.equal(after.outcomes.length, 2);
      assert.ok(after.outcomes.every((text) => text.startsWith('{')), `both repaid: ${after.outcomes.join('; ')}`);
      assert.deepEqual(raced.outcomes, after.outcomes);
      assert.deepEqual(raced.picture, after.picture);
      assert.equal(raced.waited, true, 'the batch waited for the chunk');
      assert.equal(raced.skipped, 2, 'the lazy nights left both loans\' rows as of an earlier night');
    });

    // The opening of a lazy night is the gate's barrier (enterMoneyChange, lazy-accrual.ts): a money
    // change that passed the gate before it, and read no lazy night, must commit before any chunk of
    // the night reads its loans, which it no longer locks.
    it('a repayment that passed the gate before the lazy night opened makes the opening wait, and the night counts it once, as one made before it', { skip: backend === 'pglite' ? 'one connection: nothing overlaps' : false }, async () => {
      const run = (race: boolean) =>
        withTestDatabase(backend, async ({ db }) => {
          const loan = await drawnThreeNightsAgo(db, 'lazy');
          let night: ReturnType<typeof runEod> | undefined;
          let waited = false;
          const paid = await inTransaction(db, async (trx) => {
            const result = await repay(trx, { loanId: loan.loanId, amount: '20000.00' }, 'p');
            // Racing: the night starts while the repayment's transaction is open, which commits once
            // the night is seen waiting on it, or once the night has finished without waiting.
            if (race) ({ started: night, waited } = await startBesideOpen(trx, () => runEod(db, { accrual: 'lazy' })));
            return result;
          });
          const summary = await (night ?? runEod(db, { accrual: 'lazy' }));
          const allocation = allocationText(paid.allocation);
          for (let n = 0; n < 3; n++) await runEod(db, { accrual: 'lazy' });
          return { waited, allocation, interest: summary.interest, skipped: await skippedRows(db), picture: await picture(db, [loan.loanId]) };
        });
      const before = await run(false);
      const raced = await run(true);
      assert.equal(before.picture.reconciled, true);
      assert.equal(raced.allocation, before.allocation);
      assert.equal(raced.interest, before.interest, 'the night accrued on the principal the repayment left');
      assert.deepEqual(raced.picture, before.picture);
      assert.equal(raced.waited, true, 'the opening of the night waited for the repayment');
      assert.equal(raced.skipped, 1, 'the lazy nights left the loan\'s row as of an earlier night');
    });

    // What the gate buys (docs/benchmarks.md, s21ad, s22a): a lazy night neither locks nor rewrites the
    // row of a loan it does not write, so the page of that row is not dirtied for it; an eager night
    // writes every row, as before.
    it('a lazy night leaves the row of a loan it does not write as it was, not even locked, and writes a billed loan\'s', async () => {
      const run = (accrual: 'eager' | 'lazy') =>
        withTestDatabase(backend, async ({ db }) => {
          const line = await borrowerWithLine(db, '200000.00');
          const quiet = (await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '50000.00', installments: 3 }, 'p'))).loanId;
          const billed = (await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '20000.00', termDays: 7 }, 'p'))).loanId;
          const maturity = (await loanById(db, billed)).maturity_on;
          // Nights until tomorrow is the billed loan's maturity (at least one, so both rows are the nights').
          do await runEod(db, { accrual });
          while (addDays(await getBusinessDate(db), 1) < maturity);
          assert.equal(addDays(await getBusinessDate(db), 1), maturity);
          const rows = async () => (await sql<{ id: string; ctid: string; xmax: string; last_eod_on: string }>`
            select id, cast(ctid as text) as ctid, cast(xmax as text) as xmax, cast(last_eod_on as text) as last_eod_on from loan where id in (${quiet}, ${billed})`.execute(db)).rows;
          const before = new Map((await rows()).map((row) => [row.id, row]));
          const summary = await runEod(db, { accrual });
          const after = new Map((await rows()).map((row) => [row.id, row]));
          return { before, after, date: summary.date, billed: (await loanById(db, billed)).principal_due, quiet: { id: quiet }, billedId: billed };
        });
      for (const accrual of ['lazy', 'eager'] as const) {
        const { before, after, date, billed, quiet, billedId } = await run(accrual);
        assert.ok(billed > 0n, `${accrual}: the billed loan was billed tonight`);
        assert.notEqual(after.get(billedId)!.ctid, before.get(billedId)!.ctid, `${accrual}: the billed loan's row was written`);
        assert.equal(after.get(billedId)!.last_eod_on, date);
        const q0 = before.get(quiet.id)!;
        const q1 = after.get(quiet.id)!;
        if (accrual === 'lazy') {
          // The same tuple, its header unwritten: not updated, not locked (a lock sets xmax).
          assert.deepEqual({ ctid: q1.ctid, xmax: q1.xmax, last_eod_on: q1.last_eod_on }, { ctid: q0.ctid, xmax: q0.xmax, last_eod_on: q0.last_eod_on });
          assert.ok(q1.last_eod_on < date, 'the quiet loan\'s row is as of an earlier night');
        } else {
          assert.notEqual(q1.ctid, q0.ctid, 'eager: every loan\'s row is written');
          assert.equal(q1.last_eod_on, date);
        }
      }
    });

    it('a business date moved without end of day adds no night to a row end of day left, read or locked, as with eager nights', async () => {
      const run = (accrual: 'eager' | 'lazy') =>
        withTestDatabase(backend, async ({ db }) => {
          const loan = await drawnThreeNightsAgo(db, accrual);
          const skipped = await skippedRows(db);
          await setBusinessDate(db, addDays(await getBusinessDate(db), 4));
          const seen = [String((await loanById(db, loan.loanId)).interest_accrued)];
          const paid = await inTransaction(db, (trx) => repay(trx, { loanId: loan.loanId, amount: '100.00' }, 'p'));
          seen.push(allocationText(paid.allocation));
          for (let night = 0; night < 3; night++) await runEod(db, { accrual });
          return { seen, skipped, picture: await picture(db, [loan.loanId]) };
        });
      const eager = await run('eager');
      const lazy = await run('lazy');
      assert.equal(eager.picture.reconciled, true);
      assert.deepEqual(lazy.seen, eager.seen);
      assert.deepEqual(lazy.picture, eager.picture);
      assert.equal(lazy.skipped, 1, 'the lazy nights left the loan\'s row as of an earlier night before the move');
    });

    it('random drawdowns, nights, business dates moved, repayments (alone and batched), prepayments and repricings leave the same loans, history and journal as the eager nights', async () => {
      let skipped = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 6, maxLength: 16 }), async (commands) => {
          const sequence: Command[] = [{ kind: 'draw', amount: 30_000_00n, termDays: 25, installments: 0 }, { kind: 'draw', amount: 20_000_00n, termDays: 0, installments: 2 }, ...commands, { kind: 'eod', nights: 2 }];
          // One database at a time (the harness has one per process): the eager run recorded, then the lazy one compared with it.
          const run = (eager: boolean) =>
            withTestDatabase(backend, async ({ db }) => {
              const line = await borrowerWithLine(db, '200000.00');
              const loans: string[] = [];
              const outcomes: string[] = [];
              let rows = 0;
              for (const step of sequence) {
                outcomes.push(await apply(db, line.id, loans, step, eager));
                if (step.kind === 'eod') rows += await skippedRows(db);
              }
              return { outcomes, rows, picture: await picture(db, loans) };
            });
          const eager = await run(true);
          const lazy = await run(false);
          assert.equal(eager.rows, 0, 'the eager nights write every loan');
          assert.equal(eager.picture.reconciled, true);
          assert.deepEqual(lazy.outcomes, eager.outcomes);
          assert.deepEqual(lazy.picture, eager.picture);
          skipped += lazy.rows;
        }),
        { numRuns: backend === 'pglite' ? 6 : 10 },
      );
      assert.ok(skipped > 0, 'the lazy nights skipped some loans\' rows');
    });
  });
}
