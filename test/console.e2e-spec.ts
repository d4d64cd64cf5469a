// The review console in a real browser, on the whole app, real PostgreSQL and a fake Toqio.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { launchChromium, openConsoleTab, screenshot, signIn, ConsoleTab } from './support/console-browser';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

const PAYSTACK_SECRET = 'sk_test_console_0123456789abcdef0123456789';

/** POSTs a Paystack event signed as Paystack signs (HMAC-SHA512 of the exact body). */
async function paystack(baseUrl: string, event: string, data: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ event, data });
  const response = await fetch(`${baseUrl}/webhooks/paystack`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-paystack-signature': createHmac('sha512', PAYSTACK_SECRET).update(body).digest('hex') },
    body,
  });
  expect(response.status).toBe(200);
}

const ENV = {
  ANALYST_TOKENS,
  PAYSTACK_SECRET_KEY: PAYSTACK_SECRET,
  FOUR_EYES_THRESHOLD: '50000',
  PENDING_SLA_MINUTES: '30',
  NOTIFICATION_POLL_MS: '50',
  NOTIFICATION_RETRY_BASE_MS: '50',
  NOTIFICATION_RETRY_MAX_DELAY_SECONDS: '1',
};

describe('review console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let shadowEngine: Server;
  const toqio = new FakeToqioWebhook();
  const tabs: ConsoleTab[] = [];

  beforeAll(async () => {
    await toqio.start();
    // A challenger engine for shadow mode (the generic http provider): it would reject everything.
    shadowEngine = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'REJECTED', reasons: ['<img src=x> sanctions list hit'] }));
      });
    });
    await new Promise<void>((resolve) => shadowEngine.listen(0, '127.0.0.1', resolve));
    const engineUrl = `http://127.0.0.1:${(shadowEngine.address() as AddressInfo).port}/screen`;
    [t, browser] = await Promise.all([
      startTestApp({ env: { ...ENV, TOQIO_WEBHOOK_URL: toqio.url, MONITORING_SHADOW_PROVIDER: 'http', MONITORING_HTTP_URL: engineUrl } }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await toqio.stop();
    await new Promise((resolve) => shadowEngine?.close(resolve));
  });
  afterEach(async () => {
    toqio.defaultBehaviour = 200;
    for (const tab of tabs.splice(0)) {
      // Nothing but this service was ever asked for anything: no CDN, no font, no analytics.
      expect(tab.requested.filter((url) => !url.startsWith(`${t.baseUrl}/`) && !url.startsWith('data:'))).toEqual([]);
      // Refused calls are expected in some tests; the browser logs those itself. Anything else is a bug.
      expect(tab.pageErrors.filter((text) => !text.startsWith('Failed to load resource'))).toEqual([]);
      await tab.close();
    }
  });

  async function tab(options: { timezoneId?: string } = {}): Promise<Page> {
    const opened = await openConsoleTab(browser, options);
    tabs.push(opened);
    return opened.page;
  }

  /** A payment the shipped rules hold for review (10,000 or more), created through validate. */
  async function held(options: { id?: string; amount?: string | number; currency?: string; beneficiary?: object; raw?: string } = {}): Promise<string> {
    const transactionId = options.id ?? `console-${randomUUID()}`;
    const body = options.raw ?? { transactionId, amount: options.amount ?? '12000.50', currency: options.currency ?? 'GBP', beneficiary: options.beneficiary ?? { name: 'Ada Lovelace', country: 'GB' } };
    const call = await postValidate(t.baseUrl, body);
    expect(call.body).toMatchObject({ transactionId, status: 'PENDING_EXTERNAL_APPROVAL' });
    return transactionId;
  }

  const row = (page: Page, transactionId: string) => page.locator(`tr[data-transaction-id="${transactionId}"]`);
  const openTransaction = async (page: Page, transactionId: string) => {
    await page.getByRole('link', { name: transactionId, exact: true }).click();
    await page.locator('#transaction-heading').waitFor();
  };
  /** Waits until the transaction view shows this status (after a decision's answer arrives). */
  const statusShown = (page: Page, label: string) => page.locator('#transaction-status', { hasText: new RegExp(`^${label}$`) }).waitFor();
  const delivered = (transactionId: string) => toqio.received.filter((r) => r.body.transactionId === transactionId && r.answered === 200);

  it('is served as plain files under a strict content security policy, with nothing inline and nothing from elsewhere', async () => {
    const page = await fetch(`${t.baseUrl}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe-');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script type="module" src="/console/app.js">']);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);

    const files = ['app.js', 'api.js', 'dom.js', 'json-text.js', 'queue.js', 'transaction.js', 'console.css'];
    for (const file of files) {
      const response = await fetch(`${t.baseUrl}/console/${file}`);
      expect([file, response.status]).toEqual([file, 200]);
      expect(response.headers.get('content-type')).toMatch(file.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      const text = await response.text();
      expect([file, text.match(/https?:\/\/|@import|url\(|innerHTML|outerHTML|insertAdjacentHTML|document\.write|parseFloat|Number\(/g)]).toEqual([file, null]);
    }
    const withSlash = await fetch(`${t.baseUrl}/console/`, { redirect: 'manual' });
    expect([withSlash.status, withSlash.headers.get('location')]).toEqual([301, '/console']);
    const again = await fetch(`${t.baseUrl}/console/app.js`, { headers: { 'if-none-match': (await fetch(`${t.baseUrl}/console/app.js`)).headers.get('etag')! } });
    expect(again.status).toBe(304);

    for (const path of ['/console/missing.js', '/console/..%2Fpackage.json', '/console/%2e%2e%2fsrc%2fmain.ts']) {
      const missing = await fetch(`${t.baseUrl}${path}`);
      expect([path, missing.status, missing.headers.get('content-type')]).toEqual([path, 404, expect.stringMatching(/^application\/problem\+json/)]);
    }
  });

  it('renders a queue worth a screenshot: amounts, beneficiaries, reasons, ages, overdue and four-eyes badges', async () => {
    const ids = [
      await held({ id: 'PAY-2026-11-0001', amount: '48250.00', currency: 'EUR', beneficiary: { name: 'Nordlicht Logistik GmbH', country: 'DE' } }),
      await held({ id: 'PAY-2026-11-0002', amount: '12000.50', currency: 'GBP', beneficiary: { name: 'Ada Lovelace', country: 'GB' } }),
      await held({ id: 'PAY-2026-11-0003', amount: '75000', currency: 'USD', beneficiary: { name: 'Harbour Street Trading LLC', country: 'US' } }),
      await held({ id: 'PAY-2026-11-0004', amount: '10000.000000000000000001', currency: 'GBP', beneficiary: { name: 'Grace Hopper', country: 'GB' } }),
      await held({ id: 'ALERT-PSTK-88213', amount: '15500.00', currency: 'NGN', beneficiary: { name: 'Adebayo Stores', country: 'NG' } }),
      await held({ id: 'PAY-2026-11-0005', amount: '31000.00', currency: 'GOLD', beneficiary: { name: 'Vault Holdings', country: 'CH' } }),
    ];
    // Held for a while: two beyond the 30-minute SLA. The inbound alert stands in for one a payment provider raised.
    await t.db.query(`UPDATE review_cases SET opened_at = now() - (interval '1 minute' * (200 - 30 * array_position($1::text[], transaction_id))) WHERE transaction_id = ANY($1)`, [ids]);
    await t.db.query(`UPDATE transactions SET direction = 'INBOUND' WHERE id = $1`, ['ALERT-PSTK-88213']);
    await t.db.query(`UPDATE review_cases SET direction = 'INBOUND' WHERE transaction_id = $1`, ['ALERT-PSTK-88213']);
    expect((await decide(t.baseUrl, 'PAY-2026-11-0003', 'alice', 'APPROVED', 'Invoice and contract match')).status).toBe(202);

    const page = await tab();
    await signIn(page, t.baseUrl, ANALYSTS.bob);

    const queue = await analystCall(t.baseUrl, 'GET', '/transactions?limit=10', { token: ANALYSTS.bob });
    const first = queue.body.items[0];
    expect(first).toMatchObject({ transactionId: 'PAY-2026-11-0001', overdue: true });
    await expect(row(page, 'PAY-2026-11-0001').locator('td').allInnerTexts()).resolves.toEqual([
      '', // the selection's checkbox
      '2 h 50 min',
      'PAY-2026-11-0001',
      'Outbound',
      '48,250 EUR', // grouped for reading from the exact text the API gave
      'Nordlicht Logistik GmbH · DE',
      first.reasons[0],
      expect.stringMatching(/^Pending review\s+Overdue$/),
    ]);
    expect(first.amount).toBe('48250');
    await expect(row(page, 'PAY-2026-11-0004').locator('td.num').innerText()).resolves.toBe('10,000.000000000000000001 GBP');
    await expect(row(page, 'PAY-2026-11-0004').locator('td.num .amount').getAttribute('data-amount')).resolves.toBe('10000.000000000000000001');
    await expect(row(page, 'ALERT-PSTK-88213').locator('td.direction').innerText()).resolves.toBe('Inbound');
    await expect(row(page, 'PAY-2026-11-0003').locator('td.state').innerText()).resolves.toMatch(/1st approval: alice/);
    await expect(row(page, 'PAY-2026-11-0005').locator('td.state').innerText()).resolves.not.toMatch(/Overdue/);
    await expect(page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-transaction-id')))).resolves.toEqual(ids);
    await screenshot(page, 'queue.png');
  });

  it('signs in with a token kept in session storage and never in an address, and signs out', async () => {
    const page = await tab();
    await page.goto(`${t.baseUrl}/console`);
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('token');

    await page.getByLabel('Analyst token').fill('not-a-token-of-anyone');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^Unauthorized\s+An analyst token is required/);
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);

    await page.getByLabel('Analyst token').fill(ANALYSTS.carol);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    // The token, and beside it only the time of the last action (for the idle sign-out).
    await expect(page.evaluate('Object.keys(sessionStorage).sort()')).resolves.toEqual(['tm-console.analyst-token', 'tm-console.last-active']);
    await expect(page.evaluate(`sessionStorage.getItem('tm-console.analyst-token')`)).resolves.toBe(ANALYSTS.carol);
    await expect(page.evaluate(`sessionStorage.getItem('tm-console.last-active')`)).resolves.toMatch(/^\d+$/);
    await page.reload();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
    const opened = tabs[tabs.length - 1]!;
    expect(opened.requested.some((url) => url.includes(ANALYSTS.carol) || url.includes('not-a-token'))).toBe(false);
    expect(page.url()).not.toContain(ANALYSTS.carol);
  });

  it('signs out a tab left alone for 30 minutes, and one the browser brings back after longer', async () => {
    const page = await tab();
    await page.clock.install();
    await signIn(page, t.baseUrl, ANALYSTS.bob);
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.clock.fastForward('29:00');
    await page.keyboard.press('Tab'); // any key press or click starts the 30 minutes again
    await page.clock.fastForward('29:00');
    await expect(page.locator('#sign-out').isVisible()).resolves.toBe(true);
    await page.clock.fastForward('02:00');
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/^Signed out after 30 minutes without activity\s+Sign in again/);
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);

    // Session storage as a browser restores it: the token, and the last action 31 minutes ago.
    const restored = await tab();
    await signIn(restored, t.baseUrl, ANALYSTS.bob);
    await restored.evaluate(`sessionStorage.setItem('tm-console.last-active', String(Date.now() - 31 * 60000))`);
    await restored.reload();
    await expect(restored.getByRole('alert').innerText()).resolves.toMatch(/^Signed out after 30 minutes without activity/);
    await expect(restored.evaluate('sessionStorage.length')).resolves.toBe(0);
  });

  it('shows a held transaction in full and approves it; the fake Toqio receives the decision and the view shows it delivered', async () => {
    const transactionId = `console-${randomUUID()}`;
    await held({
      id: transactionId,
      raw: `{"transactionId":"${transactionId}","amount":12000.123456789012345678,"currency":"GBP","reference":"INV-2026-118",` +
        `"beneficiary":{"name":"Ada Lovelace","iban":"GB33BUKB20201555555555","country":"GB"},"riskTags":["<b>new payee</b>"],"extra":{"n":0.1234567890123456789}}`,
    });
    const page = await tab();
    await signIn(page, t.baseUrl, ANALYSTS.alice);
    await expect(row(page, transactionId).locator('td.num').innerText()).resolves.toBe('12,000.123456789012345678 GBP');

    await openTransaction(page, transactionId);
    await expect(page.locator('#transaction-status').innerText()).resolves.toBe('Pending review');
    const payload = await page.locator('pre.payload').innerText();
    expect(payload).toContain('"amount": 12000.123456789012345678');
    expect(payload).toContain('"n": 0.1234567890123456789');
    expect(payload).toContain('"<b>new payee</b>"'); // shown as text, never as markup
    await expect(page.locator('pre.payload b').count()).resolves.toBe(0);
    await expect(page.getByRole('region', { name: 'Provider verdict', exact: true }).innerText()).resolves.toMatch(/rules[\s\S]*DECIDED[\s\S]*at or above the review threshold/);
    await expect(page.getByRole('region', { name: 'Decision history' }).locator('tbody tr').count()).resolves.toBe(1);

    await page.getByLabel('Reason (required)').fill('Invoice INV-2026-118 matches; customer confirmed by phone');
    const clickedAt = Date.now();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await toqio.waitFor(() => delivered(transactionId).length > 0, 10_000);
    const webhook = delivered(transactionId)[0]!;
    console.log(`[console figures] click-to-webhook: ${webhook.receivedAt - clickedAt} ms (Approve clicked until the fake Toqio received the decision)`);
    expect(webhook.body).toMatchObject({ transactionId, status: 'APPROVED', reason: 'Invoice INV-2026-118 matches; customer confirmed by phone', decidedBy: 'alice' });

    await expect(page.locator('.notice').innerText()).resolves.toMatch(/^Approved\./);
    await expect(page.locator('#transaction-status').innerText()).resolves.toBe('Approved');
    const notification = page.locator(`article[data-notification-id="${String(webhook.headers['idempotency-key'])}"]`);
    await notification.locator('.notification-state', { hasText: 'Delivered' }).waitFor();
    await expect(notification.locator('table.attempts tbody tr').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^1\s.*\sDELIVERED\s+200/)]);
    await expect(page.getByRole('region', { name: 'Decision history' }).locator('tbody tr').nth(1).innerText()).resolves.toMatch(
      /alice\s+Analyst\s+Approved\s+Invoice INV-2026-118 matches/,
    );
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'transaction.png');
  });

  it('insists on a reason, and shows the service\'s own field errors when it refuses one', async () => {
    const transactionId = await held();
    const page = await tab();
    await signIn(page, t.baseUrl, ANALYSTS.alice, `#/transactions/${transactionId}`);
    await page.locator('#transaction-heading').waitFor();

    await page.getByRole('button', { name: 'Reject' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/A reason is required/);
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('decision-reason');

    await page.getByLabel('Reason (required)').fill('x'.repeat(1001));
    await page.getByRole('button', { name: 'Reject' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/Invalid request[\s\S]*reason: reason must be at most 1000 characters/);
    const opened = tabs[tabs.length - 1]!;
    expect(opened.requested.filter((url) => url.endsWith('/decision'))).toHaveLength(1);
    const [state] = await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [transactionId]);
    expect(state).toEqual({ state: 'PENDING_EXTERNAL_APPROVAL' });
  });

  it('takes a four-eyes approval from two analysts, showing who approved first and not offering the second approval to the same one', async () => {
    const transactionId = await held({ amount: '60000.00', beneficiary: { name: 'Harbour Street Trading LLC', country: 'US' } });
    const alice = await tab();
    await signIn(alice, t.baseUrl, ANALYSTS.alice, `#/transactions/${transactionId}`);
    await alice.locator('#transaction-heading').waitFor();
    await alice.getByLabel('Reason (required)').fill('Contract and invoice match');
    await alice.getByRole('button', { name: 'Approve', exact: true }).click();

    await expect(alice.locator('.notice').innerText()).resolves.toMatch(/four eyes: a second, different analyst must approve/);
    await expect(alice.locator('#transaction-status').innerText()).resolves.toBe('Pending review');
    await expect(alice.locator('#first-approval').innerText()).resolves.toMatch(/Approved first by alice at/);

    // The service would refuse her second approval (409): the console does not offer it, and says why.
    const again = alice.getByRole('button', { name: 'Approve (second analyst)' });
    await expect(again.isDisabled()).resolves.toBe(true);
    await expect(alice.locator('#second-approval-mine').innerText()).resolves.toBe('You gave the first approval: the second must come from a different analyst. You may still reject.');
    await expect(again.getAttribute('aria-describedby')).resolves.toBe('second-approval-mine');
    await expect(alice.getByRole('button', { name: 'Reject' }).isEnabled()).resolves.toBe(true);
    // Names compare as the service compares them: one analyst in any case or Unicode form.
    await expect(alice.evaluate(`import('/console/principal.js').then((m) => [m.sameAnalyst('ＡＬＩＣＥ', 'alice'), m.sameAnalyst('Alice', 'alice'), m.sameAnalyst('alice', 'alicia')])`)).resolves.toEqual([true, true, false]);
    await alice.evaluate('window.scrollTo(0, 0)');
    await screenshot(alice, 'transaction-four-eyes.png');
    expect(delivered(transactionId)).toHaveLength(0);

    const bob = await tab();
    await signIn(bob, t.baseUrl, ANALYSTS.bob);
    await expect(row(bob, transactionId).locator('td.state').innerText()).resolves.toMatch(/1st approval: alice/);
    await openTransaction(bob, transactionId);
    await bob.getByLabel('Reason (required)').fill('Second look: fine');
    await bob.getByRole('button', { name: 'Approve (second analyst)' }).click();
    await statusShown(bob, 'Approved');
    await toqio.waitFor(() => delivered(transactionId).length > 0);
    expect(delivered(transactionId)[0]!.body).toMatchObject({ status: 'APPROVED', decidedBy: 'alice, bob', reason: 'Second look: fine' });
  });

  it('says plainly when another analyst decided first, and refreshes the view to what is true now', async () => {
    const transactionId = await held();
    const page = await tab();
    await signIn(page, t.baseUrl, ANALYSTS.alice, `#/transactions/${transactionId}`);
    await page.locator('#transaction-heading').waitFor();
    await page.getByLabel('Reason (required)').fill('Looks fine to me');

    expect((await decide(t.baseUrl, transactionId, 'bob', 'REJECTED', 'Beneficiary on an internal watch list')).status).toBe(200);
    await page.getByRole('button', { name: 'Approve', exact: true }).click();

    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/Transaction no longer pending[\s\S]*refreshed to show the transaction as it is now/);
    await expect(page.locator('#transaction-status').innerText()).resolves.toBe('Rejected');
    await expect(page.getByRole('region', { name: 'Decision history' }).locator('tbody tr').nth(1).innerText()).resolves.toMatch(/bob\s+Analyst\s+Rejected\s+Beneficiary on an internal watch list/);
    await expect(page.locator('form.decision').count()).resolves.toBe(0);
    await toqio.waitFor(() => delivered(transactionId).length > 0);
    expect(delivered(transactionId).map((r) => r.body.decidedBy)).toEqual(['bob']);
  });

  it('redelivers a dead notification from the transaction view', async () => {
    toqio.defaultBehaviour = 500;
    const transactionId = await held();
    const decided = await decide(t.baseUrl, transactionId, 'alice', 'APPROVED', 'Documents checked');
    const notificationId = decided.body.notifications[0].id as string;
    await toqio.waitFor(() => toqio.arrived.some((r) => r.idempotencyKey === notificationId));
    await t.db.query(`UPDATE toqio_notifications SET queued_at = now() - interval '73 hours' WHERE id = $1`, [notificationId]);
    for (let deadline = Date.now() + 15_000; ; ) {
      const detail = await analystCall(t.baseUrl, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.bob });
      if (detail.body.notifications[0].state === 'DEAD') break;
      if (Date.now() > deadline) throw new Error('the notification never died');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    toqio.defaultBehaviour = 200;

    const page = await tab();
    await signIn(page, t.baseUrl, ANALYSTS.carol, `#/transactions/${transactionId}`);
    const notification = page.locator(`article[data-notification-id="${notificationId}"]`);
    await expect(notification.locator('.notification-state').innerText()).resolves.toBe('Dead');
    await expect(notification.innerText()).resolves.toMatch(/Last error\s+.*500/);
    await notification.getByRole('button', { name: 'Redeliver to Toqio' }).click();

    await expect(page.locator('.notice').innerText()).resolves.toMatch(/Queued again for delivery/);
    await notification.locator('.notification-state', { hasText: 'Delivered' }).waitFor();
    await expect(notification.innerText()).resolves.toMatch(/Redelivered by\s+carol/);
    expect(toqio.deliveredKeys().get(notificationId)).toBe(1);
  });

  it('filters the queue by direction and status, keeping the filters (and nothing secret) in the address', async () => {
    const outbound = await held();
    // Money received that the rules hold (25,000 NGN): an inbound alert, as Paystack would cause one.
    const reference = `alert-${randomUUID()}`;
    await paystack(t.baseUrl, 'charge.success', { id: Date.now(), reference, amount: 2_500_000, currency: 'NGN', status: 'success', channel: 'card' });
    const inbound = `paystack:${reference}`;
    await readUntil(() => t.db.query(`SELECT 1 FROM review_cases WHERE transaction_id = $1`, [inbound]), (rows) => rows.length > 0, 5_000);
    const approved = await held();
    expect((await decide(t.baseUrl, approved, 'carol', 'APPROVED', 'fine')).status).toBe(200);

    const page = await tab();
    await signIn(page, t.baseUrl, ANALYSTS.alice);
    const shown = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-transaction-id')));
    const settle = () => page.locator('.results:not([aria-busy])').waitFor();
    // Signing in shows the page before the queue's first answer: read the rows once it has come.
    await settle();
    await page.locator(`tbody tr[data-transaction-id="${outbound}"]`).waitFor();
    expect(await shown()).toEqual(expect.arrayContaining([outbound, inbound]));
    expect(await shown()).not.toContain(approved);

    await page.getByLabel('Direction').selectOption('INBOUND');
    await settle();
    expect(await shown()).toContain(inbound);
    expect(await shown()).not.toContain(outbound);
    await expect(page.locator('tbody tr td.direction').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['Inbound']));
    expect(new Set(await page.locator('tbody tr td.direction').allInnerTexts())).toEqual(new Set(['Inbound']));

    await page.getByLabel('Direction').selectOption('OUTBOUND');
    await settle();
    expect(await shown()).toContain(outbound);
    expect(await shown()).not.toContain(inbound);

    await page.getByLabel('Status').selectOption('APPROVED');
    await settle();
    expect(await shown()).toContain(approved);
    expect(await shown()).not.toContain(outbound);
    expect(new URL(page.url()).hash).toBe('#/queue?status=APPROVED&direction=OUTBOUND');

    await page.reload();
    await settle();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('APPROVED');
    expect(await shown()).toContain(approved);
  });

  it('counts how long a decided case was held up to its decision, not up to now', async () => {
    const transactionId = await held();
    expect((await decide(t.baseUrl, transactionId, 'alice', 'APPROVED', 'fine')).status).toBe(200);
    // Held five hours ago, decided ninety minutes after.
    await t.db.query(`UPDATE review_cases SET opened_at = now() - interval '5 hours', decided_at = now() - interval '210 minutes' WHERE transaction_id = $1`, [transactionId]);
    const page = await tab();
    await signIn(page, t.baseUrl, ANALYSTS.alice, `#/queue?status=APPROVED&q=${transactionId}`);
    await expect(row(page, transactionId).locator('td.age').innerText()).resolves.toBe('1 h 30 min');
    await expect(row(page, transactionId).locator('td.age span').getAttribute('title')).resolves.toMatch(/^Held from \S+ until \S+$/);
  });

  it('shows shadow verdicts and linked payment events when the detail carries them, as text and exact amounts', async () => {
    const transactionId = await held({ amount: '12000.500000000000000001' });
    // Real payment events: Paystack reports the transfer made for this transaction, then a late, older one.
    const transfer = { reference: transactionId, transfer_code: 'TRF_console1', amount: 1_200_050, currency: 'NGN' };
    await paystack(t.baseUrl, 'transfer.success', { ...transfer, status: 'success' });
    await paystack(t.baseUrl, 'transfer.failed', { ...transfer, status: 'failed' });
    const page = await tab();
    // The shadow challenger answers off the hot path; wait until its verdict is stored.
    await readUntil(() => analystCall(t.baseUrl, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice }), (detail) => detail.body.shadowVerdicts?.length > 0, 5_000);
    await signIn(page, t.baseUrl, ANALYSTS.alice, `#/transactions/${transactionId}`);

    const shadow = page.getByRole('region', { name: 'Shadow provider verdicts' });
    await expect(shadow.locator('tbody tr').innerText()).resolves.toMatch(/^http\s+Rejected\s+<img src=x> sanctions list hit\s+\d+ ms/);
    await expect(shadow.locator('img').count()).resolves.toBe(0);
    const events = page.getByRole('region', { name: 'Payment events' }).locator('tbody tr');
    await expect(events.nth(0).innerText()).resolves.toMatch(/paystack\s+transfer\.success\s+success\s+12,000\.5 NGN\s+Transfer .* success\s+APPLIED/);
    await expect(events.nth(1).innerText()).resolves.toMatch(/transfer\.failed\s+failed\s+12,000\.5 NGN\s+.*\s+STALE/);
    // The whole line: the time is an element of its own, shown as text, never "[object HTMLTimeElement]".
    await expect(page.locator('.payments li').innerText()).resolves.toMatch(new RegExp(`^transfer:${transactionId} \\(paystack\\): SETTLED — success, \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC$`));
    await expect(page.locator('.payments li time').getAttribute('datetime')).resolves.toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expect(page.locator('#transaction-status').innerText()).resolves.toBe('Pending review');
  });

  it('shows every time in UTC, saying so, in a browser elsewhere: the day shown is the day the date filter finds', async () => {
    const transactionId = await held();
    // Held at 23:30 UTC: 12:30 the next day in Auckland (UTC+13 in January).
    await t.db.query(`UPDATE review_cases SET opened_at = '2026-01-15T23:30:00Z' WHERE transaction_id = $1`, [transactionId]);
    const page = await tab({ timezoneId: 'Pacific/Auckland' });
    await signIn(page, t.baseUrl, ANALYSTS.alice, `#/transactions/${transactionId}`);
    await expect(page.evaluate('new Date("2026-01-15T23:30:00Z").getDate()')).resolves.toBe(16);
    const heldSince = page.locator('dt:text-is("Held since") + dd time');
    await expect(heldSince.innerText()).resolves.toBe('2026-01-15 23:30:00 UTC');
    await expect(heldSince.getAttribute('datetime')).resolves.toBe('2026-01-15T23:30:00.000Z');

    await page.getByRole('link', { name: '← Back to the queue' }).click();
    await page.getByLabel('Search', { exact: true }).fill(transactionId);
    await page.getByLabel('Held from (UTC day)').fill('2026-01-15');
    await page.getByLabel('Held before (UTC day)').fill('2026-01-16');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/from=2026-01-15/);
    await page.locator('.results:not([aria-busy])').waitFor();
    await expect(page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-transaction-id')))).resolves.toEqual([transactionId]);
  });

  it('can be worked with the keyboard alone: sign in, open a case, reject it', async () => {
    const transactionId = await held();
    const page = await tab();
    await page.goto(`${t.baseUrl}/console`);
    await page.keyboard.type(ANALYSTS.bob);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();

    await tabUntil(page, (el) => el.tag === 'A' && el.text === transactionId);
    await page.keyboard.press('Enter');
    await page.locator('#transaction-heading').waitFor();
    await tabUntil(page, (el) => el.id === 'decision-reason');
    await page.keyboard.type('Customer could not confirm the payee');
    await tabUntil(page, (el) => el.tag === 'BUTTON' && el.text === 'Reject');
    await page.keyboard.press('Enter');

    await statusShown(page, 'Rejected');
    await expect(page.evaluate('document.activeElement?.className')).resolves.toMatch(/notice/);
  });
});

interface Focused {
  tag: string;
  id: string;
  text: string;
}

/** Presses Tab until the focused element is the one wanted, at most 150 times. */
async function tabUntil(page: Page, matches: (focused: Focused) => boolean): Promise<void> {
  for (let presses = 0; presses < 150; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<Focused>(`({
      tag: document.activeElement?.tagName ?? '',
      id: document.activeElement?.id ?? '',
      text: document.activeElement?.textContent ?? '',
    })`);
    if (matches(focused)) return;
  }
  throw new Error('Tab never reached the element');
}
