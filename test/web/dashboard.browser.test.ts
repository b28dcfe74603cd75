/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the real
 * server: `sprout serve` on a fresh data directory, which fills a small deterministic demo book
 * (src/demo/: four months lived through the services, end of day every night), then the login
 * page, the management dashboard with its charts over time and by group, the language switch and
 * the phone layout. Screenshots go to docs/screenshots/. Run with `npm run test:browser`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, paintedPixels, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

/** The demo book the server fills on its empty database: small enough for a test, long enough for trends. */
const DEMO = { enterprises: 400, months: 4 };
const CHARTS = ['balance-trend', 'risk-trend', 'rate-trend', 'classification', 'products', 'risk', 'breakdown', 'past-due'];

let sprout: ServedSprout;
let base: string;
let browser: Browser;


function api<T>(role: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return sprout.api<T>(role, method, path, body, headers);
}

// The callbacks below run in the page. The root tsconfig has no DOM types (it checks server
// code), so they describe the little of the DOM they touch.
interface BoxLike {
  getBoundingClientRect(): { readonly x: number; readonly y: number; readonly width: number };
}
interface DocumentLike {
  readonly documentElement: { readonly scrollWidth: number };
  querySelectorAll(selector: string): Iterable<BoxLike>;
}

const digits = (text: string | null) => (text ?? '').replace(/[¥,%\s]/g, '');

