/**
 * Issue 14 in Chromium against `sprout serve`: the login page while the demo fills; a line's
 * settlement accounts shown masked and changed after a confirmation (the borrower at once, staff
 * through a checker who sees before and after); the prepayment choice with its exact figures before
 * confirming and the schedule after; and loans named by their note numbers (借据号), never an id
 * tail. Screenshots go to docs/screenshots/accounts-*.png and prepayment-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let sprout: ServedSprout;
let browser: Browser;
/** The borrower's loan drawn in the second test, which the staff test opens. */
let drawnLoan: { id: string; lineId: string } | undefined;

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !/status of (401|403|404)/.test(message.text()) && errors.push(message.text()));
  return { page, errors };
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${sprout.base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  // Attached, not visible: a narrow header folds the name away.
  await page.waitForSelector('[data-testid=who]', { state: 'attached' });
}

/** An amount on the page ("¥1,512.34" or "1,512.34") as a number of yuan. */
const amountOf = (text: string): number => Number((/-?[0-9][0-9,]*\.[0-9]{2}/.exec(text)?.[0] ?? 'NaN').replaceAll(',', ''));
/** The loan's schedule as shown: each row's number, due date and installment total. */
async function scheduleOf(page: Page): Promise<{ number: number; dueOn: string; total: number }[]> {
  const rows = await page.$$eval('[data-testid=current-schedule] tbody tr', (trs) =>
    trs.map((tr) => Array.from((tr as unknown as { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('td'), (td) => (td.textContent ?? '').trim())),
  );
  // Columns: #, due date, principal, interest, total, state.
  return rows.map((cells) => ({ number: Number(cells[0]), dueOn: cells[1] ?? '', total: amountOf(cells[4] ?? '') }));
}

const pageWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();

describe('settlement accounts, the prepayment choice and loan note numbers in Chromium', () => {
  before(async () => {
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('while the demo fills, the login page shows how far it is, and offers the logins once it is filled', async () => {
    // A small book so the fill takes seconds; the server answers before it starts.
    sprout = await startSprout('sprout-accounts-', ['--demo-enterprises', '40', '--demo-months', '3'], 'listening');
    try {
      await fillingPage();
    } finally {
      // The later tests need the filled demo whatever this one found.
      await sprout.ready;
    }
  });

  async function fillingPage(): Promise<void> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    // The machine may be loaded (a shared runner): the page is given time, not a deadline.
    page.setDefaultTimeout(120_000);
    await page.goto(`${sprout.base}/login`);
    const welcome = (await page.evaluate(async () => (await fetch('/v1/auth/welcome')).json())) as { demo: { filling: { phase: string; done: number; total: number } | null } | null };
    assert.notEqual(welcome.demo?.filling ?? null, null, 'the welcome says the demo is filling');
    await page.waitForSelector('[data-testid=demo-filling]');
    assert.match(await text(page, '[data-testid=demo-filling-phase]'), /[0-9]+\/[0-9]+ · [0-9]+%|登录/);
    assert.equal(await page.locator('input[name=password]').count(), 0, 'no form that would only refuse the demo logins');
    await shot(page, 'demo-filling-phone');
    await sprout.ready;
    // The page asks again every second and turns into the login form with the demo roles.
    await page.waitForSelector('input[name=password]');
    await page.waitForSelector('[data-testid=demo-roles] button');
    const after = (await page.evaluate(async () => (await fetch('/v1/auth/welcome')).json())) as { demo: { filling: unknown } | null };
    assert.equal(after.demo?.filling ?? null, null);
    assert.deepEqual(errors, []);
    await context.close();
  }

  it('a borrower sees its accounts masked, changes the repayment account after checking before and after, draws, and chooses lower installments after a prepayment with the figures it was shown', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    page.setDefaultTimeout(120_000);
    await logIn(page, 'borrower', 'borrower-demo');
    await page.click('nav a[href="/borrow"]');
    await page.waitForSelector('[data-testid=settlement-accounts]');
    const before = await text(page, '[data-testid=account-repayment]');
    assert.match(before, /\*\*\*\*[0-9]{4}|未登记/, 'the number is masked');
    assert.doesNotMatch(before.replace(/（[0-9]{12}）/, ''), /[0-9]{8,}/, 'no whole account number on the page, only the bank code');

    // Change the repayment account: nothing changes before the confirmation, which shows both.
    await page.click('[data-testid=change-repayment]');
    await page.fill('[data-testid=account-change] input[name=bankName]', '中国建设银行杭州分行');
    await page.fill('[data-testid=account-change] input[name=bankCode]', '105331000019');
    await page.fill('[data-testid=account-change] input[name=accountNo]', '3305 0161 6273 0000 4321');
    await page.click('[data-testid=account-next]');
    await page.waitForSelector('[data-testid=account-confirm]');
    assert.match(await text(page, '[data-testid=account-after]'), /中国建设银行杭州分行 \*\*\*\*4321 （105331000019）/);
    // The account in force, as the card shows it (the card adds its label and the change button).
    assert.ok(before.includes(await text(page, '[data-testid=account-before]')), `${before} shows the account before`);
    const { lineId } = (await page.evaluate(async () => {
      const me = (await (await fetch('/v1/me')).json()) as { enterpriseIds: string[] };
      const lines = (await (await fetch(`/v1/lines?enterpriseId=${me.enterpriseIds[0]}`)).json()) as { id: string; status: string }[];
      return { lineId: lines.find((line) => line.status === 'active')!.id };
    })) as { lineId: string };
    const unchanged = (await page.evaluate(async (id) => (await fetch(`/v1/lines/${id}/accounts`)).json(), lineId)) as { repayment: { accountNoMasked: string } };
    assert.notEqual(unchanged.repayment.accountNoMasked, '****4321', 'nothing changed before confirming');
    await shot(page, 'accounts-change-confirm-desktop');
    await page.click('[data-testid=account-confirm-button]');
    await page.waitForSelector('[data-testid=account-notice]');
    // The card reads the accounts again after the change.
    await page.waitForSelector('[data-testid=account-repayment]:has-text("****4321")');
    assert.match(await text(page, '[data-testid=account-repayment]'), /中国建设银行杭州分行 \*\*\*\*4321/);
    const changed = (await page.evaluate(async (id) => (await fetch(`/v1/lines/${id}/accounts`)).json(), lineId)) as { repayment: { accountNoMasked: string; bankCode: string } };
    assert.deepEqual([changed.repayment.accountNoMasked, changed.repayment.bankCode], ['****4321', '105331000019']);

    // Draw 12,000.00 over 6 months, then prepay 3,000.00 and choose.
    await page.fill('input[name=amount]', '12000.00');
    await page.selectOption('select[name=term]', 'm6');
    await page.click('[data-testid=preview]');
    await page.waitForSelector('[data-testid=confirm-draw]');
    await page.click('[data-testid=confirm-draw]');
    await page.waitForSelector('[data-testid=loan-panel]');
    const noteNo = await text(page, '[data-testid=panel-note-no]');
    drawnLoan = { id: (await page.getAttribute('[data-testid=loan-row].selected', 'data-loan'))!, lineId };
    assert.match(noteNo, /^JJ[0-9]{8}-[0-9]{5}$/, 'the loan is named by its note number');
    // The line card says how much of the limit is used: the limit less what is available, as the API has them after the draw.
    const lineNow = (await page.evaluate(async (id) => (await fetch(`/v1/lines/${id}`)).json(), lineId)) as { limit: string; available: string };
    const usedNow = ((Math.round(Number(lineNow.limit) * 100) - Math.round(Number(lineNow.available) * 100)) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    await page.waitForSelector(`[data-testid=line-used]:has-text("¥${usedNow}")`);
    assert.match(await text(page, '[data-testid=drawn]'), new RegExp(noteNo));
    assert.ok((await page.locator(`[data-testid=loan-note-no]:has-text("${noteNo}")`).count()) === 1, 'the loan list names the note number');
    await page.waitForSelector('[data-testid=current-schedule]');
    const scheduleBefore = await scheduleOf(page);
    const scheduleBeforeText = await page.$$eval('[data-testid=current-schedule] tbody tr td:nth-child(5)', (tds) => tds.map((td) => (td.textContent ?? '').trim()));
    assert.equal(scheduleBefore.length, 6);

    await page.fill('input[name=repayAmount]', '3000.00');
    await page.click('[data-testid=review-repay]');
    await page.waitForSelector('[data-testid=prepayment-choice]');
    const shorten = {
      installment: await text(page, '[data-testid=prepay-shorten-term] [data-testid=prepay-installment]'),
      lastDue: await text(page, '[data-testid=prepay-shorten-term] [data-testid=prepay-last-due]'),
      saved: await text(page, '[data-testid=prepay-shorten-term] [data-testid=prepay-saved]'),
    };
    const lower = {
      installment: await text(page, '[data-testid=prepay-lower-installments] [data-testid=prepay-installment]'),
      lastDue: await text(page, '[data-testid=prepay-lower-installments] [data-testid=prepay-last-due]'),
      saved: await text(page, '[data-testid=prepay-lower-installments] [data-testid=prepay-saved]'),
    };
    // Shortening keeps the installment and ends sooner; lowering keeps the last due date; both save
    // interest, shortening more (the principal is repaid sooner).
    // The first installment carries the broken first period; the second is the regular one.
    const regular = scheduleBefore[1]!;
    assert.ok(amountOf(shorten.installment) > amountOf(lower.installment), `shortening pays more each time (${shorten.installment} > ${lower.installment})`);
    assert.equal(lower.lastDue, scheduleBefore[5]!.dueOn, 'lowering keeps the term');
    assert.ok(shorten.lastDue <= lower.lastDue, `shortening ends no later (${shorten.lastDue} vs ${lower.lastDue})`);
    assert.ok(amountOf(lower.installment) < regular.total, `lower installments are lower (${lower.installment})`);
    assert.ok(amountOf(lower.saved) > 0 && amountOf(shorten.saved) >= amountOf(lower.saved), `interest saved ${shorten.saved} ≥ ${lower.saved} > 0`);
    assert.match(await text(page, '[data-testid=confirm-account]'), /中国建设银行杭州分行 \*\*\*\*4321/, 'debited from the new repayment account');
    await shot(page, 'prepayment-choice-desktop');
    await page.click('[data-testid=prepay-lower-installments] input[type=radio]');
    await page.click('[data-testid=confirm-repay]');
    await page.waitForSelector('[data-testid=repaid]');
    assert.equal(await text(page, '[data-testid=receipt-note-no]'), noteNo, 'the receipt names the note number');
    assert.match(await text(page, '[data-testid=repaid]'), /期限不变，减少每期还款额/);
    // The schedule after: the term kept, every later regular installment the amount shown before confirming.
    // The table is read again after the receipt; wait for the second row to leave the figure it had
    // before (a loaded machine shows the old table for a moment: the CI run read it).
    await page.waitForFunction(
      (old) => {
        const cells = (globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('[data-testid=current-schedule] tbody tr:nth-child(2) td');
        return cells.length > 4 && (cells[4]!.textContent ?? '').trim() !== old;
      },
      scheduleBeforeText[1],
    );
    const rows = await scheduleOf(page);
    assert.equal(rows.length, 6, 'the term is kept');
    assert.equal(rows[5]!.dueOn, lower.lastDue, 'the last due date is the one shown before confirming');
    // Every installment still to pay but the last (which takes the rounding) is the one shown.
    const unpaid = rows.filter((row) => row.dueOn > scheduleBefore[0]!.dueOn || row === rows[0]).slice(0, -1);
    assert.ok(unpaid.length >= 4, `installments after the prepayment (${unpaid.length})`);
    // Each later installment is lower than before the prepayment, and within a yuan of the one shown
    // (the schedule counts each period's actual days).
    for (const row of unpaid.slice(1)) {
      assert.ok(row.total < regular.total, `installment ${row.number} (${row.total}) is lower than ${regular.total}`);
      assert.ok(Math.abs(row.total - amountOf(lower.installment)) <= 1, `installment ${row.number} (${row.total}) is about the ${lower.installment} shown`);
    }
    await shot(page, 'prepayment-after-desktop');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('an account manager proposes a new disbursement account on the staff loan page; an approver sees before and after in the worklist and confirms it', async () => {
    assert.ok(drawnLoan, 'the borrower test drew a loan');
    const { id: loanId, lineId } = drawnLoan;
    const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, locale: 'zh-CN' });
    const { page, errors } = await newPage(context);
    page.setDefaultTimeout(120_000);
    await logIn(page, 'account-manager', 'account-manager-demo');
    await page.goto(`${sprout.base}/loans?id=${loanId}`);
    await page.waitForSelector('[data-testid=staff-note-no]');
    assert.match(await text(page, '[data-testid=staff-note-no]'), /^JJ[0-9]{8}-[0-9]{5}$/);
    await page.waitForSelector('[data-testid=settlement-accounts]');
    const before = await sprout.api<{ disbursement: { accountNoMasked: string; bankName: string } | null }>('operator', 'GET', `/v1/lines/${lineId}/accounts`);
    await page.click('[data-testid=change-disbursement]');
    await page.fill('[data-testid=account-change] input[name=bankName]', '招商银行杭州分行');
    await page.fill('[data-testid=account-change] input[name=bankCode]', '308331012005');
    await page.fill('[data-testid=account-change] input[name=accountNo]', '571908765432109');
    await page.fill('[data-testid=account-change] input[name=reason]', '企业书面申请更换放款账户');
    await page.click('[data-testid=account-next]');
    await page.waitForSelector('[data-testid=account-confirm]');
    assert.match(await text(page, '[data-testid=account-effect]'), /另一位审批人复核/);
    await shot(page, 'accounts-staff-proposal-desktop');
    await page.click('[data-testid=account-confirm-button]');
    await page.waitForSelector('[data-testid=account-notice]');
    const waiting = await sprout.api<{ disbursement: { accountNoMasked: string } | null }>('operator', 'GET', `/v1/lines/${lineId}/accounts`);
    assert.equal(waiting.disbursement?.accountNoMasked, before.disbursement?.accountNoMasked, 'nothing changes before a checker confirms');
    assert.deepEqual(errors, []);
    await context.close();

    for (const viewport of [DESKTOP, PHONE]) {
      const checker = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
      const second = await newPage(checker);
      second.page.setDefaultTimeout(120_000);
      await logIn(second.page, 'credit-approver', 'credit-approver-demo');
      await second.page.goto(`${sprout.base}/review`);
      await second.page.waitForSelector('[data-testid=approval-row][data-kind="line.account-change"] [data-testid=proposal-account]');
      const proposal = await text(second.page, '[data-testid=approval-row][data-kind="line.account-change"] [data-testid=proposal-account]');
      const was = before.disbursement === null ? '未登记' : `${before.disbursement.bankName} \\*\\*\\*\\*${before.disbursement.accountNoMasked.slice(-4)}`;
      assert.match(proposal, new RegExp(`放款账户：${was} → 招商银行杭州分行 \\*\\*\\*\\*2109`));
      assert.match(await text(second.page, '[data-testid=approval-row][data-kind="line.account-change"]'), /企业书面申请更换放款账户/);
      if (viewport === PHONE) assert.ok((await pageWidth(second.page)) <= PHONE.width, 'no sideways scrolling on a phone');
      await shot(second.page, `accounts-checker-${viewport === PHONE ? 'phone' : 'desktop'}`);
      if (viewport === PHONE) {
        await second.page.click('[data-testid=approval-row][data-kind="line.account-change"] [data-testid=approval-approve]');
        await second.page.waitForSelector('[data-testid=approval-row][data-kind="line.account-change"]', { state: 'detached' });
      }
      assert.deepEqual(second.errors, []);
      await checker.close();
    }
    const after = await sprout.api<{ disbursement: { accountNoMasked: string; bankCode: string } }>('operator', 'GET', `/v1/lines/${lineId}/accounts`);
    assert.deepEqual([after.disbursement.accountNoMasked, after.disbursement.bankCode], ['****2109', '308331012005']);
  });
});
