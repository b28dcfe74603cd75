/**
 * The officer's book in Chromium (issue 14), against `sprout serve` with a demo book: the loan book
 * paged to its last line with firm names and its total; a counter repayment confirmed, double-
 * tapped, moving money once; the checker's screen with the maker's proposal, the checker's
 * authority and no self-confirmation; a GBK prospect file imported in Chinese; and the lists as
 * cards with every action in reach at 390 px. Screenshots go to docs/screenshots/officer-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { simulatedCreditCode } from '../../src/data/index.js';
import { launchChromium, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

const DEMO = { enterprises: 400, months: 4 };
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let sprout: ServedSprout;
let browser: Browser;

type Page0<T> = { items: T[]; total: number; offset: number; limit: number };
type BookLoan = { id: string; enterpriseName: string; status: string; outstanding: string };

const api = <T>(role: string, method: string, path: string, body?: unknown) => sprout.api<T>(role, method, path, body);
/** The browser's document as the evaluated functions see it (the test's types have no DOM). */
declare const document: { readonly documentElement: { readonly scrollWidth: number }; querySelector(selector: string): { readonly textContent: string | null } | null };
const fen = (amount: string) => BigInt(amount.replace('.', ''));

async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !/status of 401/.test(message.text()) && errors.push(message.text()));
  return { page, errors };
}

async function logIn(page: Page, role: string): Promise<void> {
  await page.goto(`${sprout.base}/login`);
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

/** No element of the page reaches past the window, and no table scrolls inside its panel. */
async function assertTablesFit(page: Page, width: number): Promise<void> {
  const wide = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): Iterable<{ scrollWidth: number; clientWidth: number; getAttribute(name: string): string | null }> } }).document;
    const scrolling = [...doc.querySelectorAll('.table-scroll')].filter((box) => box.scrollWidth > box.clientWidth + 1).map((box) => `${box.scrollWidth} > ${box.clientWidth}`);
    return { page: doc.documentElement.scrollWidth, scrolling };
  });
  assert.ok(wide.page <= width, `the page fits ${width} px (${wide.page})`);
  assert.deepEqual(wide.scrolling, [], 'every table fits its panel');
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  // A hundred cards make a very tall page: on a phone the first screens are the picture.
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage, timeout: 120_000 });
}

/** The loans of the report: 286 lines, so the book pages past the old silent 100. */
const LOANS = 286;

/** Tops the demo book up to {@link LOANS} loans: a line and a drawdown for firms not yet customers, through the API. */
async function fillTheBook(): Promise<void> {
  const { total } = await api<Page0<BookLoan>>('account-manager', 'GET', '/v1/book/loans?limit=1');
  const missing = LOANS - total;
  const firms: { id: string }[] = [];
  for (let offset = 0; firms.length < missing; offset += 200) {
    const page = await api<Page0<{ id: string }>>('account-manager', 'GET', `/v1/book/enterprises?customer=false&sort=name&limit=200&offset=${offset}`);
    assert.ok(page.items.length > 0, `enough firms to lend to (${firms.length} of ${missing})`);
    firms.push(...page.items);
  }
  for (const [index, firm] of firms.slice(0, Math.max(0, missing)).entries()) {
    const line = await api<{ id: string }>('credit-approver', 'POST', '/v1/lines', { enterpriseId: firm.id, productCode: 'MICRO-LINE', limit: '200000.00' });
    await sprout.api('account-manager', 'POST', `/v1/lines/${line.id}/drawdowns`, { amount: `${10_000 + index * 100}.00`, termDays: 90 }, { 'idempotency-key': `book-fill-${index}-${firm.id}` });
  }
}

