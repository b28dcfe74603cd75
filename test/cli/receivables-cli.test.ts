/**
 * `sprout receivables import --core ID FILE.csv [--confirm]` on both backends: a file with bad
 * rows imports nothing and names each bad row's line and column; a good file imports whole, and
 * with --confirm each row becomes a certificate on the ledger's memo account; the same file again
 * is refused row by row as already registered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { BusinessDate } from '../../src/calendar/business-date.js';
import type { Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createProgramme } from '../../src/supply-chain/programmes.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { BACKENDS } from '../support/backends.js';
import { sprout as runSprout } from '../support/cli.js';
import { newPlace } from '../support/cli-place.js';
import { createEnterprise } from '../support/loan-fixtures.js';
import { balanceOf } from '../supply-chain/scf-fixtures.js';

const SUPPLIER_CODE = '91310115MA1K4XXX0A';

interface Parties {
  readonly core: string;
  readonly supplier: string;
  readonly uninvited: string;
}

/** A core enterprise with a programme inviting one supplier (known by its credit code), and a firm not invited; business date 2025-06-30. */
async function prepare(db: Kysely<Database>): Promise<Parties> {
  await setBusinessDate(db, '2025-06-30' as BusinessDate);
  const core = await createEnterprise(db, '华东重工集团');
  const supplier = await createEnterprise(db, '一级配件厂');
  const uninvited = await createEnterprise(db, '别家工厂');
  await db.updateTable('enterprise').set({ credit_code: SUPPLIER_CODE }).where('id', '=', supplier).execute();
  await inTransaction(db, (trx) =>
    createProgramme(trx, {
      coreEnterpriseId: core, limit: '5000000.00', startsOn: '2025-01-01', endsOn: '2026-12-31', lprTenor: '1y', spread: '0.50', interestPayer: 'supplier',
      interestTiming: 'discounted', advanceRate: '90', maxTenorDays: 180, supplierLimit: '2000000.00', industryLimit: '4000000.00', supplierIds: [supplier],
    }, 'risk-officer'),
  );
  return { core, supplier, uninvited };
}

/** What the import left in the database: receivables (invoice, status, confirmed amount), certificates, the memo account. */
async function written(db: Kysely<Database>) {
  const receivables = await db.selectFrom('scf_receivable').select(['invoice_no', 'status', 'confirmed_amount']).orderBy('invoice_no').execute();
  const certificates = await db.selectFrom('scf_certificate').select('face_amount').orderBy('face_amount').execute();
  return {
    receivables: receivables.map((row) => [row.invoice_no, row.status, row.confirmed_amount]),
    certificates: certificates.map((row) => row.face_amount),
    memo: await balanceOf(db, 'scf-certificates'),
  };
}

