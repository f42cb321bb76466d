import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_SECRET, TestServer } from '../../../server/test/helpers/test-server.js';

export { TEST_SECRET };

/** Upper bound of any single wait: generous for a loaded CI machine. */
export const WAIT = 15_000;

/** expect.poll with that bound (its own default, 1 s, is short for a busy machine). */
export function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: WAIT });
}

/**
 * The seeded world every console test starts from, sent today through the REST API:
 * messaging:general (ana, ben, cy) with 3 messages by ana and 2 by ben, messaging:random
 * (ben, cy) with 1 by cy; root is an app admin. So today: 6 messages by 3 active users in
 * 2 new channels, general the busiest.
 */
export const SEEDED = { messages: 6, activeUsers: 3, newChannels: 2 } as const;

export async function startSeededServer(): Promise<TestServer> {
  const server = await TestServer.start('sqlite');
  await server.createUsers('ana', 'ben', 'cy');
  await server.api('POST', '/users', { body: { users: [{ id: 'root', role: 'admin' }] } });
  await server.createChannel('messaging', 'general', ['ana', 'ben', 'cy'], 'ana');
  await server.createChannel('messaging', 'random', ['ben', 'cy'], 'ben');
  const lines: [string, string, string][] = [
    ['general', 'ana', 'Welcome, everyone'],
    ['general', 'ben', 'Thanks! Glad to be here'],
    ['general', 'ana', 'The keynote starts at ten'],
    ['general', 'ben', 'Buy cheap watches at spam.example'],
    ['general', 'ana', 'Please keep it on topic'],
    ['random', 'cy', 'Anyone for lunch?'],
  ];
  for (const [channel, user, text] of lines) {
    await send(server, `messaging:${channel}`, user, text);
  }
  return server;
}

/** Sends a message as `user` with their own token (what their app would do). */
export async function send(server: TestServer, cid: string, user: string, text: string) {
  const [type, id] = cid.split(':');
  return server.api('POST', `/channels/${type}/${id}/messages`, {
    token: await server.tokenFor(user),
    body: { text },
  });
}

/** A fresh browser context (its own session storage) on the console's sign-in page. */
export async function openConsole(browser: Browser, server: TestServer): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[admin] page error:', err));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error('[admin] console:', msg.text());
  });
  await page.goto(`${server.url}/admin`);
  return page;
}

/** Signs in with the app secret and waits for the overview. */
export async function signIn(page: Page, secret = TEST_SECRET): Promise<void> {
  await page.getByLabel('The app secret').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/** Goes to a page of the console by its navigation link and waits for its heading. */
export async function goTo(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** The value shown for a figure (`<dt>label</dt><dd>value</dd>`). */
export function figure(page: Page, label: string) {
  const term = page.locator('dt').filter({ hasText: new RegExp(`^${label}$`) });
  return page.locator('.admin-stat').filter({ has: term }).locator('dd');
}
