/**
 * Supply-chain finance in a real browser against `sprout serve` with a small demo book (two core
 * enterprises, three tiers of suppliers, src/demo/demo-supply-chain.ts): the core enterprise
 * confirms its supplier's invoice after seeing what it commits to; the supplier (the demo borrower)
 * sees the cost of financing the certificate, equal to the API's quote, and finances it; the officer
 * console and the dashboard tile show the API's figures. The supplier splits another certificate
 * (the remainder shown live) and transfers a part to a programme supplier found by credit code, each
 * after a confirmation whose figures equal what the API then holds, a double tap moving it once; the
 * officer sees the certificate's chain of holders from the receivables list and picks a programme's
 * core enterprise by searching. At 1440 and 390 px; screenshots go to
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
  holderId: string;
  holderName?: string;
  tier: number;
  receivableId: string;
  coreEnterpriseId: string;
}
interface Transferee {
  enterpriseId: string;
  name: string;
  creditCode: string | null;
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
  programme: { id: string; coreEnterpriseId: string; status: string; suspendedReason: string | null; limit: string; advanceRate: string };
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

  it('the supplier splits a certificate and transfers a part, each once for a double tap; the officer sees the chain and picks a core enterprise by search', async () => {
    const supplier = (await sprout.api<Me>('borrower', 'GET', '/v1/me')).enterpriseIds[0]!;
    const held = await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`);
    const whole = held.items.find((c) => c.status === 'held');
    assert.ok(whole, 'the demo leaves the borrower a held certificate');
    const face = BigInt(whole.faceAmount.replace('.', ''));
    const fenText = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
    const first = fenText((face / 300n) * 100n);
    const rest = fenText(face - (face / 300n) * 100n);
    assert.equal(sum([first, rest]), whole.faceAmount);

    // 1. Split: the remainder follows what is typed; the confirmation lists the parts; a double tap splits once.
    const page = await login('borrower', 1440);
    await page.goto(`${sprout.base}/certificates`);
    const row = `[data-testid=supplier-certificates] tr[data-certificate="${whole.id}"]`;
    await page.click(`${row} [data-testid=supplier-split]`);
    await page.waitForSelector('[data-testid=supplier-split-box]');
    assert.equal(await text(page, '[data-testid=split-remainder]'), yuan(whole.faceAmount));
    await page.locator('[data-testid=split-part]').first().fill(first);
    assert.equal(await text(page, '[data-testid=split-remainder]'), yuan(rest));
    assert.ok(await page.locator('[data-testid=split-review]').isDisabled(), 'no review before the parts sum to the face');
    await page.locator('[data-testid=split-part]').nth(1).fill(sum([rest, '1.00']));
    assert.equal(await text(page, '[data-testid=split-remainder-line]'), '超出票面 ¥1.00');
    await page.locator('[data-testid=split-part]').nth(1).fill('');
    await page.click('[data-testid=split-rest]');
    assert.equal(await text(page, '[data-testid=split-remainder]'), '¥0.00');
    await page.click('[data-testid=split-review]');
    assert.deepEqual(await page.locator('[data-testid=split-parts] [data-field=part]').allTextContents(), [yuan(first), yuan(rest)]);
    assert.equal((await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`)).items.find((c) => c.id === whole.id)?.status, 'held', 'nothing moves before the confirmation');
    await page.screenshot({ path: `${SCREENSHOTS}/supply-chain-supplier-split.png`, fullPage: true });
    await page.locator('[data-testid=split-confirm]').evaluate((button: { click: () => void }) => {
      button.click();
      button.click();
    });
    assert.equal(await text(page, '[data-testid=supplier-split-done]'), '已拆分为 2 份');
    const afterSplit = (await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`)).items.filter((c) => c.invoiceNo === whole.invoiceNo);
    assert.deepEqual(afterSplit.map((c) => c.faceAmount).sort(), [first, rest].sort(), 'the API holds the parts the page showed, split once');
    const part = afterSplit.find((c) => c.faceAmount === first)!;
    await page.waitForSelector(`[data-testid=supplier-certificates] tr[data-certificate="${part.id}"]`);

    // 2. Transfer the first part to a programme supplier found by its credit code; a double tap transfers once.
    const candidates = (await sprout.api<{ items: Transferee[] }>('borrower', 'GET', `/v1/supply-chain/certificates/${part.id}/transferees`)).items;
    const to = candidates.find((c) => c.creditCode !== null)!;
    assert.ok(to, 'the programme has another supplier with a credit code');
    await page.click(`[data-testid=supplier-certificates] tr[data-certificate="${part.id}"] [data-testid=supplier-transfer]`);
    await page.waitForSelector('[data-testid=supplier-transfer-box]');
    assert.equal(await page.locator('[data-testid=transfer-pick]').count(), candidates.length);
    await page.fill('[data-testid=transfer-search]', to.creditCode!);
    assert.equal(await page.locator('[data-testid=transfer-pick]').count(), 1);
    await page.click('[data-testid=transfer-pick]');
    assert.equal(await text(page, '[data-testid=transfer-to]'), to.name);
    assert.equal(await text(page, '[data-testid=transfer-code]'), to.creditCode);
    assert.equal(await text(page, '[data-testid=transfer-face]'), yuan(first));
    await page.screenshot({ path: `${SCREENSHOTS}/supply-chain-supplier-transfer.png`, fullPage: true });
    await page.locator('[data-testid=transfer-confirm]').evaluate((button: { click: () => void }) => {
      button.click();
      button.click();
    });
    assert.equal(await text(page, '[data-testid=supplier-transfer-done]'), `已转让给 ${to.name} ${yuan(first)}`);
    await page.waitForSelector(`[data-testid=supplier-certificates] tr[data-certificate="${part.id}"]`, { state: 'detached' });
    const tree = (await sprout.api<{ items: Certificate[] }>('risk-officer', 'GET', `/v1/supply-chain/receivables/${whole.receivableId}/certificates`)).items;
    assert.deepEqual(tree.map((c) => [c.tier, c.faceAmount, c.status]), [[1, whole.faceAmount, 'split'], [1, first, 'transferred'], [2, first, 'held'], [1, rest, 'held']], 'one split, one transfer');
    const moved = tree.find((c) => c.tier === 2)!;
    assert.equal(moved.holderId, to.enterpriseId);
    const chain = (await sprout.api<{ items: Certificate[] }>('risk-officer', 'GET', `/v1/supply-chain/certificates/${moved.id}/chain`)).items;
    assert.deepEqual(chain.map((c) => c.holderName), [chain[0]!.holderName, chain[0]!.holderName, to.name]);

    // 3. The officer opens the receivable's certificates from the list and sees the moved part's chain.
    const officer = await login('risk-officer', 1440);
    await officer.goto(`${sprout.base}/supply-chain`);
    await officer.waitForSelector('[data-testid=scf-programmes] [data-testid=scf-open-programme]');
    const programmes = await sprout.api<{ items: Overview[] }>('risk-officer', 'GET', '/v1/supply-chain/programmes');
    const mine = programmes.items.find((o) => o.programme.coreEnterpriseId === whole.coreEnterpriseId)!;
    await officer.click(`[data-testid=scf-programmes] tr[data-core="${mine.coreEnterpriseName}"] [data-testid=scf-open-programme]`);
    await officer.click(`[data-testid=scf-receivables] tr[data-invoice="${whole.invoiceNo}"] [data-testid=scf-trace]`);
    await officer.waitForSelector('[data-testid=scf-tree] tbody tr');
    assert.equal(await officer.locator('[data-testid=scf-tree] tbody tr').count(), tree.length);
    await officer.click(`[data-testid=scf-tree] tr[data-certificate="${moved.id}"] [data-testid=scf-chain-open]`);
    await officer.waitForSelector('[data-testid=scf-chain] [data-field=link]');
    assert.deepEqual(await officer.locator('[data-testid=scf-chain] [data-field=link]').evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { holder: string } }).dataset.holder)), chain.map((c) => c.holderName));
    assert.deepEqual(await officer.locator('[data-testid=scf-chain] [data-field=link]').allTextContents(), ['第1级 · ' + chain[0]!.holderName + ` · ${yuan(whole.faceAmount)} · 已拆分`, '第1级 · ' + chain[1]!.holderName + ` · ${yuan(first)} · 已转让`, '第2级 · ' + to.name + ` · ${yuan(first)} · 持有`]);
    await officer.evaluate('window.scrollTo(0, 0)'); // else the sticky header is drawn where the page was scrolled to
    await officer.screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-chain.png`, fullPage: true });

    // 4. A new programme's core enterprise, picked by searching its name, shown in the confirmation.
    await officer.fill('[data-testid=scf-core-search]', mine.coreEnterpriseName.slice(0, 3));
    await officer.click(`[data-testid=scf-core-results] [data-testid=scf-core-pick] >> text=${mine.coreEnterpriseName}`);
    await officer.waitForSelector('[data-testid=scf-core-picked]');
    await officer.fill('input[name=limit]', '1000000.00');
    await officer.fill('input[name=startsOn]', '2027-01-01');
    await officer.fill('input[name=endsOn]', '2028-12-31');
    await officer.fill('input[name=supplierLimit]', '300000.00');
    await officer.fill('input[name=industryLimit]', '1000000.00');
    await officer.click('[data-testid=scf-programme-check]');
    assert.ok((await text(officer, '[data-testid=scf-programme-core]')).startsWith(mine.coreEnterpriseName));
    await officer.locator('[data-testid=scf-programme-form]').screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-new-programme.png` });
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
    const split = supplierPage.locator('[data-testid=supplier-certificates] [data-status=held] [data-testid=supplier-split]');
    assert.ok((await split.count()) > 0, 'a held certificate to split');
    await split.first().click();
    await supplierPage.waitForSelector('[data-testid=supplier-split-box]');
    await supplierPage.locator('[data-testid=split-part]').first().fill('1000.00');
    await fitsWidth(supplierPage, 390);
    await supplierPage.locator('[data-testid=supplier-split-box]').screenshot({ path: `${SCREENSHOTS}/supply-chain-supplier-split-phone.png` });
    await supplierPage.locator('[data-testid=supplier-certificates] [data-status=held] [data-testid=supplier-transfer]').first().click();
    await supplierPage.waitForSelector('[data-testid=transfer-pick]');
    await supplierPage.locator('[data-testid=transfer-pick]').first().click();
    await supplierPage.waitForSelector('[data-testid=transfer-confirm-box]');
    await fitsWidth(supplierPage, 390);
    await supplierPage.locator('[data-testid=supplier-transfer-box]').screenshot({ path: `${SCREENSHOTS}/supply-chain-supplier-transfer-phone.png` });
    const officer = await login('risk-officer', 390);
    await officer.goto(`${sprout.base}/supply-chain`);
    await officer.waitForSelector('[data-testid=scf-programmes] [data-testid=scf-open-programme]');
    await fitsWidth(officer, 390);
    await officer.screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-phone.png`, fullPage: true });
    const supplier = (await sprout.api<Me>('borrower', 'GET', '/v1/me')).enterpriseIds[0]!;
    const paper = (await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${supplier}`)).items.find((c) => c.invoiceNo.endsWith('-S2'))!;
    const core = (await sprout.api<{ items: Overview[] }>('risk-officer', 'GET', '/v1/supply-chain/programmes')).items.find((o) => o.programme.coreEnterpriseId === paper.coreEnterpriseId)!;
    await officer.click(`[data-testid=scf-programmes] tr[data-core="${core.coreEnterpriseName}"] [data-testid=scf-open-programme]`);
    await officer.locator(`[data-testid=scf-receivables] tr[data-invoice="${paper.invoiceNo}"] [data-testid=scf-trace]`).click();
    await officer.locator('[data-testid=scf-tree] tr[data-status=held] [data-testid=scf-chain-open]').first().click();
    await officer.waitForSelector('[data-testid=scf-chain] [data-field=link]');
    await fitsWidth(officer, 390);
    await officer.locator('[data-testid=scf-chain]').screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-chain-phone.png` });
    assert.deepEqual(pageErrors, []);
  });
  it('the officer suspends and resumes a programme after a confirmation, and proposes a change of its terms for a second person', async () => {
    const me = (await sprout.api<Me>('borrower', 'GET', '/v1/me')).enterpriseIds;
    const all = (await sprout.api<{ items: Overview[] }>('risk-officer', 'GET', '/v1/supply-chain/programmes')).items;
    // The programme the demo borrower does not supply, so the other tests' papers are untouched.
    const borrowerCores = new Set((await sprout.api<{ items: Certificate[] }>('borrower', 'GET', `/v1/supply-chain/certificates?holderId=${me[0]}`)).items.map((c) => c.coreEnterpriseId));
    const target = all.find((o) => !borrowerCores.has(o.programme.coreEnterpriseId)) ?? all[all.length - 1]!;
    const byApi = async () => (await sprout.api<{ items: Overview[] }>('risk-officer', 'GET', '/v1/supply-chain/programmes')).items.find((o) => o.programme.id === target.programme.id)!;
    const officer = await login('risk-officer', 1440);
    await officer.goto(`${sprout.base}/supply-chain`);
    await officer.click(`[data-testid=scf-programmes] tr[data-core="${target.coreEnterpriseName}"] [data-testid=scf-open-programme]`);
    await officer.waitForSelector('[data-testid=scf-programme-manage]');

    // Suspend: the confirmation says what stops and what runs on; nothing changes until it is confirmed.
    await officer.fill('input[name=status-reason]', '核心企业评级下调');
    await officer.click('[data-testid=scf-status-check]');
    assert.equal(await text(officer, '[data-testid=scf-status-change]'), '生效 → 暂停');
    assert.equal((await byApi()).programme.status, 'active');
    await officer.locator('[data-testid=scf-programme-manage]').screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-suspend.png` });
    await officer.click('[data-testid=scf-status-confirm-button]');
    await officer.waitForSelector('[data-testid=scf-status-done]');
    assert.deepEqual([(await byApi()).programme.status, (await byApi()).programme.suspendedReason], ['suspended', '核心企业评级下调']);
    await officer.waitForSelector('[data-testid=scf-suspended-reason]');
    assert.equal(await text(officer, '[data-testid=scf-programme-status]'), '暂停');

    // Resume.
    await officer.fill('input[name=status-reason]', '评级恢复');
    await officer.click('[data-testid=scf-status-check]');
    assert.equal(await text(officer, '[data-testid=scf-status-change]'), '暂停 → 生效');
    await officer.click('[data-testid=scf-status-confirm-button]');
    await officer.waitForSelector('[data-testid=scf-suspended-reason]', { state: 'detached' });
    assert.deepEqual([(await byApi()).programme.status, (await byApi()).programme.suspendedReason], ['active', null]);

    // A change of terms: previewed term by term, proposed for a second person, the limit unchanged until confirmed.
    const raised = sum([target.limit, '1000000.00']);
    await officer.fill('input[name=change-limit]', raised);
    await officer.fill('input[name=change-advanceRate]', '80');
    await officer.fill('input[name=change-reason]', '年度复审');
    await officer.click('[data-testid=scf-change-check]');
    await officer.waitForSelector('[data-testid=scf-change-terms] tbody tr');
    assert.deepEqual(await officer.locator('[data-testid=scf-change-terms] tbody tr').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { term: string } }).dataset.term)), ['limit', 'advanceRate']);
    assert.equal(await text(officer, '[data-testid=scf-change-terms] tr[data-term=limit] [data-field=to]'), yuan(raised));
    await officer.locator('[data-testid=scf-programme-manage]').screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-change.png` });
    await officer.click('[data-testid=scf-change-propose]');
    await officer.waitForSelector('[data-testid=scf-change-sent]');
    assert.equal((await byApi()).programme.limit, target.limit);
    const queue = await sprout.api<{ items: { id: string; kind: string; proposal: { amount: string; current: string } }[] }>('credit-approver', 'GET', '/v1/book/approvals');
    const request = queue.items.find((item) => item.kind === 'scf.programme-change')!;
    assert.deepEqual([request.proposal.amount, request.proposal.current], [raised, target.limit]);
    await sprout.api('credit-approver', 'POST', `/v1/approvals/${request.id}/decision`, { decision: 'approve' });
    assert.deepEqual([(await byApi()).programme.limit, (await byApi()).programme.advanceRate], [raised, '80.00']);

    // At 390 px the management panel fits the phone.
    const phone = await login('risk-officer', 390);
    await phone.goto(`${sprout.base}/supply-chain`);
    await phone.click(`[data-testid=scf-programmes] tr[data-core="${target.coreEnterpriseName}"] [data-testid=scf-open-programme]`);
    await phone.waitForSelector('[data-testid=scf-programme-manage]');
    await phone.fill('input[name=status-reason]', '核心企业评级下调');
    await phone.click('[data-testid=scf-status-check]');
    await fitsWidth(phone, 390);
    await phone.locator('[data-testid=scf-programme-manage]').screenshot({ path: `${SCREENSHOTS}/supply-chain-officer-manage-phone.png` });
    assert.deepEqual(pageErrors, []);
  });
});
