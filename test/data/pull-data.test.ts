import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyAuditTrail } from '../../src/audit/audit-trail.js';
import { grantDataAuthorisation, listDataAuthorisations, revokeDataAuthorisation } from '../../src/data/authorisations.js';
import { fetchPull, loadPulledData, pullData, pullWithRecordSets } from '../../src/data/pull-data.js';
import { simulatedCreditCode, simulatedEnterpriseInput, simulatedFirm } from '../../src/data/simulated-firm.js';
import { simulatedProvider } from '../../src/data/simulated-provider.js';
import { sql, type Kysely } from 'kysely';
import { up as migrateToRecordSets } from '../../src/db/migrations/0013-data-record-sets.js';
import { recordSetsAsText } from '../../src/db/migrations/0061-record-sets-as-text.js';
import { uuidv7 } from '../../src/ids.js';
import { parseBusinessDate } from '../../src/calendar/index.js';
import type { Database } from '../../src/db/schema.js';
import type { StoredRecord } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { extractFeatures } from '../../src/features/extract-features.js';
import { getEnterprise } from '../../src/enterprises/enterprises.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { unlessCitus } from '../support/citus.js';

const SEED = 21;
const provider = simulatedProvider({ seed: SEED });
// 10:00 in Beijing on 2025-06-30.
const NOW = new Date('2025-06-30T02:00:00Z');

async function simulatedEnterprise(db: Kysely<Database>): Promise<string> {
  let i = 0;
  while (simulatedFirm(simulatedCreditCode(SEED, i), SEED).registeredOn > '2022-01-01') i++;
  const firm = simulatedFirm(simulatedCreditCode(SEED, i), SEED);
  return (await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm), 'account-manager'))).id;
}

const grant = (db: Kysely<Database>, enterpriseId: string, sources: string[], expiresOn = '2026-05-31', purpose = 'credit-assessment') =>
  inTransaction(db, (trx) => grantDataAuthorisation(trx, { enterpriseId, sources, purpose, grantedOn: '2025-06-01', expiresOn, evidence: 'e-sign 2025-0601-17' }, 'owner-1', new Date('2025-06-01T01:00:00Z')));

