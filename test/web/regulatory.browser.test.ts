/**
 * The regulatory reports page in Chromium against `sprout serve` filling a small demo book (end of
 * day every night, so its month ends are history): management sees the inclusive report with the
 * API's figures and the 两增两控 checks, the five categories, the migration matrix by segment,
 * renewals and foreign trade; downloads CSV and XLSX; stores a run and submits it for filing; a
 * risk officer confirms it (maker-checker `report.file`); the page reads in English and fits a
 * phone. Screenshots go to docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, paintedPixels, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

let sprout: ServedSprout;
let browser: Browser;

const text = (page: Page, testId: string) => page.textContent(`[data-testid=${testId}]`).then((value) => (value ?? '').trim());
const yuan = (amount: string) => {
  const [whole, fraction] = amount.split('.');
  return `¥${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
};

interface DocumentLike {
  readonly documentElement: { readonly scrollWidth: number };
}

async function logIn(page: Page, role: string): Promise<void> {
  await page.goto(`${sprout.base}/login`);
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  // Hidden on a phone, but there once logged in.
  await page.waitForSelector('[data-testid=who]', { state: 'attached' });
}

describe('the regulatory reports page in Chromium', () => {
  before(async () => {
    sprout = await startSprout('sprout-regulatory-', ['--demo-enterprises', '120', '--demo-months', '3']);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('shows each report with the API\'s figures, downloads CSV and XLSX, stores a run that a second person files; zh and en, desktop and phone', async () => {
    const inclusive = await sprout.api<{ asOf: string; inclusive: { balance: string; borrowers: number }; all: { balance: string }; checks: { id: string; status: string }[] }>('management', 'GET', '/v1/reports/inclusive');
    assert.ok(inclusive.all.balance !== '0.00', `the demo book has loans on ${inclusive.asOf}`);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await logIn(page, 'management');
    await page.goto(`${sprout.base}/regulatory`);
    await page.waitForSelector('[data-testid=inclusive-balance]');
    assert.equal(await text(page, 'inclusive-balance'), yuan(inclusive.inclusive.balance));
    assert.equal(await text(page, 'all-balance'), yuan(inclusive.all.balance));
    assert.equal(await text(page, 'inclusive-borrowers'), String(inclusive.inclusive.borrowers));
    const checks = await page.$$eval('[data-testid=inclusive-checks] tbody tr', (rows) => rows.map((row) => [(row as unknown as { dataset: { check: string; status: string } }).dataset.check, (row as unknown as { dataset: { status: string } }).dataset.status]));
    assert.deepEqual(checks, inclusive.checks.map((check) => [check.id, check.status]));
    const body = (await page.textContent('main')) ?? '';
    assert.match(body, /两增两控/);
    assert.match(body, /贷款增速不低于各项贷款增速/);
    // No raw codes or English on the Chinese page.
    assert.doesNotMatch(body, /balance-growth|not-met|no-data|inclusiveBalance|special-mention/);
    await page.waitForSelector('[data-chart="inclusive-by-segment"] canvas');
    await page.waitForTimeout(1000); // ECharts' entry animation
    assert.ok((await paintedPixels(page, 'inclusive-by-segment')) > 1000, 'the breakdown chart draws');
    await page.screenshot({ path: `${SCREENSHOTS}/regulatory-inclusive-zh-1440.png`, fullPage: true });

    // Downloads: CSV with a BOM, an XLSX workbook (a zip).
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-csv]')]);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    assert.equal(csvText.charCodeAt(0), 0xfeff);
    assert.match(csvText, new RegExp(`inclusive inclusive as of ${inclusive.asOf}`));
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-xlsx]')]);
    assert.equal(readFileSync((await xlsx.path())!).subarray(0, 2).toString('latin1'), 'PK');
    assert.equal(xlsx.suggestedFilename(), `inclusive-${inclusive.asOf}.xlsx`);

    // Five categories.
    const five = await sprout.api<{ total: { balance: string }; categories: { category: string; balance: string }[] }>('management', 'GET', '/v1/reports/five-category');
    await page.click('[data-testid=report-five-category]');
    await page.waitForSelector('[data-testid=five-total-balance]');
    assert.equal(await text(page, 'five-total-balance'), yuan(five.total.balance));
    assert.equal(five.total.balance, inclusive.all.balance);

    // Migration: the whole book, then by size class.
    const migration = await sprout.api<{ from: string; to: string; rows: { from: string; loans: number }[]; segments: { size: { key: string; rows: { from: string; loans: number }[] }[] } }>('management', 'GET', '/v1/reports/migration');
    await page.click('[data-testid=report-migration]');
    await page.waitForSelector('[data-testid=migration-matrix]');
    const matrix = await page.$$eval('[data-testid=migration-matrix] tbody tr', (rows) => rows.map((row) => (row as unknown as { dataset: { from: string } }).dataset.from));
    assert.deepEqual(matrix, ['normal', 'special-mention', 'substandard', 'doubtful', 'loss']);
    assert.match((await page.textContent('[data-testid=migration-matrix]')) ?? '', /→ 已收回/);
    await page.click('[data-testid=migration-size]');
    const firstSize = migration.segments.size[0]!;
    assert.equal(await page.inputValue('[data-testid=migration-segment]'), firstSize.key);
    const loansAtStart = await page.$$eval('[data-testid=migration-matrix] tbody tr td:nth-child(2)', (cells) => cells.map((cell) => Number((cell as unknown as { textContent: string }).textContent)));
    assert.deepEqual(loansAtStart, firstSize.rows.map((row) => row.loans));
    await page.screenshot({ path: `${SCREENSHOTS}/regulatory-migration-zh-1440.png`, fullPage: true });

    // Renewals and foreign trade load with their figures.
    const renewals = await sprout.api<{ total: { loans: number; principal: string } }>('management', 'GET', '/v1/reports/renewals');
    await page.click('[data-testid=report-renewals]');
    await page.waitForSelector('[data-testid=renewals-principal]');
    assert.equal(await text(page, 'renewals-principal'), yuan(renewals.total.principal));
    const foreign = await sprout.api<{ foreignTrade: { balance: string } }>('management', 'GET', '/v1/reports/foreign-trade');
    await page.click('[data-testid=report-foreign-trade]');
    await page.waitForSelector('[data-testid=foreign-balance]');
    assert.equal(await text(page, 'foreign-balance'), yuan(foreign.foreignTrade.balance));

    // A date end of day has not closed is refused in words.
    await page.click('[data-testid=report-inclusive]');
    await page.fill('[data-testid=report-as-of]', '2099-12-31');
    await page.click('[data-testid=report-show]');
    await page.waitForSelector('[data-testid=report-error]');
    assert.doesNotMatch(await text(page, 'report-error'), /end of day has not closed/);
    // That refusal is the one failed request the browser logs.
    assert.deepEqual(errors.splice(0), ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.fill('[data-testid=report-as-of]', inclusive.asOf);
    await page.click('[data-testid=report-show]');
    await page.waitForSelector('[data-testid=inclusive-balance]');

    // Store a run, submit it for filing behind a confirmation showing its digest.
    await page.click('[data-testid=report-store]');
    await page.waitForSelector('[data-testid=file-run]');
    const runs = await sprout.api<{ id: string; digest: string; status: string; asOf: string }[]>('management', 'GET', '/v1/reports/runs');
    assert.deepEqual([runs.length, runs[0]!.status, runs[0]!.asOf], [1, 'draft', inclusive.asOf]);
    await page.click('[data-testid=file-run]');
    await page.waitForSelector('[data-testid=filing-confirmation]');
    assert.equal(await text(page, 'filing-digest'), runs[0]!.digest);
    await page.screenshot({ path: `${SCREENSHOTS}/regulatory-filing-confirmation-zh-1440.png`, fullPage: false, clip: { x: 0, y: Math.max(0, (await page.locator('[data-testid=filing-confirmation]').boundingBox())!.y - 60), width: 1440, height: 600 } });
    await page.click('[data-testid=confirm-filing]');
    await page.waitForSelector(`[data-run="${runs[0]!.id}"][data-status=pending]`);
    assert.equal(await page.locator('[data-testid=check-filing]').count(), 0, 'the maker is not offered to confirm their own request');

    // English.
    await page.click('[data-testid=language-switch]');
    await page.waitForSelector('text=Regulatory reports');
    const english = (await page.textContent('main')) ?? '';
    assert.match(english, /Two up, two control/);
    assert.doesNotMatch(english, /两增两控 ·|贷款增速不低于/);
    await page.screenshot({ path: `${SCREENSHOTS}/regulatory-inclusive-en-1440.png`, fullPage: true });
    await page.click('[data-testid=language-switch]');

    // A phone: no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(800);
    const width = await page.evaluate(() => (globalThis as unknown as { document: DocumentLike }).document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling on a phone (${width} px)`);
    await page.screenshot({ path: `${SCREENSHOTS}/regulatory-inclusive-zh-390.png` });
    await page.locator('[data-testid=inclusive-checks]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/regulatory-checks-zh-390.png` });
    assert.deepEqual(errors, []);
    await context.close();

    // A second person (a risk officer) confirms the filing.
    const checker = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const other = await checker.newPage();
    await logIn(other, 'risk-officer');
    await other.goto(`${sprout.base}/regulatory`);
    await other.waitForSelector('[data-testid=check-filing]');
    await other.click('[data-testid=check-filing]');
    await other.waitForSelector('[data-testid=filing-confirmation]');
    assert.equal(await text(other, 'filing-digest'), runs[0]!.digest);
    await other.screenshot({ path: `${SCREENSHOTS}/regulatory-checker-zh-390.png`, fullPage: true });
    await other.click('[data-testid=confirm-filing]');
    await other.waitForSelector(`[data-run="${runs[0]!.id}"][data-status=filed]`);
    const filed = await sprout.api<{ status: string; filedBy: string }>('management', 'GET', `/v1/reports/runs/${runs[0]!.id}`);
    assert.deepEqual([filed.status, filed.filedBy], ['filed', 'management (checked by risk-officer)']);

    // The enterprise page names the region and the industry, not their codes alone.
    const listed = await sprout.api<{ items: { id: string; regionCode: string | null }[] }>('risk-officer', 'GET', '/v1/book/enterprises?limit=50');
    const firm = listed.items.find((item) => item.regionCode !== null)!;
    const record = await sprout.api<{ regionCode: string; regionName: { zh: string } | null; industryCode: string | null; industryName: { sectionZh: string; divisionZh: string } | null }>('risk-officer', 'GET', `/v1/enterprises/${firm.id}`);
    assert.ok(record.regionName !== null && record.industryName !== null, 'the demo registers real GB/T codes');
    await other.goto(`${sprout.base}/enterprises?id=${firm.id}`);
    await other.waitForSelector('[data-testid=firm-region]');
    assert.equal(await text(other, 'firm-region'), `${record.regionName!.zh}（${record.regionCode}）`);
    assert.equal(await text(other, 'firm-industry-code'), `${record.industryName!.sectionZh} · ${record.industryName!.divisionZh}（${record.industryCode}）`);
    await other.screenshot({ path: `${SCREENSHOTS}/enterprise-region-industry-zh-390.png` });
    await checker.close();
  });
});
