/**
 * Collections in Chromium (issue 16), against `sprout serve` with a demo book whose defaulting
 * firms are overdue: a risk officer assigns three overdue loans to the collector; the collector
 * lands on the worklist (their cases, in bucket tabs), opens a case, logs a call with a promise to
 * pay through the confirmation, sees the promise broken and the follow-up raised after end of day,
 * and reads the enterprise's timeline through the risk officer; in Chinese and English, at 1440 px
 * and as cards at 390 px. The dashboard's collections funnel counts the same loans. Screenshots go
 * to docs/screenshots/collections-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, logInOnPage, SCREENSHOTS, shotFromTop, startSprout, type ServedSprout } from '../support/browser-server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let sprout: ServedSprout;
let browser: Browser;

type Worklist = { items: { loanId: string; enterpriseId: string; enterpriseName: string; daysPastDue: number; bucket: string; collector: string | null }[]; total: number; buckets: { bucket: string; loans: number }[] };
declare const document: { readonly documentElement: { readonly scrollWidth: number } };

const logIn = (page: Page, role: string) => logInOnPage(page, sprout.base, role);
const shot = shotFromTop;

/**
 * Short loans that nobody repays, so the worklist has cases in two buckets: three one- to
 * three-day loans left 35 nights (31–90 days past due) and one left 5 nights (1–30). Each firm
 * signs its consents at the branch and applies before the approver opens its line, as a borrower
 * does, so its timeline has the application and end of day's monitoring pulls whatever the demo
 * book of the day holds (the demo's own defaulters depend on the calendar).
 */
async function makeOverdueLoans(): Promise<void> {
  const firms = await sprout.api<{ items: { id: string }[] }>('account-manager', 'GET', '/v1/book/enterprises?customer=false&sort=name&limit=4');
  assert.equal(firms.items.length, 4);
  const expiresOn = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString().slice(0, 10);
  for (const firm of firms.items) {
    for (const purpose of ['credit-assessment', 'post-lending-monitoring']) {
      await sprout.api('account-manager', 'POST', `/v1/enterprises/${firm.id}/authorisations`, { sources: ['tax', 'electricity', 'water', 'social-security', 'registration', 'courts', 'credit-bureau'], purpose, expiresOn, evidence: `branch consent ${purpose}` });
    }
    await sprout.api('account-manager', 'POST', '/v1/applications', { enterpriseId: firm.id, productCode: 'MICRO-LINE' });
  }
  const draw = async (firm: { id: string }, termDays: number, index: number) => {
    const line = await sprout.api<{ id: string }>('credit-approver', 'POST', '/v1/lines', { enterpriseId: firm.id, productCode: 'MICRO-LINE', limit: '200000.00' });
    await sprout.api('account-manager', 'POST', `/v1/lines/${line.id}/drawdowns`, { amount: `${20_000 + index * 5_000}.00`, termDays }, { 'idempotency-key': `collections-${index}-${firm.id}` });
  };
  for (const [index, firm] of firms.items.slice(0, 3).entries()) await draw(firm, index + 1, index);
  for (let night = 0; night < 30; night++) await sprout.api('operator', 'POST', '/v1/eod/runs', {});
  await draw(firms.items[3]!, 1, 3);
  for (let night = 0; night < 5; night++) await sprout.api('operator', 'POST', '/v1/eod/runs', {});
}

