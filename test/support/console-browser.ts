// Chromium driven by playwright-core, for the review console's browser suites.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { chromiumExecutable } from './chromium-executable';

export const SCREENSHOTS_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

/** The machine has no network: nothing may try to reach Google's services. Root needs --no-sandbox. */
const OFFLINE_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  const executable = await chromiumExecutable();
  return chromium.launch({
    executablePath: executable.path,
    headless: true,
    args: [...new Set([...OFFLINE_FLAGS, ...executable.args])],
    env: executable.env ? { ...process.env, ...executable.env } : undefined,
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

/** A fresh tab (own session storage) at a laptop's viewport, in UTC unless `timezoneId` names another zone. */
export async function openConsoleTab(browser: Browser, { timezoneId = 'UTC' }: { timezoneId?: string } = {}): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB', timezoneId });
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
