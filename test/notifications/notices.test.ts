import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { inTransaction } from '../../src/db/transaction.js';
import { runEod } from '../../src/eod/index.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookChannel, webhookSignature, type NotificationChannel, type OutgoingNotice } from '../../src/notifications/channels.js';
import { deliverPendingNotices, retryDelaySeconds } from '../../src/notifications/deliver-notices.js';
import { writeNightNotices } from '../../src/notifications/night-notices.js';
import { channelsFrom } from '../../src/notifications/notification-config.js';
import { listNotices } from '../../src/notifications/outbox.js';
import { noticeText } from '../../src/notifications/notice-texts.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { repay } from '../../src/servicing/repayment.js';
import { loanById } from '../../src/servicing/loans.js';
import { formatMoney } from '../../src/money/format-money.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { bullet, createEnterprise, createLoan } from '../support/loan-fixtures.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';

/** A channel that keeps what it was given. */
function recordingChannel(name = 'record'): NotificationChannel & { readonly sent: OutgoingNotice[] } {
  const sent: OutgoingNotice[] = [];
  return { name, sent, send: async (notice) => void sent.push(notice) };
}

/** A local HTTP server that answers 500 to the first `failures` requests, then 200; it keeps each request. */
async function fakeReceiver(failures: number) {
  const received: { headers: IncomingMessage['headers']; body: string; status: number }[] = [];
  let left = failures;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const status = left > 0 ? 500 : 200;
      if (left > 0) left--;
      received.push({ headers: request.headers, body, status });
      response.writeHead(status).end(status === 200 ? 'ok' : 'down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    recover: () => (left = 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const SECRET = 'a-webhook-secret-of-length';

describe('notice texts', () => {
  it('name the figures in both languages', () => {
    const text = noticeText('due-reminder', { noteNo: 'JJ20250630-00001', dueOn: '2025-07-04', amount: '100036.25', daysBefore: '3' });
    assert.equal(text.zh.title, '还款提醒：借据 JJ20250630-00001 将于 2025-07-04 到期');
    assert.match(text.zh.body, /100036\.25 元/);
    assert.match(text.en.body, /CNY 100036\.25 falls due on 2025-07-04 \(in 3 days\)/);
  });

  it('the configuration refuses a webhook without an address or a long enough secret, and an unknown channel', () => {
    assert.throws(() => channelsFrom({ SPROUT_NOTIFY_CHANNELS: 'webhook', SPROUT_NOTIFY_WEBHOOK_SECRET: SECRET }), /needs an address/);
    assert.throws(() => channelsFrom({ SPROUT_NOTIFY_CHANNELS: 'webhook', SPROUT_NOTIFY_WEBHOOK_URL: 'http://x', SPROUT_NOTIFY_WEBHOOK_SECRET: 'short' }), /16 characters/);
    assert.throws(() => channelsFrom({ SPROUT_NOTIFY_CHANNELS: 'fax' }), /unknown channel "fax"/);
    assert.deepEqual(channelsFrom({}).map((c) => c.name), ['sms', 'email']);
    assert.deepEqual(channelsFrom({ SPROUT_NOTIFY_CHANNELS: 'none' }), []);
    assert.deepEqual([retryDelaySeconds(1), retryDelaySeconds(2), retryDelaySeconds(4), retryDelaySeconds(20)], [60, 120, 480, 21600]);
  });
});

for (const backend of BACKENDS) {
  describe(`notices on ${backend}`, () => {
    it('end of day writes a reminder 3 days before a due date, and it is sent once however often the night is written or delivered', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firm = await createEnterprise(db, 'Sprout Reminder Co.');
        const loanId = await createLoan(db, { enterpriseId: firm, principal: 10_000_000n, installments: [{ dueOn: '2025-07-04', principal: 4_000_000n, interest: 36_250n }, { dueOn: '2025-08-04', principal: 6_000_000n, interest: 22_000n }] });
        const loan = await loanById(db, loanId);
        await runEod(db, { reminderDays: 3 }); // closes 2025-06-30: reminds of 2025-07-04
        const written = await listNotices(db, { kind: 'due-reminder' });
        assert.equal(written.length, 1);
        assert.deepEqual(written[0]!.params, { noteNo: loan.note_no, dueOn: '2025-07-04', amount: '40362.50', daysBefore: '3' });
        assert.equal(written[0]!.status, 'pending');
        // The same night written again (a rerun, a catch-up) adds nothing.
        assert.equal((await inTransaction(db, (trx) => writeNightNotices(trx, parseBusinessDate('2025-06-30', 'd'), 3))).reminders, 0);
        const channel = recordingChannel();
        assert.deepEqual(await deliverPendingNotices(db, [channel]), { sent: 1, retrying: 0, failed: 0 });
        await runEod(db, { reminderDays: 3 }); // 2025-07-01: nothing due on 2025-07-05
        assert.deepEqual(await deliverPendingNotices(db, [channel]), { sent: 0, retrying: 0, failed: 0 });
        assert.equal(channel.sent.length, 1);
        assert.equal(channel.sent[0]!.texts.zh.title, `还款提醒：借据 ${loan.note_no} 将于 2025-07-04 到期`);
        const [sent] = await listNotices(db, { loanId });
        assert.deepEqual([sent!.status, sent!.attempts, sent!.delivered], ['sent', 1, ['record']]);
        assert.ok(sent!.sentAt !== null);
      });
    });

    it('the night a bill goes unpaid writes one overdue notice with what is overdue', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const firm = await createEnterprise(db, 'Sprout Late Co.');
        const loanId = await createLoan(db, bullet(firm, 5_000_000n, '2025-07-02'));
        let notice;
        // Bounded: the bill of 2025-07-02 is overdue within a week, weekends included.
        for (let night = 0; night < 10 && notice === undefined; night++) {
          await runEod(db, { reminderDays: 0 });
          notice = (await listNotices(db, { kind: 'overdue' }))[0];
        }
        assert.ok(notice !== undefined, 'an overdue notice');
        const loan = await loanById(db, loanId);
        assert.deepEqual(notice.params, { noteNo: loan.note_no, overdueSince: loan.overdue_since, amountOverdue: formatMoney(loan.principal_due + loan.interest_due + loan.penalty_due) });
        assert.equal(loan.dpd, 1);
        await runEod(db, { reminderDays: 0 });
        assert.equal((await listNotices(db, { kind: 'overdue' })).length, 1);
        assert.equal((await listNotices(db, { kind: 'due-reminder' })).length, 0);
      });
    });

    it('a drawdown and a repayment each write their receipt in their own transaction; a rolled-back repayment writes none', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const line = await borrowerWithLine(db);
        const loan = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '20000.00', termDays: 90 }, 'borrower'));
        await assert.rejects(
          inTransaction(db, async (trx) => {
            await repay(trx, { loanId: loan.loanId, amount: '500.00' }, 'borrower');
            throw new Error('the transfer bounced');
          }),
          /bounced/,
        );
        assert.equal((await listNotices(db, { kind: 'repayment-receipt' })).length, 0);
        const paid = await inTransaction(db, (trx) => repay(trx, { loanId: loan.loanId, amount: '500.00' }, 'borrower'));
        const [receipt] = await listNotices(db, { kind: 'repayment-receipt' });
        assert.deepEqual(receipt!.params, { noteNo: loan.noteNo, entryId: paid.entryId, amount: '500.00', paidOn: '2025-06-30', principal: formatMoney(paid.allocation.principalDue + paid.allocation.principalNotDue), interest: '0.00', penalty: '0.00', overpayment: '0.00', loanStatus: 'active' });
        const [drawn] = await listNotices(db, { kind: 'drawdown-receipt' });
        assert.deepEqual(drawn!.params, { noteNo: loan.noteNo, amount: '20000.00', annualRate: '4.35', disbursedOn: '2025-06-30', maturityOn: loan.maturityOn });
        assert.deepEqual([drawn!.audience, drawn!.enterpriseId, drawn!.loanId], ['borrower', line.enterpriseId, loan.loanId]);
      });
    });

    it('a webhook that fails then recovers: retried with backoff within a delivery, signed each time', async () => {
      const receiver = await fakeReceiver(2);
      try {
        await withTestDatabase(backend, async ({ db }) => {
          const line = await borrowerWithLine(db);
          await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '20000.00', termDays: 90 }, 'borrower'));
          const outcome = await deliverPendingNotices(db, [webhookChannel({ url: receiver.url, secret: SECRET, tries: 3, backoffMs: 10 })]);
          assert.deepEqual(outcome, { sent: 1, retrying: 0, failed: 0 });
          assert.deepEqual(receiver.received.map((r) => r.status), [500, 500, 200]);
          for (const request of receiver.received) {
            assert.equal(request.headers[SIGNATURE_HEADER], webhookSignature(SECRET, String(request.headers[TIMESTAMP_HEADER]), request.body));
          }
          const payload = JSON.parse(receiver.received[2]!.body) as { kind: string; params: Record<string, string>; texts: { zh: { title: string } } };
          assert.equal(payload.kind, 'drawdown-receipt');
          assert.equal(payload.params['amount'], '20000.00');
          assert.match(payload.texts.zh.title, /^放款回单：借据 JJ20250630-/);
        });
      } finally {
        await receiver.close();
      }
    });

    it('a webhook down for a whole delivery: the notice waits with its error, is retried later on the failed channel only, and is sent when it recovers', async () => {
      const receiver = await fakeReceiver(1000);
      try {
        await withTestDatabase(backend, async ({ db }) => {
          const line = await borrowerWithLine(db);
          await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '20000.00', termDays: 90 }, 'borrower'));
          const sms = recordingChannel('sms');
          const channels = [sms, webhookChannel({ url: receiver.url, secret: SECRET, tries: 2, backoffMs: 5 })];
          const now = new Date(Date.now() + 1000);
          assert.deepEqual(await deliverPendingNotices(db, channels, { now }), { sent: 0, retrying: 1, failed: 0 });
          const [waiting] = await listNotices(db, {});
          assert.deepEqual([waiting!.status, waiting!.attempts, waiting!.delivered], ['pending', 1, ['sms']]);
          assert.match(waiting!.lastError, /^webhook: webhook http:\/\/127\.0\.0\.1:\d+\/hook: HTTP 500 after 2 tries$/);
          // Not due again before its backoff (60 s after the first attempt).
          assert.deepEqual(await deliverPendingNotices(db, channels, { now: new Date(now.getTime() + 30_000) }), { sent: 0, retrying: 0, failed: 0 });
          receiver.recover();
          assert.deepEqual(await deliverPendingNotices(db, channels, { now: new Date(now.getTime() + 61_000) }), { sent: 1, retrying: 0, failed: 0 });
          assert.equal(sms.sent.length, 1, 'the SMS is not sent again');
          const [sent] = await listNotices(db, {});
          assert.deepEqual([sent!.status, sent!.attempts, sent!.delivered, sent!.lastError], ['sent', 2, ['sms', 'webhook'], '']);
          assert.equal(receiver.received.length, 3);
        });
      } finally {
        await receiver.close();
      }
    });
  });
}
