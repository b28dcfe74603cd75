/**
 * How a notice leaves Sprout: a channel delivers one notice or throws. Three ship —
 * `webhook` (a signed JSON POST to the bank's own messaging system, retried with backoff), `sms`
 * and `email` (each over a gateway interface whose default adapter only logs what it would send:
 * a bank plugs in its SMS or mail provider by implementing `MessageGateway`). Every channel passes
 * test/notifications/channel-conformance.ts.
 */
import { createHmac } from 'node:crypto';
import type { NoticeAudience, NoticeKind } from './notice-kinds.js';
import type { NoticeTexts } from './notice-texts.js';

/** A notice on its way out, with whom it is for. */
export interface OutgoingNotice {
  readonly id: string;
  readonly kind: NoticeKind;
  readonly audience: NoticeAudience;
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly loanId: string | null;
  readonly businessDate: string;
  readonly params: Readonly<Record<string, string>>;
  readonly texts: NoticeTexts;
  /** The legal representative's mobile number, when recorded (SMS to the borrower). */
  readonly phone: string | null;
}

export interface NotificationChannel {
  /** Recorded in `notification.delivered` once this channel has delivered a notice. */
  readonly name: string;
  /** Delivers the notice or throws; may be called again for the same notice after a failure. */
  send(notice: OutgoingNotice): Promise<void>;
}

/** Where an SMS or e-mail goes out: the bank's provider, or the logging default. */
export interface MessageGateway {
  send(message: { readonly to: string; readonly subject: string; readonly body: string; readonly noticeId: string }): Promise<void>;
}

/** The default gateway: one JSON line per message on `write` (stdout unless told), nothing sent. */
export function loggingGateway(channel: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): MessageGateway {
  return {
    async send(message) {
      write(JSON.stringify({ notice: message.noticeId, channel, to: message.to, subject: message.subject, body: message.body }));
    },
  };
}

/**
 * SMS to the borrower's legal representative (Chinese text: the borrower's language of record);
 * staff notices go to `staffTo` (a duty phone), or are skipped when none is set.
 */
export function smsChannel(gateway: MessageGateway, options: { readonly staffTo?: string } = {}): NotificationChannel {
  return {
    name: 'sms',
    async send(notice) {
      const to = notice.audience === 'staff' ? options.staffTo : notice.phone;
      // No number recorded: nothing to send on this channel, which is not a failure to retry.
      if (to === undefined || to === null || to === '') return;
      await gateway.send({ to, subject: notice.texts.zh.title, body: `【Sprout】${notice.texts.zh.body}`, noticeId: notice.id });
    },
  };
}

/** E-mail with both languages; to the enterprise's address of record (its id as a placeholder until one is kept) or staff's. */
export function emailChannel(gateway: MessageGateway, options: { readonly staffTo?: string } = {}): NotificationChannel {
  return {
    name: 'email',
    async send(notice) {
      const to = notice.audience === 'staff' ? (options.staffTo ?? '') : `enterprise:${notice.enterpriseId}`;
      if (to === '') return;
      await gateway.send({ to, subject: `${notice.texts.zh.title} / ${notice.texts.en.title}`, body: `${notice.texts.zh.body}\n\n${notice.texts.en.body}`, noticeId: notice.id });
    },
  };
}

export interface WebhookOptions {
  readonly url: string;
  /** The shared secret the signature is made with (HMAC-SHA256). */
  readonly secret: string;
  /** Tries within one delivery (default 3); the outbox retries later again past these. */
  readonly tries?: number;
  /** The wait before the second try, doubled for each next (default 500 ms). */
  readonly backoffMs?: number;
  /** Per try (default 5000 ms). */
  readonly timeoutMs?: number;
}

/** The header a receiver checks: `sha256=` + HMAC-SHA256(secret, `${timestamp}.${body}`) in hex. */
export const SIGNATURE_HEADER = 'x-sprout-signature';
export const TIMESTAMP_HEADER = 'x-sprout-timestamp';

/**
 * The signature a webhook request carries; a receiver recomputes it over the raw body and the
 * timestamp header and compares (and refuses timestamps too old, against replays).
 *
 * @example
 * webhookSignature('s3cret', '1767225600', '{"id":"…"}'); // "sha256=9f2c…"
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs each notice as JSON to `url`, signed; a non-2xx answer, a timeout or a refused connection
 * is tried again after `backoffMs`, `2 × backoffMs`, … up to `tries`, then thrown (the outbox
 * schedules a later attempt). `x-sprout-notification-id` lets the receiver drop a repeat.
 */
export function webhookChannel(options: WebhookOptions): NotificationChannel {
  const tries = options.tries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    name: 'webhook',
    async send(notice) {
      const body = JSON.stringify({ id: notice.id, kind: notice.kind, audience: notice.audience, enterpriseId: notice.enterpriseId, enterpriseName: notice.enterpriseName, loanId: notice.loanId, businessDate: notice.businessDate, params: notice.params, texts: notice.texts });
      let lastError = '';
      // Bounded by `tries`.
      for (let attempt = 0; attempt < tries; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
        const timestamp = String(Math.floor(Date.now() / 1000));
        try {
          const response = await fetch(options.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: webhookSignature(options.secret, timestamp, body), 'x-sprout-notification-id': notice.id },
            body,
            signal: AbortSignal.timeout(timeoutMs),
          });
          await response.arrayBuffer();
          if (response.ok) return;
          lastError = `HTTP ${response.status}`;
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error);
        }
      }
      throw new Error(`webhook ${options.url}: ${lastError} after ${tries} tries`);
    },
  };
}
