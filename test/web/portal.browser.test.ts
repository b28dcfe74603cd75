/**
 * The borrower portal and the officer console in a real browser (Debian's Chromium through
 * playwright-core) against `sprout serve` on a fresh data directory. The firms are from the
 * simulated population the server's provider knows (seed 2025); which of them the decision engine
 * approves or refers depends on the business date (the data window ends there), so they are
 * picked by deciding them first on a scratch database at the server's date. Screenshots go to
 * docs/screenshots/borrower-*.png and officer-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DATA_SOURCES, grantDataAuthorisation, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider } from '../../src/data/index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { applyForCredit } from '../../src/decision/apply-for-credit.js';
import { DEFAULT_DECISION_CONFIG } from '../../src/decision/decide.js';
import { defaultScorecard } from '../../src/decision/default-model.js';
import { createEnterprise } from '../../src/enterprises/enterprises.js';
import { formatMoney } from '../../src/money/format-money.js';
import { setBusinessDate } from '../../src/system/business-date.js';
import { withTestDatabase } from '../support/backends.js';
import { launchChromium, paintedPixels, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';
import { parseBusinessDate } from '../../src/calendar/business-date.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

const FIRMS = simulatedPopulation({ seed: 2025, size: 60 });
/** The server's data provider and decision configuration (src/http/app.ts). */
const SIMULATION_SEED = 2025;
/** The maker-checker threshold of the demo (docs/origination.md). */
const THRESHOLD = 500_000;

/** Firms by outcome on `businessDate`: one approved under the threshold, one referred under it, one referred above it. */
async function pickFirms(businessDate: string): Promise<{ approved: number; referredSmall: number; referredLarge: number }> {
  return withTestDatabase('pglite', async ({ db }) => {
    await setBusinessDate(db, parseBusinessDate(businessDate, 'businessDate'));
    const provider = simulatedProvider({ seed: SIMULATION_SEED });
    const config = DEFAULT_DECISION_CONFIG(defaultScorecard());
    const found: { approved?: number; referredSmall?: number; referredLarge?: number } = {};
    for (const [index, firm] of FIRMS.entries()) {
      const now = new Date();
      const enterprise = await inTransaction(db, (trx) => createEnterprise(trx, simulatedEnterpriseInput(firm), 'test'));
      await inTransaction(db, (trx) => grantDataAuthorisation(trx, { enterpriseId: enterprise.id, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: businessDate, expiresOn: new Date(Date.parse(businessDate) + 365 * 86_400_000).toISOString().slice(0, 10) }, 'test', now));
      const { decision } = await inTransaction(db, (trx) => applyForCredit(trx, { enterpriseId: enterprise.id, productCode: 'MICRO-LINE' }, { provider, config, now }, 'test'));
      const limit = Number(decision.limit.limit) / 100;
      if (decision.outcome === 'approved' && limit >= 150_000 && limit < THRESHOLD) found.approved ??= index;
      if (decision.outcome === 'referred' && limit < THRESHOLD) found.referredSmall ??= index;
      if (decision.outcome === 'referred' && limit > THRESHOLD) found.referredLarge ??= index;
      if (found.approved !== undefined && found.referredSmall !== undefined && found.referredLarge !== undefined) return found as { approved: number; referredSmall: number; referredLarge: number };
    }
    throw new Error(`not every kind of firm among ${FIRMS.length} on ${businessDate}: ${JSON.stringify(found)}`);
  });
}
let picked: { approved: number; referredSmall: number; referredLarge: number };
/** The registry body of a simulated firm, as the form and the API take it. */
function registryBody(index: number) {
  const input = simulatedEnterpriseInput(FIRMS[index]!);
  return {
    creditCode: input.creditCode,
    name: input.name,
    industry: input.industry,
    regionCode: input.regionCode,
    registeredOn: input.registeredOn,
    employees: input.employees,
    revenue: formatMoney(input.revenue),
    assets: formatMoney(input.assets),
    owners: input.owners.map((owner) => ({ name: owner.name, idNumber: owner.idNumber, phone: '13800138000', share: '1.00' })),
  };
}

let sprout: ServedSprout;
let base: string;
let browser: Browser;

function api<T>(role: string, method: string, path: string, body?: unknown): Promise<T> {
  return sprout.api<T>(role, method, path, body);
}

