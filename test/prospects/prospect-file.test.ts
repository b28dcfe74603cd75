/**
 * Prospect files as Excel saves them (issue 14): UTF-8, GBK/GB18030 detected, XLSX; a file that
 * decodes to mojibake is refused with the reason and nothing is imported. The pure decoding first,
 * then the API on both backends, and an existing customer flagged and a prospect converted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { simulatedCreditCode } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { openCreditLine } from '../../src/lines/credit-lines.js';
import { readProspectFile } from '../../src/prospects/prospect-file.js';
import { BACKENDS } from '../support/backends.js';
import { withTestApp } from '../support/test-app.js';

/** 杭州绿芽茶叶有限公司 and 宁波海曙五金厂 in GBK, bytes as Excel on a Chinese Windows writes them. */
const GBK_NAMES = {
  hangzhou: [0xba, 0xbc, 0xd6, 0xdd, 0xc2, 0xcc, 0xd1, 0xbf, 0xb2, 0xe8, 0xd2, 0xb6, 0xd3, 0xd0, 0xcf, 0xde, 0xb9, 0xab, 0xcb, 0xbe],
  ningbo: [0xc4, 0xfe, 0xb2, 0xa8, 0xba, 0xa3, 0xca, 0xef, 0xce, 0xe5, 0xbd, 0xf0, 0xb3, 0xa7],
};
const CODES = [simulatedCreditCode(91, 0), simulatedCreditCode(91, 1)];

function gbkCsv(): Uint8Array {
  const ascii = (text: string) => [...Buffer.from(text, 'ascii')];
  return Uint8Array.from([...ascii('credit_code,name\r\n'), ...ascii(`${CODES[0]},`), ...GBK_NAMES.hangzhou, ...ascii(`\r\n${CODES[1]},`), ...GBK_NAMES.ningbo, ...ascii('\r\n')]);
}

async function xlsx(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(['统一社会信用代码', '企业名称']);
  sheet.addRow([CODES[0], '杭州绿芽茶叶有限公司']);
  sheet.addRow([CODES[1], '宁波海曙五金厂']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('reading prospect files', () => {
  it('detects GBK: the names come out in Chinese, as GB18030', async () => {
    assert.deepEqual(await readProspectFile(gbkCsv()), {
      format: 'gb18030',
      rows: [
        { creditCode: CODES[0], name: '杭州绿芽茶叶有限公司' },
        { creditCode: CODES[1], name: '宁波海曙五金厂' },
      ],
    });
  });

  it('reads UTF-8 with and without its BOM, and tab-separated text', async () => {
    const text = `${CODES[0]},杭州绿芽茶叶有限公司\n`;
    for (const bytes of [Buffer.from(text), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), Buffer.from(text.replace(',', '\t'))]) {
      assert.deepEqual(await readProspectFile(bytes), { format: 'utf-8', rows: [{ creditCode: CODES[0], name: '杭州绿芽茶叶有限公司' }] });
    }
  });

  it('reads the first worksheet of an XLSX workbook, its header row skipped', async () => {
    assert.deepEqual(await readProspectFile(await xlsx()), { format: 'xlsx', rows: [{ creditCode: CODES[0], name: '杭州绿芽茶叶有限公司' }, { creditCode: CODES[1], name: '宁波海曙五金厂' }] });
  });

  it('refuses mojibake with the reason: UTF-8 read as Latin-1, replacement characters, bytes neither UTF-8 nor GB18030, an .xls', async () => {
    const latin1 = Buffer.from(Buffer.from(`${CODES[0]},杭州绿芽茶叶有限公司\n`).toString('latin1'), 'utf8');
    await assert.rejects(readProspectFile(latin1), { code: 'VALIDATION', field: 'file', message: /line 1 looks like UTF-8 read as Latin-1/ });
    await assert.rejects(readProspectFile(Buffer.from(`${CODES[0]},杭州\uFFFD\uFFFD有限公司\n`)), { code: 'VALIDATION', message: /U\+FFFD/ });
    await assert.rejects(readProspectFile(Uint8Array.from([0x41, 0x2c, 0x81, 0x20, 0xff])), { code: 'VALIDATION', message: /neither UTF-8 nor GBK\/GB18030/ });
    await assert.rejects(readProspectFile(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])), { code: 'VALIDATION', message: /\.xls/ });
    await assert.rejects(readProspectFile(new Uint8Array()), { code: 'VALIDATION', message: /empty/ });
  });
});