describe('collections in Chromium', () => {
  let cases: Worklist['items'] = [];

  before(async () => {
    sprout = await startSprout('sprout-collections-', ['--demo-enterprises', '120', '--demo-months', '2']);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await makeOverdueLoans();
    const all = await sprout.api<Worklist>('risk-officer', 'GET', '/v1/collections/worklist?limit=200');
    assert.ok(all.total >= 4, `the book has overdue loans (${all.total})`);
    assert.ok(all.buckets.filter((bucket) => bucket.loans > 0).length >= 2, JSON.stringify(all.buckets));
    // The collector gets the three most overdue loans and the least overdue: two buckets.
    cases = [...all.items.slice(0, 2), all.items.at(-1)!];
    for (const row of cases) await sprout.api('risk-officer', 'PUT', `/v1/collections/loans/${row.loanId}/assignment`, { collector: 'collector' });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('the collector lands on their worklist in bucket tabs, logs a call with a promise through the confirmation, and end of day breaks it into a follow-up', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await logIn(page, 'collector');
    await page.waitForSelector('[data-testid=worklist-row]');
    assert.equal(new URL(page.url()).pathname, '/collections');
    assert.equal(await page.locator('[data-testid=worklist-row]').count(), 3);
    // The tabs count the collector's three cases by bucket; the "all" tab says 3.
    assert.match((await page.textContent('[data-testid=tab-all]')) ?? '', /全部逾期 · 3/);
    const bucketOfFirst = cases[0]!.bucket;
    const inBucket = cases.filter((row) => row.bucket === bucketOfFirst).length;
    await page.click(`[data-testid=tab-${bucketOfFirst}]`);
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=worklist-row]').length === n, inBucket);
    await page.click('[data-testid=tab-all]');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=worklist-row]').length === 3);
    const tableText = (await page.textContent('[data-testid=worklist]')) ?? '';
    assert.ok(tableText.includes(cases[0]!.enterpriseName));
    assert.doesNotMatch(tableText, /follow-up|promise-made|special-mention|substandard/);
    await shot(page, 'collections-worklist-zh');

    // Open the most overdue case and log a call that brought a promise due today.
    const { businessDate } = await sprout.api<{ businessDate: string }>('operator', 'GET', '/v1/business-date');
    await page.click(`[data-testid=worklist-row][data-loan="${cases[0]!.loanId}"] [data-testid=work-case]`);
    await page.waitForSelector('[data-testid=collection-case]');
    // The collector by name, never the login.
    await page.waitForSelector('[data-testid=case-collector]:has-text("何静")');
    assert.equal(await page.textContent('[data-testid=case-collector]'), '何静');
    assert.equal(await page.locator('[data-testid=open-loan-page]').count(), 0, 'a collector is not sent to the loan book');
    await page.selectOption('[data-testid=log-contact] select[name=outcome]', 'promise-made');
    await page.fill('input[name=contactPromiseAmount]', '1000.00');
    await page.fill('input[name=contactPromisedOn]', businessDate);
    await page.fill('input[name=contactNote]', '财务负责人接听，承诺今日还款');
    await page.click('[data-testid=review-contact]');
    const confirmation = (await page.textContent('[data-testid=confirm-contact]')) ?? '';
    assert.match(confirmation, /电话/);
    assert.match(confirmation, /承诺还款/);
    assert.match(confirmation, /1,000\.00/);
    assert.ok(confirmation.includes(businessDate));
    // Nothing is recorded before the confirmation.
    assert.equal((await sprout.api<{ contacts: unknown[] }>('collector', 'GET', `/v1/collections/loans/${cases[0]!.loanId}`)).contacts.length, 0);
    await shot(page, 'collections-case-confirm-zh');
    await page.click('[data-testid=confirm-contact-yes]');
    await page.waitForSelector('[data-testid=case-contacts] tbody tr:has-text("承诺还款")');
    // Who recorded the call, by name as in the case's header, not by login.
    const contactRow = (await page.textContent('[data-testid=case-contacts] tbody tr')) ?? '';
    assert.ok(contactRow.includes('何静') && !contactRow.includes('collector'), contactRow);
    assert.equal(await page.textContent('[data-testid=case-promises] [data-testid=promise-status]'), '待兑现');

    // End of day: nothing was repaid, so the promise is broken and a follow-up is raised. The
    // demo's dates follow the calendar, and a promise due on a rest day may still be kept on the
    // next working day (src/collections/promise-settlement.ts): the nights run until that day has
    // closed, and the promise stays open on each night before it.
    type Promised = { promises: { status: string; repaid: string | null }[] };
    const promises = async () => (await sprout.api<Promised>('collector', 'GET', `/v1/collections/loans/${cases[0]!.loanId}`)).promises.map((p) => p.status);
    assert.deepEqual(await promises(), ['open']);
    let closed = businessDate;
    for (let night = 0; night < 7; night++) {
      const run = await sprout.api<{ date: string }>('operator', 'POST', '/v1/eod/runs', {});
      closed = run.date;
      if ((await promises())[0] !== 'open') break;
    }
    assert.deepEqual(await promises(), ['broken'], `the promise due ${businessDate} is broken once that day, rolled to a working day, has closed (last night closed: ${closed})`);
    await page.reload();
    await page.waitForSelector('[data-testid=case-steps] tbody tr:has-text("跟进")');
    assert.equal(await page.textContent('[data-testid=case-promises] [data-testid=promise-status]'), '已违约');
    const stepsText = (await page.textContent('[data-testid=case-steps]')) ?? '';
    assert.match(stepsText, /承诺未兑现/);
    await shot(page, 'collections-case-broken-zh');

    // English: the same case in words.
    await page.click('button:has-text("English")');
    await page.waitForSelector('[data-testid=case-steps] tbody tr:has-text("Follow-up")');
    const english = (await page.textContent('[data-testid=collection-case]')) ?? '';
    assert.match(english, /Promise broken/);
    assert.match(english, /Promised to pay/);
    // Only the note the collector typed is Chinese; every code is in English.
    assert.doesNotMatch(english, /已违约|待兑现|跟进|承诺未兑现|逾期/);
    // And English punctuation between English words: no 、 or ： put there by the page.
    assert.match(english, /roles that can: Risk officer, Administrator/);
    assert.doesNotMatch(english, /[、：]/);
    await shot(page, 'collections-case-broken-en');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('at 390 px the worklist and the case are cards with every action in reach', async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await logIn(page, 'collector');
    await page.waitForSelector('[data-testid=worklist-row]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= PHONE.width, `no sideways scroll (${overflow} px)`);
    assert.ok(await page.locator('[data-testid=worklist-row] [data-testid=work-case]').first().isVisible());
    await shot(page, 'collections-worklist-phone');
    await page.locator('[data-testid=work-case]').nth(1).click();
    await page.waitForSelector('[data-testid=collection-case]');
    await page.fill('input[name=promiseAmount]', '500.00');
    const { businessDate } = await sprout.api<{ businessDate: string }>('operator', 'GET', '/v1/business-date');
    await page.fill('input[name=promisedOn]', businessDate);
    await page.click('[data-testid=review-promise]');
    assert.ok(await page.locator('[data-testid=confirm-promise-yes]').isVisible());
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `no sideways scroll on the case (${width} px)`);
    await shot(page, 'collections-case-phone');
    await context.close();
  });

  it('the risk officer sees the funnel on the dashboard and the timeline on the enterprise 360', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const page = await context.newPage();
    await logIn(page, 'risk-officer');
    await page.goto(`${sprout.base}/dashboard`);
    await page.waitForSelector('[data-testid=funnel-loans-assigned]');
    const funnel = await sprout.api<{ stage: string; loans: number }[]>('risk-officer', 'GET', '/v1/collections/funnel');
    assert.equal(funnel[1]!.loans, 3);
    assert.equal(await page.textContent('[data-testid=funnel-loans-assigned]'), '3');
    assert.equal(await page.textContent('[data-testid=funnel-loans-overdue]'), String(funnel[0]!.loans));
    await page.locator('[data-testid=collections-funnel]').screenshot({ path: `${SCREENSHOTS}/collections-funnel-zh.png` });

    await page.goto(`${sprout.base}/enterprises?id=${cases[0]!.enterpriseId}`);
    await page.waitForSelector('[data-testid=timeline-event][data-kind=promise-broken]');
    const kinds = await page.locator('[data-testid=timeline-event]').evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { kind: string } }).dataset.kind));
    // Newest first: the broken promise at the last end of day, then the follow-up it raised, then the
    // promise and the call; end of day's monitoring pulls (data-pull) come in between, each on its night.
    const collectionKinds = kinds.filter((kind) => kind !== 'data-pull');
    assert.deepEqual(collectionKinds.slice(0, 4), ['promise-broken', 'collection-step', 'promise', 'contact']);
    assert.ok(kinds.includes('data-pull'), 'end of day monitored the borrower');
    assert.ok(kinds.includes('drawdown') && kinds.includes('application'), kinds.join(','));
    await page.locator('[data-testid=enterprise-timeline]').screenshot({ path: `${SCREENSHOTS}/collections-timeline-zh.png` });
    await context.close();
  });
});
