// The console's reconciliation page in a browser: counts, exact totals, and rows with their classes.
import { randomUUID } from 'node:crypto';
import { Browser } from 'playwright-core';
import { ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { launchChromium, openConsoleTab, screenshot, signIn, ConsoleTab } from './support/console-browser';
import { deliver, SECRET, transfer } from './support/paystack-events';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('review console: reconciliation', () => {
  let t: TestApp;
  let browser: Browser;
  let tab: ConsoleTab;
  const rejected = `rec-ui-${randomUUID()}`;
  const unsettled = `rec-ui-${randomUUID()}`;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: { PAYSTACK_SECRET_KEY: SECRET, ANALYST_TOKENS, RECONCILIATION_SETTLE_HOURS: '1' } }), launchChromium()]);
    expect((await postValidate(t.server, { transactionId: rejected, amount: '1234.56', currency: 'NGN', beneficiary: { name: 'X', country: 'KP' } })).body.status).toBe('REJECTED');
    expect((await deliver(t.server, transfer('transfer.success', rejected, `TRF_${randomUUID()}`, 123_456))).status).toBe(200);
    expect((await postValidate(t.server, { transactionId: unsettled, amount: '99.9', currency: 'GHS', beneficiary: { name: 'Y', country: 'GH' } })).body.status).toBe('APPROVED');
    await t.db.query(`UPDATE transactions SET received_at = received_at - interval '2 hours' WHERE id = $1`, [unsettled]);
    tab = await openConsoleTab(browser);
  }, 120_000);
  afterAll(async () => {
    await tab?.close();
    await browser?.close();
    await t?.close();
  });

  it('shows the classes, the rows and the exact totals of a range, and links each row to its transaction', async () => {
    const { page } = tab;
    await signIn(page, t.baseUrl, ANALYSTS.alice);
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    await page.getByRole('heading', { name: 'Reconciliation' }).waitFor();
    await page.locator('#reconciliation-summary').waitFor();

    await expect(page.locator('.class-counts li[data-class="MOVED_NOT_APPROVED"] .count').innerText()).resolves.toBe('1');
    await expect(page.locator('.class-counts li[data-class="APPROVED_NOT_SETTLED"] .count').innerText()).resolves.toBe('1');
    await expect(page.locator('table.totals tr[data-currency="NGN"]').innerText()).resolves.toMatch(/NGN\s+1\s+0\s+1234\.56\s+0\s+1234\.56/);
    await expect(page.locator('table.totals tr[data-currency="GHS"]').innerText()).resolves.toMatch(/GHS\s+1\s+99\.9\s/);
    const row = page.locator(`tr[data-key="${rejected}"]`);
    await expect(row.locator('.badge-class').innerText()).resolves.toBe('Moved, not approved');
    await expect(row.innerText()).resolves.toMatch(/SETTLED\s+1,234\.56 NGN/);
    await screenshot(page, 'reconciliation.png');

    await row.getByRole('link', { name: rejected }).click();
    await page.getByRole('heading', { name: rejected }).waitFor();
    expect(tab.pageErrors).toEqual([]);
    expect(tab.requested.every((url) => url.startsWith(t.baseUrl))).toBe(true);
  });

  it('says what is wrong with a range the API refuses', async () => {
    const { page } = tab;
    await page.goto(`${t.baseUrl}/console#/reconciliation?from=2026-01-01&to=2026-03-30`);
    await expect(page.locator('.problem, [role="alert"]').first().innerText()).resolves.toContain('31 days');
  });
});