for (const backend of BACKENDS) {
  describe(`prospect files and conversion over the API on ${backend}`, () => {
    it('imports a GBK file and an XLSX file; refuses a mojibake file and imports nothing', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const upload = (content: Uint8Array, sourceName: string) =>
          app.inject({ method: 'POST', url: '/v1/prospect-batches/file', headers: manager, payload: { source: 'supply-chain', sourceName, content: Buffer.from(content).toString('base64') } });
        const gbk = await upload(gbkCsv(), '宁波某汽车零部件集团');
        assert.equal(gbk.statusCode, 201, gbk.body);
        const answer = gbk.json() as { format: string; rows: number; batch: { id: string; total: number } };
        assert.deepEqual([answer.format, answer.rows, answer.batch.total], ['gb18030', 2, 2]);
        const names = await db.selectFrom('prospect').select('name').where('batch_id', '=', answer.batch.id).orderBy('position').execute();
        assert.deepEqual(names.map((row) => row.name), ['杭州绿芽茶叶有限公司', '宁波海曙五金厂']);

        const book = await upload(await xlsx(), '某平台商户');
        assert.equal(book.statusCode, 201, book.body);
        assert.deepEqual([(book.json() as { format: string }).format, (book.json() as { rows: number }).rows], ['xlsx', 2]);

        const before = await db.selectFrom('prospect_batch').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        const bad = await upload(Buffer.from(Buffer.from(`${CODES[0]},杭州绿芽茶叶有限公司\n`).toString('latin1'), 'utf8'), '坏文件');
        assert.equal(bad.statusCode, 400);
        assert.deepEqual((bad.json() as { error: { code: string; field: string } }).error.code, 'VALIDATION');
        assert.equal((bad.json() as { error: { field: string } }).error.field, 'file');
        const after = await db.selectFrom('prospect_batch').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(after.n), Number(before.n));
      });
    });

    it('flags an existing customer instead of pre-approving it, and converts a pre-approved prospect into an application once', async () => {
      await withTestApp(backend, async ({ app, db, tokenFor }) => {
        const manager = { authorization: `Bearer ${await tokenFor('account-manager')}` };
        const codes = Array.from({ length: 12 }, (_, i) => simulatedCreditCode(77, i));
        // The first firm already has a line with the bank.
        await inTransaction(db, async (trx) => {
          const firm = await createEnterprise(trx, { name: '老客户', creditCode: codes[0]!, sizeClass: 'micro' }, 'test');
          await openCreditLine(trx, { enterpriseId: firm.id, productCode: 'MICRO-LINE', limit: '100000.00' }, 'test');
        });
        const created = await app.inject({ method: 'POST', url: '/v1/prospect-batches', headers: manager, payload: { source: 'supply-chain', sourceName: '链主', prospects: codes.map((creditCode, i) => ({ creditCode, name: `供应商${i + 1}` })) } });
        const batch = created.json() as { id: string; existing: number; preApproved: number; declined: number; total: number };
        assert.deepEqual([batch.total, batch.existing, batch.preApproved + batch.declined], [12, 1, 11]);
        type Prospects = { items: { id: string; creditCode: string; status: string; indicativeLimit: string | null; applicationId: string | null }[]; total: number };
        const existing = (await app.inject({ method: 'GET', url: '/v1/book/prospects?status=existing-customer', headers: manager })).json() as Prospects;
        assert.deepEqual(existing.items.map((row) => [row.creditCode, row.status, row.indicativeLimit]), [[codes[0], 'existing-customer', null]]);
        const refused = await app.inject({ method: 'POST', url: `/v1/prospects/${existing.items[0]!.id}/conversion`, headers: manager, payload: { productCode: 'MICRO-LINE', evidence: '授权书 HZ-2026-0042' } });
        assert.equal(refused.statusCode, 409);

        const open = (await app.inject({ method: 'GET', url: '/v1/book/prospects?status=pre-approved&converted=false&sort=indicativeLimit', headers: manager })).json() as Prospects;
        assert.equal(open.total, batch.preApproved);
        const chosen = open.items[0]!;
        const converted = await app.inject({ method: 'POST', url: `/v1/prospects/${chosen.id}/conversion`, headers: manager, payload: { productCode: 'MICRO-LINE', evidence: '授权书 HZ-2026-0042' } });
        assert.equal(converted.statusCode, 201, converted.body);
        const result = converted.json() as { applicationId: string; enterpriseId: string; outcome: string };
        const application = await db.selectFrom('application').select(['enterprise_id', 'status']).where('id', '=', result.applicationId).executeTakeFirstOrThrow();
        assert.equal(application.enterprise_id, result.enterpriseId);
        const firm = await db.selectFrom('enterprise').select(['credit_code', 'name']).where('id', '=', result.enterpriseId).executeTakeFirstOrThrow();
        assert.equal(firm.credit_code, chosen.creditCode);
        const after = (await app.inject({ method: 'GET', url: '/v1/book/prospects?converted=true', headers: manager })).json() as Prospects;
        assert.deepEqual(after.items.map((row) => [row.id, row.applicationId]), [[chosen.id, result.applicationId]]);
        // Once only.
        const again = await app.inject({ method: 'POST', url: `/v1/prospects/${chosen.id}/conversion`, headers: manager, payload: { productCode: 'MICRO-LINE', evidence: '授权书 HZ-2026-0042' } });
        assert.equal(again.statusCode, 409);
      });
    });
  });
}
