/**
 * Notices as the environment configures them (docs/operations.md, "Notices"):
 *
 * | variable | default | |
 * |---|---|---|
 * | `SPROUT_NOTIFY_CHANNELS` | `sms,email` | channels, comma-separated: `sms`, `email`, `webhook` (`none`: deliver nothing, notices wait) |
 * | `SPROUT_NOTIFY_WEBHOOK_URL` / `_SECRET` | | the webhook's address and HMAC secret (both required with `webhook`) |
 * | `SPROUT_NOTIFY_WEBHOOK_TRIES` / `_BACKOFF_MS` / `_TIMEOUT_MS` | 3 / 500 / 5000 | |
 * | `SPROUT_NOTIFY_STAFF_PHONE` / `_EMAIL` | | where staff notices (warnings) go by SMS / e-mail |
 * | `SPROUT_NOTIFY_INTERVAL_SECONDS` | 30 | how often `sprout serve` delivers (`0`: not at all) |
 * | `SPROUT_REMINDER_DAYS` | 3 | days before a due date the reminder is written |
 */
import { ValidationError } from '../errors.js';
import { emailChannel, loggingGateway, smsChannel, webhookChannel, type MessageGateway, type NotificationChannel } from './channels.js';

export const DEFAULT_REMINDER_DAYS = 3;
/** A reminder further ahead than this is not a reminder. */
export const MAX_REMINDER_DAYS = 30;

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) throw new ValidationError(name, `must be a whole number ${min} to ${max}; got "${text}"`);
  return Number(text);
}

/** Days before a due date its reminder is written, from `SPROUT_REMINDER_DAYS` (0: no reminders). */
export function reminderDaysFrom(env: Env = process.env): number {
  return integer(env, 'SPROUT_REMINDER_DAYS', DEFAULT_REMINDER_DAYS, 0, MAX_REMINDER_DAYS);
}

/** Seconds between delivery passes in `sprout serve`, from `SPROUT_NOTIFY_INTERVAL_SECONDS` (0: off). */
export function deliveryIntervalFrom(env: Env = process.env): number {
  return integer(env, 'SPROUT_NOTIFY_INTERVAL_SECONDS', 30, 0, 86_400);
}

/**
 * The channels configured; `gateway` replaces the logging default of SMS and e-mail (tests, or a
 * bank's own adapter wired in code).
 *
 * @example
 * channelsFrom({ SPROUT_NOTIFY_CHANNELS: 'webhook', SPROUT_NOTIFY_WEBHOOK_URL: 'https://msg.bank/sprout', SPROUT_NOTIFY_WEBHOOK_SECRET: '…' });
 */
export function channelsFrom(env: Env = process.env, gateway?: (channel: 'sms' | 'email') => MessageGateway): NotificationChannel[] {
  const names = (env['SPROUT_NOTIFY_CHANNELS'] ?? 'sms,email').split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 1 && names[0] === 'none') return [];
  const gatewayFor = gateway ?? ((channel: 'sms' | 'email') => loggingGateway(channel));
  return names.map((name) => {
    if (name === 'sms') return smsChannel(gatewayFor('sms'), env['SPROUT_NOTIFY_STAFF_PHONE'] === undefined ? {} : { staffTo: env['SPROUT_NOTIFY_STAFF_PHONE'] });
    if (name === 'email') return emailChannel(gatewayFor('email'), env['SPROUT_NOTIFY_STAFF_EMAIL'] === undefined ? {} : { staffTo: env['SPROUT_NOTIFY_STAFF_EMAIL'] });
    if (name === 'webhook') {
      const url = env['SPROUT_NOTIFY_WEBHOOK_URL'];
      const secret = env['SPROUT_NOTIFY_WEBHOOK_SECRET'];
      if (url === undefined || url === '') throw new ValidationError('SPROUT_NOTIFY_WEBHOOK_URL', 'the webhook channel needs an address');
      if (secret === undefined || secret.length < 16) throw new ValidationError('SPROUT_NOTIFY_WEBHOOK_SECRET', 'the webhook channel needs a secret of at least 16 characters to sign with');
      return webhookChannel({
        url,
        secret,
        tries: integer(env, 'SPROUT_NOTIFY_WEBHOOK_TRIES', 3, 1, 10),
        backoffMs: integer(env, 'SPROUT_NOTIFY_WEBHOOK_BACKOFF_MS', 500, 0, 60_000),
        timeoutMs: integer(env, 'SPROUT_NOTIFY_WEBHOOK_TIMEOUT_MS', 5000, 100, 120_000),
      });
    }
    throw new ValidationError('SPROUT_NOTIFY_CHANNELS', `unknown channel "${name}": use sms, email, webhook or none`);
  });
}
