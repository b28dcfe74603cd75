import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUser } from '../../src/auth/users.js';
import { inTransaction } from '../../src/db/transaction.js';
import { setAccount } from '../../src/lines/settlement-accounts.js';
import { BACKENDS } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import { withTestApp, type TestApp } from '../support/test-app.js';

/** Half-even division, apart from src/money. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = 2n * (numerator % denominator);
  return twice > denominator || (twice === denominator && quotient % 2n === 1n) ? quotient + 1n : quotient;
}
const fen = (text: string) => BigInt(text.replace('.', ''));
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

async function owner({ app, db }: TestApp, enterpriseId: string) {
  await createUser(db, { username: 'owner-p', displayName: 'owner', role: 'borrower', password: 'owner-password-1', enterpriseId });
  const login = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { username: 'owner-p', password: 'owner-password-1' } });
  return { authorization: `Bearer ${(login.json() as { token: string }).token}` };
}

const ACCOUNT = { bankCode: '102331000013', bankName: '工商银行杭州分行', accountNo: '6222 0212 0900 0012 345' };

for (const backend of BACKENDS) {
  describe(`prepayment choice and settlement accounts over the API on ${backend}`, () => {
    it('a borrower previews both choices, keeps the term, and the rest is the annuity on 90,000.00 over 12 months; the accounts used are recorded, masked', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db } = test;
        const line = await borrowerWithLine(db, '300000.00', 'TERM-LOAN', '6');
        await inTransaction(db, (trx) => setAccount(trx, line.id, 'disbursement', ACCOUNT, 'test', new Date()));
        await inTransaction(db, (trx) => setAccount(trx, line.id, 'repayment', { ...ACCOUNT, accountNo: '6222021209000098765' }, 'test', new Date()));
        const headers = await owner(test, line.enterpriseId);

        const draw = await app.inject({ method: 'POST', url: `/v1/lines/${line.id}/drawdowns`, headers: { ...headers, 'idempotency-key': 'prepay-draw-01' }, payload: { amount: '120000.00', installments: 12 } });
        assert.equal(draw.statusCode, 201, draw.body);
        const drawn = draw.json() as { loanId: string; account: { accountNoMasked: string; purpose: string }; schedule: { installments: { dueDate: string }[] } };
        assert.deepEqual([drawn.account.purpose, drawn.account.accountNoMasked], ['disbursement', '****2345']);
        const loanId = drawn.loanId;

        const preview = await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayment-preview?amount=30000.00`, headers });
        assert.equal(preview.statusCode, 200, preview.body);
        const shown = preview.json() as { allocation: { principalNotDue: string }; account: { accountNoMasked: string }; prepayment: Record<string, unknown> };
        assert.equal(shown.allocation.principalNotDue, '30000.00');
        assert.equal(shown.account.accountNoMasked, '****8765', 'debited from the repayment account');
        assert.deepEqual(shown.prepayment, {
          shortenTerm: { effect: 'shorten-term', installmentsLeft: 10, installment: '10172.97', lastDueOn: '2026-04-30', interestSaved: '1676.19' },
          lowerInstallments: { effect: 'lower-installments', installmentsLeft: 12, installment: '7745.98', lastDueOn: '2026-06-30', interestSaved: '998.78' },
        });
        // The interest saved, recomputed by hand: each period's interest on the balance path (6% ÷ 360 a
        // day), with the 30,000.00 kept and without it, the principal billed as each choice plans.
        const planned = (drawn.schedule.installments as unknown as { dueDate: string; principal: string }[]).map((row) => fen(row.principal));
        const interestOn = (start: bigint, principals: readonly bigint[]) => {
          let balance = start;
          let from = '2025-06-30';
          let total = 0n;
          drawn.schedule.installments.forEach((row, index) => {
            total += roundHalfEven(balance * 6n * BigInt(days(from, row.dueDate)), 36_000n);
            balance -= principals[index]! < balance ? principals[index]! : balance;
            from = row.dueDate;
          });
          return total;
        };
        const kept = interestOn(120_000_00n, planned);
        assert.equal(kept - interestOn(90_000_00n, planned), 1_676_19n, 'shortening the term saves 1,676.19');

        const paid = await app.inject({ method: 'POST', url: `/v1/loans/${loanId}/repayments`, headers: { ...headers, 'idempotency-key': 'prepay-pay-01' }, payload: { amount: '30000.00', prepaymentEffect: 'lower-installments' } });
        assert.equal(paid.statusCode, 201, paid.body);
        const repayment = paid.json() as { prepaymentEffect: string; account: { accountNoMasked: string } };
        assert.deepEqual([repayment.prepaymentEffect, repayment.account.accountNoMasked], ['lower-installments', '****8765']);

        // The stored schedule is the annuity on 90,000.00 at 6% over the same 12 dates, recomputed here:
        // A = P·201^12 ÷ (200·(201^12 − 200^12)); each row's interest is balance × 6% × days ÷ 360.
        const level = roundHalfEven(90_000_00n * 201n ** 12n, 200n * (201n ** 12n - 200n ** 12n));
        assert.equal(level, 7_745_98n);
        const rows = await db.selectFrom('loan_installment').select(['due_on', 'principal', 'interest']).where('loan_id', '=', loanId).orderBy('number').execute();
        let balance = 90_000_00n;
        let from = '2025-06-30';
        const expected = drawn.schedule.installments.map((row, index, all) => {
          const interest = roundHalfEven(balance * 6n * BigInt(days(from, row.dueDate)), 36_000n);
          const principal = index === all.length - 1 ? balance : level - interest;
          balance -= principal;
          from = row.dueDate;
          return { due_on: row.dueDate, principal, interest };
        });
        assert.deepEqual(rows, expected);
        assert.equal(kept - interestOn(90_000_00n, expected.map((row) => row.principal)), 998_78n, 'lowering the installments saves 998.78');
        const loan = await db.selectFrom('loan').select(['principal_not_due', 'next_due_on', 'next_due_principal', 'amortization']).where('id', '=', loanId).executeTakeFirstOrThrow();
        assert.deepEqual(loan, { principal_not_due: 90_000_00n, next_due_on: '2025-07-30', next_due_principal: expected[0]!.principal, amortization: 'equal-installments' });

        const current = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/current-schedule`, headers })).json() as { installments: { principal: string }[]; next: { total: string } };
        assert.equal(current.installments.length, 12);
        assert.equal(current.installments.reduce((sum, row) => sum + fen(row.principal), 0n), 90_000_00n);
        const history = (await app.inject({ method: 'GET', url: `/v1/loans/${loanId}/repayments`, headers })).json() as { amount: string; account: { accountNoMasked: string } }[];
        assert.deepEqual(history.map((row) => [row.amount, row.account.accountNoMasked]), [['30000.00', '****8765']]);
        const entries = await db.selectFrom('journal_entry').select(['kind', 'account_id']).where('loan_id', '=', loanId).orderBy('id').execute();
        const accounts = await db.selectFrom('settlement_account').select(['id', 'purpose']).where('line_id', '=', line.id).execute();
        const purposeOf = new Map(accounts.map((row) => [row.id, row.purpose]));
        assert.deepEqual(entries.map((row) => [row.kind, purposeOf.get(row.account_id ?? '')]), [['drawdown', 'disbursement'], ['repayment', 'repayment']]);
      });
    });

    it('the borrower changes its repayment account at once; staff propose a change a checker confirms; numbers are masked in every answer and the audit', async () => {
      await withTestApp(backend, async (test) => {
        const { app, db, tokenFor } = test;
        const line = await borrowerWithLine(db, '300000.00', 'MICRO-LINE');
        const headers = await owner(test, line.enterpriseId);
        const none = (await app.inject({ method: 'GET', url: `/v1/lines/${line.id}/accounts`, headers })).json();
        assert.deepEqual(none, { disbursement: null, repayment: null });

        const bad = await app.inject({ method: 'PUT', url: `/v1/lines/${line.id}/accounts/repayment`, headers, payload: { ...ACCOUNT, accountNo: '12-34' } });
        assert.equal(bad.statusCode, 400);
        assert.deepEqual((bad.json() as { error: unknown }).error, { code: 'VALIDATION', message: 'repayment.accountNo: must be 8 to 32 digits', field: 'repayment.accountNo', reason: 'account-number-format', params: { min: 8, max: 32 } });
        const badBank = await app.inject({ method: 'PUT', url: `/v1/lines/${line.id}/accounts/repayment`, headers, payload: { ...ACCOUNT, bankCode: '10233' } });
        assert.deepEqual([(badBank.json() as { error: { field: string; reason: string } }).error.field, (badBank.json() as { error: { reason: string } }).error.reason], ['repayment.bankCode', 'bank-code-format']);

        const mine = await app.inject({ method: 'PUT', url: `/v1/lines/${line.id}/accounts/repayment`, headers, payload: ACCOUNT });
        assert.equal(mine.statusCode, 200, mine.body);
        assert.deepEqual([(mine.json() as { accountNoMasked: string }).accountNoMasked, (mine.json() as { accountName: string }).accountName], ['****2345', '杭州绿芽茶叶有限公司']);
        assert.ok(!mine.body.includes('622202120900'));

        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const proposed = await app.inject({ method: 'PUT', url: `/v1/lines/${line.id}/accounts/disbursement`, headers: manager, payload: { ...ACCOUNT, accountNo: '6222021209000055667', reason: '企业书面申请变更放款账户' } });
        assert.equal(proposed.statusCode, 202, proposed.body);
        const request = proposed.json() as { id: string; kind: string; status: string };
        assert.deepEqual([request.kind, request.status], ['line.account-change', 'pending']);
        assert.deepEqual((await app.inject({ method: 'GET', url: `/v1/lines/${line.id}/accounts`, headers })).json().disbursement, null, 'nothing changes before a checker confirms');
        const approver = { authorization: `Bearer ${await tokenFor('credit-approver')}` };
        const queue = (await app.inject({ method: 'GET', url: '/v1/approvals', headers: approver })).json() as { id: string; payload: { accountNo: string } }[];
        assert.deepEqual(queue.filter((row) => row.id === request.id).map((row) => row.payload.accountNo), ['****5667'], 'the checker sees the proposal masked');
        // The checker's worklist words the proposal: which account, the one in force (none yet) and the one proposed.
        const work = (await app.inject({ method: 'GET', url: '/v1/book/approvals', headers: approver })).json() as { items: { id: string; proposal: { subjectName: string | null; note: string | null; account: unknown } }[] };
        const item = work.items.find((row) => row.id === request.id);
        assert.deepEqual(item?.proposal, {
          subjectName: '杭州绿芽茶叶有限公司',
          enterpriseId: line.enterpriseId,
          amount: null,
          current: null,
          note: '企业书面申请变更放款账户',
          account: { lineId: line.id, purpose: 'disbursement', before: null, after: { bankName: ACCOUNT.bankName, bankCode: ACCOUNT.bankCode, accountNoMasked: '****5667' } },
        });
        const decided = await app.inject({ method: 'POST', url: `/v1/approvals/${request.id}/decision`, headers: approver, payload: { decision: 'approve' } });
        assert.equal(decided.statusCode, 200, decided.body);
        const after = (await app.inject({ method: 'GET', url: `/v1/lines/${line.id}/accounts`, headers })).json() as Record<string, { accountNoMasked: string; recordedBy: string }>;
        assert.deepEqual([after.disbursement!.accountNoMasked, after.disbursement!.recordedBy, after.repayment!.accountNoMasked], ['****5667', 'account-manager (checked by credit-approver)', '****2345']);

        const audit = await db.selectFrom('audit_event').select(['action', 'after']).where('entity_id', '=', line.id).where('action', '=', 'line.account').execute();
        assert.deepEqual(audit.map((row) => [(row.after as { purpose: string }).purpose, (row.after as { accountNo: string }).accountNo]), [['repayment', '****2345'], ['disbursement', '****5667']]);
      });
    });
  });
}
