// The console's notes, attachments and evidence pack, in Chromium: written, uploaded, downloaded and opened for printing.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { ATTACHMENT_TYPES } from '../src/domain/attachment-content';
import { ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { ConsoleTab, launchChromium, openConsoleTab, screenshot, signIn } from './support/console-browser';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('case notes, attachments and evidence in the console', () => {
  let t: TestApp;
  let browser: Browser;
  const tabs: ConsoleTab[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: { ANALYST_TOKENS } }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    for (const tab of tabs.splice(0)) {
      expect(tab.requested.filter((url) => !url.startsWith(`${t.baseUrl}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
      expect(tab.pageErrors.filter((text) => !text.startsWith('Failed to load resource'))).toEqual([]);
      await tab.close();
    }
  });

  async function openCase(token: string): Promise<{ page: Page; transactionId: string; tab: ConsoleTab }> {
    const transactionId = `console-case-${randomUUID()}`;
    expect((await postValidate(t.baseUrl, { transactionId, amount: '48250.00', currency: 'EUR', beneficiary: { name: 'Ada Lovelace', country: 'GB' } })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    const tab = await openConsoleTab(browser);
    tabs.push(tab);
    await signIn(tab.page, t.baseUrl, token, `#/transactions/${encodeURIComponent(transactionId)}`);
    await tab.page.locator('#transaction-heading').waitFor();
    return { page: tab.page, transactionId, tab };
  }

  it('adds a note, attaches a file and downloads it again, each shown in the case at once', async () => {
    const { page } = await openCase(ANALYSTS.alice);

    await page.getByLabel('New note').fill('Called the customer: <b>invoice</b> matches.\nSecond line.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.notice', { hasText: 'Note added.' }).waitFor();
    await expect(page.locator('#notes li').innerText()).resolves.toMatch(/alice[\s\S]*Called the customer: <b>invoice<\/b> matches\.\nSecond line\./);
    await expect(page.locator('#notes li b').count()).resolves.toBe(0);

    const pdf = Buffer.from('%PDF-1.7\n% console upload\n%%EOF\n');
    await page.getByLabel('File (PDF, PNG, JPEG, text or CSV)').setInputFiles({ name: 'invoice-118.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Attach' }).click();
    await page.locator('.notice', { hasText: 'invoice-118.pdf attached.' }).waitFor();
    await expect(page.locator('table.attachments tbody tr').innerText()).resolves.toMatch(/invoice-118\.pdf\s+application\/pdf\s+\d+\s+[0-9a-f]{64}\s+alice/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'invoice-118.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('invoice-118.pdf');
    expect(readFileSync((await download.path())!).equals(pdf)).toBe(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'transaction-notes.png');
  });

  it('sends a file as the type its ending names when the service accepts that ending, not as the browser guessed it', async () => {
    const { page } = await openCase(ANALYSTS.alice);
    // The console knows the service's endings, all of them and no others.
    const endings = Object.fromEntries(Object.entries(ATTACHMENT_TYPES).flatMap(([type, { extensions }]) => extensions.map((ending) => [ending, type])));
    await expect(page.evaluate(`import('/console/case-records.js').then((module) => module.ATTACHMENT_TYPE_BY_ENDING)`)).resolves.toEqual(endings);

    // As Chromium on Linux types a .log, and Chrome on Windows a .csv: types the service refuses (415).
    const files = [
      { name: 'gateway.log', mimeType: 'text/x-log', buffer: Buffer.from('2026-01-15T23:30:00Z timeout from the acquirer\n'), stored: 'text/plain' },
      { name: 'ledger.CSV', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('date,amount\n2026-01-15,48250.00\n'), stored: 'text/csv' },
    ];
    for (const { stored, ...file } of files) {
      await page.getByLabel('File (PDF, PNG, JPEG, text or CSV)').setInputFiles(file);
      await page.getByRole('button', { name: 'Attach' }).click();
      // The service's answer either way: a refusal is shown at once, rather than waited past.
      const answer = page.locator(`.notice:has-text("${file.name} attached."), .attachment-form .problem`).first();
      await expect(answer.innerText()).resolves.toBe(`${file.name} attached.`);
      await expect(page.locator('table.attachments tbody tr', { hasText: file.name }).innerText()).resolves.toMatch(new RegExp(`^${file.name.replace('.', '\\.')}\\s+${stored}\\s`));
    }
    await expect(page.locator('#attachment-file').getAttribute('accept')).resolves.toContain('.log');
  });

  it('shows the service\'s refusal of a file that is not what it says, and offers a viewer no note or file form', async () => {
    const { page } = await openCase(ANALYSTS.alice);
    await page.getByLabel('File (PDF, PNG, JPEG, text or CSV)').setInputFiles({ name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') });
    await page.getByRole('button', { name: 'Attach' }).click();
    await expect(page.locator('.attachment-form .problem').innerText()).resolves.toMatch(/not what its type says[\s\S]*declared application\/pdf/);

    // The service refuses a viewer's note (403, see the role matrix); the console does not offer one.
    const viewer = await openCase(ANALYSTS.vic);
    await expect(viewer.page.locator('#notes-empty').isVisible()).resolves.toBe(true);
    await expect(viewer.page.locator('form.note-form, form.attachment-form').count()).resolves.toBe(0);
  });

  it('opens the printable evidence pack in a new tab, styled and with nothing run', async () => {
    const { page, transactionId, tab } = await openCase(ANALYSTS.alice);
    await page.getByLabel('New note').fill('For the file');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.notice', { hasText: 'Note added.' }).waitFor();

    const [evidence] = await Promise.all([tab.context.waitForEvent('page'), page.getByRole('button', { name: 'Evidence', exact: true }).click()]);
    const errors: string[] = [];
    evidence.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await evidence.waitForLoadState();
    await expect(evidence.locator('h1').innerText()).resolves.toBe(`Evidence: transaction ${transactionId}`);
    await expect(evidence.locator('.verdict').innerText()).resolves.toMatch(/^INTACT/);
    await expect(evidence.locator('body').innerText()).resolves.toContain('Amount\t48,250 EUR');
    // The stylesheet applies (allowed by its hash), so the page prints as designed.
    await expect(evidence.evaluate('getComputedStyle(document.querySelector(".verdict")).borderTopStyle')).resolves.toBe('solid');
    expect(errors).toEqual([]);
    await screenshot(evidence, 'evidence.png');
    await evidence.close();
  });
});
