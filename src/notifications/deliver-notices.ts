/**
 * The delivery worker: takes the notices that are due (pending, their next attempt come), each
 * under a short claim so two servers never send the same one at once, and hands it to every
 * configured channel that has not delivered it yet. All delivered: `sent`. A channel failed: the
 * notice waits 1, 2, 4 … minutes (at most 6 hours) and is tried again, only on the channels that
 * failed; after MAX_ATTEMPTS it is `failed` and shows so on the notifications page.
 *
 * @example
 * const outcome = await deliverPendingNotices(db, [webhookChannel({ url, secret })]); // { sent: 3, retrying: 0, failed: 0 }
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { NotificationChannel } from './channels.js';
import { noticeView } from './outbox.js';

export const MAX_ATTEMPTS = 8;
/** Notices one pass delivers at most: a pass is bounded, the next one takes the rest. */
export const DELIVERY_BATCH = 200;
const CLAIM_SECONDS = 120;
const FIRST_RETRY_SECONDS = 60;
const LONGEST_RETRY_SECONDS = 6 * 3600;

export interface DeliveryOutcome {
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
}

/** The wait before attempt `attempts + 1`: 60 s doubled per attempt made, at most 6 hours. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_SECONDS);
}

/** One pass over the notices due at `now`. */
export async function deliverPendingNotices(
  db: Kysely<Database>,
  channels: readonly NotificationChannel[],
  options: { readonly now?: Date; readonly limit?: number; readonly worker?: string } = {},
): Promise<DeliveryOutcome> {
  const now = options.now ?? new Date();
  const due = await db
    .selectFrom('notification')
    .innerJoin('enterprise', 'enterprise.id', 'notification.enterprise_id')
    .selectAll('notification')
    .select(['enterprise.name as enterprise_name', 'enterprise.owners'])
    .where('notification.status', '=', 'pending')
    .where('notification.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('notification.claimed_until', 'is', null), eb('notification.claimed_until', '<', now)]))
    .orderBy('notification.id')
    .limit(Math.min(options.limit ?? DELIVERY_BATCH, DELIVERY_BATCH))
    .execute();
  let sent = 0;
  let retrying = 0;
  let failed = 0;
  for (const row of due) {
    // The claim: one conditional UPDATE decides between servers (no advisory locks in the portable subset).
    const claimUntil = new Date(now.getTime() + CLAIM_SECONDS * 1000);
    const claimed = await sql`update notification set claimed_until = ${claimUntil}
      where id = ${row.id} and status = 'pending' and (claimed_until is null or claimed_until < ${now})`.execute(db);
    if (claimed.numAffectedRows !== 1n) continue;
    const view = noticeView(row);
    const phone = row.owners.find((owner) => owner.role === 'legal-representative')?.phone ?? null;
    const delivered = new Set(view.delivered);
    const errors: string[] = [];
    for (const channel of channels) {
      if (delivered.has(channel.name)) continue;
      try {
        await channel.send({ id: view.id, kind: view.kind, audience: view.audience, enterpriseId: view.enterpriseId, enterpriseName: row.enterprise_name, loanId: view.loanId, businessDate: view.businessDate, params: view.params, texts: view.texts, phone });
        delivered.add(channel.name);
      } catch (error) {
        errors.push(`${channel.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const attempts = view.attempts + 1;
    const done = errors.length === 0;
    const gaveUp = !done && attempts >= MAX_ATTEMPTS;
    await db
      .updateTable('notification')
      .set({
        status: done ? 'sent' : gaveUp ? 'failed' : 'pending',
        attempts,
        delivered: [...delivered].join(','),
        last_error: errors.join('; ').slice(0, 2000),
        next_attempt_at: done || gaveUp ? now : new Date(now.getTime() + retryDelaySeconds(attempts) * 1000),
        claimed_until: null,
        sent_at: done ? now : null,
      })
      .where('id', '=', row.id)
      .execute();
    if (done) sent++;
    else if (gaveUp) failed++;
    else retrying++;
  }
  return { sent, retrying, failed };
}

/**
 * Delivers every `intervalSeconds` until stopped (`sprout serve`); a pass never overlaps the last.
 * Returns the function that stops it.
 */
export function startNoticeDelivery(db: Kysely<Database>, channels: readonly NotificationChannel[], options: { readonly intervalSeconds: number; readonly onError?: (error: unknown) => void; readonly onPass?: (outcome: DeliveryOutcome) => void }): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverPendingNotices(db, channels)
      .then((outcome) => options.onPass?.(outcome))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = false;
      });
  }, options.intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
