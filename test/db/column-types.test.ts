/**
 * The schema's branded column types (src/db/schema/columns.ts) are true at run time on both
 * backends: int8 money and rate units come back as JS bigints, `date` columns as their
 * 'YYYY-MM-DD' text (never a JS Date, never shifted by a time zone), timestamps as Dates — through
 * Kysely's query builder and through raw `sql` templates alike.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import type { Minor } from '../../src/money/minor.js';
import { getBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS, TEST_BUSINESS_DATE, withTestDatabase } from '../support/backends.js';
import { createEnterprise, createLoan } from '../support/loan-fixtures.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

for (const backend of BACKENDS) {
  describe(`column types on ${backend}`, () => {
    it('money and rate units are bigints, business dates are their text, timestamps are Dates', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await createEnterprise(db, 'Types Co.');
        const loanId = await createLoan(db, { enterpriseId, principal: 10_000_000_00n, installments: [{ dueOn: '2025-12-31', principal: 10_000_000_00n, interest: 1_23n }], rateUnits: 43_500n });
        const loan = await db.selectFrom('loan').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();
        assert.equal(typeof loan.principal, 'bigint');
        assert.equal(loan.principal, 10_000_000_00n);
        assert.equal(typeof loan.rate_units, 'bigint');
        assert.equal(loan.rate_units, 43_500n);
        assert.equal(loan.penalty_rate_units, 65_250n);
        assert.equal(loan.interest_remainder, 0n);
        assert.equal(loan.written_off, 0n);
        assert.equal(typeof loan.disbursed_on, 'string');
        assert.equal(loan.disbursed_on, '2025-06-30');
        assert.equal(loan.maturity_on, '2025-12-31');
        assert.equal(loan.next_due_on, '2025-12-31');
        assert.equal(loan.overdue_since, null);
        assert.ok(loan.created_at instanceof Date);
        const installment = await db.selectFrom('loan_installment').selectAll().where('loan_id', '=', loanId).executeTakeFirstOrThrow();
        assert.deepEqual([installment.due_on, installment.principal, installment.interest], ['2025-12-31', 10_000_000_00n, 1_23n]);
        const line = await db.selectFrom('journal_line').select('amount').orderBy('amount').executeTakeFirstOrThrow();
        assert.equal(line.amount, -10_000_000_00n);
        assert.equal(await getBusinessDate(db), TEST_BUSINESS_DATE);
      });
    });

    it('raw sql rows typed with the branded types get bigints and date text too', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await createEnterprise(db, 'Raw Co.');
        await createLoan(db, { enterpriseId, principal: 500_00n, installments: [{ dueOn: '2026-02-28', principal: 500_00n }] });
        await createLoan(db, { enterpriseId, principal: 250_01n, installments: [{ dueOn: '2024-02-29', principal: 250_01n }] });
        const { rows } = await sql<{ total: Minor; latest: BusinessDate; earliest: BusinessDate; day: BusinessDate }>`
          select cast(sum(principal) as bigint) as total, max(maturity_on) as latest, min(maturity_on) as earliest,
                 cast('1999-12-31' as date) + 1 as day
          from loan`.execute(db);
        const row = rows[0]!;
        assert.equal(typeof row.total, 'bigint');
        assert.equal(row.total, 750_01n);
        assert.deepEqual([row.earliest, row.latest, row.day], ['2024-02-29', '2026-02-28', '2000-01-01']);
        for (const date of [row.earliest, row.latest, row.day]) assert.match(date, DATE);
        // sum(int8) is numeric, which neither driver returns as a bigint: that is why money sums are cast to bigint.
        const uncast = await sql<{ total: unknown }>`select sum(principal) as total from loan`.execute(db);
        assert.notEqual(typeof uncast.rows[0]!.total, 'bigint');
        assert.equal(String(uncast.rows[0]!.total), '75001');
      });
    });
  });
}