const HEADER = 'seller,invoice_no,amount,issued_on,due_on,documents';
const dir = mkdtempSync(join(tmpdir(), 'sprout-receivables-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function csvFile(lines: readonly string[]): string {
  const path = join(dir, `file-${++files}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

for (const backend of BACKENDS) {
  describe(`sprout receivables import on ${backend}`, () => {
    it('bad rows named by line and column import nothing; the corrected file imports whole and confirmed; the same file again is refused row by row', async () => {
      const place = await newPlace(backend, 'sprout-receivables-');
      // The place opened once for the test's commands and reads (test/support/cli.ts holdDatabase).
      const held = await place.hold();
      const { db } = held.database;
      const sprout = (args: readonly string[]) => runSprout([...args, ...place.args], place.env, held);
      try {
        const { core, supplier, uninvited } = await prepare(db);
        const bad = csvFile([
          HEADER,
          `${SUPPLIER_CODE},INV-001,1000.00,2025-06-01,2025-09-28,合同 HT-9`,
          `${SUPPLIER_CODE},INV-002,12.345,2025-06-01,2025-09-28,`,
          `${supplier},INV-003,500.00,2025-06-01,2025-05-31,`,
          `91000000000000000X,INV-004,500.00,2025-06-01,2025-09-28,`,
          `${SUPPLIER_CODE},INV-001,200.00,2025-06-01,2025-09-28,`,
          `${uninvited},INV-005,500.00,2025-06-01,2025-09-28,`,
          `${supplier},INV-006,500.00,2025-06-01,2025-06-30,`,
        ]);
        const refused = await sprout(['receivables', 'import', '--core', core, bad, '--confirm', '--format', 'json']);
        assert.equal(refused.status, 1, refused.stderr);
        const outcome = JSON.parse(refused.stdout) as { imported: boolean; rows: { line: number; invoiceNo: string; receivableId: string | null; certificateId: string | null; confirmedAmount: string | null; error: { field: string | null; reason: string } | null }[] };
        assert.deepEqual(Object.keys(outcome), ['imported', 'rows']);
        assert.equal(outcome.imported, false);
        assert.deepEqual(Object.keys(outcome.rows[0]!), ['line', 'invoiceNo', 'receivableId', 'certificateId', 'confirmedAmount', 'error']);
        assert.deepEqual(outcome.rows.map((row) => [row.line, row.invoiceNo, row.receivableId, row.error?.field ?? null, row.error?.reason ?? null]), [
          // The good row is checked, not written: the file goes in whole or not at all.
          [2, 'INV-001', null, null, null],
          [3, 'INV-002', null, 'amount', 'invalid-amount'],
          [4, 'INV-003', null, 'due_on', 'invalid-date'],
          [5, 'INV-004', null, 'seller', 'invalid-format'],
          [6, 'INV-001', null, 'invoice_no', 'invoice-already-registered'],
          [7, 'INV-005', null, 'seller', 'supplier-not-eligible'],
          [8, 'INV-006', null, 'due_on', 'invalid-date'],
        ]);
        assert.deepEqual(await written(db), { receivables: [], certificates: [], memo: 0n });

        // The same refusal as text: the count, then each bad row's line, column and reason.
        const text = await sprout(['receivables', 'import', '--core', core, bad]);
        assert.equal(text.status, 1);
        const lines = text.stdout.trimEnd().split('\n');
        assert.equal(lines[0], 'nothing imported: 6 of 7 rows refused; correct them and import the file again');
        assert.equal(lines.length, 7);
        assert.match(lines[1]!, /^ {2}line 3 INV-002: refused, amount \(invalid-amount\) /);
        assert.match(lines[5]!, /^ {2}line 7 INV-005: refused, seller \(supplier-not-eligible\) /);

        const good = csvFile([HEADER, `${SUPPLIER_CODE},INV-001,1000.00,2025-06-01,2025-09-28,合同 HT-9`, `${supplier},INV-002,12345.67,2025-06-01,2025-12-01,`]);
        const imported = await sprout(['receivables', 'import', '--core', core, good, '--confirm', '--format', 'json']);
        assert.equal(imported.status, 0, imported.stderr);
        const done = JSON.parse(imported.stdout) as typeof outcome;
        assert.equal(done.imported, true);
        assert.deepEqual(done.rows.map((row) => [row.line, row.invoiceNo, row.confirmedAmount, row.error]), [[2, 'INV-001', '1000.00', null], [3, 'INV-002', '12345.67', null]]);
        for (const row of done.rows) {
          assert.match(row.receivableId!, /^[0-9a-f-]{36}$/);
          assert.match(row.certificateId!, /^[0-9a-f-]{36}$/);
        }
        assert.deepEqual(await written(db), { receivables: [['INV-001', 'confirmed', 100_000n], ['INV-002', 'confirmed', 1_234_567n]], certificates: [100_000n, 1_234_567n], memo: 1_334_567n });

        const again = await sprout(['receivables', 'import', '--core', core, good, '--format', 'json']);
        assert.equal(again.status, 1);
        assert.deepEqual((JSON.parse(again.stdout) as typeof outcome).rows.map((row) => [row.line, row.error?.field, row.error?.reason]), [[2, 'invoice_no', 'invoice-already-registered'], [3, 'invoice_no', 'invoice-already-registered']]);
        assert.equal((await written(db)).receivables.length, 2);

        // A file without a required column is refused whole, as a usage error naming the file.
        const headless = await sprout(['receivables', 'import', '--core', core, csvFile(['seller,invoice_no,amount,issued_on', `${supplier},INV-9,1.00,2025-06-01`])]);
        assert.equal(headless.status, 2);
        assert.match(headless.stderr, /due_on/);
      } finally {
        await held.close();
        await place.drop();
      }
    });
  });
}
