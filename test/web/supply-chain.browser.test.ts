/**
 * Supply-chain finance in a real browser against `sprout serve` with a small demo book (two core
 * enterprises, three tiers of suppliers, src/demo/demo-supply-chain.ts): the core enterprise
 * confirms its supplier's invoice after seeing what it commits to; the supplier (the demo borrower)
 * sees the cost of financing the certificate, equal to the API's quote, and finances it; the officer
 * console and the dashboard tile show the API's figures. At 1440 and 390 px; screenshots go to
 * docs/screenshots/supply-chain-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, loginAs, SCREENSHOTS, startSprout, type ServedSprout } from '../support/browser-server.js';

declare const document: { readonly documentElement: { readonly scrollWidth: number } };

let sprout: ServedSprout;
let browser: Browser;
const pageErrors: string[] = [];

const login = (role: string, width: number): Promise<Page> => loginAs(browser, sprout.base, role, pageErrors, { width });

/** "1234567.89" as the page writes it: "¥1,234,567.89". */
const yuan = (amount: string) => {
  const [whole, fraction] = amount.split('.');
  return `¥${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
};
const sum = (amounts: readonly string[]) => {
  const fen = amounts.reduce((total, amount) => total + BigInt(amount.replace('.', '')), 0n);
  const text = fen.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
};
const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
const fitsWidth = async (page: Page, width: number) => assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= width, `the page fits ${width} px`);

interface Me {
  enterpriseIds: string[];
}
interface Receivable {
  id: string;
  invoiceNo: string;
  amount: string;
  status: string;
  sellerId: string;
}
interface Certificate {
  id: string;
  invoiceNo: string;
  status: string;
  faceAmount: string;
}
interface Quote {
  face: string;
  rate: string;
  days: number;
  principal: string;
  interest: string;
  disbursed: string;
  surplusAtMaturity: string;
  holderReceives: string;
}
interface Overview {
  coreEnterpriseName: string;
  limit: string;
  used: string;
  headroom: string;
  overdue: string;
  certificatesOutstanding: string;
  programme: { coreEnterpriseId: string };
}

describe('supply-chain finance in Chromium', () => {
  before(async () => {
    sprout = await startSprout('sprout-supply-chain-', ['--demo-enterprises', '120', '--demo-months', '2']);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await sprout?.stop();
  });

  it('the core enterprise confirms, the supplier finances after seeing the figures, the officer console shows the API figures', async () => {
    const core = (await sprout.api<Me>('core-enterprise', 'GET', '/v1/me')).enterpriseIds[0]!;
    const supplier = (await sprout.api<Me>('borrower', 'GET', '/v1/me')).enterpriseIds[0]!;
    assert.ok(core && supplier, 'the demo binds the core enterprise and the supplier');
    const before = await sprout.api<{ items: Receivable[] }>('core-enterprise', 'GET', `/v1/supply-chain/receivables?coreEnterpriseId=${core}`);
    const awaiting = before.items.find((r) => r.status === 'registered' && r.sellerId === supplier);
    assert.ok(awaiting, 'the demo leaves the borrower an invoice awaiting confirmation');
    // The demo book: paid, financed and held papers across three tiers and two core enterprises, one overdue.
    const balance = await sprout.api<{ items: { coreEnterpriseId: string; tier: number; outstanding: string; financed: string }[] }>('risk-officer', 'GET', '/v1/supply-chain/balance');
    assert.equal(new Set(balance.items.map((row) => row.coreEnterpriseId)).size, 2);
    assert.deepEqual([...new Set(balance.items.map((row) => row.tier))].sort(), [1, 2, 3]);
    assert.ok(before.items.some((r) => r.status === 'paid'), 'some receivables repaid by the core enterprise');

    // 1. The core enterprise confirms the invoice, after the confirmation says what it commits to.
    const corePage = await login('core-enterprise', 1440);
    await corePage.waitForSelector('[data-testid=core-awaiting]');
    await corePage.check(`[data-testid=core-awaiting] tr[data-invoice="${awaiting.invoiceNo}"] [data-testid=core-pick]`);
    await corePage.click('[data-testid=core-confirm-review]');
    await corePage.waitForSelector('[data-testid=core-confirm-box]');
    assert.equal(await text(corePage, '[data-testid=core-confirm-total]'), yuan(awaiting.amount));
    assert.equal((await sprout.api<{ items: Receivable[] }>('core-enterprise', 'GET', `/v1/supply-chain/receivables?coreEnterpriseId=${core}`)).items.find((r) => r.id === awaiting.id)!.status, 'registered', 'nothing changes before the confirmation');
    await corePage.screenshot({ path: `${SCREENSHOTS}/supply-chain-core-confirm.png`, fullPage: true });
    await corePage.click('[data-testid=core-confirm]');
    await corePage.waitForSelector('[data-testid=core-confirmed]');
    await corePage.waitForSelector(`[data-testid=core-confirmed-list] tr[data-invoice="${awaiting.invoiceNo}"]`);
    const confirmed = (await sprout.api<{ items: Receivable[] }>('core-enterprise', 'GET', `/v1/supply-chain/receivables?coreEnterpriseId=${core}`)).items.find((r) => r.id === awaiting.id)!;
    assert.equal(confirmed.status, 'confirmed');
    const programme = await sprout.api<{ items: Overview[] }>('core-enterprise', 'GET', `/v1/supply-chain/core-enterprises/${core}/programme`);
    assert.equal(await text(corePage, '[data-testid=core-limit]'), yuan(programme.items[0]!.limit));
    assert.equal(await text(corePage, '[data-testid=core-owed]'), yuan(programme.items[0]!.certificatesOutstanding));
    await corePage.screenshot({ path: `${SCREENSHOTS}/supply-chain-core.png`, fullPage: true });

    // 2. The supplier sees the new certificate, the cost of financing it equal to the API's quote, and finances it.
    const held = await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`);
    const certificate = held.items.find((c) => c.invoiceNo === awaiting.invoiceNo);
    assert.ok(certificate && certificate.status === 'held');
    const quote = await sprout.api<Quote>('borrower', 'GET', `/v1/supply-chain/certificates/${certificate.id}/financing-quote`);
    const supplierPage = await login('borrower', 1440);
    await supplierPage.goto(`${sprout.base}/certificates`);
    const row = `[data-testid=supplier-certificates] tr[data-invoice="${awaiting.invoiceNo}"]`;
    await supplierPage.click(`${row} [data-testid=supplier-quote]`);
    await supplierPage.waitForSelector('[data-testid=supplier-quote-box]');
    assert.equal(await text(supplierPage, '[data-testid=quote-face]'), yuan(quote.face));
    assert.equal(await text(supplierPage, '[data-testid=quote-rate]'), `${quote.rate}%`);
    assert.equal(await text(supplierPage, '[data-testid=quote-days]'), `${quote.days} 天`);
    assert.equal(await text(supplierPage, '[data-testid=quote-principal]'), yuan(quote.principal));
    assert.equal(await text(supplierPage, '[data-testid=quote-interest]'), yuan(quote.interest));
    assert.equal(await text(supplierPage, '[data-testid=quote-disbursed]'), yuan(quote.disbursed));
    assert.equal(await text(supplierPage, '[data-testid=quote-surplus]'), yuan(quote.surplusAtMaturity));
    assert.equal(await text(supplierPage, '[data-testid=quote-total]'), yuan(quote.holderReceives));
    assert.equal(sum([quote.disbursed, quote.surplusAtMaturity]), quote.holderReceives);
    await supplierPage.screenshot({ path: `${SCREENSHOTS}/supply-chain-supplier-quote.png`, fullPage: true });
    await supplierPage.click('[data-testid=supplier-finance]');
    assert.equal(await text(supplierPage, '[data-testid=supplier-financed]'), `融资成功，已到账 ${yuan(quote.disbursed)}`);
    await supplierPage.waitForSelector(`${row}[data-status=financed]`);
    const after = await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`);
    assert.equal(after.items.find((c) => c.id === certificate.id)!.status, 'financed');
    // What the core enterprise paid earlier, and what of it came to the supplier.
    const paid = await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}&status=paid`);
    assert.ok(paid.items.length > 0, 'the demo borrower has a certificate the core enterprise paid');
    assert.equal(await supplierPage.locator('[data-testid=supplier-paid] tbody tr').count(), paid.items.length);
    await supplierPage.screenshot({ path: `${SCREENSHOTS}/supply-chain-supplier.png`, fullPage: true });

    // 3. The officer console: the totals and each programme as the API reads them.
    const programmes = await sprout.api<{ items: Overview[] }>('risk-officer', 'GET', '/v1/supply-chain/programmes');
    assert.equal(programmes.items.length, 2);
    assert.ok(programmes.items.some((o) => o.overdue !== '0.00'), 'the second core enterprise is late');
    const officer = await login('risk-officer', 1440);
    await officer.goto(`${sprout.base}/supply-chain`);
    await officer.waitForSelector('[data-testid=scf-programmes] tbody tr');
    assert.equal(await text(officer, '[data-testid=scf-total-limit]'), yuan(sum(programmes.items.map((o) => o.limit))));
    assert.equal(await text(officer, '[data-testid=scf-total-used]'), yuan(sum(programmes.items.map((o) => o.used))));
    assert.equal(await text(officer, '[data-testid=scf-total-headroom]'), yuan(sum(programmes.items.map((o) => o.headroom))));
    assert.equal(await text(officer, '[data-testid=scf-total-overdue]'), yuan(sum(programmes.items.map((o) => o.overdue))));
    assert.equal(await text(officer, '[data-testid=scf-total-certificates]'), yuan(sum(programmes.items.map((o) => o.certificatesOutstanding))));
    for (const o of programmes.items) {
      const line = officer.locator(`[data-testid=scf-programmes] tr[data-core="${o.coreEnterpriseName}"]`);
      assert.equal(await line.locator('[data-field=used]').textContent(), yuan(o.used));
      assert.equal(await line.locator('[data-field=headroom]').textContent(), yuan(o.headroom));
      assert.equal(await line.locator('[data-field=overdue]').textContent(), yuan(o.overdue));
      assert.equal(await line.locator('[data-field=certificates]').textContent(), yuan(o.certificatesOutstanding));
    }
    const tiers = await sprout.api<{ items: { coreEnterpriseName: string; tier: number; outstanding: string; financed: string }[] }>('risk-officer', 'GET', '/v1/supply-chain/balance');
    for (const tier of tiers.items) {
      const line = officer.locator(`[data-testid=scf-balance] tr[data-core="${tier.coreEnterpriseName}"][data-tier="${tier.tier}"]`);
      assert.equal(await line.locator('[data-field=outstanding]').textContent(), yuan(tier.outstanding));
      assert.equal(await line.locator('[data-field=financed]').textContent(), yuan(tier.financed));
    }
    await officer.click(`[data-testid=scf-programmes] tr[data-core="${programmes.items.find((o) => o.programme.coreEnterpriseId === core)!.coreEnterpriseName}"] [data-testid=scf-open-programme]`);
    await officer.waitForSelector(`[data-testid=scf-receivables] tr >> text=${awaiting.invoiceNo}`);
    await officer.screenshot({ path: `${SCREENSHOTS}/supply-chain-officer.png`, fullPage: true });

    // The dashboard tile, for management.
    const management = await login('management', 1440);
    await management.waitForSelector('[data-testid=scf-tile]');
    assert.equal(await text(management, '[data-testid=scf-tile-financed]'), yuan(sum(tiers.items.map((t) => t.financed))));
    assert.equal(await text(management, '[data-testid=scf-tile-outstanding]'), yuan(sum(tiers.items.map((t) => t.outstanding))));
    await management.locator('[data-testid=scf-tile]').screenshot({ path: `${SCREENSHOTS}/supply-chain-dashboard-tile.png` });
    assert.deepEqual(pageErrors, []);
  });

  it('each face fits a 390 px phone', async () => {
    const corePage = await login('core-enterprise', 390);
    await corePage.waitForSelector('[data-testid=core-owed]');
    await fitsWidth(corePage, 390);
    await corePage.screenshot({ path: `${SCREENSHOTS}/supply-chain-core-phone.png`, fullPage: true });
    const supplierPage = await login('borrower', 390);
    await supplierPage.goto(`${sprout.base}/certificates`);
    await supplierPage.waitForSelector('[data-testid=supplier-certificates]');
    const held = supplierPage.locator('[data-testid=supplier-certificates] [data-status=held] [data-testid=supplier-quote]');
    if ((await held.count()) > 0) {
      await held.first().click();
      await supplierPage.waitForSelector('[data-testid=supplier-quote-box], [data-testid=supplier-quote-refused]');
    }
    await fitsWidth(supplierPage, 390);
    await supplierPage.screenshot({ path: `${SCREENSHOTS}/supply-chain-supplier-phone.png`, fullPage: true });
    const officer = await login('risk-officer', 390);
    await officer.goto(`${sprout.base}/supply-chain`);
    await officer.waitForSelector('[data-testid=scf-programmes] [data-testid=scf-open-programme]');
    await fitsWidth(officer, 390);
    await officer.screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-phone.png`, fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
