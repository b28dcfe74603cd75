/**
 * `sprout notices deliver|list`: the notification outbox from the command line. `deliver` makes
 * one delivery pass over the notices due, through the channels the environment configures
 * (src/notifications/notification-config.ts) — what `sprout serve` does every
 * `SPROUT_NOTIFY_INTERVAL_SECONDS`; `list` shows the newest notices with their delivery status.
 */
import { Command, Option } from 'commander';
import { openCommandDatabase } from './command-database.js';
import { deliverPendingNotices } from '../notifications/deliver-notices.js';
import { NOTICE_STATUSES, type NoticeStatus } from '../notifications/notice-kinds.js';
import { channelsFrom } from '../notifications/notification-config.js';
import { loggingGateway } from '../notifications/channels.js';
import { listNotices } from '../notifications/outbox.js';
import { cliIo } from './io.js';
import { runCommand } from './run-command.js';

export function noticesCommand(): Command {
  const notices = new Command('notices').description('notifications (通知): deliver the pending ones once, or list them with their status');
  const dataDir = () => new Option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set');
  const format = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
  notices
    .command('deliver')
    .description('one delivery pass over the notices due, through the configured channels (SPROUT_NOTIFY_CHANNELS)')
    .addOption(dataDir())
    .addOption(format())
    .action(
      runCommand(async (flags: { dataDir?: string; format: string }) => {
        const io = cliIo();
        // The logging gateways write to this command's own output, one JSON line per message.
        const channels = channelsFrom(io.env, (channel) => loggingGateway(channel, (line) => io.stdout.write(`${line}\n`)));
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const outcome = await deliverPendingNotices(database.db, channels);
          io.stdout.write(flags.format === 'json' ? `${JSON.stringify({ channels: channels.map((c) => c.name), ...outcome })}\n` : `delivered ${outcome.sent}, to retry ${outcome.retrying}, failed ${outcome.failed} (channels: ${channels.map((c) => c.name).join(', ') || 'none'})\n`);
        } finally {
          await database.close();
        }
      }),
    );
  notices
    .command('list')
    .description('the newest notices, with their delivery status')
    .addOption(new Option('--status <STATUS>', 'only these').choices([...NOTICE_STATUSES]))
    .addOption(new Option('--limit <N>', 'how many (1 to 500)').default('50'))
    .addOption(dataDir())
    .addOption(format())
    .action(
      runCommand(async (flags: { status?: NoticeStatus; limit: string; dataDir?: string; format: string }) => {
        const io = cliIo();
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const rows = await listNotices(database.db, { ...(flags.status === undefined ? {} : { status: flags.status }), limit: Math.max(1, Math.min(500, Number(flags.limit) || 50)) });
          io.stdout.write(
            flags.format === 'json'
              ? `${JSON.stringify({ notices: rows })}\n`
              : rows.map((n) => `${n.businessDate}  ${n.status.padEnd(7)}  ${n.kind.padEnd(17)}  ${n.texts.zh.title}${n.lastError === '' ? '' : `  (${n.lastError})`}\n`).join(''),
          );
        } finally {
          await database.close();
        }
      }),
    );
  return notices;
}
