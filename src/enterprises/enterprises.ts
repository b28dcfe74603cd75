/**
 * The borrower record, at its simplest: a name, a size class, an optional Unified Social Credit
 * Code. The enterprise registry (validation of the code, the size standard) extends this.
 */
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { Database, EnterpriseTable } from '../db/schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import { uuidv7 } from '../ids.js';

export type SizeClass = EnterpriseTable['size_class'];
const SIZE_CLASSES: readonly SizeClass[] = ['large', 'medium', 'small', 'micro'];

export interface Enterprise {
  readonly id: string;
  readonly name: string;
  readonly creditCode: string | null;
  readonly sizeClass: SizeClass;
}

/**
 * Records an enterprise.
 *
 * @example
 * const firm = await createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro' }, 'account-manager');
 */
export async function createEnterprise(db: Transaction<Database>, input: { name: string; sizeClass: string; creditCode?: string | null }, actor: string): Promise<Enterprise> {
  const name = input.name.trim();
  if (name === '' || name.length > 200) throw new ValidationError('name', 'must be 1 to 200 characters');
  if (!(SIZE_CLASSES as readonly string[]).includes(input.sizeClass)) {
    throw new ValidationError('sizeClass', `must be one of ${SIZE_CLASSES.join(', ')}`);
  }
  const creditCode = input.creditCode ?? null;
  if (creditCode !== null) {
    const taken = await db.selectFrom('enterprise').select('id').where('credit_code', '=', creditCode).executeTakeFirst();
    if (taken) throw new ConflictError(`an enterprise with credit code ${creditCode} exists`, 'creditCode');
  }
  const enterprise: Enterprise = { id: uuidv7(), name, creditCode, sizeClass: input.sizeClass as SizeClass };
  await db
    .insertInto('enterprise')
    .values({ id: enterprise.id, name, credit_code: creditCode, size_class: enterprise.sizeClass, created_at: new Date() })
    .execute();
  await appendAudit(db, { actor, action: 'enterprise.create', entityType: 'enterprise', entityId: enterprise.id, after: enterprise });
  return enterprise;
}
