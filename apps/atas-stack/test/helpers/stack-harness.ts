import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startStack, type Stack } from '../../src/index.js';
import { freePort } from '../../../../packages/server/test/helpers/free-port.js';

export { axeViolations, screenshot } from '../../../../packages/client/test/helpers/page-checks.js';

/** The whole of ATAS on free ports and a fresh data folder, with the demo seeded. */
export async function startTestStack(): Promise<{ stack: Stack; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atas-stack-'));
  const stack = await startStack({
    dataDir,
    webPort: await freePort(),
    apiPort: await freePort(),
    parleyPort: await freePort(),
    logLevel: process.env['ATAS_TEST_LOG_LEVEL'] ?? 'silent',
    log: process.env['ATAS_TEST_LOG_LEVEL'] === undefined ? undefined : console.log,
  });
  return {
    stack,
    cleanup: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A demo account's email and password. */
export function account(stack: Stack, email: string): { email: string; password: string } {
  const found = stack.accounts.find((a) => a.email === email);
  if (found === undefined) throw new Error(`no demo account ${email}`);
  return found;
}

/**
 * A fresh browser context (its own cookies and storage) logged in as the demo account
 * `email`; `options` such as `timezoneId` set where the browser is.
 */
export function loggedIn(
  browser: Browser,
  stack: Stack,
  email: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  return logIn(browser, stack, account(stack, email), options);
}

/** A fresh browser context logged in with `credentials` (any account, not only the demo's). */
export async function logIn(
  browser: Browser,
  stack: Stack,
  { email, password }: { email: string; password: string },
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
  const page = await context.newPage();
  await page.goto(`${stack.webUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/dashboard');
  return { context, page };
}

/** The newest email to `to` in ATAS's outbox, and the first link in it to `path` (`/invite/`). */
export async function linkFromOutbox(stack: Stack, to: string, path: string): Promise<string> {
  const emails = (await stack.api.ctx.mailer.list()) ?? [];
  const email = emails.find((e) => e.to === to);
  if (email === undefined) throw new Error(`no email to ${to} in the outbox`);
  const link = email.text.split(/\s+/).find((word) => word.startsWith(`${stack.webUrl}${path}`));
  if (link === undefined) throw new Error(`no ${path} link in the email to ${to}`);
  return link;
}

/** A fresh browser context with nobody logged in. */
export async function anonymous(
  browser: Browser,
  viewport = { width: 1280, height: 860 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  // A step that cannot happen fails with the locator's error, well before the test's timeout.
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}
