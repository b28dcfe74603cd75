/**
 * A borrower with an open line, through the same services the API uses.
 */
import type { Kysely } from 'kysely';
import { inTransaction } from '../../src/db/transaction.js';
import type { Database } from '../../src/db/schema.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { openCreditLine, type CreditLine } from '../../src/lines/credit-lines.js';
import { applyProductChange } from '../../src/products/product-changes.js';

export async function borrowerWithLine(db: Kysely<Database>, limit = '300000.00', productCode = 'MICRO-LINE', annualRate?: string): Promise<CreditLine> {
  return inTransaction(db, async (trx) => {
    const firm = await createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro' }, 'test');
    return openCreditLine(trx, { enterpriseId: firm.id, productCode, limit, annualRate }, 'test');
  });
}

/** A term-loan product that allows every option. */
export async function flexibleProduct(db: Kysely<Database>): Promise<void> {
  await inTransaction(db, (trx) =>
    applyProductChange(
      trx,
      {
        action: 'create',
        product: {
          code: 'TERM-FLEX',
          name: '灵活还款贷款',
          kind: 'term-loan',
          workingCapital: true,
          minAmount: '10000.00',
          maxAmount: '5000000.00',
          minTermDays: 28,
          maxTermDays: 1096,
          lprTenor: '1y',
          spread: '1.80',
          penaltyMultiplier: '1.5',
          compoundOverdueInterest: true,
          allows: ['frequency', 'grace', 'flat-interest', 'installment-rounding', 'floating-rate'],
        },
      },
      'test',
    ),
  );
}

/** The loan's installments as booked. */
export async function booked(db: Kysely<Database>, loanId: string) {
  const rows = await db.selectFrom('loan_installment').select(['number', 'due_on', 'principal', 'interest']).where('loan_id', '=', loanId).orderBy('number').execute();
  return rows.map((row) => ({ number: row.number, dueDate: row.due_on, principal: BigInt(row.principal), interest: BigInt(row.interest) }));
}
