/**
 * Answering many waiting requests at once without holding the event loop for all of them.
 *
 * A batch that answers hundreds of requests (a lookup of 500 tokens, a group commit of 250
 * repayments) resolves their promises in one loop; every continuation (the rest of the request:
 * validation, the handler, serialising and writing the reply) then runs in the same drain of the
 * microtask queue, and nothing else — no socket read, no other request's query result — is
 * handled until the last one is done. Measured in the servicing bench: turns of 30–150 ms during a
 * burst, and a page read that arrived in one waited for all of it (docs/benchmarks.md, s21y).
 * Settling a slice per turn of the event loop lets the I/O that arrived meanwhile in between.
 */
import { invariant } from '../errors.js';

/** Requests answered per turn of the event loop: each continuation costs about 0.1–0.3 ms of CPU, so a turn stays within a few milliseconds. */
export const SETTLED_PER_TURN = 32;

/**
 * Calls `settle` on every item, `perTurn` of them per turn of the event loop (the first slice at
 * once, each next one after `setImmediate`, so the poll phase runs between slices). Resolves once
 * every item is settled; an item's `settle` must not throw (resolving or rejecting a promise).
 *
 * @example
 * await settleInTurns(batch, (item) => item.resolve(answers.get(item.key)));
 */
export async function settleInTurns<T>(items: readonly T[], settle: (item: T) => void, perTurn: number = SETTLED_PER_TURN): Promise<void> {
  invariant(Number.isInteger(perTurn) && perTurn >= 1, `settle at least one item a turn, not ${perTurn}`);
  for (let start = 0; start < items.length; start += perTurn) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const end = Math.min(items.length, start + perTurn);
    for (let i = start; i < end; i++) settle(items[i]!);
  }
}
