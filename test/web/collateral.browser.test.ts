/**
 * Secured and guaranteed lending in a real browser against `sprout serve` with a small demo book:
 * the officer registers collateral on the enterprise 360 and sees loan-to-value; the borrower sees
 * what secures the line; management sees the book split by security, equal to the API's figures.
 * Screenshots go to docs/screenshots/collateral-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, loginAs, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

let sprout: ServedSprout;
let browser: Browser;
const pageErrors: string[] = [];

/**
 * Logged in as the demo `role`. The enterprise 360 asks for applications in every status and skips
 * those a role may not see (403): expected. The refused guarantee call and release (409) are part
 * of the test, shown in words on the page.
 */
const login = (role: string, width = 1440): Promise<Page> => loginAs(browser, sprout.base, role, pageErrors, { width, ignore: /status of 40[139]/ });

const digits = (text: string | null) => (text ?? '').replace(/[¥,%\s]/g, '');

/** Waits for a guarantor action to end: done, or a refusal whose words the assertion shows. */
async function actionDone(row: Locator): Promise<void> {
  await row.locator('[data-testid=guarantor-action-done], [role=alert]').first().waitFor();
  // The refusal's text is read only when there is one: reading it always waited out Playwright's 30 s
  // for an alert that was not there, three times a run.
  const alerts = row.locator('[role=alert]');
  if ((await alerts.count()) > 0) assert.fail(`refused: ${await alerts.first().textContent()}`);
}

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

  it('a risk officer calls a guarantee behind a confirmation of what moves; an officer asks for releases, sent to a second person', async () => {
    const book = await sprout.api<{ items: { id: string }[] }>('risk-officer', 'GET', '/v1/book/loans?status=active&overdue=false&sort=outstanding&order=desc&limit=1');
    const loanId = book.items[0]!.id;
    const loan = await sprout.api<{ enterpriseId: string; lineId: string; balances: { payoff: string; penaltyDue: string; interestDue: string; interestAccrued: string } }>('risk-officer', 'GET', `/v1/loans/${loanId}`);
    const company = await sprout.api<{ id: string }>('account-manager', 'POST', '/v1/guarantors', { kind: 'company', name: '浙江省融资担保有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '50000000.00', marginRatioBp: 1000, rating: 'AA+' });
    await sprout.api('account-manager', 'POST', '/v1/guarantees', { guarantorId: company.id, enterpriseId: loan.enterpriseId, lineId: loan.lineId, type: 'joint-and-several', amount: '300000.00', startOn: '2025-01-01', endOn: '2028-12-31' }, { 'idempotency-key': 'browser-guarantee-1' });
    // One taken for the borrower and tied to no line: nothing it secures is owed, so its release may be asked for.
    const loose = await sprout.api<{ id: string }>('account-manager', 'POST', '/v1/guarantees', { guarantorId: company.id, enterpriseId: loan.enterpriseId, type: 'joint-and-several', amount: '100000.00', startOn: '2025-01-01', endOn: '2028-12-31' }, { 'idempotency-key': 'browser-guarantee-2' });

    for (const width of [1440, 390]) {
      const risk = await login('risk-officer', width);
      await risk.goto(`${sprout.base}/loans?id=${loanId}`);
      await risk.waitForSelector('[data-testid=guarantee-call]');
      await risk.fill('[data-testid=guarantee-call] input[name=recovered]', '1000.00');
      await risk.click('[data-testid=review-call]');
      await risk.waitForSelector('[data-testid=call-confirmation]');
      // What moves, from the server's preview: the guarantor pays 1,000.00; penalty first, then interest, then principal.
      assert.equal(digits(await risk.textContent('[data-testid=call-amount]')), '1000.00');
      const preview = await sprout.api<{ allocation: Record<string, string>; after: { payoff: string } }>('risk-officer', 'GET', `/v1/loans/${loanId}/repayment-preview?amount=1000.00`);
      assert.equal(digits(await risk.textContent('[data-testid=call-penalty]')), preview.allocation.penalty);
      assert.equal(digits(await risk.textContent('[data-testid=call-payoff-after]')), preview.after.payoff);
      await risk.locator('[data-testid=guarantee-calls]').screenshot({ path: `${SCREENSHOTS}/collateral-call-confirm-${width}.png` });
      // A performing loan: the call is refused, in words naming the loan and its days past due.
      await risk.click('[data-testid=confirm-call]');
      const refusal = await risk.waitForSelector('[data-testid=guarantee-call] [role=alert]');
      assert.match((await refusal.textContent()) ?? '', /^贷款尚未违约（逾期 \d+ 天，未划入不良），暂不能向担保人追偿$/);
      await risk.locator('[data-testid=guarantee-calls]').screenshot({ path: `${SCREENSHOTS}/collateral-call-refused-${width}.png` });
      await risk.context().close();
    }
    const after = await sprout.api<{ balances: { payoff: string } }>('risk-officer', 'GET', `/v1/loans/${loanId}`);
    assert.equal(after.balances.payoff, loan.balances.payoff, 'a refused call moved no money');

    const officer = await login('account-manager');
    await officer.goto(`${sprout.base}/enterprises?id=${loan.enterpriseId}`);
    await officer.waitForSelector('[data-testid=guarantee-list] [data-testid=release-guarantee]', { timeout: 60_000 });
    const rows = officer.locator('[data-testid=guarantee-list] tbody tr');
    const count = await rows.count();
    const guarantees = await sprout.api<{ guarantees: { id: string; status: string }[] }>('account-manager', 'GET', `/v1/enterprises/${loan.enterpriseId}/security`);
    const looseIndex = guarantees.guarantees.findIndex((g) => g.id === loose.id);
    assert.ok(looseIndex >= 0 && looseIndex < count);
    const row = rows.nth(looseIndex);
    await row.locator('[data-testid=release-guarantee]').click();
    await row.locator('input[name=releaseReason]').fill('授信方案调整，保证人退出');
    await row.locator('[data-testid=release-form-guarantee] button.primary').click();
    await row.locator('[data-testid=release-confirmation-guarantee]').waitFor();
    await officer.locator('[data-testid=security-panel]').screenshot({ path: `${SCREENSHOTS}/collateral-release-confirm.png` });
    await row.locator('[data-testid=confirm-release-guarantee]').click();
    await row.locator('[data-testid=release-requested-guarantee]').waitFor();
    const requests = await sprout.api<{ kind: string; subjectId: string; status: string }[]>('risk-officer', 'GET', '/v1/approvals');
    assert.ok(requests.some((r) => r.kind === 'guarantee.release' && r.subjectId === loose.id), 'the release waits for a checker');
    // The guarantee on the loan's line: the line still owes, so the request is refused in words.
    const heldIndex = guarantees.guarantees.findIndex((g) => g.id !== loose.id && g.status === 'held');
    const held = rows.nth(heldIndex);
    await held.locator('[data-testid=release-guarantee]').click();
    await held.locator('input[name=releaseReason]').fill('授信到期');
    await held.locator('[data-testid=release-form-guarantee] button.primary').click();
    await held.locator('[data-testid=confirm-release-guarantee]').click();
    const refused = await held.locator('[role=alert]').textContent();
    assert.match(refused ?? '', /^授信尚未结清终止（仍欠 [\d,.]+ 元），其押品或保证暂不能解除$/);
    await officer.locator('[data-testid=security-panel]').screenshot({ path: `${SCREENSHOTS}/collateral-release-refused.png` });
    assert.deepEqual(pageErrors, []);
  });

  it("an officer records a personal guarantor's own authorisation and checks the guarantor, each behind a confirmation; the table shows standing, findings and cap used", async () => {
    const [line] = await sprout.api<{ id: string; enterpriseId: string }[]>('borrower', 'GET', '/v1/lines');
    assert.ok(line);
    const person = await sprout.api<{ id: string; idNumber: string }>('account-manager', 'POST', '/v1/guarantors', { kind: 'person', name: '陈立', idNumber: '11010519491231002X' });
    assert.equal(person.idNumber, '110105********002X');
    await sprout.api('account-manager', 'POST', '/v1/guarantees', { guarantorId: person.id, enterpriseId: line.enterpriseId, type: 'general', amount: '500000.00', startOn: '2025-01-01', endOn: '2027-12-31' }, { 'idempotency-key': 'browser-guarantee-person' });
    const company = await sprout.api<{ id: string }>('account-manager', 'POST', '/v1/guarantors', { kind: 'company', name: '杭州市融资担保集团有限公司', creditCode: '91330000MA27U0AA6C', exposureCap: '40000000.00', marginRatioBp: 1500, rating: 'AA' });
    await sprout.api('account-manager', 'POST', '/v1/guarantees', { guarantorId: company.id, enterpriseId: line.enterpriseId, type: 'joint-and-several', amount: '1000000.00', startOn: '2025-01-01', endOn: '2027-12-31' }, { 'idempotency-key': 'browser-guarantee-company' });

    for (const width of [1440, 390]) {
      const officer = await login('account-manager', width);
      await officer.goto(`${sprout.base}/enterprises?id=${line.enterpriseId}`);
      const row = officer.locator('[data-testid=guarantor-table] tbody tr', { hasText: '陈立' });
      await row.waitFor({ timeout: 60_000 });
      if (width === 1440) {
        assert.match((await row.textContent()) ?? '', /未核查/);
        assert.match((await row.textContent()) ?? '', /未取得本人授权/);
        const companyText = (await officer.locator('[data-testid=guarantor-table] tbody tr', { hasText: '杭州市融资担保集团有限公司' }).textContent()) ?? '';
        assert.match(companyText, /¥1,000,000\.00 \/ ¥40,000,000\.00 · 2\.50%/);
        await row.locator('[data-testid=authorise-guarantor]').click();
        await row.locator('input[name=evidence]').fill('DA-2025-0042 档案柜 3');
        await row.locator('[data-testid=review-authorisation]').click();
        await row.locator('[data-testid=authorisation-confirmation]').waitFor();
        assert.match((await row.locator('[data-testid=authorisation-confirmation]').textContent()) ?? '', /法院/);
        await officer.locator('[data-testid=guarantor-list]').screenshot({ path: `${SCREENSHOTS}/collateral-guarantor-authorise-${width}.png` });
        await row.locator('[data-testid=confirm-authorisation]').click();
        await actionDone(row);
      }
      await row.locator('[data-testid=check-guarantor]').click();
      await row.locator('[data-testid=check-confirmation]').waitFor();
      assert.match((await row.locator('[data-testid=check-confirmation]').textContent()) ?? '', /哈希/);
      await officer.locator('[data-testid=guarantor-list]').screenshot({ path: `${SCREENSHOTS}/collateral-guarantor-check-confirm-${width}.png` });
      await row.locator('[data-testid=confirm-check]').click();
      await actionDone(row);
      const checks = await sprout.api<{ standing: string; sources: string[] }[]>('account-manager', 'GET', `/v1/guarantors/${person.id}/checks`);
      assert.deepEqual(checks[0]?.sources, ['courts']);
      const shown = { clear: '核查无异常', adverse: '失信或涉诉，不计担保' }[checks[0]!.standing as 'clear' | 'adverse'];
      await row.locator('[data-testid=guarantor-standing]', { hasText: shown }).waitFor();
      await officer.locator('[data-testid=guarantor-list]').screenshot({ path: `${SCREENSHOTS}/collateral-guarantor-checked-${width}.png` });
      await officer.context().close();
    }
    // A company's cap used, as the API says it.
    const security = await sprout.api<{ guarantors: { guarantor: { kind: string; name: string }; capUsed: string | null; latestCheck: unknown }[] }>('account-manager', 'GET', `/v1/enterprises/${line.enterpriseId}/security`);
    const personRow = security.guarantors.find((g) => g.guarantor.name === '陈立');
    assert.deepEqual([personRow?.guarantor.kind, personRow?.capUsed], ['person', null]);
    // 1,000,000.00 of a 40,000,000.00 cap: 2.50%.
    const companyRow = security.guarantors.find((g) => g.guarantor.name === '杭州市融资担保集团有限公司');
    assert.deepEqual([companyRow?.guarantor.kind, companyRow?.capUsed, companyRow?.latestCheck], ['company', '2.50', null]);
    const borrowerView = await sprout.api<{ guarantors: unknown[] }>('borrower', 'GET', `/v1/enterprises/${line.enterpriseId}/security`);
    assert.deepEqual(borrowerView.guarantors, [], "a guarantor's findings are not the borrower's to see");
    assert.deepEqual(pageErrors, []);
  });
});
