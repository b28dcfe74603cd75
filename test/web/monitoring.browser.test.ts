/**
 * Post-lending monitoring in Chromium (issue 16), against `sprout serve` with a demo book: the
 * borrower's firm gets a red warning that freezes its line (a risk officer tightens the
 * utilisation rule, an admin confirms, the borrower draws, monitoring runs for the firm); the
 * account manager, who looks after the firm, finds it in the warning inbox by level, rule, region
 * and assignee, acknowledges it, asks to undo the freeze (nothing changes until a second person
 * confirms) and resolves it; the borrower's portal says the line is frozen, why, and what to do;
 * in Chinese at 1440 px and at 390 px. Screenshots go to docs/screenshots/monitoring-*.png.
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
let enterpriseId = '';
let lineId = '';
let regionPrefix = '';
/** The account manager's display name: the inbox shows people by name, never by username or role code. */
let managerName = '';

type Row = { id: string; enterprise: string; rule: string; level: string; status: string; assignee: string | null };
declare const document: { readonly documentElement: { readonly scrollWidth: number }; querySelectorAll(s: string): { length: number } };

const logIn = (page: Page, role: string) => logInOnPage(page, sprout.base, role);
const shot = shotFromTop;

async function rows(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid=warning-table] tbody tr').length === count, n);
}

