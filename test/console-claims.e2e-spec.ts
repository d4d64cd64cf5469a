// The console's claims and role-aware buttons, in Chromium: claim, release, the assignee in the queue and the case, and what each role is offered.
import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { ConsoleTab, launchChromium, openConsoleTab, screenshot, signIn } from './support/console-browser';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('claims and roles in the console', () => {
  let t: TestApp;
  let browser: Browser;
  const tabs: ConsoleTab[] = [];

  beforeAll(async () => {
    // Four eyes above 50,000 (the other cases here are 48,250), the second approval a supervisor's.
    [t, browser] = await Promise.all([startTestApp({ env: { ANALYST_TOKENS, FOUR_EYES_THRESHOLD: '50000', FOUR_EYES_SECOND_ROLE: 'supervisor' } }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    for (const tab of tabs.splice(0)) {
      expect(tab.requested.filter((url) => !url.startsWith(`${t.baseUrl}/`) && !url.startsWith('data:'))).toEqual([]);
      expect(tab.pageErrors.filter((text) => !text.startsWith('Failed to load resource'))).toEqual([]);
      await tab.close();
    }
  });

  async function held(): Promise<string> {
    const transactionId = `console-claim-${randomUUID()}`;
    expect((await postValidate(t.baseUrl, { transactionId, amount: '48250.00', currency: 'EUR', beneficiary: { name: 'Ada Lovelace', country: 'GB' } })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }

  async function openCase(token: string, transactionId: string): Promise<Page> {
    const tab = await openConsoleTab(browser);
    tabs.push(tab);
    await signIn(tab.page, t.baseUrl, token, `#/transactions/${encodeURIComponent(transactionId)}`);
    await tab.page.locator('#transaction-heading').waitFor();
    return tab.page;
  }

  it('offers the second approval of a four-eyes case only to the role FOUR_EYES_SECOND_ROLE names', async () => {
    const transactionId = `console-second-${randomUUID()}`;
    expect((await postValidate(t.baseUrl, { transactionId, amount: '60000.00', currency: 'EUR', beneficiary: { name: 'Ada Lovelace', country: 'GB' } })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    const first = await analystCall(t.baseUrl, 'POST', `/transactions/${transactionId}/decision`, { token: ANALYSTS.alice, body: { status: 'APPROVED', reason: 'First look: fine' } });
    expect(first.status).toBe(202); // accepted, awaiting the second approval

    const analyst = await openCase(ANALYSTS.bob, transactionId);
    await analyst.locator('#first-approval').waitFor();
    await expect(analyst.getByRole('button', { name: 'Approve (second analyst)' }).isDisabled()).resolves.toBe(true);
    await expect(analyst.getByRole('button', { name: 'Reject' }).isDisabled()).resolves.toBe(false);
    await expect(analyst.locator('#second-approval-role').innerText()).resolves.toBe('The second approval needs the supervisor role; you may still reject.');

    const supervisor = await openCase(ANALYSTS.sue, transactionId);
    await supervisor.locator('#first-approval').waitFor();
    await expect(supervisor.getByRole('button', { name: 'Approve (second analyst)' }).isDisabled()).resolves.toBe(false);
    await expect(supervisor.locator('#second-approval-role').count()).resolves.toBe(0);
  });

  it('claims a case and releases it, the assignee shown in the case, the queue and its filter', async () => {
    const transactionId = await held();
    const page = await openCase(ANALYSTS.alice, transactionId);
    await expect(page.locator('#whoami').innerText()).resolves.toBe('alice · analyst');
    await expect(page.locator('#claim-state').innerText()).resolves.toBe('Nobody has claimed this case.');

    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.locator('.notice', { hasText: 'You have claimed this case.' }).waitFor();
    await expect(page.locator('#claim-state').innerText()).resolves.toMatch(/^Claimed by you until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$/);
    await expect(page.getByRole('button', { name: 'Renew claim' }).isVisible()).resolves.toBe(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'transaction-claimed.png');

    await page.goto(`${t.baseUrl}/console#/queue?status=PENDING_EXTERNAL_APPROVAL&assignee=me`);
    const row = page.locator(`tbody tr[data-transaction-id="${transactionId}"]`);
    await row.waitFor();
    await expect(row.locator('.badge-claim').innerText()).resolves.toBe('Claimed: alice');
    await expect(page.locator('#filter-assignee').inputValue()).resolves.toBe('me');
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);

    await page.locator('#filter-assignee').selectOption('none');
    await page.locator('#queue-summary').waitFor();
    await expect(page.locator(`tbody tr[data-transaction-id="${transactionId}"]`).count()).resolves.toBe(0);

    await page.goto(`${t.baseUrl}/console#/transactions/${encodeURIComponent(transactionId)}`);
    await page.getByRole('button', { name: 'Release' }).click();
    await page.locator('.notice', { hasText: 'Your claim is released.' }).waitFor();
    await expect(page.locator('#claim-state').innerText()).resolves.toBe('Nobody has claimed this case.');
  });

  it("holds another analyst back from a claimed case, and lets a supervisor release the claim", async () => {
    const transactionId = await held();
    expect((await analystCall(t.baseUrl, 'POST', `/transactions/${transactionId}/claim`, { token: ANALYSTS.alice })).status).toBe(200);

    const bob = await openCase(ANALYSTS.bob, transactionId);
    await expect(bob.locator('#claim-state').innerText()).resolves.toMatch(/^Claimed by alice until .*: only they or a supervisor may decide it\.$/);
    await expect(bob.locator('#claim').count()).resolves.toBe(0);
    await expect(bob.locator('#release').count()).resolves.toBe(0);
    await expect(bob.getByRole('button', { name: 'Approve' }).isDisabled()).resolves.toBe(true);
    await expect(bob.getByRole('button', { name: 'Reject' }).isDisabled()).resolves.toBe(true);
    await expect(bob.locator('#decision-held').innerText()).resolves.toContain('alice has claimed this case');

    const sue = await openCase(ANALYSTS.sue, transactionId);
    await expect(sue.getByRole('button', { name: 'Reject' }).isDisabled()).resolves.toBe(false);
    await sue.getByRole('button', { name: "Release alice's claim" }).click();
    await sue.locator('.notice', { hasText: "alice's claim is released." }).waitFor();
    await expect(sue.getByRole('button', { name: 'Claim', exact: true }).isVisible()).resolves.toBe(true);
  });

  it('refreshes the case and says why when someone else claimed it first', async () => {
    const transactionId = await held();
    const bob = await openCase(ANALYSTS.bob, transactionId);
    expect((await analystCall(t.baseUrl, 'POST', `/transactions/${transactionId}/claim`, { token: ANALYSTS.alice })).status).toBe(200);

    await bob.getByRole('button', { name: 'Claim', exact: true }).click();
    await bob.locator('.problem', { hasText: 'Case claimed by another analyst' }).waitFor();
    await expect(bob.locator('#claim-state').innerText()).resolves.toMatch(/^Claimed by alice/);
  });

  it('offers a viewer nothing to claim, decide, note or attach', async () => {
    const transactionId = await held();
    const vic = await openCase(ANALYSTS.vic, transactionId);
    await expect(vic.locator('#whoami').innerText()).resolves.toBe('vic · viewer');
    await expect(vic.locator('#read-only').innerText()).resolves.toBe('Your role (viewer) can read this case but not claim or decide it.');
    for (const selector of ['#claim', '#release', 'form.decision', 'form.note-form', 'form.attachment-form']) {
      await expect(vic.locator(selector).count()).resolves.toBe(0);
    }
    await expect(vic.locator('#notes-empty').isVisible()).resolves.toBe(true);
  });
});
