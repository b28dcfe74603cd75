/**
 * The regional financial ecology page in Chromium against `sprout serve` on a fresh data
 * directory: management opens it, sees the provinces ranked with the API's numbers, Jilin chosen
 * with its radar against the national median and its trend, the weights table, switches method,
 * province and language, and the layout holds on a phone. Screenshots go to docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, paintedPixels, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

let sprout: ServedSprout;
let browser: Browser;

const text = (page: Page, testId: string) => page.textContent(`[data-testid=${testId}]`).then((value) => (value ?? '').trim());

describe('the ecology page in Chromium', () => {
  before(async () => {
    sprout = await startSprout('sprout-ecology-', ['--demo-enterprises', '40', '--demo-months', '1']);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('ranks the provinces, shows Jilin against the median and over the years, the weights; methods, provinces and languages switch; a phone fits', async () => {
    const expected = await sprout.api<{ year: number; weights: Record<string, number>; regions: { code: string; rank: number; score: number; grade: string }[] }>('management', 'GET', '/v1/ecology/index');
    const jilin = expected.regions.find((region) => region.code === '220000')!;
    assert.deepEqual([expected.year, jilin.rank, jilin.grade], [2023, 25, 'D']);

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${sprout.base}/login`);
    await page.fill('input[name=username]', 'management');
    await page.fill('input[name=password]', 'management-demo');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=total-balance]');
    await page.goto(`${sprout.base}/ecology`);
    for (const chart of ['ecology-ranking', 'ecology-radar', 'ecology-trend']) await page.waitForSelector(`[data-chart="${chart}"] canvas`);
    await page.waitForTimeout(1200); // ECharts' entry animation
    for (const chart of ['ecology-ranking', 'ecology-radar', 'ecology-trend']) assert.ok((await paintedPixels(page, chart)) > 2000, `${chart} draws`);

    assert.equal(await text(page, 'ecology-chosen-rank'), '25 / 31');
    assert.equal(await text(page, 'ecology-chosen-score'), jilin.score.toFixed(2));
    assert.equal(await text(page, 'ecology-chosen-grade'), 'D');
    assert.match(await text(page, 'ecology-missing-dimensions'), /法制环境/);
    const weights = await page.$$eval('[data-testid=ecology-weights] tbody tr', (rows) => rows.map((row) => [(row as unknown as { dataset: { indicator: string } }).dataset.indicator, (row as unknown as { textContent: string }).textContent]));
    assert.equal(weights.length, 6);
    assert.ok(weights[0]![1]!.includes(expected.weights.gdp_per_capita_yuan!.toFixed(4)), weights[0]![1]);
    // Indicator labels, not the data's column names.
    assert.ok(weights[0]![1]!.includes('人均地区生产总值（元）'), weights[0]![1]);
    assert.deepEqual(weights.filter(([, text]) => /[a-z]+_[a-z]+/.test(text!)), []);
    assert.match(await page.textContent('h2') ?? '', /区域金融生态环境指数/);
    await page.screenshot({ path: `${SCREENSHOTS}/ecology-desktop.png`, fullPage: true });

    // The combined method shows its consistency ratio and other weights; Beijing ranks first.
    await page.click('[data-testid=ecology-method-combined]');
    await page.waitForSelector('text=一致性比率 CR');
    const combined = await sprout.api<{ weights: Record<string, number> }>('management', 'GET', '/v1/ecology/index?method=combined');
    await page.waitForFunction((w) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid=ecology-weights] tbody tr')?.textContent.includes(w) ?? false, combined.weights.gdp_per_capita_yuan!.toFixed(4));
    await page.selectOption('[data-testid=ecology-region]', '110000');
    assert.equal(await text(page, 'ecology-chosen-rank'), '1 / 31');
    await page.click('[data-testid=ecology-year-2020]');
    await page.waitForSelector('[data-testid=ecology-year-2020][aria-selected=true]');

    await page.click('[data-testid=language-switch]');
    await page.waitForSelector('text=Regional financial ecology index');
    assert.match(await text(page, 'ecology-missing-dimensions'), /Legal environment/);
    await page.click('[data-testid=language-switch]');

    await page.click('[data-testid=ecology-method-entropy]');
    await page.click('[data-testid=ecology-year-2023]');
    await page.selectOption('[data-testid=ecology-region]', '220000');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(1000);
    const overflow = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document;
      return doc.documentElement.scrollWidth;
    });
    assert.ok(overflow <= 390, `no sideways scrolling on a phone (${overflow} px)`);
    await page.screenshot({ path: `${SCREENSHOTS}/ecology-phone.png`, fullPage: true });
    await context.close();
  });
});
