/**
 * A borrower with an open line, through the same services the API uses.
 */
import type { Kysely } from 'kysely';
import { inTransaction } from '../../src/db/transaction.js';
import type { Database } from '../../src/db/schema.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { openCreditLine, type CreditLine } from '../../src/lines/credit-lines.js';

export async function borrowerWithLine(db: Kysely<Database>, limit = '300000.00', productCode = 'MICRO-LINE', annualRate?: string): Promise<CreditLine> {
  return inTransaction(db, async (trx) => {
    const firm = await createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro' }, 'test');
    return openCreditLine(trx, { enterpriseId: firm.id, productCode, limit, annualRate }, 'test');
  });
}