/** An account manager records a simulated firm, records its authorisation, and applies for it. */
async function referredApplication(index: number): Promise<{ enterpriseId: string; applicationId: string; limit: string }> {
  const firm = await api<{ id: string }>('account-manager', 'POST', '/v1/enterprises', registryBody(index));
  const expiresOn = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
  await api('account-manager', 'POST', `/v1/enterprises/${firm.id}/authorisations`, { sources: ['registration', 'tax', 'electricity', 'water', 'social-security', 'courts', 'credit-bureau'], purpose: 'credit-assessment', expiresOn, evidence: 'consent signed at the branch, form BR-2025-0042' });
  const outcome = await api<{ applicationId: string; outcome: string; limit: string }>('account-manager', 'POST', '/v1/applications', { enterpriseId: firm.id, productCode: 'MICRO-LINE' });
  assert.equal(outcome.outcome, 'referred', `firm ${index} is referred`);
  return { enterpriseId: firm.id, applicationId: outcome.applicationId, limit: outcome.limit };
}

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
}

const digits = (text: string | null) => (text ?? '').replace(/[¥,%\s]/g, '');

/** A full-page screenshot from the top (the header is sticky; a scrolled page would show it mid-page). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Waits until the element shows `amount` ("121000.00" shown as "¥121,000.00"). */
async function waitForAmount(page: Page, selector: string, amount: string): Promise<void> {
  const [whole = '0', fraction = '00'] = amount.split('.');
  const shown = `¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
  await page.waitForSelector(`${selector}:has-text("${shown}")`);
}

async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !/status of (401|403|404)/.test(message.text()) && errors.push(message.text()));
  return { page, errors };
}

async function logIn(page: Page, role: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

describe('the borrower portal and the officer console in Chromium', () => {
  before(async () => {
    sprout = await startSprout('sprout-portal-', ['--demo-enterprises', '0']);
    base = sprout.base;
    const { businessDate } = await api<{ businessDate: string }>('operator', 'GET', '/v1/business-date');
    picked = await pickFirms(businessDate);
    console.log(`on ${businessDate}: firm ${picked.approved} approved, ${picked.referredSmall} and ${picked.referredLarge} referred`);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('a business owner registers, records the enterprise, verifies as its legal representative, authorises, applies, is approved, accepts, draws after seeing the schedule, asks for a renewal, an officer renews it, and the owner repays the new loan', async () => {
    const firm = registryBody(picked.approved);
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);

    await page.goto(`${base}/`);
    await page.click('[data-testid=register-link]');
    await page.waitForSelector('[data-testid=register-form]');
    await page.fill('input[name=username]', 'zhang-wei');
    await page.fill('input[name=displayName]', '张伟');
    await page.fill('input[name=phone]', '13800138000');
    await page.fill('input[name=password]', 'zhang-wei-password');
    await shot(page, 'borrower-register-desktop');
    await page.click('button[type=submit]');

    await page.waitForSelector('[data-testid=enterprise-form]');
    assert.equal(new URL(page.url()).pathname, '/apply');
    await page.fill('input[name=name]', firm.name);
    await page.fill('input[name=creditCode]', firm.creditCode);
    await page.selectOption('select[name=industry]', firm.industry);
    await page.fill('input[name=regionCode]', firm.regionCode);
    await page.fill('input[name=registeredOn]', firm.registeredOn);
    await page.fill('input[name=employees]', String(firm.employees));
    await page.fill('input[name=revenue]', firm.revenue);
    await page.fill('input[name=assets]', firm.assets);
    await page.fill('input[name=owner-0-name]', firm.owners[0]!.name);
    await page.fill('input[name=owner-0-idNumber]', firm.owners[0]!.idNumber);
    await page.fill('input[name=owner-0-phone]', '13800138000');
    await shot(page, 'borrower-enterprise-desktop');
    await page.click('[data-testid=enterprise-form] button[type=submit]');

    // Recording the firm binds nobody: the owner proves to be its registered legal representative.
    await page.waitForSelector('[data-testid=verify-form]');
    assert.equal(await page.inputValue('input[name=verify-name]'), firm.owners[0]!.name, 'the representative typed in the registry form');
    assert.equal(await page.inputValue('input[name=verify-idNumber]'), firm.owners[0]!.idNumber);
    const unverified = await page.evaluate(async () => (await fetch('/v1/me')).json()) as { enterpriseIds: string[] };
    assert.deepEqual(unverified.enterpriseIds, [], 'not bound before the identity check');
    await shot(page, 'borrower-verify-desktop');
    await page.click('[data-testid=verify]');

    await page.waitForSelector('[data-testid=authorise-panel]');
    assert.equal(await page.textContent('[data-testid=enterprise-card] h3'), firm.name);
    assert.equal(await page.locator('[data-testid=authorise-panel] tbody tr').count(), 7, 'every source with why it is needed');
    await shot(page, 'borrower-authorise-desktop');
    assert.ok(await page.isDisabled('[data-testid=authorise]'), 'no authorisation without consent');
    await page.check('input[name=consent]');
    await page.click('[data-testid=authorise]');
    await page.waitForSelector('[data-testid=apply-panel]');
    await page.selectOption('select[name=productCode]', 'MICRO-LINE');
    const decisionStarted = performance.now();
    await page.click('[data-testid=apply]');
    await page.waitForSelector('[data-testid=decision-status]');
    console.log(`decision shown ${(performance.now() - decisionStarted).toFixed(0)} ms after applying`);
    assert.equal(await page.textContent('[data-testid=decision-status]'), '已批准');
    const offer = digits(await page.textContent('[data-testid=offer-limit]'));
    assert.ok(Number(offer) >= 150_000 && Number(offer) < THRESHOLD, `offered ${offer}`);
    assert.equal(await page.locator('text=评分').count(), 0, 'no score internals for the borrower');
    await shot(page, 'borrower-decision-desktop');

    // The contract and the authorisation in full before signing; signing needs the explicit tick.
    await page.waitForSelector('[data-testid=contract-to-sign]');
    assert.match((await page.textContent('[data-testid=contract-text]')) ?? '', new RegExp(`授信额度人民币 ${offer} 元`));
    assert.ok(await page.isDisabled('[data-testid=accept]'), 'no signature without reading');
    await shot(page, 'borrower-contract-desktop');
    await page.check('input[name=contract-read]');
    // The settlement account the loans are paid into (and repaid from, the same by default) is named before signing.
    assert.ok(await page.isDisabled('[data-testid=accept]'), 'no signature without the settlement account');
    await page.fill('input[name=disbursement-bankName]', '中国工商银行杭州分行');
    await page.fill('input[name=disbursement-bankCode]', '102331000019');
    await page.fill('input[name=disbursement-accountNo]', '1202020109900012345');
    await page.click('[data-testid=accept]');
    await page.waitForSelector('[data-testid=go-borrow]');
    await page.waitForSelector('[data-testid=contract]');
    assert.equal(await page.textContent('[data-testid=decision-status]'), '已接受');
    // The signed contract record, verified against its digest.
    const contract = (await page.textContent('[data-testid=contract]')) ?? '';
    assert.match(contract, /授信合同已签署: SX-[0-9]{8}-[0-9a-f]{12}/);
    assert.match(contract, /✓ 合同内容与签署记录一致/);
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    assert.ok((await pageWidth(page)) <= PHONE.width, 'no sideways scrolling on a phone');
    await shot(page, 'borrower-decision-phone');
    await page.setViewportSize(DESKTOP);
    await page.click('[data-testid=go-borrow]');

    await page.waitForSelector('[data-testid=line-available]');
    assert.equal(digits(await page.textContent('[data-testid=line-available]')), offer);
    await page.fill('input[name=amount]', '100000.00');
    await page.selectOption('select[name=term]', 'm6');
    await page.click('[data-testid=preview]');
    await page.waitForSelector('[data-testid=schedule-preview]');
    assert.equal(await page.locator('[data-testid=schedule-preview] tbody tr').count(), 6, 'six monthly installments');
    const previewInterest = digits(await page.textContent('[data-testid=preview-interest]'));
    await shot(page, 'borrower-draw-desktop');
    await page.click('[data-testid=confirm-draw]');
    await page.waitForSelector('[data-testid=loan-panel]');
    await waitForAmount(page, '[data-testid=line-available]', formatMoney(BigInt(offer.replace('.', '')) - 100_000_00n));
    // The schedule shown before confirming is the loan's schedule.
    const loans = await page.evaluate(async () => (await fetch('/v1/loans')).json()) as { id: string }[];
    assert.equal(loans.length, 1);
    const loan = await page.evaluate(async (id) => (await fetch(`/v1/loans/${id}`)).json(), loans[0]!.id) as { installments: { interest: string }[] };
    const loanInterest = loan.installments.reduce((sum, row) => sum + BigInt(row.interest.replace('.', '')), 0n);
    assert.equal(formatMoney(loanInterest), previewInterest);

    // A renewal is asked for only within the product's window before maturity (30 days by default):
    // refused on the draw day, in words that say from when.
    await page.fill('input[name=renewalNote]', '旺季备货，回款周期长');
    await page.click('[data-testid=ask-renewal]');
    await page.waitForSelector('[data-testid=ask-renewal] ~ [role=alert]');
    assert.match((await page.textContent('[data-testid=ask-renewal] ~ [role=alert]')) ?? '', /前 30 天内申请续贷，即 [0-9]{4}-[0-9]{2}-[0-9]{2} 起受理/);
    // The bank widens the product's window to a year (an admin proposes, a risk officer confirms), so
    // the six-month loan may be renewed now; the borrower asks again.
    const widen = await api<{ id: string }>('admin', 'PATCH', '/v1/products/MICRO-LINE', { renewalWindowDays: 365 });
    await api('risk-officer', 'POST', `/v1/approvals/${widen.id}/decision`, { decision: 'approve' });
    await page.click('[data-testid=ask-renewal]');
    await page.waitForSelector('[data-testid=renewal-pending]');
    const renewals = await api<{ loanId: string }[]>('credit-approver', 'GET', '/v1/renewal-requests');
    assert.deepEqual(renewals.map((row) => row.loanId), [loans[0]!.id], 'staff see the request');

    // A credit approver renews the loan the borrower asked to renew, attesting the 2024 conditions.
    const officerContext = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const officer = await newPage(officerContext);
    await logIn(officer.page, 'credit-approver');
    const requestRow = `[data-testid=renewal-row][data-loan="${loans[0]!.id}"]`;
    await officer.page.click(`${requestRow} [data-testid=open-renewal]`);
    await officer.page.waitForSelector('[data-testid=renewal-form]');
    assert.equal(await officer.page.inputValue('select[name=renewalTerm]'), 'd180', 'the term the borrower asked for');
    // The decision is shown before it is sent, and can be taken back.
    await officer.page.click('[data-testid=review-renewal]');
    assert.equal(await officer.page.textContent('[data-testid=renew]'), '不予续贷', 'unattested conditions refuse');
    await officer.page.click('[data-testid=cancel-renewal]');
    for (const condition of ['lawfulOperation', 'stableOperation', 'goodCredit', 'meetsLendingCriteria']) await officer.page.check(`input[name=${condition}]`);
    await officer.page.click('[data-testid=review-renewal]');
    assert.match(await officer.page.textContent('[data-testid=renewal-confirmation]') ?? '', /4\/4/);
    assert.equal(await officer.page.textContent('[data-testid=renew]'), '批准续贷');
    await officer.page.click('[data-testid=renew]');
    await officer.page.waitForSelector('[data-testid=renewal-result]');
    const newLoanId = (await officer.page.getAttribute('[data-testid=renewal-result]', 'data-new-loan'))!;
    assert.match(await officer.page.textContent('[data-testid=renewal-result]') ?? '', /已续贷.*¥100,000\.00/);
    await officer.page.waitForSelector(requestRow, { state: 'detached' });
    await shot(officer.page, 'officer-renewal-desktop');
    const renewed = await api<{ loanId: string; status: string; newLoanId: string | null }[]>('credit-approver', 'GET', '/v1/renewal-requests?status=renewed');
    assert.deepEqual(renewed.map((row) => [row.loanId, row.status, row.newLoanId]), [[loans[0]!.id, 'renewed', newLoanId]], 'the request is renewed');
    const renewedLoan = await api<{ status: string; principal: string; maturityOn: string }>('operator', 'GET', `/v1/loans/${newLoanId}`);
    assert.deepEqual([renewedLoan.status, renewedLoan.principal], ['active', '100000.00']);
    assert.deepEqual(officer.errors, []);
    await officerContext.close();

    // The borrower sees the old loan renewed and the new one; two days of interest on it, then the
    // payoff quote and a full repayment.
    await page.reload();
    await page.waitForSelector(`[data-testid=loan-row][data-loan="${newLoanId}"]`);
    assert.equal(await page.locator('[data-testid=loan-row]').count(), 2);
    assert.match(await page.textContent(`[data-testid=loan-row][data-loan="${loans[0]!.id}"]`) ?? '', /已续贷/);
    await api('operator', 'POST', '/v1/eod/runs', {});
    await api('operator', 'POST', '/v1/eod/runs', {});
    await page.reload();
    await page.click(`[data-testid=loan-row][data-loan="${newLoanId}"] [data-testid=open-loan]`);
    await page.click('[data-testid=payoff-quote]');
    const quote = await api<{ amount: string; allocation: { interestAccrued: string } }>('operator', 'GET', `/v1/loans/${newLoanId}/payoff-quote`);
    assert.ok(quote.allocation.interestAccrued !== '0.00', 'interest accrued over two days');
    assert.equal(await page.inputValue('input[name=repayAmount]'), quote.amount, 'the payoff fills the amount');
    await page.click('[data-testid=review-repay]');
    await page.waitForSelector('[data-testid=repay-confirm]');
    // The confirmation shows where the money goes, as the server computed it, before anything moves.
    assert.equal(digits(await page.textContent('[data-testid=confirm-amount]')), quote.amount);
    assert.equal(digits(await page.textContent('[data-testid=confirm-allocation] [data-part=interestAccrued] dd')), quote.allocation.interestAccrued);
    assert.equal(digits(await page.textContent('[data-testid=confirm-after]')), '0.00');
    await shot(page, 'borrower-loan-desktop');
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    assert.ok((await pageWidth(page)) <= PHONE.width, 'no sideways scrolling on a phone');
    await shot(page, 'borrower-loan-phone');
    await page.click('[data-testid=confirm-repay]');
    await page.waitForSelector('[data-testid=repaid]');
    assert.match((await page.textContent('[data-testid=repaid]')) ?? '', /已结清/);
    const after = await api<{ status: string }>('operator', 'GET', `/v1/loans/${newLoanId}`);
    assert.equal(after.status, 'closed');
    // The one refusal this test asks for (a renewal before its window) is the browser's only error.
    assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 409 (Conflict)']);
    await context.close();
  });

  it('an owner registers a second enterprise, switches between them on every portal page, and the choice is remembered', async () => {
    const first = registryBody(picked.approved);
    const used: number[] = [picked.approved, picked.referredSmall, picked.referredLarge, 10, 11, 12];
    const secondIndex = [...FIRMS.keys()].find((index) => !used.includes(index))!;
    const second = registryBody(secondIndex);
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', 'zhang-wei');
    await page.fill('input[name=password]', 'zhang-wei-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=enterprise-card]');
    assert.equal(await page.textContent('[data-testid=enterprise-card] h3'), first.name, 'one enterprise: it is the one worked on');

    await page.click('[data-testid=add-enterprise]');
    await page.waitForSelector('[data-testid=enterprise-form]');
    await page.fill('input[name=name]', second.name);
    await page.fill('input[name=creditCode]', second.creditCode);
    await page.selectOption('select[name=industry]', second.industry);
    await page.fill('input[name=regionCode]', second.regionCode);
    await page.fill('input[name=registeredOn]', second.registeredOn);
    await page.fill('input[name=employees]', String(second.employees));
    await page.fill('input[name=revenue]', second.revenue);
    await page.fill('input[name=assets]', second.assets);
    await page.fill('input[name=owner-0-name]', second.owners[0]!.name);
    await page.fill('input[name=owner-0-idNumber]', second.owners[0]!.idNumber);
    await page.fill('input[name=owner-0-phone]', '13800138000');
    await page.click('[data-testid=enterprise-form] button[type=submit]');
    await page.waitForSelector('[data-testid=verify-form]');
    // A wrong ID number is refused by the registry check and binds nothing.
    await page.fill('input[name=verify-idNumber]', first.owners[0]!.idNumber);
    await page.click('[data-testid=verify]');
    await page.waitForSelector('[data-testid=verify-form] [role=alert]');
    await page.fill('input[name=verify-idNumber]', second.owners[0]!.idNumber);
    await page.click('[data-testid=verify]');
    await page.waitForSelector(`[data-testid=enterprise-card] h3:has-text("${second.name}")`);
    await page.waitForSelector('[data-testid=authorise-panel]');
    const profile = await page.evaluate(async () => (await fetch('/v1/me')).json()) as { enterpriseIds: string[] };
    assert.equal(profile.enterpriseIds.length, 2, 'bound to both');
    const [firstId, secondId] = profile.enterpriseIds as [string, string];
    assert.equal(await page.inputValue('select[name=enterprise]'), secondId, 'the new enterprise is chosen');
    assert.deepEqual(await page.locator('select[name=enterprise] option').allTextContents(), [first.name, second.name]);
    await shot(page, 'borrower-enterprises-desktop');

    // The borrowing page works on the chosen enterprise: the second has no line and no loans yet.
    await page.click('nav a[href="/borrow"]');
    await page.waitForSelector('[data-testid=my-loans]');
    assert.equal(await page.locator('[data-testid=line-card]').count(), 0);
    assert.equal(await page.locator('[data-testid=loan-row]').count(), 0);
    await page.selectOption('select[name=enterprise]', firstId);
    await page.waitForSelector('[data-testid=line-card]');
    assert.equal(await page.locator('[data-testid=loan-row]').count(), 2, 'the renewed loan and its renewal');
    await page.click('nav a[href="/apply"]');
    await page.waitForSelector(`[data-testid=enterprise-card] h3:has-text("${first.name}")`);

    // The choice survives a reload; switching back shows the second again.
    await page.reload();
    await page.waitForSelector(`[data-testid=enterprise-card] h3:has-text("${first.name}")`);
    assert.equal(await page.inputValue('select[name=enterprise]'), firstId);
    await page.selectOption('select[name=enterprise]', secondId);
    await page.waitForSelector(`[data-testid=enterprise-card] h3:has-text("${second.name}")`);
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    assert.ok((await pageWidth(page)) <= PHONE.width, 'no sideways scrolling on a phone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('money moves once and reads the same everywhere: a double-tapped repayment pays once, an overpayment is refused, a second browser shows the same line, loans and history', async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', 'zhang-wei');
    await page.fill('input[name=password]', 'zhang-wei-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=enterprise-card]');
    const me = await page.evaluate(async () => (await fetch('/v1/me')).json()) as { enterpriseIds: string[] };
    const firstId = me.enterpriseIds[0]!;
    await page.selectOption('select[name=enterprise]', firstId);
    // The owner who already has a line is not asked to authorise or apply again.
    await page.waitForSelector('[data-testid=have-line]');
    assert.equal(await page.locator('[data-testid=authorise-panel]').count(), 0);

    // A drawdown above what is available is refused at the preview, before any confirmation.
    await page.click('nav a[href="/borrow"]');
    await page.waitForSelector('[data-testid=line-available]');
    const available = digits(await page.textContent('[data-testid=line-available]'));
    await page.fill('input[name=amount]', formatMoney(BigInt(available.replace('.', '')) + 1n));
    await page.click('[data-testid=preview]');
    await page.waitForSelector('[data-testid=draw-error]');
    assert.match((await page.textContent('[data-testid=draw-error]')) ?? '', /超过当前可用额度/);
    assert.equal(await page.locator('[data-testid=confirm-draw]').count(), 0, 'nothing to confirm');
    await page.fill('input[name=amount]', '50000.00');
    await page.selectOption('select[name=term]', 'd90');
    await page.click('[data-testid=preview]');
    await page.waitForSelector('[data-testid=confirm-draw]');
    await page.dblclick('[data-testid=confirm-draw]');
    await page.waitForSelector('[data-testid=loan-panel]');
    const loans = await page.evaluate(async (id) => (await fetch(`/v1/loans?enterpriseId=${id}&status=active`)).json(), firstId) as { id: string; principal: string }[];
    assert.deepEqual(loans.map((row) => row.principal), ['50000.00'], 'a double tap on the drawdown draws once');
    const loanId = loans[0]!.id;

    // Repay 10,000.00 with a double tap on the confirmation: one repayment, one journal entry.
    await page.fill('input[name=repayAmount]', '10000.00');
    await page.click('[data-testid=review-repay]');
    await page.waitForSelector('[data-testid=repay-confirm]');
    assert.equal(digits(await page.textContent('[data-testid=confirm-allocation] [data-part=principalNotDue] dd')), '10000.00');
    assert.equal(digits(await page.textContent('[data-testid=confirm-after]')), '40000.00');
    assert.ok((await pageWidth(page)) <= PHONE.width, 'no sideways scrolling on a phone');
    await shot(page, 'borrower-repay-confirm-phone');
    await page.dblclick('[data-testid=confirm-repay]');
    await page.waitForSelector('[data-testid=repaid]');
    assert.equal(await page.inputValue('input[name=repayAmount]'), '', 'the form is reset');
    assert.equal(await page.locator('[data-testid=confirm-repay]').count(), 0, 'nothing left to tap');
    const history = await api<{ amount: string; principal: string }[]>('operator', 'GET', `/v1/loans/${loanId}/repayments`);
    assert.deepEqual(history.map((row) => [row.amount, row.principal]), [['10000.00', '10000.00']], 'the double tap moved money once: one repayment entry in the journal');
    const loan = await api<{ balances: { payoff: string; principalNotDue: string } }>('operator', 'GET', `/v1/loans/${loanId}`);
    assert.equal(loan.balances.principalNotDue, '40000.00');
    await page.waitForSelector('[data-testid=repayment-row]');
    assert.equal(await page.locator('[data-testid=repayment-row]').count(), 1);

    // More than the payoff is refused with a sentence in Chinese; nothing is confirmed.
    await page.fill('input[name=repayAmount]', '90000.00');
    await page.click('[data-testid=review-repay]');
    await page.waitForSelector('[data-testid=repay-error]');
    assert.match((await page.textContent('[data-testid=repay-error]')) ?? '', /还款金额超过今日结清金额/);
    assert.equal(await page.locator('[data-testid=repay-confirm]').count(), 0);
    await shot(page, 'borrower-loan-history-phone');

    // Another browser (another device): the same line, loan, balance and history from the server.
    const other = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const second = await newPage(other);
    await second.page.goto(`${base}/login`);
    await second.page.fill('input[name=username]', 'zhang-wei');
    await second.page.fill('input[name=password]', 'zhang-wei-password');
    await second.page.click('button[type=submit]');
    await second.page.waitForSelector('[data-testid=enterprise-card]');
    await second.page.selectOption('select[name=enterprise]', firstId);
    await second.page.waitForSelector('[data-testid=have-line]');
    await second.page.waitForSelector('[data-testid=decision-status]:has-text("已接受")');
    await second.page.waitForSelector('[data-testid=contract]');
    await second.page.waitForSelector('[data-testid=next-payment]');
    await shot(second.page, 'borrower-home-desktop');
    await second.page.click('nav a[href="/borrow"]');
    await second.page.waitForSelector('[data-testid=line-available]');
    assert.equal(await second.page.textContent('[data-testid=line-available]'), await page.textContent('[data-testid=line-available]'));
    await second.page.click(`[data-testid=loan-row][data-loan="${loanId}"] [data-testid=open-loan]`);
    await second.page.waitForSelector('[data-testid=repayment-row]');
    assert.equal(await second.page.locator('[data-testid=repayment-row]').count(), 1);
    assert.equal(await second.page.textContent('[data-testid=loan-payoff]'), await page.textContent('[data-testid=loan-payoff]'));
    assert.deepEqual(second.errors, []);
    await other.close();
    // The two refusals this test asks for (a drawdown and a repayment above the limit) are the browser's only errors.
    assert.deepEqual(errors.filter((text) => !/status of 422/.test(text)), []);
    assert.equal(errors.length, 2);
    await context.close();
  });

  it('a bad credit code is explained in Chinese, naming the field, never in the server\'s English', async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await page.goto(`${base}/`);
    await page.click('[data-testid=register-link]');
    await page.fill('input[name=username]', 'wang-fang');
    await page.fill('input[name=displayName]', '王芳');
    await page.fill('input[name=password]', 'green-tea-garden-2026');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=enterprise-form], [data-testid=register-form] [role=alert]');
    assert.equal(await page.locator('[data-testid=register-form] [role=alert]').count(), 0, (await page.locator('[data-testid=register-form] [role=alert]').allTextContents()).join());
    const firm = registryBody(13);
    const last = firm.creditCode.at(-1)!;
    const wrong = firm.creditCode.slice(0, 17) + (last === '0' ? '1' : '0');
    await page.fill('input[name=name]', firm.name);
    await page.fill('input[name=creditCode]', wrong);
    await page.fill('input[name=regionCode]', firm.regionCode);
    await page.fill('input[name=registeredOn]', firm.registeredOn);
    await page.fill('input[name=employees]', String(firm.employees));
    await page.fill('input[name=revenue]', firm.revenue);
    await page.fill('input[name=assets]', firm.assets);
    await page.fill('input[name=owner-0-name]', firm.owners[0]!.name);
    await page.fill('input[name=owner-0-idNumber]', firm.owners[0]!.idNumber);
    await page.fill('input[name=owner-0-phone]', '13800138000');
    await page.click('[data-testid=enterprise-form] button[type=submit]');
    await page.waitForSelector('[data-testid=enterprise-form] [role=alert]');
    const message = (await page.textContent('[data-testid=enterprise-form] [role=alert]')) ?? '';
    assert.match(message, /^统一社会信用代码第 18 位「[0-9A-Z]」有误：校验位应为「[0-9A-Z]」/);
    assert.doesNotMatch(message, /[A-Za-z]{4,}/, `no English on the Chinese page: ${message}`);
    await shot(page, 'borrower-error-phone');
    // The refused registry form is the browser's one error.
    assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('an officer works a referred application with its charts and approves it; one above the threshold waits for a second officer', async () => {
    const small = await referredApplication(picked.referredSmall);
    const large = await referredApplication(picked.referredLarge);
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);

    await logIn(page, 'credit-approver');
    assert.equal(new URL(page.url()).pathname, '/review');
    await page.waitForSelector(`[data-application="${small.applicationId}"]`);
    // The pipeline figures load apart from the queue ('—' until they arrive).
    await page.locator('[data-testid=pipeline-referred] .kpi-value').filter({ hasText: /[0-9]/ }).waitFor();
    assert.equal(digits(await page.textContent('[data-testid=pipeline-referred] .kpi-value')), '2');
    await shot(page, 'officer-queue-desktop');

    await page.click(`[data-application="${small.applicationId}"] [data-testid=open-application]`);
    for (const chart of ['electricity', 'water', 'tax']) await page.waitForSelector(`[data-chart="${chart}"] canvas`);
    await page.waitForTimeout(1200); // ECharts' entry animation
    for (const chart of ['electricity', 'water', 'tax']) assert.ok((await paintedPixels(page, chart)) > 2000, `${chart} chart drew its data`);
    assert.ok((await page.locator('[data-testid=rules-trace] tr.fired').count()) >= 1, 'the rule that referred it is marked');
    // The reasons in words (web/src/i18n-portal.ts), never the codes the API sends.
    const reasons = (await page.textContent('[data-testid=reason-codes]')) ?? '';
    assert.match(reasons, /申报的收入、开票、用电或参保人数相互不一致|近两年作为被告的诉讼较多|近两年有多次行政处罚/);
    assert.doesNotMatch(reasons, /CROSS_CHECK_FAILED|LAWSUITS|ADMIN_PENALTIES/);
    assert.ok(Number(await page.textContent('[data-testid=score]')) > 0);
    await shot(page, 'officer-application-desktop');
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(800);
    assert.ok((await pageWidth(page)) <= PHONE.width, 'no sideways scrolling on a phone');
    await shot(page, 'officer-application-phone');
    await page.setViewportSize(DESKTOP);

    await page.fill('input[name=note]', '用电与开票差异系季节性因素，经实地走访核实');
    await page.click('[data-testid=approve]');
    await page.waitForSelector('[data-testid=review-result]');
    // The result shows at once; the status follows when the application is read again.
    await page.waitForSelector('[data-testid=application-status]:has-text("已批准")');
    assert.equal(await page.textContent('[data-testid=application-status]'), '已批准');

    // Above the maker-checker threshold: approved by this officer, confirmed by another.
    await page.goto(`${base}/review?application=${large.applicationId}`);
    await page.waitForSelector('[data-testid=review-form]');
    await page.fill('input[name=limit]', '800000.00');
    await page.fill('input[name=note]', '核心企业订单稳定，额度按八十万核定');
    await page.click('[data-testid=approve]');
    await page.waitForSelector('[data-testid=review-result]');
    await page.waitForSelector('[data-testid=application-status]:has-text("待复核")');
    assert.equal(await page.textContent('[data-testid=application-status]'), '待复核');
    await context.close();

    const second = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const checker = await newPage(second);
    await logIn(checker.page, 'risk-officer');
    await checker.page.goto(`${base}/review`);
    await checker.page.waitForSelector('[data-testid=approval-row]');
    await shot(checker.page, 'officer-confirm-desktop');
    await checker.page.click('[data-testid=approval-row] [data-testid=approval-approve]');
    await checker.page.waitForSelector('[data-testid=approvals] [data-testid=approval-row]', { state: 'detached' });
    const confirmed = await api<{ status: string; limit: string }>('risk-officer', 'GET', `/v1/applications/${large.applicationId}`);
    assert.deepEqual([confirmed.status, confirmed.limit], ['approved', '800000.00']);

    // The enterprise 360: registry, the three tables, applications and the history.
    await checker.page.goto(`${base}/enterprises?id=${large.enterpriseId}`);
    await checker.page.waitForSelector('[data-chart="tax"] canvas');
    await checker.page.waitForSelector('[data-testid=history] li');
    assert.ok((await checker.page.locator('[data-testid=history] li').count()) >= 4, 'authorisation, pull, decision, review, confirmation');
    await checker.page.waitForTimeout(1200);
    await shot(checker.page, 'officer-enterprise-desktop');
    await checker.page.setViewportSize(PHONE);
    await checker.page.waitForTimeout(800);
    assert.ok((await pageWidth(checker.page)) <= PHONE.width, 'no sideways scrolling on a phone');
    await shot(checker.page, 'officer-enterprise-phone');
    assert.deepEqual([...errors, ...checker.errors], []);
    await second.close();
  });

  it('an account manager imports a list of prospects and sees each pre-screened', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    await logIn(page, 'account-manager');
    await page.goto(`${base}/prospects`);
    await page.waitForSelector('[data-testid=prospect-form]');
    const rows = [10, 11, 12].map((index) => `${FIRMS[index]!.creditCode},${FIRMS[index]!.name}`);
    await page.fill('input[name=sourceName]', '宁波某核心企业供应商名单');
    await page.fill('textarea[name=prospects]', ['统一社会信用代码,企业名称', ...rows, '123,无效代码企业'].join('\n'));
    await page.click('[data-testid=import]');
    await page.waitForSelector('[data-testid=prospect-results] tbody tr');
    assert.equal(await page.locator('[data-testid=prospect-results] tbody tr').count(), 4);
    await shot(page, 'officer-prospects-desktop');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
