import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../../../packages/client/test/helpers/chromium.js';
import type { Stack } from '../../src/index.js';
import { loggedIn, startTestStack } from './stack-harness.js';

// Two people in the Communication Log of one request, each in a browser context of their
// own (own cookies, storage and network), for the browser tests of rich messages and files.

export const ORGANIZER = 'organizer@atas.example';
export const SAMUEL = 'samuel@atas.example';
export const PRIYA = 'priya@atas.example';
/** What one step may wait for something to show in the other window. */
export const WAIT_MS = 15_000;

/** The stack and both windows, filled in by the suite's `beforeAll`. */
export interface TwoWindows {
  stack: Stack;
  browser: Browser;
  organizer: Page;
  speaker: Page;
  /** Samuel's request page, which both have open. */
  requestUrl: string;
}

/**
 * Registers the suite's set-up and tear-down: the whole stack, Chromium, the organizer and
 * Samuel logged in, both on Samuel's request with the live chat loaded. Call it inside a
 * `describe`; the returned object is filled once `beforeAll` has run.
 */
export function twoWindows(): TwoWindows {
  const windows = {} as TwoWindows;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    let stack: Stack;
    ({ stack, cleanup } = await startTestStack());
    windows.stack = stack;
    windows.browser = await launchChromium(30_000);
    windows.organizer = await openWindow(windows.browser, stack, ORGANIZER);
    windows.speaker = await openWindow(windows.browser, stack, SAMUEL);
    await windows.organizer.getByRole('link', { name: /Samuel Reyes/ }).click();
    await windows.organizer.waitForURL('**/dashboard/requests/**');
    windows.requestUrl = windows.organizer.url();
    await windows.speaker.goto(windows.requestUrl);
    for (const page of [windows.organizer, windows.speaker]) {
      await log(page).getByText('Did you get the invitation for the Summit?').waitFor();
    }
  }, 240_000);
  // Stopping the web app, the API and Parley can take a while on a loaded machine.
  afterAll(async () => {
    await windows.browser?.close();
    await cleanup?.();
  }, 60_000);
  return windows;
}

async function openWindow(browser: Browser, stack: Stack, email: string): Promise<Page> {
  const { context, page } = await loggedIn(browser, stack, email);
  // A step that cannot happen fails with the locator's error, well before the test's timeout.
  context.setDefaultTimeout(WAIT_MS);
  return page;
}

/** The conversation's message log. */
export const log = (page: Page): Locator => page.getByRole('log', { name: 'Messages' });

/** The conversation's message box. */
export const input = (page: Page): Locator =>
  page.getByRole('textbox', { name: 'Message', exact: true });

/** The thread panel. */
export const threadPanel = (page: Page): Locator =>
  page.getByRole('complementary', { name: 'Thread' });

/** The message (its `article`) in the log whose text contains `text`. */
export function message(page: Page, text: string): Locator {
  return log(page)
    .locator('article.parley-message')
    .filter({ has: page.locator('.parley-message-text', { hasText: text }) });
}

/** The same message by its id: it stays found while its text is edited. */
export async function byId(article: Locator): Promise<Locator> {
  const id = await article.getAttribute('data-message-id');
  return article.page().locator(`article[data-message-id="${id}"]`);
}

/** Edits the text of `article` (one's own message) from its actions menu. */
export async function edit(article: Locator, text: string): Promise<void> {
  const same = await byId(article);
  await act(same, 'Edit');
  const editor = same.getByRole('textbox', { name: 'Edit message' });
  await editor.fill(text);
  await editor.press('Enter');
  await editor.waitFor({ state: 'detached' });
}

/** Sends `text` from `page` and waits until it is stored (no longer "Sending…"). */
export async function say(page: Page, text: string): Promise<Locator> {
  await input(page).fill(text);
  await input(page).press('Enter');
  const sent = message(page, text);
  await sent.waitFor();
  await sent.locator('.parley-status-sending').waitFor({ state: 'detached' });
  return sent;
}

/** Opens the actions menu of `article` (with the mouse, as a reader would) and returns it. */
export async function openMenu(article: Locator): Promise<Locator> {
  await article.hover();
  await article.getByRole('button', { name: 'Message actions' }).click();
  return article.getByRole('menu');
}

/** Picks `item` ("Edit", "Pin", …) in the actions menu of `article`. */
export async function act(article: Locator, item: string): Promise<void> {
  const menu = await openMenu(article);
  await menu.getByRole('menuitem', { name: item, exact: true }).click();
}

/** The context's Parley access, as the ATAS web app gets it (`/api/v1/chat/token`). */
export async function chatAccess(
  context: BrowserContext,
  stack: Stack,
): Promise<{ url: string; token: string; api_key: string }> {
  const answer = await context.request.get(`${stack.webUrl}/api/v1/chat/token`);
  if (!answer.ok()) throw new Error(`chat token: ${answer.status()}`);
  return (await answer.json()) as { url: string; token: string; api_key: string };
}
