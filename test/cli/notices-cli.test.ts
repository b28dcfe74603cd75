import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { inTransaction } from '../../src/db/transaction.js';
import { enqueueNotice } from '../../src/notifications/outbox.js';
import { BACKENDS } from '../support/backends.js';
import { sprout } from '../support/cli.js';
import { newPlace } from '../support/cli-place.js';

for (const backend of BACKENDS) {
  describe(`sprout notices on ${backend}`, () => {
    it('deliver makes one pass through the configured channels (the logging e-mail here) and list shows the status', async () => {
      const place = await newPlace(backend, 'sprout-notices-');
      try {
        const database = await place.open();
        try {
          const firm = await inTransaction(database.db, (trx) => createEnterprise(trx, { name: '杭州绿芽茶叶有限公司', sizeClass: 'micro' }, 'test'));
          await enqueueNotice(database.db, { kind: 'drawdown-receipt', dedupeKey: 'drawdown-receipt:cli', enterpriseId: firm.id, businessDate: parseBusinessDate('2025-06-30', 'd'), params: { noteNo: 'JJ20250630-00001', amount: '20000.00', annualRate: '4.35', disbursedOn: '2025-06-30', maturityOn: '2025-09-28' } });
        } finally {
          await database.close();
        }
        const env = { ...place.env, SPROUT_NOTIFY_CHANNELS: 'email' };
        const delivered = await sprout(['notices', 'deliver', '--format', 'json', ...place.args], env);
        assert.equal(delivered.status, 0, delivered.stderr);
        const lines = delivered.stdout.trim().split('\n');
        assert.deepEqual(JSON.parse(lines.at(-1)!), { channels: ['email'], sent: 1, retrying: 0, failed: 0 });
        // The logging gateway's line: what an e-mail would have said.
        const logged = JSON.parse(lines[0]!) as { channel: string; subject: string };
        assert.deepEqual([logged.channel, logged.subject], ['email', '放款回单：借据 JJ20250630-00001 / Drawdown receipt: loan note JJ20250630-00001']);
        const again = await sprout(['notices', 'deliver', ...place.args], env);
        assert.equal(again.stdout, 'delivered 0, to retry 0, failed 0 (channels: email)\n');
        const listed = await sprout(['notices', 'list', '--status', 'sent', ...place.args], env);
        assert.equal(listed.stdout, '2025-06-30  sent     drawdown-receipt   放款回单：借据 JJ20250630-00001\n');
        const refused = await sprout(['notices', 'deliver', ...place.args], { ...place.env, SPROUT_NOTIFY_CHANNELS: 'webhook' });
        assert.equal(refused.status, 2, 'a configuration error, as a usage error');
        assert.match(refused.stderr, /SPROUT_NOTIFY_WEBHOOK_URL/);
      } finally {
        await place.drop();
      }
    });
  });
}