describe('post-lending monitoring in Chromium', () => {
  before(async () => {
    sprout = await startSprout('sprout-monitoring-', ['--demo-enterprises', '120', '--demo-months', '2']);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const me = await sprout.api<{ enterpriseIds: string[] }>('borrower', 'GET', '/v1/me');
    enterpriseId = me.enterpriseIds[0]!;
    const lines = await sprout.api<{ id: string; status: string; limit: string; available: string }[]>('borrower', 'GET', `/v1/lines?enterpriseId=${enterpriseId}`);
    const line = lines.find((l) => l.status === 'active')!;
    lineId = line.id;
    const firm = await sprout.api<{ regionCode: string | null }>('account-manager', 'GET', `/v1/enterprises/${enterpriseId}`);
    regionPrefix = (firm.regionCode ?? '33').slice(0, 4);
    managerName = (await sprout.api<{ displayName: string }>('account-manager', 'GET', '/v1/me')).displayName;
    assert.notEqual(managerName, 'account-manager');
    // The account manager looks after the firm (set by staff here; the demo sets four in five at origination).
    await sprout.api('risk-officer', 'PUT', `/v1/enterprises/${enterpriseId}/account-manager`, { username: 'account-manager' });
    // A risk officer tightens the utilisation rule (red from 10% drawn, when 5% was drawn in 30 days); an admin confirms.
    const current = await sprout.api<{ active: Record<string, unknown> & { rules: Record<string, unknown>; utilisation: Record<string, number> } }>('risk-officer', 'GET', '/v1/warning-rules');
    const rules = { ...current.active, label: 'EW-test', utilisation: { ...current.active.utilisation, recentShare: 0.05 }, rules: { ...current.active.rules, 'utilisation-jump': { enabled: true, thresholds: { red: 0.1 }, specialMentionFrom: null } } };
    const made = await sprout.api<{ id: string }>('risk-officer', 'POST', '/v1/warning-rules', { note: 'browser test: a sudden drawdown is red', rules });
    await sprout.api('admin', 'POST', `/v1/approvals/${made.id}/decision`, { decision: 'approve' });
    // The borrower draws a fifth of what is available; monitoring for the firm raises the red warning and freezes the line.
    const fifth = ((Math.floor(Number(line.available) / 5 / 100) * 100).toFixed(2));
    await sprout.api('borrower', 'POST', `/v1/lines/${lineId}/drawdowns`, { amount: fifth, termDays: 90 }, { 'idempotency-key': `monitoring-browser-${lineId}` });
    await sprout.api('risk-officer', 'POST', '/v1/monitoring/run', { enterpriseId });
    const frozen = await sprout.api<{ frozen: boolean; rule: string | null; level: string | null }>('borrower', 'GET', `/v1/lines/${lineId}/freeze`);
    assert.deepEqual([frozen.frozen, frozen.rule, frozen.level], [true, 'utilisation-jump', 'red']);
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('the borrower sees the frozen line, why, and what to do, at 1440 and 390 px', async () => {
    for (const [viewport, name] of [[DESKTOP, '1440'], [PHONE, '390']] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', ...(name === '390' ? { isMobile: true, hasTouch: true } : {}) });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await logIn(page, 'borrower');
      await page.goto(`${sprout.base}/borrow`);
      await page.waitForSelector('[data-testid=frozen-line-notice]');
      const notice = (await page.textContent('[data-testid=frozen-line-notice]')) ?? '';
      assert.match(notice, /额度已冻结/);
      assert.match(notice, /用信骤增至额度上限/);
      assert.match(notice, /红色/);
      assert.match(notice, /客户经理/);
      assert.doesNotMatch(notice, /utilisation-jump|red\b/);
      if (name === '390') assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
      await shot(page, `monitoring-portal-frozen-${name}`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('the account manager filters the inbox by level, rule, region and assignee, acknowledges, asks to undo the freeze through a second person, and resolves', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await logIn(page, 'account-manager');
    await page.goto(`${sprout.base}/warnings`);
    await page.waitForSelector('[data-testid=warnings-page]');
    // The page asks for up to 200, most severe first; the same question here.
    const reds = await sprout.api<Row[]>('account-manager', 'GET', '/v1/warnings?status=open&level=red&limit=200');
    await page.selectOption('select[name=level]', 'red');
    await rows(page, reds.length);
    await page.selectOption('select[name=rule]', 'utilisation-jump');
    await rows(page, 1);
    await page.fill('input[name=region]', regionPrefix);
    await rows(page, 1);
    // The assignee filter takes the name people see (its first character is enough), as well as the username.
    await page.fill('input[name=assignee]', managerName.slice(0, 1));
    await rows(page, 1);
    await page.fill('input[name=assignee]', 'account-manager');
    await rows(page, 1);
    await page.fill('input[name=assignee]', managerName);
    await rows(page, 1);
    const table = (await page.textContent('[data-testid=warning-table]')) ?? '';
    assert.match(table, /红色/);
    assert.doesNotMatch(table, /utilisation-jump|account-manager|\bred\b/);
    assert.equal(await page.textContent('[data-testid=warning-assignee]'), managerName);
    // The tasks: the role in words, and the person by name.
    const tasks = (await page.textContent('[data-testid=task-table]')) ?? '';
    assert.match(tasks, new RegExp(`客户经理 · ${managerName}`));
    assert.match(tasks, /风险经理/);
    assert.doesNotMatch(tasks, /role_|account-manager|risk-officer/);
    await shot(page, 'monitoring-inbox-1440');

    // Acknowledge, through the confirmation.
    await page.click('[data-testid=warning-table] button:has-text("认领")');
    await page.waitForSelector('[data-testid=warning-confirmation]');
    await page.click('[data-testid=confirm-warning]');
    await page.waitForSelector('[data-testid=warning-table] td:has-text("已认领")', { timeout: 30_000 }).catch(async () => {
      // The default status filter is "open": an acknowledged warning leaves it.
      await page.selectOption('select[name=status]', 'acknowledged');
      await page.waitForSelector('[data-testid=warning-table] tbody tr');
    });
    const [warning] = await sprout.api<Row[]>('account-manager', 'GET', `/v1/warnings?enterpriseId=${enterpriseId}&rule=utilisation-jump`);
    assert.equal(warning!.status, 'acknowledged');
    // Who acknowledged it, by name.
    await page.selectOption('select[name=status]', 'acknowledged');
    await page.waitForSelector(`[data-testid=warning-status]:has-text("${managerName}")`);
    assert.match((await page.textContent('[data-testid=warning-status]')) ?? '', new RegExp(`已认领 · 认领人 ${managerName}`));

    // Ask to undo the freeze: the confirmation says a second person must confirm; nothing changes yet.
    await page.selectOption('select[name=status]', '');
    await page.click('[data-testid=open-undo]');
    await page.waitForSelector('[data-testid=undo-freeze]');
    await page.click('[data-testid=undo-freeze]');
    await page.fill('textarea[name=undoReason]', '企业补充了新订单合同，提款用于备货');
    const confirmation = (await page.textContent('[data-testid=undo-confirmation]')) ?? '';
    assert.match(confirmation, /冻结额度/);
    assert.match(confirmation, /另一名/);
    await shot(page, 'monitoring-undo-confirm-1440');
    await page.click('[data-testid=confirm-undo]');
    await page.waitForSelector('[data-testid=undo-requested]');
    assert.equal((await sprout.api<{ frozen: boolean }>('borrower', 'GET', `/v1/lines/${lineId}/freeze`)).frozen, true, 'still frozen until a second person confirms');
    // The risk officer confirms; the line is open again.
    const pending = await sprout.api<{ id: string; kind: string }[]>('risk-officer', 'GET', '/v1/approvals');
    const undo = pending.find((request) => request.kind === 'warning.undo-action')!;
    await sprout.api('risk-officer', 'POST', `/v1/approvals/${undo.id}/decision`, { decision: 'approve' });
    assert.equal((await sprout.api<{ frozen: boolean }>('borrower', 'GET', `/v1/lines/${lineId}/freeze`)).frozen, false);

    // Resolve with the finding.
    await page.click('[data-testid=undo-panel] button:has-text("取消")');
    await page.click('[data-testid=warning-table] button:has-text("解除")');
    await page.fill('textarea[name=note]', '新订单备货，经营正常');
    await page.click('[data-testid=confirm-warning]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=warning-confirmation]').length === 0);
    const [resolved] = await sprout.api<Row[]>('account-manager', 'GET', `/v1/warnings?enterpriseId=${enterpriseId}&rule=utilisation-jump`);
    assert.equal(resolved!.status, 'resolved');
    await page.selectOption('select[name=status]', 'resolved');
    await page.waitForSelector(`[data-testid=warning-status]:has-text("已解除 · 处理人 ${managerName}")`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('at 390 px the inbox is cards with every action in reach', async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await logIn(page, 'account-manager');
    await page.goto(`${sprout.base}/warnings`);
    await page.waitForSelector('[data-testid=warnings-page]');
    await page.selectOption('select[name=status]', '');
    await page.waitForSelector('[data-testid=warning-table] tbody tr');
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await shot(page, 'monitoring-inbox-390');
    await context.close();
  });
});
