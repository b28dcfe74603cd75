/**
 * Issue 14's "every word in the user's language", dashboard and first contact, in Chromium against
 * a real `sprout serve --mode demo`: the login page explains Sprout and logs in as a demo role in
 * one click; a bad credit code is refused in Chinese naming the field and the position; the decision
 * record shows plain words (no rule ids, bins, hashes, raw codes) under the enterprise's name; the
 * dashboard shows days past due in buckets with provisions and coverage, and each bucket links to
 * its loans; and no page logs a console error — not even the login page's session probe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

const DESKTOP = { width: 1280, height: 900 };
let sprout: ServedSprout;
let browser: Browser;

async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Every console error counts: a 401 from a session probe too.
  page.on('console', (message) => message.type() === 'error' && errors.push(`${page.url()}: ${message.text()}`));
  return { page, errors };
}

async function logInByForm(page: Page, role: string): Promise<void> {
  await page.goto(`${sprout.base}/login`);
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

describe('words, dashboard and first contact in Chromium', () => {
  before(async () => {
    const started = performance.now();
    sprout = await startSprout('sprout-words-', ['--demo-enterprises', '300', '--demo-months', '4']);
    browser = await launchChromium();
    console.log(`server up with a demo book of 300 enterprises, 4 months in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('the login page says what Sprout is, offers the demo roles, and logs in as one in one click, with no console error', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await page.goto(`${sprout.base}/`);
    await page.waitForSelector('[data-testid=demo-roles]');
    const intro = await page.textContent('[data-testid=demo-roles]');
    assert.match(intro ?? '', /Sprout 是面向小微企业的开源信贷平台/);
    const roles = await page.$$eval('[data-testid=demo-roles] button', (buttons) => buttons.map((button) => (button as unknown as { textContent: string }).textContent));
    assert.deepEqual(roles, ['管理层', '风险经理', '审批人', '客户经理', '催收员', '借款企业', '核心企业', '运营人员', '审计人员', '系统管理员']);
    await page.screenshot({ path: `${SCREENSHOTS}/login-demo-desktop.png` });
    await page.click('[data-testid=demo-management]');
    await page.waitForSelector('[data-testid=total-balance]');
    assert.equal(new URL(page.url()).pathname, '/dashboard');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the dashboard shows days past due in buckets, provisions and coverage, and a bucket links to its loans', async () => {
    const report = await sprout.api<{ pastDue: { bucket: string; loans: number; financings: number; balance: string }[]; coverage: { provision: string; coverageRatio: string | null }; totals: { balance: string } }>(
      'management',
      'GET',
      '/v1/reports/portfolio',
    );
    assert.ok(report.pastDue.some((row) => row.loans > 0), 'the demo book has loans past due');
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logInByForm(page, 'management');
    await page.waitForSelector('[data-testid=past-due-table]');
    const shown = await page.$$eval('[data-testid=past-due-table] tbody tr', (rows) => rows.map((row) => (row as unknown as { innerText: string }).innerText.split('\t').map((cell) => cell.trim())));
    const yuan = (amount: string) => `¥${amount.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
    assert.deepEqual(
      shown.map((row) => [row[0], row[1], row[2]]),
      report.pastDue.map((row) => [{ '1-30': '逾期 1–30 天', '31-60': '逾期 31–60 天', '61-90': '逾期 61–90 天', 'over-90': '逾期 90 天以上' }[row.bucket], row.financings > 0 ? `${row.loans} + 供应链融资 ${row.financings} 笔` : String(row.loans), yuan(row.balance)]),
    );
    assert.equal(await page.textContent('[data-testid=provision]'), yuan(report.coverage.provision));
    assert.equal(await page.textContent('[data-testid=coverage-ratio]'), report.coverage.coverageRatio === null ? '无不良' : `${report.coverage.coverageRatio}%`);
    // Money axes in 万/亿, never thousands of 万; no product code on the charts' tables.
    const text = (await page.textContent('main')) ?? (await page.textContent('body')) ?? '';
    assert.doesNotMatch(text, /\d{1,3},\d{3}万/);
    assert.doesNotMatch(text, /MICRO-LINE|SHORT-TERM|TERM-LOAN/);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-desktop.png`, fullPage: true });

    // Drill-down: the bucket's figure opens the loans list filtered to it, and the server's list holds exactly its loans.
    const bucket = report.pastDue.find((row) => row.loans > 0)!;
    assert.equal(await page.getAttribute(`[data-testid=dpd-balance-${bucket.bucket}]`, 'href'), `/loans?dpdBucket=${bucket.bucket}`);
    await page.click(`[data-testid=dpd-balance-${bucket.bucket}]`);
    await page.waitForURL(`**/loans?dpdBucket=${bucket.bucket}`);
    const loans = await sprout.api<{ daysPastDue: number }[]>('management', 'GET', `/v1/loans?dpdBucket=${bucket.bucket}&limit=200`);
    assert.equal(loans.length, bucket.loans);
    const [min, max] = bucket.bucket === 'over-90' ? [91, Infinity] : bucket.bucket.split('-').map(Number);
    assert.ok(loans.every((loan) => loan.daysPastDue >= min! && loan.daysPastDue <= max!));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the decision record of a declined application reads in plain words under the enterprise name', async () => {
    const declined = await sprout.api<{ id: string }[]>('credit-approver', 'GET', '/v1/applications?status=declined');
    assert.ok(declined.length > 0, 'the demo has declines');
    let chosen: { applicationId: string; enterpriseName: string; mainFactors: string[]; reasonCodes: string[] } | undefined;
    for (const row of declined) {
      const detail = await sprout.api<{ applicationId: string; enterpriseName: string; mainFactors: string[]; reasonCodes: string[] }>('credit-approver', 'GET', `/v1/applications/${row.id}`);
      if (detail.reasonCodes.includes('SCORE_TOO_LOW')) {
        chosen = detail;
        break;
      }
      chosen ??= detail;
    }
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logInByForm(page, 'credit-approver');
    await page.goto(`${sprout.base}/review?application=${chosen!.applicationId}`);
    await page.waitForSelector('[data-testid=decision-record]');
    await page.waitForSelector('[data-testid=rules-trace]');
    assert.equal(await page.textContent('[data-testid=decision-record-title]').then((text) => text?.startsWith(`审批记录：${chosen!.enterpriseName}`)), true);
    if (chosen!.mainFactors.length > 0) assert.match((await page.textContent('[data-testid=main-factors]')) ?? '', /^主要原因：/);
    const record = (await page.textContent('[data-testid=decision-record]')) ?? '';
    assert.doesNotMatch(record, /\b[DR]\d{2}\b/, 'no rule ids');
    assert.doesNotMatch(record, /\b[A-Z]+(_[A-Z]+)+\b/, 'no reason codes');
    assert.doesNotMatch(record, /\b[a-z]+(_[a-z0-9]+)+\b/, 'no feature names');
    assert.doesNotMatch(record, /[[(]-?\d+(\.\d+)?, *-?\d+(\.\d+)?[)\]]/, 'no bins');
    assert.doesNotMatch(record, /\b[0-9a-f]{10,}\b/, 'no hashes');
    assert.doesNotMatch(record, /\d\.\d{3,}/, 'no raw floats');
    await page.screenshot({ path: `${SCREENSHOTS}/decision-record-desktop.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('a credit code with a wrong check character is refused in Chinese, naming the field and the position', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await page.goto(`${sprout.base}/`);
    await page.click('[data-testid=register-link]');
    await page.waitForSelector('[data-testid=register-form]');
    await page.fill('input[name=username]', 'li-na-words');
    await page.fill('input[name=displayName]', '李娜');
    await page.fill('input[name=phone]', '13800138001');
    await page.fill('input[name=password]', 'li-na-words-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=enterprise-form]');
    await page.fill('input[name=name]', '福州小微茶业有限公司');
    await page.fill('input[name=creditCode]', '91350100M000100Y40');
    await page.fill('input[name=regionCode]', '350102');
    await page.fill('input[name=registeredOn]', '2019-04-01');
    await page.fill('input[name=employees]', '8');
    await page.fill('input[name=revenue]', '900000.00');
    await page.fill('input[name=assets]', '500000.00');
    await page.fill('input[name=owner-0-name]', '李娜');
    await page.fill('input[name=owner-0-idNumber]', '330106198001011235');
    await page.fill('input[name=owner-0-phone]', '13800138001');
    await page.click('[data-testid=enterprise-form] button[type=submit]');
    const alert = await page.waitForSelector('[data-testid=enterprise-form] [role=alert]');
    const text = (await alert.textContent()) ?? '';
    assert.equal(text, '统一社会信用代码第 18 位「0」有误：校验位应为「3」，请核对后重新输入');
    await page.screenshot({ path: `${SCREENSHOTS}/error-credit-code-desktop.png` });
    // The browser logs the refused request itself (400); nothing else may fail.
    assert.deepEqual(errors.filter((error) => !error.endsWith('/apply: Failed to load resource: the server responded with a status of 400 (Bad Request)')), []);
    assert.equal(errors.length, 1);
    await context.close();
  });

  it('no page logs a console error, for any role', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await page.goto(`${sprout.base}/login`);
    await page.waitForSelector('[data-testid=demo-roles]');
    for (const [role, paths] of [
      ['management', ['/dashboard', '/ecology', '/supply-chain', '/loans']],
      ['risk-officer', ['/dashboard', '/review', '/enterprises', '/loans']],
      ['account-manager', ['/enterprises', '/prospects', '/loans']],
      ['borrower', ['/apply', '/borrow', '/certificates']],
      ['core-enterprise', ['/core']],
    ] as const) {
      await page.goto(`${sprout.base}/login`);
      await page.click(`[data-testid=demo-${role}]`);
      await page.waitForSelector('[data-testid=who]');
      for (const path of paths) {
        await page.goto(`${sprout.base}${path}`);
        await page.waitForSelector('[data-testid=who]');
        await page.waitForLoadState('networkidle');
      }
      await page.click('button:has-text("退出")');
      await page.waitForSelector('[data-testid=demo-roles]');
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
});