for (const backend of BACKENDS) {
  describe(`data authorisations and pulls on ${backend}`, () => {
    it('pulls under an authorisation: stores every record with its source and pull time, and audits grant and pull', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await simulatedEnterprise(db);
        const authorisation = await grant(db, enterpriseId, ['tax', 'electricity', 'courts']);
        const pull = await inTransaction(db, (trx) => pullData(trx, enterpriseId, ['tax', 'electricity', 'courts'], 'credit-assessment', provider, NOW, { actor: 'decision-engine' }));
        assert.equal(pull.asOf, '2025-06-30');
        assert.equal(pull.sources.tax?.records.length, 24);
        assert.equal(pull.sources.electricity?.records.length, 24);
        assert.deepEqual(pull.authorisations, { tax: authorisation.id, electricity: authorisation.id, courts: authorisation.id });
        // One stored set per source, each record in it with its kind and period; the set keeps the source, pull and time.
        const rows = await db.selectFrom('data_record_set').select(['source', 'pulled_at', 'pull_id', 'record_count', 'records']).orderBy('source').execute();
        const stored = rows.map((row) => ({ ...row, records: JSON.parse(row.records) as StoredRecord[] }));
        assert.deepEqual(stored.map((r) => r.source), ['courts', 'electricity', 'tax']);
        assert.equal(stored.reduce((n, r) => n + r.records.length, 0), pull.recordCount);
        assert.ok(stored.every((r) => r.pull_id === pull.pullId && new Date(r.pulled_at).getTime() === NOW.getTime() && r.record_count === r.records.length));
        const tax = stored.find((r) => r.source === 'tax')!;
        assert.equal(tax.records.length, 24);
        assert.ok(tax.records.every((record) => record.kind === 'tax-month' && /^[0-9]{4}-[0-9]{2}$/.test(record.period)));
        const row = await db.selectFrom('data_pull').selectAll().where('id', '=', pull.pullId).executeTakeFirstOrThrow();
        assert.equal(row.provider, 'simulated:21');
        assert.equal(row.actor, 'decision-engine');
        const actions = (await db.selectFrom('audit_event').select('action').execute()).map((r) => r.action).sort();
        assert.deepEqual(actions, ['data-authorisation.grant', 'data.pull', 'enterprise.create']);
        assert.deepEqual((await verifyAuditTrail(db)).findings, []);
        // What is stored reads back as what was pulled, and gives the same features.
        const loaded = await loadPulledData(db, enterpriseId);
        assert.deepEqual(loaded?.sources.tax?.records, pull.sources.tax?.records);
        assert.deepEqual(loaded?.sources.courts?.records, pull.sources.courts?.records);
        const enterprise = await getEnterprise(db, enterpriseId);
        assert.deepEqual(extractFeatures(enterprise, loaded!).features.sales_12m_yuan, extractFeatures(enterprise, pull).features.sales_12m_yuan);
      });
    });

    it("reads a pull's record sets from its own row (the monitoring run's layout, migration 0074) and from data_record_set alike, each source from its latest pull", async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await simulatedEnterprise(db);
        await grant(db, enterpriseId, ['tax', 'electricity', 'courts']);
        const older = await inTransaction(db, (trx) => pullData(trx, enterpriseId, ['tax', 'electricity', 'courts'], 'credit-assessment', provider, NOW));
        const enterprise = await getEnterprise(db, enterpriseId);
        const later = new Date('2025-07-01T02:00:00Z');
        const fetched = await fetchPull({ enterprise: { id: enterpriseId, creditCode: enterprise.creditCode!, industry: enterprise.industry }, sources: ['electricity', 'courts'], purpose: 'post-lending-monitoring', provider, asOf: parseBusinessDate('2025-07-01', 'asOf'), months: 13, actor: 'monitoring', now: later, authorisations: {} });
        await db.insertInto('data_pull').values(pullWithRecordSets(fetched.stored)).execute();
        // One row for the later pull: its sets are in it, none in data_record_set.
        assert.deepEqual((await db.selectFrom('data_record_set').select('pull_id').execute()).map((row) => row.pull_id), [older.pullId, older.pullId, older.pullId]);
        const loaded = await loadPulledData(db, enterpriseId);
        assert.equal(loaded?.asOf, '2025-07-01');
        assert.equal(loaded?.sources.tax?.pullId, older.pullId);
        assert.deepEqual(loaded?.sources.tax?.records, older.sources.tax?.records);
        assert.equal(loaded?.sources.electricity?.pullId, fetched.result.pullId);
        assert.equal(loaded?.sources.electricity?.records.length, 13);
        assert.deepEqual(loaded?.sources.electricity?.records, fetched.result.sources.electricity?.records);
        assert.deepEqual(loaded?.sources.courts?.records, fetched.result.sources.courts?.records);
        // Asked for the credit assessment alone, the older pull's sets as they were.
        const assessed = await loadPulledData(db, enterpriseId, { purpose: 'credit-assessment' });
        assert.deepEqual(assessed?.sources.electricity?.records, older.sources.electricity?.records);
      });
    });

    const migration0013 = 'migration 0013 moves records stored one per row into one set per pull and source, reading back the same';
    it(migration0013, unlessCitus(backend, migration0013), async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await simulatedEnterprise(db);
        await grant(db, enterpriseId, ['tax', 'registration']);
        const pull = await inTransaction(db, (trx) => pullData(trx, enterpriseId, ['tax', 'registration'], 'credit-assessment', provider, NOW));
        const sets = await db.selectFrom('data_record_set').selectAll().execute();
        // Back to the layout before 0013: one row per record, inserted newest period first.
        await db.schema.dropTable('data_record_set').execute();
        // And data_pull's key as it was then (migration 0070 added enterprise_id to it).
        await sql`alter table data_pull add constraint data_pull_id_key unique (id)`.execute(db);
        await sql`create table data_record (id uuid primary key, pull_id uuid not null references data_pull (id), enterprise_id uuid not null references enterprise (id),
          source text not null, kind text not null, period text not null, payload jsonb not null, pulled_at timestamptz not null)`.execute(db);
        let rows = 0;
        for (const set of sets) {
          for (const record of [...(JSON.parse(set.records) as StoredRecord[])].reverse()) {
            await sql`insert into data_record values (${uuidv7()}, ${set.pull_id}, ${set.enterprise_id}, ${set.source}, ${record.kind}, ${record.period}, ${JSON.stringify(record.payload)}::jsonb, ${NOW})`.execute(db);
            rows++;
          }
        }
        assert.equal(rows, pull.recordCount);
        await migrateToRecordSets(db as unknown as Kysely<unknown>);
        // And on to today's layout (0061: the records as text, one composite key to the pull).
        await recordSetsAsText(db as unknown as Kysely<unknown>);
        const moved = await db.selectFrom('data_record_set').select(['source', 'record_count', 'pull_id']).orderBy('source').execute();
        // A source that returned nothing had no rows before, so it has no set after; it still reads back as empty.
        const expected = sets.filter((set) => set.record_count > 0).map((set) => [set.source, set.record_count, pull.pullId]).sort();
        assert.ok(expected.length > 0);
        assert.deepEqual(moved.map((set) => [set.source, set.record_count, set.pull_id]), expected);
        const loaded = await loadPulledData(db, enterpriseId);
        assert.deepEqual(loaded?.sources.tax?.records, pull.sources.tax?.records);
        assert.deepEqual(loaded?.sources.registration?.records, pull.sources.registration?.records);
      });
    });

    it('refuses a source no authorisation covers, naming it, and stores nothing', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await simulatedEnterprise(db);
        await grant(db, enterpriseId, ['tax']);
        await assert.rejects(
          inTransaction(db, (trx) => pullData(trx, enterpriseId, ['tax', 'credit-bureau', 'water'], 'credit-assessment', provider, NOW)),
          (error: Error & { code?: string; field?: string; missing?: string[] }) => {
            assert.equal(error.code, 'NOT_AUTHORISED');
            assert.equal(error.field, 'sources');
            assert.deepEqual(error.missing, ['credit-bureau', 'water']);
            assert.match(error.message, /covers 'credit-bureau', 'water' for credit-assessment on 2025-06-30/);
            return true;
          },
        );
        // Consent for credit assessment is not consent for monitoring.
        await assert.rejects(inTransaction(db, (trx) => pullData(trx, enterpriseId, ['tax'], 'post-lending-monitoring', provider, NOW)), { code: 'NOT_AUTHORISED' });
        assert.equal((await db.selectFrom('data_pull').select('id').execute()).length, 0);
        assert.equal((await db.selectFrom('data_record_set').select('pull_id').execute()).length, 0);
      });
    });

    it('an authorisation is valid through its expiry date (China time) and not after', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await simulatedEnterprise(db);
        await grant(db, enterpriseId, ['water'], '2025-06-30');
        // 23:59 on 2025-06-30 in Beijing is 15:59 UTC: still valid.
        await inTransaction(db, (trx) => pullData(trx, enterpriseId, ['water'], 'credit-assessment', provider, new Date('2025-06-30T15:59:00Z')));
        // 00:01 on 2025-07-01 in Beijing, though still 2025-06-30 in UTC: expired.
        await assert.rejects(inTransaction(db, (trx) => pullData(trx, enterpriseId, ['water'], 'credit-assessment', provider, new Date('2025-06-30T16:01:00Z'))), { code: 'NOT_AUTHORISED', message: /on 2025-07-01/ });
        // Nor before it was granted.
        await assert.rejects(inTransaction(db, (trx) => pullData(trx, enterpriseId, ['water'], 'credit-assessment', provider, new Date('2025-05-31T02:00:00Z'))), { code: 'NOT_AUTHORISED' });
      });
    });

    it('a revoked authorisation stops pulls from the moment of revocation; revoking twice conflicts; both audited', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await simulatedEnterprise(db);
        const authorisation = await grant(db, enterpriseId, ['tax', 'social-security']);
        const revokedAt = new Date('2025-06-30T03:00:00Z');
        await inTransaction(db, (trx) => revokeDataAuthorisation(trx, authorisation.id, 'owner-1', revokedAt));
        // A pull dated before the revocation (say, a retried batch) was allowed; one after is not.
        await inTransaction(db, (trx) => pullData(trx, enterpriseId, ['tax'], 'credit-assessment', provider, new Date('2025-06-30T02:59:59Z')));
        await assert.rejects(inTransaction(db, (trx) => pullData(trx, enterpriseId, ['social-security'], 'credit-assessment', provider, revokedAt)), { code: 'NOT_AUTHORISED', message: /'social-security'/ });
        await assert.rejects(inTransaction(db, (trx) => revokeDataAuthorisation(trx, authorisation.id, 'owner-1', revokedAt)), { code: 'CONFLICT' });
        const [listed] = await listDataAuthorisations(db, enterpriseId);
        assert.equal(listed?.revokedAt?.getTime(), revokedAt.getTime());
        const actions = (await db.selectFrom('audit_event').select('action').where('entity_id', '=', authorisation.id).orderBy('at').execute()).map((r) => r.action);
        assert.deepEqual(actions, ['data-authorisation.grant', 'data-authorisation.revoke']);
        // A fresh grant restores access.
        await grant(db, enterpriseId, ['social-security']);
        await inTransaction(db, (trx) => pullData(trx, enterpriseId, ['social-security'], 'credit-assessment', provider, NOW));
      });
    });

    it('validates grants: sources, purpose, dates, a known enterprise', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const enterpriseId = await simulatedEnterprise(db);
        const base = { enterpriseId, sources: ['tax'], purpose: 'credit-assessment', grantedOn: '2025-06-01', expiresOn: '2026-05-31' };
        const attempt = (input: object) => inTransaction(db, (trx) => grantDataAuthorisation(trx, { ...base, ...input }, 'u'));
        await assert.rejects(attempt({ sources: [] }), { code: 'VALIDATION', field: 'sources' });
        await assert.rejects(attempt({ sources: ['tax', 'gossip'] }), { code: 'VALIDATION', field: 'sources[1]' });
        await assert.rejects(attempt({ sources: ['tax', 'tax'] }), { code: 'VALIDATION', field: 'sources' });
        await assert.rejects(attempt({ purpose: 'marketing' }), { code: 'VALIDATION', field: 'purpose' });
        await assert.rejects(attempt({ expiresOn: '2025-05-31' }), { code: 'VALIDATION', field: 'expiresOn' });
        await assert.rejects(attempt({ expiresOn: '2029-06-01' }), { code: 'VALIDATION', field: 'expiresOn' });
        await assert.rejects(attempt({ enterpriseId: '01900000-0000-7000-8000-000000000000' }), { code: 'NOT_FOUND' });
      });
    });
  });
}