describe("the officer's book in Chromium", () => {
  before(async () => {
    const started = performance.now();
    sprout = await startSprout('sprout-book-', ['--demo-enterprises', String(DEMO.enterprises), '--demo-months', String(DEMO.months)]);
    console.log(`demo book up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await fillTheBook();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('the loan book names firms, says how many loans there are, and pages to the last line', async () => {
    const all = await api<Page0<BookLoan>>('account-manager', 'GET', '/v1/book/loans?limit=1');
    assert.equal(all.total, LOANS);
    const lastApi = await api<Page0<BookLoan>>('account-manager', 'GET', `/v1/book/loans?limit=1&offset=${all.total - 1}`);

    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'account-manager');
    await page.goto(`${sprout.base}/loans`);
    await page.waitForSelector('[data-testid=loan-row]');
    assert.equal(await page.textContent('[data-testid=loan-total]'), `· ${all.total}`);
    assert.equal(await page.textContent('[data-testid=pager-text]'), `第 1–100 条，共 ${all.total} 条`);
    const firstFirm = await page.textContent('[data-testid=loan-row] td:first-child');
    assert.match(firstFirm ?? '', /[\u4e00-\u9fff]/, 'a firm name, not an id tail');
    await shot(page, 'officer-loans-desktop');

    await page.click('[data-testid=pager-last]');
    const from = Math.floor((all.total - 1) / 100) * 100 + 1;
    await page.waitForSelector(`[data-testid=pager-text]:has-text("第 ${from}–${all.total} 条")`);
    assert.equal(await page.locator('[data-testid=loan-row]').count(), all.total - from + 1);
    assert.equal(await page.locator('[data-testid=loan-row]').last().getAttribute('data-loan'), lastApi.items[0]!.id, `the ${all.total}th line is the book's last`);
    // Search by a firm's name narrows the book on the server.
    const name = lastApi.items[0]!.enterpriseName;
    await page.fill('input[name=q]', name);
    await page.click('[data-testid=loan-book] button[type=submit]');
    await page.waitForSelector(`[data-testid=pager-text]:has-text("共")`);
    const found = await api<Page0<BookLoan>>('account-manager', 'GET', `/v1/book/loans?q=${encodeURIComponent(name)}`);
    await page.waitForFunction((total) => document.querySelector('[data-testid=loan-total]')?.textContent === `· ${total}`, found.total);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the loan book switched to supply-chain financings lists them under their suppliers, as the API does, in Chinese, at 1440 and 390 px', async () => {
    type BookFinancing = { id: string; supplierName: string; coreEnterpriseName: string; principal: string };
    const all = await api<Page0<BookFinancing>>('risk-officer', 'GET', '/v1/book/financings?limit=100');
    assert.ok(all.total > 0, 'the demo book has supply-chain financings');
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
      const { page, errors } = await newPage(context);
      await logIn(page, 'risk-officer');
      await page.setViewportSize(viewport);
      await page.goto(`${sprout.base}/loans`);
      await page.waitForSelector('[data-testid=loan-row]');
      await page.selectOption('[data-testid=book-kind]', 'financings');
      await page.waitForSelector('[data-testid=financing-row]');
      assert.equal(await page.textContent('[data-testid=financing-total]'), `· ${all.total}`);
      assert.deepEqual(await page.locator('[data-testid=financing-row]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-financing'))), all.items.map((f) => f.id));
      const text = (await page.textContent('[data-testid=financing-book]')) ?? '';
      assert.ok(text.includes(all.items[0]!.supplierName) && text.includes('供应商（借款人）'), 'the supplier is named as the borrower');
      assert.doesNotMatch(text.replace(/[A-Z]{2,}[-A-Z0-9]*/g, ''), /\b(active|overdue|settled|normal|special-mention)\b/, 'no raw codes on the Chinese page');
      // The overdue filter narrows on the server, as for loans.
      const overdue = await api<Page0<BookFinancing>>('risk-officer', 'GET', '/v1/book/financings?overdue=true');
      await page.selectOption('[data-testid=financing-book] select[name=overdue]', 'true');
      await page.waitForFunction((total) => document.querySelector('[data-testid=financing-total]')?.textContent === `· ${total}`, overdue.total);
      if (viewport.width === 390) await assertTablesFit(page, 390);
      await shot(page, viewport.width === 390 ? 'officer-financings-phone' : 'officer-financings-desktop', false);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('a repayment received at the counter is confirmed with what will happen and, double-tapped, moves money once', async () => {
    const active = await api<Page0<BookLoan>>('account-manager', 'GET', '/v1/book/loans?status=active&overdue=false&sort=outstanding&order=desc&limit=1');
    const loanId = active.items[0]!.id;
    const before = await api<{ balances: { payoff: string } }>('account-manager', 'GET', `/v1/loans/${loanId}`);

    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'account-manager');
    await page.goto(`${sprout.base}/loans?id=${loanId}`);
    await page.waitForSelector('[data-testid=counter-repayment]');
    // The firm's name arrives with its own call after the loan's.
    await page.waitForSelector(`[data-testid=loan-firm]:has-text("${active.items[0]!.enterpriseName}")`);
    await page.fill('input[name=counterAmount]', '1000.00');
    await page.click('[data-testid=review-repayment]');
    await page.waitForSelector('[data-testid=repayment-confirmation]');
    assert.equal(await page.textContent('[data-testid=confirm-amount]'), '¥1,000.00');
    const after = fen(before.balances.payoff) - 100_000n;
    const afterText = `¥${(after / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(after % 100n).padStart(2, '0')}`;
    assert.equal(await page.textContent('[data-testid=confirm-payoff-after]'), afterText, 'the balance after, before anything moves');
    // The split the server will post, bucket by bucket, before anything moves.
    type Allocation = { penalty: string; interestDue: string; interestAccrued: string; principalDue: string; principalNotDue: string };
    const preview = await api<{ allocation: Allocation }>('account-manager', 'GET', `/v1/loans/${loanId}/repayment-preview?amount=1000.00`);
    const split = preview.allocation;
    const yuanText = (value: bigint) => `¥${(value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(value % 100n).padStart(2, '0')}`;
    assert.equal(fen(split.penalty) + fen(split.interestDue) + fen(split.interestAccrued) + fen(split.principalDue) + fen(split.principalNotDue), 100_000n);
    assert.equal(await page.textContent('[data-testid=confirm-split] [data-part=penalty]'), yuanText(fen(split.penalty)));
    assert.equal(await page.textContent('[data-testid=confirm-split] [data-part=interest]'), yuanText(fen(split.interestDue) + fen(split.interestAccrued)));
    assert.ok((await page.textContent('[data-testid=confirm-split] [data-part=principal]'))!.startsWith(yuanText(fen(split.principalDue) + fen(split.principalNotDue))));
    await shot(page, 'officer-loan-confirm-desktop');
    // A double tap on the confirmation: one Idempotency-Key, one repayment.
    await page.dblclick('[data-testid=confirm-repayment]');
    await page.waitForSelector('[data-testid=repayment-result]');
    const now = await api<{ balances: { payoff: string } }>('account-manager', 'GET', `/v1/loans/${loanId}`);
    assert.equal(fen(before.balances.payoff) - fen(now.balances.payoff), 100_000n, 'exactly ¥1,000.00 moved');
    assert.equal(await page.inputValue('input[name=counterAmount]'), '', 'the form resets');
    assert.equal(await page.locator('[data-testid=repayment-confirmation]').count(), 0);
    await page.waitForSelector(`[data-testid=payoff]:has-text("${afterText}")`);
    await shot(page, 'officer-loan-desktop');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("the checker sees the maker's proposal and their own authority; the maker is never offered to confirm", async () => {
    type Queue = { items: { id: string; limit: string }[] };
    const referred = await api<Queue>('credit-approver', 'GET', '/v1/book/applications?status=referred&sort=limit&order=desc&limit=200');
    // Above the 500,000.00 confirmation threshold, within the credit approver's 1,000,000.00.
    const candidate = referred.items.find((row) => fen(row.limit) > 50_000_000n) ?? referred.items[0];
    assert.ok(candidate, 'the demo book has referrals');
    const limit = fen(candidate.limit) > 50_000_000n ? (fen(candidate.limit) > 100_000_000n ? '1000000.00' : candidate.limit) : '600000.00';
    const reviewed = await api<{ status: string }>('credit-approver', 'POST', `/v1/applications/${candidate.id}/review`, { decision: 'approve', limit, note: '电表与税表一致，同意上调' });
    assert.equal(reviewed.status, 'pending-confirmation');

    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'credit-approver');
    await page.goto(`${sprout.base}/review`);
    await page.waitForSelector('[data-testid=approval-row][data-mine=true]');
    const own = page.locator('[data-testid=approval-row][data-mine=true]').first();
    assert.equal(await own.locator('[data-testid=approval-approve]').count(), 0, 'no confirm button on your own request');
    assert.equal(await own.locator('[data-testid=own-request]').textContent(), '您本人提交，须由他人复核');
    assert.equal(await page.textContent('[data-testid=approval-limit]'), '¥1,000,000.00');
    await context.close();

    const checkerContext = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const checker = await newPage(checkerContext);
    await logIn(checker.page, 'risk-officer');
    await checker.page.goto(`${sprout.base}/review`);
    await checker.page.waitForSelector('[data-testid=approval-row][data-kind="application.approve"]');
    const row = checker.page.locator('[data-testid=approval-row][data-kind="application.approve"]').first();
    assert.equal(await row.getAttribute('data-mine'), 'false');
    const shown = `¥${(fen(limit) / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.00`;
    assert.equal(await row.locator('[data-testid=proposal-amount]').textContent(), shown);
    assert.equal(await row.locator('[data-testid=proposal-note]').textContent(), '电表与税表一致，同意上调');
    assert.equal(await checker.page.textContent('[data-testid=approval-limit]'), '¥5,000,000.00');
    assert.equal(await row.locator('[data-testid=approval-approve]').count(), 1);
    await checker.page.waitForSelector('[data-testid=queue-row]');
    assert.ok((await checker.page.locator('[data-testid=age]').first().textContent())?.includes('天'), 'the queue says how long each waited');
    // At 1440 px every table fits its panel: the last column (the queue's 打开, the worklist's 复核通过) is in view, not scrolled away.
    await assertTablesFit(checker.page, DESKTOP.width);
    const approve = await row.locator('[data-testid=approval-approve]').boundingBox();
    assert.ok(approve && approve.x + approve.width <= DESKTOP.width - 24, `复核通过 in view (${JSON.stringify(approve)})`);
    // The product column of a Chinese page names the product in Chinese only.
    const products = await checker.page.locator('[data-testid=queue-row] td:nth-child(2)').allTextContents();
    assert.ok(products.length > 0 && products.every((name) => /^[\u4e00-\u9fff（）]+$/.test(name)), `Chinese product names: ${products.join(' | ')}`);
    await shot(checker.page, 'officer-checker-desktop');
    assert.deepEqual([...errors, ...checker.errors], []);
    await checkerContext.close();
  });

  it('an account manager and an auditor read an application and its decision record, without the reviewer\'s form', async () => {
    const referred = await api<{ items: { id: string; enterpriseName: string }[] }>('credit-approver', 'GET', '/v1/book/applications?status=referred&limit=1');
    const application = referred.items[0]!;
    for (const role of ['account-manager', 'auditor']) {
      const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
      const { page, errors } = await newPage(context);
      await logIn(page, role);
      // The link is in the header, and the queue opens the record.
      await page.click('nav a[href="/review"]');
      await page.waitForSelector(`[data-testid=queue-row][data-application="${application.id}"]`);
      assert.equal(await page.locator('[data-testid=approvals]').count(), 0, 'no confirmations to decide');
      await assertTablesFit(page, DESKTOP.width);
      await page.click(`[data-testid=queue-row][data-application="${application.id}"] [data-testid=open-application]`);
      await page.waitForSelector('[data-testid=read-only]', { timeout: 90_000 }); // the record and its three tables load apart; slow at load 30
      assert.equal(await page.locator('[data-testid=review-form]').count(), 0);
      assert.ok((await page.textContent('h2'))?.includes(application.enterpriseName), 'the record names the firm');
      if (role === 'account-manager') await shot(page, 'officer-review-read-only-desktop');
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('an account manager uploads a GBK file from Chinese Excel and the names arrive in Chinese', async () => {
    const ascii = (text: string) => [...Buffer.from(text, 'ascii')];
    // 杭州绿芽茶叶有限公司 and 宁波海曙五金厂 in GBK.
    const hangzhou = [0xba, 0xbc, 0xd6, 0xdd, 0xc2, 0xcc, 0xd1, 0xbf, 0xb2, 0xe8, 0xd2, 0xb6, 0xd3, 0xd0, 0xcf, 0xde, 0xb9, 0xab, 0xcb, 0xbe];
    const ningbo = [0xc4, 0xfe, 0xb2, 0xa8, 0xba, 0xa3, 0xca, 0xef, 0xce, 0xe5, 0xbd, 0xf0, 0xb3, 0xa7];
    const file = Buffer.from([...ascii(`credit_code,name\r\n${simulatedCreditCode(91, 0)},`), ...hangzhou, ...ascii(`\r\n${simulatedCreditCode(91, 1)},`), ...ningbo, ...ascii('\r\n')]);

    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'account-manager');
    await page.goto(`${sprout.base}/prospects`);
    await page.waitForSelector('[data-testid=prospect-form]');
    await page.fill('input[name=sourceName]', '宁波某汽车零部件集团');
    await page.setInputFiles('input[name=file]', { name: '供应商名单.csv', mimeType: 'text/csv', buffer: file });
    await page.click('[data-testid=upload]');
    await page.waitForSelector('[data-testid=upload-result]');
    assert.equal(await page.textContent('[data-testid=upload-result]'), '已读取：GBK/GB18030，2 行');
    await page.waitForSelector('[data-testid=prospect-results] tbody tr');
    const names = await page.locator('[data-testid=prospect-results] tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(names, ['杭州绿芽茶叶有限公司', '宁波海曙五金厂']);
    await shot(page, 'officer-prospects-upload-desktop');

    // A file that decodes to mojibake is refused with the reason; nothing is imported.
    const batches = (await api<unknown[]>('account-manager', 'GET', '/v1/prospect-batches')).length;
    const mojibake = Buffer.from(Buffer.from(`${simulatedCreditCode(91, 2)},杭州绿芽茶叶有限公司\n`).toString('latin1'), 'utf8');
    await page.setInputFiles('input[name=file]', { name: 'broken.csv', mimeType: 'text/csv', buffer: mojibake });
    await page.click('[data-testid=upload]');
    await page.waitForSelector('[data-testid=prospect-form] [role=alert]');
    assert.equal((await api<unknown[]>('account-manager', 'GET', '/v1/prospect-batches')).length, batches);
    assert.deepEqual(errors.filter((error) => !error.includes('status of 400')), []);
    await context.close();
  });

  it('at 390 px the lists are cards and every action is in reach', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'account-manager');
    // On a phone the header folds the user's name away; log in first, then narrow the window.
    await page.setViewportSize(PHONE);
    await page.goto(`${sprout.base}/loans`);
    await page.waitForSelector('[data-testid=loan-row]');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `no sideways scrolling (${width} px)`);
    const button = await page.locator('[data-testid=open-loan]').first().boundingBox();
    assert.ok(button && button.x >= 0 && button.x + button.width <= PHONE.width, `the button into a loan is on screen (${JSON.stringify(button)})`);
    await shot(page, 'officer-loans-phone', false);
    await page.locator('[data-testid=open-loan]').first().click();
    await page.waitForSelector('[data-testid=counter-repayment]');
    for (const selector of ['[data-testid=review-repayment]', 'input[name=counterAmount]']) {
      const box = await page.locator(selector).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, `${selector} in reach (${JSON.stringify(box)})`);
    }
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width, 'the loan page fits');
    await shot(page, 'officer-loan-phone', false);
    await page.goto(`${sprout.base}/enterprises`);
    await page.waitForSelector('[data-testid=enterprise-list] tbody tr');
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await shot(page, 'officer-enterprises-phone', false);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
