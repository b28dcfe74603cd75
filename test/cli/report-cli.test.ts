import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { inclusiveReport, migrationReport } from '../../src/reporting/regulatory-reports.js';
import { createRegulatoryBook } from '../reporting/regulatory-book.js';
import { BACKENDS } from '../support/backends.js';
import { newPlace, type Place } from '../support/cli-place.js';
import { sprout, type HeldDatabase } from '../support/cli.js';

// The reports' figures are checked on both backends in test/reporting; this is the command's
// edge (arguments, formats, files, stored runs), on a PGlite data directory and on PostgreSQL.
for (const backend of BACKENDS) describe(`sprout report on ${backend}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sprout-report-out-'));
  let place: Place;
  // Every command of the file on the one book, opened once (test/support/cli.ts holdDatabase).
  let held: HeldDatabase;
  const run = (args: readonly string[]) => sprout([...args, ...place.args], place.env, held);
  let expected: { inclusive: Awaited<ReturnType<typeof inclusiveReport>>; migration: Awaited<ReturnType<typeof migrationReport>> };

  before(async () => {
    place = await newPlace(backend, 'sprout-report-');
    held = await place.hold();
    const { db } = held.database;
    await createRegulatoryBook(db);
    expected = { inclusive: await inclusiveReport(db, '2025-02-28'), migration: await migrationReport(db, '2025-01-31', '2025-02-28') };
  });
  after(async () => {
    await held?.close();
    await place?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inclusive and five-category as JSON carry the keys the issue names, with the report\'s figures', async () => {
    const inclusive = await run(['report', 'inclusive', '--as-of', '2025-02-28', '--format', 'json']);
    assert.equal(inclusive.status, 0, inclusive.stderr);
    const json = JSON.parse(inclusive.stdout);
    assert.deepEqual(json, JSON.parse(JSON.stringify(expected.inclusive)));
    assert.match(json.inclusive.balance, /^\d+\.\d\d$/);
    assert.equal(typeof json.inclusive.borrowers, 'number');
    assert.match(json.all.balance, /^\d+\.\d\d$/);
    assert.deepEqual(json.checks.map((c: { id: string }) => c.id), ['balance-growth', 'borrowers', 'npl-ratio', 'new-loan-rate']);
    const five = JSON.parse((await run(['report', 'five-category', '--as-of', '2025-02-28', '--format', 'json'])).stdout);
    assert.equal(five.total.balance, json.all.balance);
    // The default date is the last month end before the business date (2025-03-01 after the book).
    const byDefault = JSON.parse((await run(['report', 'five-category', '--format', 'json'])).stdout);
    assert.equal(byDefault.asOf, '2025-02-28');
  });

  it('migration as CSV: UTF-8 with a BOM, the matrix rows in order', async () => {
    const file = join(dir, 'migration.csv');
    const result = await run(['report', 'migration', '--from', '2025-01-31', '--to', '2025-02-28', '--format', 'csv', '--out', file]);
    assert.equal(result.status, 0, result.stderr);
    const text = readFileSync(file, 'utf8');
    assert.equal(text.charCodeAt(0), 0xfeff);
    const lines = text.slice(1).split('\r\n');
    assert.equal(lines[0], 'migration migration as of 2025-02-28');
    assert.ok(lines[1]!.startsWith('from,loans at start,balance at start,→ normal,→ normal %'));
    const doubtful = lines.find((line) => line.startsWith('doubtful,'))!;
    const row = expected.migration.rows.find((r) => r.from === 'doubtful')!;
    assert.ok(doubtful.startsWith(`doubtful,${row.loans},${row.balance},`));
    // The matrix again per segment: a sheet per dimension, a row per segment and starting category.
    const bySize = lines.indexOf('migration migration by size as of 2025-02-28');
    assert.ok(bySize > 0, 'a migration-by-size sheet');
    assert.ok(lines[bySize + 1]!.startsWith('code,名称,from,loans at start,'));
    const micro = expected.migration.segments.size.find((segment) => segment.key === 'micro')!.rows.find((r) => r.loans > 0)!;
    assert.ok(lines.slice(bySize + 2).some((line) => line.startsWith(`micro,微型,${micro.from},${micro.loans},${micro.balance},`)));
  });

  it('renewals as a spreadsheet: number formats, frozen header rows, the figures as numbers', async () => {
    const file = join(dir, 'renewals.xlsx');
    const result = await run(['report', 'renewals', '--from', '2025-02-01', '--to', '2025-02-28', '--format', 'xlsx', '--out', file]);
    assert.equal(result.status, 0, result.stderr);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    assert.deepEqual(workbook.worksheets.map((w) => w.name), ['renewals', 'classified now', 'by size', 'by product', 'by province', 'by city', 'by industry']);
    for (const sheet of workbook.worksheets) assert.deepEqual([sheet.views[0]?.state, (sheet.views[0] as { ySplit?: number }).ySplit], ['frozen', 1], sheet.name);
    const first = workbook.getWorksheet('renewals')!;
    assert.deepEqual((first.getRow(1).values as unknown[]).slice(1), ['item', 'loans', 'amount', 'share %']);
    assert.deepEqual([first.getCell('A2').value, first.getCell('B2').value, first.getCell('C2').value], ['renewed', 1, 200000]);
    assert.equal(first.getCell('C2').numFmt, '#,##0.00');
    assert.equal(first.getCell('B2').numFmt, '#,##0');
    const product = workbook.getWorksheet('by product')!;
    assert.deepEqual([product.getCell('A2').value, product.getCell('D2').value], ['MICRO-LINE', 200000]);
  });

  it('a stored run of the same month gives the same digest; bad input is refused with exit code 2', async () => {
    const first = await run(['report', 'inclusive', '--as-of', '2025-01-31', '--store', '--format', 'json']);
    const second = await run(['report', 'inclusive', '--as-of', '2025-01-31', '--store', '--format', 'json']);
    const digest = (stderr: string) => /digest ([0-9a-f]{64})/.exec(stderr)?.[1];
    assert.ok(digest(first.stderr));
    assert.equal(digest(second.stderr), digest(first.stderr));
    const table = await run(['report', 'foreign-trade', '--as-of', '2025-02-28']);
    assert.match(table.stdout, /^foreign-trade — foreign trade — as of 2025-02-28/);
    assert.equal((await run(['report', 'everything'])).status, 2);
    assert.equal((await run(['report', 'inclusive', '--format', 'xlsx'])).status, 2);
    const open = await run(['report', 'inclusive', '--as-of', '2025-03-31']);
    assert.deepEqual([open.status, /has not closed 2025-03-31/.test(open.stderr)], [2, true]);
  });
});
