/**
 * Issue 14 in Chromium against `sprout serve`: the staff credit line page as an account manager at
 * 1440 and 390 px — its limit, used, available, status, expiry and loans (by note number) the
 * API's own figures — reached from the enterprise 360, the loan page and the loan book; a drawdown
 * for the customer through its confirmation; a risk officer freezing the line after a confirmation;
 * and the collections worklist and case naming loans by note number (借据号), never an id.
 * Screenshots go to docs/screenshots/staff-line-*.png and collections-note-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let sprout: ServedSprout;
let browser: Browser;

interface Line { id: string; enterpriseId: string; limit: string; available: string; status: string; endOn: string }
interface BookLoan { id: string; noteNo: string; lineId: string | null; outstanding: string; daysPastDue: number }

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !/status of (401|403|404)/.test(message.text()) && errors.push(message.text()));
  return { page, errors };
}

async function logIn(page: Page, role: string): Promise<void> {
  await page.goto(`${sprout.base}/login`);
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]', { state: 'attached' });
}

const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();
/** "¥1,234.50" → "1234.50", as the API writes it. */
const apiAmount = (shown: string) => shown.replace(/[¥,\s]/g, '');
const pageWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);

describe('the staff credit line page and note numbers in collections, in Chromium', () => {
  let line: Line;
  let overdue: BookLoan;
  /** The loan whose renewal the customer asked for. */
  let renewing: string;

  before(async () => {
    sprout = await startSprout('sprout-staff-line-', ['--demo-enterprises', '40', '--demo-months', '1']);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A firm with no line yet gets one; two loans are drawn, one for a day so that it falls overdue.
    const firms = await sprout.api<{ items: { id: string }[] }>('account-manager', 'GET', '/v1/book/enterprises?customer=false&sort=name&limit=1');
    const opened = await sprout.api<Line>('credit-approver', 'POST', '/v1/lines', { enterpriseId: firms.items[0]!.id, productCode: 'MICRO-LINE', limit: '200000.00' });
    await sprout.api('account-manager', 'POST', `/v1/lines/${opened.id}/drawdowns`, { amount: '30000.00', termDays: 1 }, { 'idempotency-key': `staff-line-1-${opened.id}` });
    await sprout.api('account-manager', 'POST', `/v1/lines/${opened.id}/drawdowns`, { amount: '45000.00', installments: 6 }, { 'idempotency-key': `staff-line-2-${opened.id}` });
    for (let night = 0; night < 4; night++) await sprout.api('operator', 'POST', '/v1/eod/runs', {});
    // A 20-day loan, inside the renewal window, whose renewal the customer asks for.
    const asked = await sprout.api<{ loanId: string }>('account-manager', 'POST', `/v1/lines/${opened.id}/drawdowns`, { amount: '8000.00', termDays: 20 }, { 'idempotency-key': `staff-line-3-${opened.id}` });
    await sprout.api('account-manager', 'POST', `/v1/loans/${asked.loanId}/renewal-requests`, { termDays: 90, note: '经营周转，申请续贷' });
    renewing = asked.loanId;
    line = await sprout.api<Line>('account-manager', 'GET', `/v1/lines/${opened.id}`);
    const loans = await sprout.api<{ items: BookLoan[] }>('account-manager', 'GET', `/v1/book/loans?lineId=${line.id}`);
    overdue = loans.items.find((loan) => loan.daysPastDue > 0)!;
    assert.ok(overdue, `a loan on the line is overdue: ${JSON.stringify(loans.items)}`);
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  /** The line page's figures against the API's: limit, used, available, status, expiry, loans by note number. */
  async function assertLineFigures(page: Page): Promise<void> {
    const fresh = await sprout.api<Line>('account-manager', 'GET', `/v1/lines/${line.id}`);
    const loans = await sprout.api<{ total: number; items: BookLoan[] }>('account-manager', 'GET', `/v1/book/loans?lineId=${line.id}&sort=disbursedOn&order=desc&limit=20`);
    await page.waitForSelector(`[data-testid=line-limit]`);
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=line-loan-row]').length === n, loans.items.length);
    assert.equal(apiAmount(await text(page, '[data-testid=line-limit]')), fresh.limit);
    assert.equal(apiAmount(await text(page, '[data-testid=line-available]')), fresh.available);
    const usedFen = BigInt(fresh.limit.replace('.', '')) - BigInt(fresh.available.replace('.', ''));
    assert.equal(apiAmount(await text(page, '[data-testid=line-used]')), `${usedFen / 100n}.${String(usedFen % 100n).padStart(2, '0')}`);
    assert.equal(await text(page, '[data-testid=line-end]'), fresh.endOn);
    assert.equal(await text(page, '[data-testid=line-status]'), { active: '有效', frozen: '已冻结', closed: '已终止' }[fresh.status]);
    assert.equal(await text(page, '[data-testid=line-loan-total]'), `· ${loans.total}`);
    const shown = await page.$$eval('[data-testid=line-loan-note-no]', (cells) => cells.map((cell) => (cell.textContent ?? '').trim()));
    assert.deepEqual(shown, loans.items.map((loan) => loan.noteNo), 'the loans by note number, in the API order');
    for (const loan of loans.items) assert.match(loan.noteNo, /^JJ[0-9]{8}-[0-9]{5}$/);
    const body = await text(page, '[data-testid=staff-line]');
    for (const loan of loans.items) assert.ok(!body.includes(loan.id.slice(-8)), 'no loan named by its id');
    assert.doesNotMatch(body, /\b(active|frozen|closed|pending|renewed|MICRO-LINE)\b/, 'no raw codes');
  }

  it('an account manager reaches the line from the 360, the loan page and the book; its figures are the API\'s at 1440 and 390 px; a drawdown for the customer is confirmed first', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
      const { page, errors } = await newPage(context);
      await logIn(page, 'account-manager');
      const phone = viewport === PHONE;
      if (!phone) {
        // From the enterprise 360's line row.
        await page.goto(`${sprout.base}/enterprises?id=${line.enterpriseId}`);
        await page.click(`[data-testid=enterprise-line-row][data-line="${line.id}"] [data-testid=open-line]`);
        await page.waitForSelector('[data-testid=staff-line]');
        assert.equal(new URL(page.url()).search, `?line=${line.id}`);
        await assertLineFigures(page);
        // The renewal state of each loan is in words.
        assert.equal(await page.locator('[data-testid=renewal-state]').count(), 3);
        // From the line to a loan by its note number, and back through the loan page's line link.
        await page.click(`[data-testid=line-loan-row][data-loan="${overdue.id}"] [data-testid=line-loan-note-no]`);
        await page.waitForSelector('[data-testid=staff-note-no]');
        assert.equal(await text(page, '[data-testid=staff-note-no]'), overdue.noteNo);
        await page.click('[data-testid=open-line]');
        await page.waitForSelector('[data-testid=staff-line]');
        await assertLineFigures(page);
        await shot(page, 'staff-line-desktop');

        // Draw 5,000.00 for the customer: the preview first, nothing moves before the confirmation.
        const before = await sprout.api<Line>('account-manager', 'GET', `/v1/lines/${line.id}`);
        await page.fill('[data-testid=draw-panel] input[name=amount]', '5000.00');
        await page.click('[data-testid=draw-panel] [data-testid=preview]');
        await page.waitForSelector('[data-testid=confirm-draw]');
        assert.equal(apiAmount(await text(page, '[data-testid=preview-available-after]')), (Number(before.available) - 5000).toFixed(2));
        assert.equal((await sprout.api<Line>('account-manager', 'GET', `/v1/lines/${line.id}`)).available, before.available, 'nothing moved before the confirmation');
        await shot(page, 'staff-line-draw-confirm-desktop');
        await page.dblclick('[data-testid=confirm-draw]');
        await page.waitForSelector('[data-testid=drawn]');
        const afterDraw = await sprout.api<Line>('account-manager', 'GET', `/v1/lines/${line.id}`);
        assert.equal(afterDraw.available, (Number(before.available) - 5000).toFixed(2), 'a double tap draws once');
        await page.waitForSelector(`[data-testid=line-available]:has-text("${Number(afterDraw.available).toLocaleString('en', { minimumFractionDigits: 2 })}")`);
        await assertLineFigures(page);

        // The loan book's row opens the line too.
        await page.goto(`${sprout.base}/loans`);
        await page.fill('input[name=q]', overdue.noteNo);
        await page.click('[data-testid=loan-book] button[type=submit]');
        await page.waitForSelector(`[data-testid=loan-row][data-loan="${overdue.id}"]`);
        await page.click(`[data-testid=loan-row][data-loan="${overdue.id}"] [data-testid=open-line]`);
        await page.waitForSelector('[data-testid=staff-line]');
        await assertLineFigures(page);
      } else {
        await page.goto(`${sprout.base}/loans?line=${line.id}`);
        await page.waitForSelector('[data-testid=staff-line]');
        await assertLineFigures(page);
        assert.ok((await pageWidth(page)) <= PHONE.width, 'no sideways scrolling on a phone');
        // Every action reachable: the drawdown and the line's accounts are on the page.
        assert.ok(await page.isVisible('[data-testid=draw-panel] [data-testid=preview]'));
        assert.ok(await page.isVisible('[data-testid=settlement-accounts]'));
        await shot(page, 'staff-line-phone');
      }
      // An account manager may not freeze: the page says who may, and offers no button.
      assert.equal(await page.locator('[data-testid=review-freeze]').count(), 0);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('a risk officer freezes the line after a confirmation; the page says why it is frozen', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'risk-officer');
    await page.goto(`${sprout.base}/loans?line=${line.id}`);
    await page.waitForSelector('[data-testid=review-freeze]');
    await page.click('[data-testid=review-freeze]');
    assert.equal(await text(page, '[data-testid=line-status-change]'), '有效 → 已冻结');
    assert.equal((await sprout.api<Line>('risk-officer', 'GET', `/v1/lines/${line.id}`)).status, 'active', 'nothing changes before the confirmation');
    await shot(page, 'staff-line-freeze-confirm-desktop');
    await page.click('[data-testid=confirm-freeze]');
    await page.waitForSelector('[data-testid=line-freeze-reason]');
    assert.equal((await sprout.api<Line>('risk-officer', 'GET', `/v1/lines/${line.id}`)).status, 'frozen');
    assert.equal(await text(page, '[data-testid=line-status]'), '已冻结');
    await page.click('[data-testid=review-freeze]');
    await page.click('[data-testid=confirm-freeze]');
    await page.waitForSelector('[data-testid=line-freeze-reason]', { state: 'detached' });
    assert.equal((await sprout.api<Line>('risk-officer', 'GET', `/v1/lines/${line.id}`)).status, 'active');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the collections worklist and case name the loan by its note number at 1440 and 390 px', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
      const { page, errors } = await newPage(context);
      await logIn(page, 'account-manager');
      await page.goto(`${sprout.base}/collections`);
      // An account manager lands on their own cases; the overdue loan is nobody's yet.
      await page.waitForSelector('select[name=collector]');
      await page.selectOption('select[name=collector]', '');
      const row = `[data-testid=worklist-row][data-loan="${overdue.id}"]`;
      await page.waitForSelector(row);
      assert.equal(await text(page, `${row} [data-testid=worklist-note-no]`), overdue.noteNo);
      // Found by its note number without the JJ.
      await page.fill('input[name=q]', overdue.noteNo.slice(2));
      await page.click('[data-testid=collections] button[type=submit]');
      await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=worklist-row]').length === 1);
      assert.equal(await page.getAttribute('[data-testid=worklist-row]', 'data-loan'), overdue.id);
      const worklist = await text(page, '[data-testid=worklist]');
      assert.ok(!worklist.includes(overdue.id), 'no loan id on the worklist');
      if (viewport === PHONE) assert.ok((await pageWidth(page)) <= PHONE.width, 'no sideways scrolling on a phone');
      await shot(page, `collections-note-worklist-${viewport === PHONE ? 'phone' : 'desktop'}`);
      await page.click(`${row} [data-testid=work-case]`);
      await page.waitForSelector('[data-testid=case-note-no]');
      assert.equal(await text(page, '[data-testid=case-note-no]'), overdue.noteNo);
      assert.ok(!(await text(page, '[data-testid=collection-case]')).includes(overdue.id), 'no loan id on the case');
      await shot(page, `collections-note-case-${viewport === PHONE ? 'phone' : 'desktop'}`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });
  it('a credit approver decides a renewal request from the line page after a confirmation naming the loan; the firm\'s open warning refuses it, said in words, and the line shows it refused', async () => {
    // The firm's other loan fell overdue, which raised a post-lending warning: the renewal is refused for it.
    const warnings = await sprout.api<{ enterpriseId: string; status: string }[]>('risk-officer', 'GET', `/v1/warnings?enterpriseId=${line.enterpriseId}`);
    assert.ok(warnings.some((warning) => warning.status === 'open' || warning.status === 'acknowledged'), `an open warning on the firm: ${JSON.stringify(warnings)}`);
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'credit-approver');
    await page.goto(`${sprout.base}/loans?line=${line.id}`);
    const row = `[data-testid=line-loan-row][data-loan="${renewing}"]`;
    await page.waitForSelector(`${row} [data-testid=decide-renewal]`);
    assert.match(await text(page, `${row} [data-testid=renewal-state]`), /^待审核/);
    const noteNo = await text(page, `${row} [data-testid=line-loan-note-no]`);
    await page.click(`${row} [data-testid=decide-renewal]`);
    await page.waitForSelector('[data-testid=renewal-form]');
    for (const condition of ['lawfulOperation', 'stableOperation', 'goodCredit', 'meetsLendingCriteria']) await page.check(`input[name=${condition}]`);
    await page.click('[data-testid=review-renewal]');
    const confirmation = await text(page, '[data-testid=renewal-confirmation]');
    assert.ok(confirmation.includes(noteNo), 'the confirmation names the loan by its note number');
    assert.match(confirmation, /90 天/);
    assert.match(confirmation, /4\/4/);
    const pending = await sprout.api<{ loanId: string }[]>('credit-approver', 'GET', `/v1/renewal-requests?enterpriseId=${line.enterpriseId}`);
    assert.ok(pending.some((request) => request.loanId === renewing), 'nothing is decided before the confirmation');
    await shot(page, 'staff-line-renewal-confirm-desktop');
    await page.click('[data-testid=renew]');
    await page.waitForSelector('[data-testid=renewal-result]');
    const result = await text(page, '[data-testid=renewal-result]');
    assert.match(result, /^未通过存在贷后预警/, 'the refusal in words');
    assert.doesNotMatch(result, /[A-Z_]{5,}/, 'no raw refusal code');
    const refused = await sprout.api<{ loanId: string }[]>('credit-approver', 'GET', `/v1/renewal-requests?status=refused&enterpriseId=${line.enterpriseId}`);
    assert.ok(refused.some((request) => request.loanId === renewing), 'the request is closed as refused');
    // The line reads its loans' renewal state again.
    await page.waitForSelector(`${row} [data-testid=renewal-state]:has-text("未通过")`);
    assert.equal(await page.locator(`${row} [data-testid=decide-renewal]`).count(), 0);
    await assertLineFigures(page);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
