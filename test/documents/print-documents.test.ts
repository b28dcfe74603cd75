import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTransaction } from '../../src/db/transaction.js';
import { printDocumentHtml } from '../../src/documents/document-html.js';
import { cjkFont, printDocumentPdf } from '../../src/documents/document-pdf.js';
import { contractPrintDocument, loanNoteDocument, repaymentReceiptDocument, type PrintDocument } from '../../src/documents/print-documents.js';
import { uuidv7 } from '../../src/ids.js';
import { signContract } from '../../src/lines/credit-contracts.js';
import { getCreditLine } from '../../src/lines/credit-lines.js';
import { minor } from '../../src/money/minor.js';
import { productById } from '../../src/products/products.js';
import { drawdown } from '../../src/servicing/drawdown.js';
import { repay } from '../../src/servicing/repayment.js';
import { BACKENDS, withTestDatabase } from '../support/backends.js';
import { borrowerWithLine } from '../support/servicing-fixtures.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/**
 * The text a PDF shows, read back through its fonts' ToUnicode maps (pdfkit writes glyph ids in
 * `<…> TJ` strings, two bytes each, uncompressed when asked): what a reader would copy out of it.
 */
function pdfText(bytes: Buffer): string {
  const pdf = bytes.toString('latin1');
  const glyphs = new Map<number, string>();
  for (const block of pdf.matchAll(/beginbfrange\n([\s\S]*?)endbfrange/g)) {
    for (const line of block[1]!.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/g)) {
      const start = parseInt(line[1]!, 16);
      [...line[2]!.matchAll(/<([0-9a-f]+)>/g)].forEach((unicode, i) => glyphs.set(start + i, String.fromCodePoint(parseInt(unicode[1]!, 16))));
    }
  }
  return [...pdf.matchAll(/\[([^\]]*)\] TJ/g)]
    .map((op) => [...op[1]!.matchAll(/<([0-9a-f]+)>/g)].map((hex) => hex[1]!.match(/.{4}/g)!.map((id) => glyphs.get(parseInt(id, 16)) ?? '?').join('')).join(''))
    .join('\n');
}

const figures = (document: PrintDocument) => Object.fromEntries(document.fields.map((field) => [field.label.en, field.value]));

/** A line with a signed contract, as accepting an offer leaves it. */
async function signedLine(db: Kysely<Database>) {
  const line = await borrowerWithLine(db, '300000.00');
  const applicationId = uuidv7();
  return inTransaction(db, async (trx) => {
    await trx.insertInto('application').values({ id: applicationId, enterprise_id: line.enterpriseId, product_id: line.productId, business_date: line.startOn, status: 'accepted', outcome: 'approved', limit_amount: minor(300_000_00n), rate_units: null, inputs: '{}', decision: '{}', pull_id: null, line_id: line.id, applied_by: 'test', created_at: new Date() }).execute();
    const contract = await signContract(trx, { applicationId, line: await getCreditLine(trx, line.id), product: await productById(trx, line.productId), signedBy: 'owner-1', signedAt: new Date('2025-06-30T02:00:00Z') });
    return { line, applicationId, contract };
  });
}

for (const backend of BACKENDS) {
  describe(`printable documents on ${backend}`, () => {
    it('the contract carries its limit, rate, dates and the digest recorded at signing; the loan note its number, amount, rate and dates; the receipt what the repayment paid', async () => {
      await withTestDatabase(backend, async ({ db }) => {
        const { line, applicationId, contract } = await signedLine(db);
        const printed = await contractPrintDocument(db, applicationId);
        assert.deepEqual(figures(printed), { 'Contract no.': contract.contractNo, Borrower: '杭州绿芽茶叶有限公司', 'Credit code': '—', 'Credit limit (CNY)': '300000.00', 'Annual rate': '4.35%', Valid: '2025-06-30 — 2026-06-30', Product: contract.terms.productName, 'Text version': 'SX-CC-2026.2' });
        assert.deepEqual(printed.footer.map((f) => f.value), ['owner-1', '2025-06-30T02:00:00.000Z', contract.digest, '与存档一致 verified']);
        const html = printDocumentHtml(printed);
        assert.match(html, /@page\{size:A4/);
        for (const text of [contract.digest, contract.contractNo, '300000.00', '4.35%', '第三条 利率与计息']) assert.ok(html.includes(text), text);

        const loan = await inTransaction(db, (trx) => drawdown(trx, { lineId: line.id, amount: '20000.00', termDays: 90 }, 'borrower'));
        const note = await loanNoteDocument(db, loan.loanId);
        assert.equal(note.number, loan.noteNo);
        assert.match(loan.noteNo, /^JJ20250630-\d{5}$/);
        const noteFigures = figures(note);
        assert.deepEqual([noteFigures['Loan note no.'], noteFigures['Contract no.'], noteFigures['Amount (CNY)'], noteFigures['Annual rate'], noteFigures['Disbursed on'], noteFigures['Matures on']], [loan.noteNo, contract.contractNo, '20000.00', '4.35%', '2025-06-30', loan.maturityOn]);
        assert.deepEqual(note.table!.rows, loan.schedule.installments.map((row) => [String(row.number), row.dueDate, (Number(row.principal) / 100).toFixed(2), (Number(row.interest) / 100).toFixed(2), (Number(row.principal + row.interest) / 100).toFixed(2)]));

        const paid = await inTransaction(db, (trx) => repay(trx, { loanId: loan.loanId, amount: '5000.00' }, 'borrower'));
        const receipt = await repaymentReceiptDocument(db, loan.loanId, paid.entryId);
        const receiptFigures = figures(receipt);
        assert.deepEqual([receiptFigures['Loan note no.'], receiptFigures['Paid on'], receiptFigures['Amount (CNY)'], receiptFigures['Principal'], receiptFigures['Interest'], receiptFigures['Penalty interest']], [loan.noteNo, '2025-06-30', '5000.00', '5000.00', '0.00', '0.00']);
        await assert.rejects(repaymentReceiptDocument(db, loan.loanId, uuidv7()), { code: 'NOT_FOUND' });

        // The PDFs show the same figures, in Chinese, with the font embedded.
        if (cjkFont() !== null) {
          const contractText = pdfText(await printDocumentPdf(printed, { compress: false }));
          for (const text of ['授信合同', contract.contractNo, '300000.00', '4.35%', '2025-06-30 — 2026-06-30', contract.digest]) assert.ok(contractText.includes(text), `contract PDF shows ${text}`);
          const noteText = pdfText(await printDocumentPdf(note, { compress: false }));
          for (const text of ['借款借据', loan.noteNo, '20000.00', loan.maturityOn]) assert.ok(noteText.includes(text), `note PDF shows ${text}`);
          const receiptText = pdfText(await printDocumentPdf(receipt, { compress: false }));
          for (const text of ['还款回单', loan.noteNo, '5000.00']) assert.ok(receiptText.includes(text), `receipt PDF shows ${text}`);
        }
      });
    });
  });
}

describe('PDF without a Chinese font', () => {
  it('is refused as UNAVAILABLE naming the package to install, not printed with blank boxes', async () => {
    const document: PrintDocument = { kind: 'receipt', title: { zh: '还款回单', en: 'Repayment receipt' }, number: 'HK-1', enterpriseId: '', fields: [], footer: [] };
    await assert.rejects(printDocumentPdf(document, { font: null }), (error: { code: string; message: string }) => error.code === 'UNAVAILABLE' && /fonts-wqy-microhei/.test(error.message));
    assert.equal(cjkFont({ SPROUT_PDF_FONT: '/nowhere/font.ttf' }), null);
  });
});