describe('the web app in Chromium', () => {
  before(async () => {
    const started = performance.now();
    sprout = await startSprout('sprout-browser-', ['--demo-enterprises', String(DEMO.enterprises), '--demo-months', String(DEMO.months)]);
    base = sprout.base;
    console.log(`server up with a demo book of ${DEMO.enterprises} enterprises and ${DEMO.months} months in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('management logs in and sees the dashboard with the API\'s numbers, in Chinese and English, on a desktop and a phone', async () => {
    const expected = await api<{ totals: { balance: string; borrowers: number; loans: number; overdueRatio: string; nplRatio: string; averageRate: string }; classification: { category: string; balance: string }[] }>(
      'management',
      'GET',
      '/v1/reports/portfolio',
    );
    assert.ok(expected.totals.loans > 20 && expected.totals.balance !== '0.00', `the demo book has loans (${expected.totals.loans})`);
    assert.notEqual(expected.totals.overdueRatio, '0.00', 'defaulting borrowers are overdue');
    const history = await api<{ points: { date: string; balance: string; newLending: string }[] }>('management', 'GET', '/v1/reports/portfolio/history');
    assert.ok(history.points.length >= 100, `a point per end of day (${history.points.length})`);
    assert.equal(history.points.at(-1)!.balance, expected.totals.balance, 'the last snapshot is today\'s book');

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The app asks for a session before anyone has logged in; Chromium logs that expected 401.
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

    const loginStarted = performance.now();
    await page.goto(`${base}/`);
    await page.waitForSelector('form.login-card');
    const loginMs = performance.now() - loginStarted;
    assert.equal(await page.textContent('h1'), 'Sprout 小微贷', 'Chinese by default');
    await page.screenshot({ path: `${SCREENSHOTS}/login.png` });

    await page.fill('input[name=username]', 'management');
    await page.fill('input[name=password]', 'management-demo');
    const dashboardStarted = performance.now();
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=total-balance]');
    for (const chart of CHARTS) await page.waitForSelector(`[data-chart="${chart}"] canvas`);
    const dashboardMs = performance.now() - dashboardStarted;
    console.log(`login page shown in ${loginMs.toFixed(0)} ms; dashboard with data ${dashboardMs.toFixed(0)} ms after submitting the login`);
    assert.equal(new URL(page.url()).pathname, '/dashboard');
    // Read from the primary, and (one read serving the requests of a second) live or said how long ago.
    assert.match((await page.textContent('[data-testid=read-from]')) ?? '', /^(主库实时数据|主库数据，[0-9]+\.[0-9] 秒前读取)$/);

    assert.equal(digits(await page.textContent('[data-testid=total-balance]')), expected.totals.balance);
    assert.equal(digits(await page.textContent('[data-testid=total-borrowers]')), String(expected.totals.borrowers));
    assert.equal(digits(await page.textContent('[data-testid=total-loans]')), String(expected.totals.loans));
    assert.equal(digits(await page.textContent('[data-testid=overdue-ratio]')), expected.totals.overdueRatio);
    assert.equal(digits(await page.textContent('[data-testid=npl-ratio]')), expected.totals.nplRatio);
    assert.equal(digits(await page.textContent('[data-testid=average-rate]')), expected.totals.averageRate);
    assert.equal(await page.textContent('h2'), '经营看板');
    await page.waitForTimeout(1200); // ECharts' entry animation
    for (const chart of CHARTS) assert.ok((await paintedPixels(page, chart)) > 2000, `${chart} chart drew its data`);
    assert.match(await page.textContent('[data-testid=growth-30]') ?? '', /[+-][0-9]+\.[0-9]{2}%/);
    // The period in the page's format, whatever the browser's locale; the book's balance on one line inside its card.
    assert.match(await page.inputValue('[data-testid=range-from]'), /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
    assert.match(await page.inputValue('[data-testid=range-to]'), /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
    const balanceBox = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: { querySelector(selector: string): { getClientRects(): { length: number }; getBoundingClientRect(): { right: number }; closest(selector: string): { getBoundingClientRect(): { right: number } } } } }).document;
      const value = document.querySelector('[data-testid=total-balance]');
      return { lines: value.getClientRects().length, right: value.getBoundingClientRect().right, cardRight: value.closest('.kpi').getBoundingClientRect().right };
    });
    assert.equal(balanceBox.lines, 1, 'the balance does not wrap');
    assert.ok(balanceBox.right <= balanceBox.cardRight, `the balance stays inside its card (${JSON.stringify(balanceBox)})`);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-desktop.png`, fullPage: true });

    const historyDownload = page.waitForEvent('download');
    await page.click('[data-testid=export-history-csv]');
    const historyText = readFileSync((await (await historyDownload).path())!, 'utf8');
    assert.ok(historyText.startsWith('\uFEFF'), 'the export starts with the UTF-8 byte-order mark');
    const historyCsv = historyText.slice(1).trimEnd().split('\r\n');
    assert.equal(historyCsv[0], 'date,loans,borrowers,balance,overdueBalance,overdueRatio,nplBalance,nplRatio,averageRate,newLoans,newLending');
    assert.equal(historyCsv.length, history.points.length + 1);
    assert.ok(historyCsv.at(-1)!.includes(`,${expected.totals.balance},`));

    const byRegion = await api<{ breakdown: { groups: { nameZh: string; balance: string }[] } }>('management', 'GET', '/v1/reports/portfolio?by=region');
    await page.click('[data-testid=breakdown-size]');
    await page.waitForTimeout(800);
    assert.ok((await paintedPixels(page, 'breakdown')) > 2000, 'the breakdown by size drew its data');
    const breakdownDownload = page.waitForEvent('download');
    await page.click('[data-testid=export-breakdown-csv]');
    const sizeCsv = readFileSync((await (await breakdownDownload).path())!, 'utf8').split('\r\n');
    assert.match(sizeCsv[0]!, /^\uFEFFkey,name,nameZh,loans,borrowers,balance,share/);
    assert.ok(sizeCsv.slice(1).some((line) => line.startsWith('micro,micro,微型,')));
    await page.click('[data-testid=breakdown-region]');
    assert.ok(byRegion.breakdown.groups.length > 1, 'the demo spreads over regions');

    const downloadEvent = page.waitForEvent('download');
    await page.click('[data-testid=export-csv]');
    const csv = readFileSync((await (await downloadEvent).path())!, 'utf8');
    assert.match(csv, new RegExp(`TOTAL,${expected.totals.loans},${expected.totals.balance.replace('.', '\\.')},100\\.00`));

    await page.click('[data-testid=language-switch]');
    assert.equal(await page.textContent('h2'), 'Dashboard');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(((await page.textContent('[data-testid=product-table] thead')) ?? '').includes('Loan balance'));
    await page.click('[data-testid=language-switch]');
    assert.equal(await page.textContent('h2'), '经营看板');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(800);
    const layout = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: DocumentLike }).document;
      return {
        scrollWidth: document.documentElement.scrollWidth,
        kpis: [...document.querySelectorAll('.kpi')].map((kpi) => kpi.getBoundingClientRect()).map((box) => ({ x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width) })),
        charts: [...document.querySelectorAll('[data-chart]')].map((chart) => Math.round(chart.getBoundingClientRect().width)),
      };
    });
    assert.ok(layout.scrollWidth <= 390, `no sideways scrolling on a phone (page is ${layout.scrollWidth}px wide)`);
    assert.equal(layout.kpis[0]!.y, layout.kpis[1]!.y, 'two figures a row');
    assert.ok(layout.kpis[2]!.y > layout.kpis[0]!.y, 'the third figure on the next row');
    for (const width of layout.charts) assert.ok(width > 300 && width <= 370, `charts take the phone's width (${width}px)`);
    for (const chart of CHARTS) assert.ok((await paintedPixels(page, chart)) > 2000, `${chart} chart redrawn at phone width`);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-phone.png`, fullPage: true });

    assert.deepEqual(errors, []);
    await context.close();
  });

  it('an account manager lands on the enterprises, opens lines and loans; a reload keeps the session; logging out ends it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', 'account-manager');
    await page.fill('input[name=password]', 'account-manager-demo');
    await page.click('button[type=submit]');
    // An account manager's first page is the enterprise search (the officer console), then lines and loans.
    await page.waitForURL((url) => url.pathname === '/enterprises');
    await page.click('nav a:has-text("授信与贷款")');
    await page.waitForSelector('[data-testid=loans-table] tbody tr');
    assert.equal(new URL(page.url()).pathname, '/loans');
    const listed = await api<unknown[]>('account-manager', 'GET', '/v1/loans?limit=100');
    assert.equal(await page.locator('[data-testid=loans-table] tbody tr').count(), listed.length);
    assert.equal(await page.locator('nav a', { hasText: '经营看板' }).count(), 0, 'no dashboard for this role');
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'sprout_session');
    assert.ok(session?.httpOnly && session.sameSite === 'Strict', 'HttpOnly, SameSite=Strict session cookie');

    await page.reload();
    await page.waitForSelector('[data-testid=loans-table] tbody tr');
    await page.click('text=退出');
    await page.waitForSelector('form.login-card');
    const afterLogout = await page.evaluate(async () => (await fetch('/v1/me')).status);
    assert.equal(afterLogout, 401);
    await context.close();
  });
});
