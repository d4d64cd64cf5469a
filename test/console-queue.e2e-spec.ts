// The review console's queue under a full load: 1,000 held transactions, their first page and every page after it.
import { Browser, Page } from 'playwright-core';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { launchChromium, openConsoleTab, signIn, ConsoleTab } from './support/console-browser';
import { postValidate, startTestApp, TestApp } from './support/test-app';

const HELD = 1_000;
const PAGE_SIZE = 50;

describe('review console: a queue of 1,000 held transactions', () => {
  let t: TestApp;
  let browser: Browser;
  let tab: ConsoleTab;
  let page: Page;
  /** Every held id, in the API's queue order (oldest first). */
  let queueOrder: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: { ANALYST_TOKENS } }), launchChromium()]);
    // Through validate, as Toqio would send them, 25 at a time; the shipped rules hold 10,000 or more.
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let i = next++; i < HELD; i = next++) {
          const transactionId = `bulk-${String(i).padStart(4, '0')}`;
          const call = await postValidate(t.baseUrl, { transactionId, amount: `${10_000 + i}.${String(i % 100).padStart(2, '0')}`, currency: 'EUR', beneficiary: { name: `Payee ${i}`, country: 'FR' } });
          if (call.body.status !== 'PENDING_EXTERNAL_APPROVAL') throw new Error(`${transactionId}: ${JSON.stringify(call.body)}`);
        }
      }),
    );
    console.log(`[console figures] ${HELD} held transactions created through validate in ${Date.now() - started} ms`);
    queueOrder = [];
    for (let cursor: string | null = null; ; ) {
      const call = await analystCall(t.baseUrl, 'GET', `/transactions?status=PENDING_EXTERNAL_APPROVAL&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: ANALYSTS.alice });
      queueOrder.push(...call.body.items.map((item: { transactionId: string }) => item.transactionId));
      cursor = call.body.nextCursor;
      if (!cursor) break;
    }
    expect(queueOrder).toHaveLength(HELD);
    tab = await openConsoleTab(browser);
    page = tab.page;
  }, 180_000);
  afterAll(async () => {
    await tab?.close();
    await browser?.close();
    await t?.close();
  });

  const shownIds = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-transaction-id')));
  const onPage = (n: number) => page.locator('.page-number', { hasText: new RegExp(`^Page ${n}$`) }).waitFor();

  it('renders the first page of the queue (oldest first), and says how long it took', async () => {
    await signIn(page, t.baseUrl, ANALYSTS.alice);
    await page.locator('tbody tr').nth(PAGE_SIZE - 1).waitFor();

    // A fresh load of the console by a signed-in analyst: the page, its modules, the API call, the table.
    const started = Date.now();
    await page.reload();
    await page.locator('tbody tr').nth(PAGE_SIZE - 1).waitFor();
    const wallMs = Date.now() - started;
    const inPageMs = await page.evaluate<number>(`performance.getEntriesByName('tm-console:queue-rendered')[0].startTime`);
    console.log(`[console figures] first page of ${HELD} pending: ${wallMs} ms from reload to 50 rows shown (${Math.round(inPageMs)} ms after navigation start, measured in the page)`);

    expect(await shownIds()).toEqual(queueOrder.slice(0, PAGE_SIZE));
    await expect(page.locator('#queue-summary').innerText()).resolves.toBe('50 cases on page 1, oldest first; more on the next pages.');
    await expect(page.getByRole('button', { name: 'Previous page' }).isDisabled()).resolves.toBe(true);
  });

  it('pages through all 1,000 in order, and back', async () => {
    const seen: string[] = [...((await shownIds()) as string[])];
    for (let n = 2; n <= HELD / PAGE_SIZE; n += 1) {
      await page.getByRole('button', { name: 'Next page' }).click();
      await onPage(n);
      seen.push(...((await shownIds()) as string[]));
    }
    expect(seen).toEqual(queueOrder);
    await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('#queue-summary').innerText()).resolves.toBe('50 cases on page 20, oldest first.');

    await page.getByRole('button', { name: 'Previous page' }).click();
    await onPage(19);
    expect(await shownIds()).toEqual(queueOrder.slice(18 * PAGE_SIZE, 19 * PAGE_SIZE));
    await page.goBack();
    await onPage(20);
    expect(await shownIds()).toEqual(queueOrder.slice(19 * PAGE_SIZE));

    await page.getByRole('button', { name: 'First page' }).click();
    await onPage(1);
    expect(await shownIds()).toEqual(queueOrder.slice(0, PAGE_SIZE));
    expect(tab.requested.filter((url) => !url.startsWith(`${t.baseUrl}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(tab.pageErrors).toEqual([]);
  });
});
