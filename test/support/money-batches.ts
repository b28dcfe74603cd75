/**
 * What the tests of the money batchers (test/servicing/repayment-batch.test.ts,
 * drawdown-batch.test.ts) share: a request's answer or refusal as data to compare, and a plugin that
 * fails a batch's write of its idempotency records.
 */
import type { KyselyPlugin } from 'kysely';

/** A request's answer, or its refusal by name, code, field and message. */
export type Answer = { ok: true; value: unknown } | { ok: false; error: { name: string; code: unknown; field: unknown; message: string } };

/** `promise`'s outcome as an {@link Answer}, never a rejection. */
export function answerOf(promise: Promise<unknown>): Promise<Answer> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: Error & { code?: unknown; field?: unknown }) => ({ ok: false as const, error: { name: error.name, code: error.code, field: error.field, message: error.message } }),
  );
}

/**
 * Fails the first multi-row write of idempotency records (the batch's): by default as a twin
 * committed by another process would (SQLSTATE 40001), or with `error`.
 */
export function failingFirstBatchRecords(error: Error = Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' })): KyselyPlugin & { failed: number } {
  const plugin = {
    failed: 0,
    transformQuery(args: Parameters<KyselyPlugin['transformQuery']>[0]) {
      const node = args.node as { kind: string; into?: { table: { identifier: { name: string } } } };
      if (plugin.failed === 0 && node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'idempotency_record') {
        plugin.failed++;
        throw error;
      }
      return args.node;
    },
    async transformResult(args: Parameters<KyselyPlugin['transformResult']>[0]) {
      return args.result;
    },
  };
  return plugin;
}
