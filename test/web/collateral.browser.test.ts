/**
 * Secured and guaranteed lending in a real browser against `sprout serve` with a small demo book:
 * the officer registers collateral on the enterprise 360 and sees loan-to-value; the borrower sees
 * what secures the line; management sees the book split by security, equal to the API's figures.
 * Screenshots go to docs/screenshots/collateral-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

let sprout: ServedSprout;
let browser: Browser;
const pageErrors: string[] = [];

async function login(role: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${role}: ${error.message}`));
  // The enterprise 360 asks for applications in every status and skips those a role may not see (403): expected.
  page.on('console', (message) => message.type() === 'error' && !/status of 40[13]/.test(message.text()) && pageErrors.push(`${role}: ${message.text()}`));
  await page.goto(`${sprout.base}/`);
  await page.waitForSelector('form.login-card');
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('form.login-card', { state: 'detached' });
  return page;
}

const digits = (text: string | null) => (text ?? '').replace(/[¥,%\s]/g, '');

describe('secured and guaranteed lending in Chromium', () => {
  before(async () => {
    sprout = await startSprout('sprout-collateral-', ['--demo-enterprises', '120', '--demo-months', '2']);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('the officer registers a house and sees loan-to-value; the borrower sees what secures the line; management sees the split', async () => {
    // The showcase borrower's line, secured through the API as an officer would.
    const [line] = await sprout.api<{ id: string; enterpriseId: string; limit: string }[]>('borrower', 'GET', '/v1/lines');
    assert.ok(line, 'the demo borrower has a line');
    const house = await sprout.api<{ id: string }>('account-manager', 'POST', '/v1/collateral', { enterpriseId: line.enterpriseId, type: 'residential-real-estate', owner: 'third-party', ownerName: '陈立', description: '杭州市西湖区文三路 1 号 301 室', identifier: '浙(2024)杭州市不动产权第0012345号' });
    const valued = await sprout.api<{ valuation: { eligible: string } }>('account-manager', 'POST', `/v1/collateral/${house.id}/valuations`, { value: '2000000.00', method: 'appraisal', appraiser: '浙江中衡资产评估' }, { 'idempotency-key': 'browser-valuation-1' });
    assert.equal(valued.valuation.eligible, '1400000.00');
    await sprout.api('account-manager', 'POST', `/v1/collateral/${house.id}/registration`, { authority: '杭州市不动产登记中心', number: '浙(2025)杭州市不动产证明第0098765号', registeredOn: '2025-01-02', rank: 1 }, { 'idempotency-key': 'browser-registration-1' });
    await sprout.api('account-manager', 'POST', `/v1/collateral/${house.id}/links`, { lineId: line.id, allocated: '1400000.00' });

    const officer = await login('account-manager');
    await officer.goto(`${sprout.base}/enterprises?id=${line.enterpriseId}`);
    await officer.waitForSelector('[data-testid=security-panel] [data-testid=collateral-list]', { timeout: 60_000 }).catch(async (error: unknown) => {
      await officer.screenshot({ path: '/tmp/i17-officer-failure.png', fullPage: true });
      throw new Error(`${String(error)}; page errors: ${pageErrors.join(' | ')}`);
    });
    // The register and the line's loan-to-value once loaded: 1,400,000.00 eligible against the line's credit.
    await officer.waitForSelector('[data-testid=collateral-list] >> text=住宅房产');
    await officer.waitForSelector('[data-testid=line-security] [data-testid=ltv]');
    // A second piece through the form.
    await officer.selectOption('[data-testid=collateral-form] select[name=type]', 'equipment-vehicles');
    await officer.fill('[data-testid=collateral-form] input[name=ownerName]', '示范企业');
    await officer.fill('[data-testid=collateral-form] input[name=description]', '数控机床 2 台');
    await officer.fill('[data-testid=collateral-form] input[name=identifier]', 'LVSHCAMB1CE012345');
    await officer.click('[data-testid=collateral-form] button[type=submit]');
    await officer.waitForSelector('text=LVSHCAMB1CE012345');
    await officer.locator('[data-testid=security-panel]').screenshot({ path: `${SCREENSHOTS}/collateral-officer.png` });

    const owner = await login('borrower');
    await owner.goto(`${sprout.base}/borrow`);
    await owner.waitForSelector('[data-testid=line-security-card] >> text=浙(2024)杭州市不动产权第0012345号');
    const card = (await owner.textContent('[data-testid=line-security-card]')) ?? '';
    assert.match(card, /我的额度由什么担保/);
    await owner.locator('[data-testid=line-security-card]').screenshot({ path: `${SCREENSHOTS}/collateral-borrower.png` });

    const split = await sprout.api<{ secured: { balance: string }; guaranteed: { balance: string }; pureCredit: { balance: string } }>('management', 'GET', '/v1/reports/security-split');
    assert.notEqual(split.pureCredit.balance, '0.00');
    const management = await login('management');
    await management.waitForSelector('[data-testid=security-split]');
    assert.equal(digits(await management.textContent('[data-testid=split-secured]')), split.secured.balance);
    assert.equal(digits(await management.textContent('[data-testid=split-guaranteed]')), split.guaranteed.balance);
    assert.equal(digits(await management.textContent('[data-testid=split-pureCredit]')), split.pureCredit.balance);
    await management.locator('[data-testid=security-split]').screenshot({ path: `${SCREENSHOTS}/collateral-split.png` });
    assert.deepEqual(pageErrors, []);
  });
});
