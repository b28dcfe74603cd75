/**
 * Counts the statements a database handle sends to the audit tables (`audit_event`, `audit_stream`),
 * for the tests that pin how many round trips an audit append takes (test/audit/audit-trail.test.ts,
 * test/servicing/repayment-batch.test.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/** `db` with a counter of its audit statements: `counted.db` sends, `counted.statements()` tells how many so far. */
export function countAuditStatements(db: Kysely<Database>): { db: Kysely<Database>; statements: () => number } {
  let statements = 0;
  const counted = db.withPlugin({
    transformQuery: (args) => {
      if (/"audit_(event|stream)"/.test(JSON.stringify(args.node, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)))) statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db: counted, statements: () => statements };
}
