// Debian's chromium driven by playwright-core, for the review console's browser suites.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

export const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ConsoleTab {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the page asked for, in order: the console must fetch nothing from elsewhere. */
  readonly requested: string[];
  /** Uncaught errors and console.error output of the page. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** A fresh tab (own session storage) at a laptop's viewport. */
export async function openConsoleTab(browser: Browser): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const requested: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return { context, page, requested, pageErrors, close: () => context.close() };
}

/** Signs in through the form, as an analyst would, and waits for the queue. */
export async function signIn(page: Page, baseUrl: string, token: string, hash = ''): Promise<void> {
  await page.goto(`${baseUrl}/console${hash}`);
  await page.getByLabel('Analyst token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#sign-out').waitFor({ state: 'visible' });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, name), fullPage: true });
}
