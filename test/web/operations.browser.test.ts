/**
 * Issue 19 in Chromium against `sprout serve --eod-at` (a cut-off just passed, Shanghai time) on a
 * small demo book: the operator's operations page shows the scheduled end of day's outcome as the
 * API reports it (dates closed, when, how long) and the notice outbox, in Chinese and English,
 * at 1440 and 390 px; the borrower sees its own notices and opens its loan note's print view.
 * Screenshots go to docs/screenshots/operations-*.png and borrower-notices-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

let sprout: ServedSprout;
let browser: Browser;

const text = (page: Page, testId: string) => page.textContent(`[data-testid=${testId}]`).then((value) => (value ?? '').trim());

type Runner = { businessDate: string; lastOutcome: string | null; lastFrom: string | null; lastUntil: string | null; lastDatesClosed: number; lastStartedAt: string | null; lastFinishedAt: string | null };

/**
 * A cut-off that has just passed and closes the new database's business date (the UTC date it was
 * made on, src/db/database.ts), so the server closes that night as soon as its demo has filled (a
 * server started after a cut-off catches it up; the test neither waits for the next minute nor races
 * a slow fill). The minute before this one in a zone where it is 14:xx now: an evening cut-off on
 * the UTC date. Shanghai time would not do: from 08:00 to 12:00 there (00:00–04:00 UTC) the minute
 * before is a morning cut-off, which closes the day before the database's (src/eod/eod-scheduler.ts
 * dateToCloseAt), and the night never ran (stop 34's CI at 03:36 UTC).
 */
function cutOffJustPassed(): { at: string; timezone: string } {
  const at = new Date(Date.now() - 60_000);
  const ahead = 14 - at.getUTCHours(); // hours east of UTC: −9 to +14, all real zones
  const timezone = ahead === 0 ? 'Etc/UTC' : `Etc/GMT${ahead > 0 ? '-' : '+'}${Math.abs(ahead)}`; // Etc/GMT-14 is UTC+14
  return { at: new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at), timezone };
}

async function noSidewaysScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `no sideways scrolling at ${width} px (${scrollWidth} px)`);
}

async function login(page: Page, username: string) {
  await page.goto(`${sprout.base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', `${username}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav');
}

describe('the operations page and the borrower notices in Chromium', () => {
  before(async () => {
    const cutOff = cutOffJustPassed();
    sprout = await startSprout('sprout-operations-', ['--demo-enterprises', '40', '--demo-months', '1', '--eod-at', cutOff.at, '--eod-timezone', cutOff.timezone]);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('the operator sees the last scheduled end of day as the API reports it, and the notice outbox, in both languages and on a phone', async () => {
    // Bounded: the night runs once the demo has filled; five minutes allowed on a loaded machine.
    let runner = await sprout.api<Runner>('operator', 'GET', '/v1/eod/runner');
    for (let wait = 0; wait < 150 && (runner.lastOutcome === null || runner.lastOutcome === 'running'); wait++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      runner = await sprout.api<Runner>('operator', 'GET', '/v1/eod/runner');
    }
    assert.equal(runner.lastOutcome, 'done', JSON.stringify(runner));
    const notices = await sprout.api<{ kind: string }[]>('operator', 'GET', '/v1/notifications?limit=100');
    assert.ok(notices.length > 0, 'the demo wrote notices');

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await login(page, 'operator');
    await page.goto(`${sprout.base}/operations`);
    await page.waitForSelector('[data-testid=eod-outcome] .badge');
    assert.equal(await text(page, 'eod-outcome'), '成功');
    assert.equal(await text(page, 'eod-business-date'), runner.businessDate);
    assert.equal(await text(page, 'eod-dates'), `${runner.lastFrom} — ${runner.lastUntil}（共 ${runner.lastDatesClosed} 天）`);
    const seconds = (Date.parse(runner.lastFinishedAt!) - Date.parse(runner.lastStartedAt!)) / 1000;
    assert.equal(await text(page, 'eod-duration'), `${seconds.toFixed(1)} 秒`);
    await page.waitForSelector('[data-testid=notice-row]');
    assert.equal(await page.locator('[data-testid=notice-row]').count(), notices.length);
    await page.screenshot({ path: `${SCREENSHOTS}/operations-desktop.png`, fullPage: false });

    await page.click('[data-testid=language-switch]');
    await page.waitForSelector('text=End of day');
    assert.equal(await text(page, 'eod-outcome'), 'Done');
    assert.equal(await text(page, 'eod-duration'), `${seconds.toFixed(1)} s`);
    await page.click('[data-testid=language-switch]');
    await page.waitForSelector('text=日终批处理');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await noSidewaysScroll(page, 390);
    await page.screenshot({ path: `${SCREENSHOTS}/operations-phone.png`, fullPage: false });
    await context.close();
  });

  it('the borrower reads its own notices and opens its loan note to print', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await login(page, 'borrower');
    await page.goto(`${sprout.base}/borrow`);
    await page.waitForSelector('[data-testid=my-notice]');
    const titles = await page.$$eval('[data-testid=my-notice] strong', (nodes) => nodes.map((node) => (node as unknown as { textContent: string }).textContent));
    assert.ok(titles.length > 0 && titles.every((title) => /回单|提醒|通知|授信申请结果/.test(title)), titles.join(' | '));
    await page.click('[data-testid=open-loan]');
    await page.waitForSelector('[data-testid=loan-note-links-html]');
    const noteNo = await text(page, 'panel-note-no');
    const href = await page.getAttribute('[data-testid=loan-note-links-html]', 'href');
    await page.locator('[data-testid=my-notices]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/borrower-notices-desktop.png`, fullPage: false });
    const print = await context.newPage();
    await print.goto(`${sprout.base}${href}`);
    assert.match((await print.textContent('body')) ?? '', new RegExp(noteNo));
    await print.screenshot({ path: `${SCREENSHOTS}/loan-note-print.png`, fullPage: true });
    const pdf = await print.request.get(`${sprout.base}${href}?format=pdf`);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await noSidewaysScroll(page, 390);
    await page.locator('[data-testid=my-notices]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/borrower-notices-phone.png`, fullPage: false });
    await context.close();
  });
});
