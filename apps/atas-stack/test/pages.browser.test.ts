import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
} from '../../../packages/client/test/helpers/chromium.js';
import type { Stack } from '../src/index.js';
import {
  account,
  anonymous,
  axeViolations,
  linkFromOutbox,
  loggedIn,
  screenshot,
  startTestStack,
} from './helpers/stack-harness.js';

// The pages of issue 14 beyond the main flow: accessibility (axe) of every new page, a
// phone's 390 px, Portuguese, and a password reset by email — on the seeded demo.

const WAIT_MS = 15_000;
const ORGANIZER = 'organizer@atas.example';
const SAMUEL = 'samuel@atas.example';
const PHONE = { width: 390, height: 844 };

const run = chromiumAvailable('the ATAS page tests');

describe.skipIf(!run)('ATAS pages in a browser', { timeout: 90_000 }, () => {
  let stack: Stack;
  let cleanup: () => Promise<void>;
  let browser: Browser;

  beforeAll(async () => {
    ({ stack, cleanup } = await startTestStack());
    browser = await launchChromium(30_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  it('has no accessibility violation on the sign-up, password, event, inbox and mailbox pages', async () => {
    const found: Record<string, string[]> = {};
    const { page: visitor, context: visitorContext } = await anonymous(browser);
    for (const path of ['/signup', '/forgot-password', '/invite/not-a-token', '/dev/mail']) {
      await visitor.goto(stack.webUrl + path);
      await visitor.getByRole('heading', { level: 1 }).waitFor();
      found[path] = await axeViolations(visitor);
    }
    await visitorContext.close();

    const { page, context } = await loggedIn(browser, stack, ORGANIZER);
    context.setDefaultTimeout(WAIT_MS);
    await page.getByRole('link', { name: 'ATAS Summit 2027' }).first().click();
    await page.waitForURL('**/dashboard/events/*');
    await page.getByRole('log', { name: 'Messages' }).waitFor({ timeout: WAIT_MS });
    found['event'] = await axeViolations(page);
    await page.goto(`${stack.webUrl}/dashboard/events/new`);
    await page.getByLabel('Title').waitFor();
    found['new event'] = await axeViolations(page);
    await page.goto(`${stack.webUrl}/dashboard/messages`);
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button')
      .first()
      .click();
    await page.getByRole('log', { name: 'Messages' }).waitFor({ timeout: WAIT_MS });
    found['inbox'] = await axeViolations(page);
    await context.close();
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((key) => [key, []])));
  });

  it('on a 390 px phone: the header stays on one line and the request has Details | Chat tabs', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/login`);
    await page.getByLabel('Email').fill(SAMUEL);
    await page.getByLabel('Password').fill(account(stack, SAMUEL).password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/dashboard');
    const header = await page.locator('.app-header').boundingBox();
    const brand = await page.locator('.app-header .brand').boundingBox();
    const logout = await page.getByRole('button', { name: 'Log out' }).boundingBox();
    // One line: the header is about one line high, and its first and last items share it.
    expect(header!.height).toBeLessThan(64);
    expect(Math.abs(brand!.y + brand!.height / 2 - (logout!.y + logout!.height / 2))).toBeLessThan(
      8,
    );
    expect(logout!.x + logout!.width).toBeLessThanOrEqual(PHONE.width);
    // Nothing overlaps: the main links end before the account begins.
    const messages = await page.getByRole('link', { name: 'Messages' }).boundingBox();
    const profile = await page.locator('.profile-link').boundingBox();
    expect(messages!.x + messages!.width).toBeLessThanOrEqual(profile!.x);

    await page.getByRole('link', { name: /Olivia Ortega/ }).click();
    await page.waitForURL('**/dashboard/requests/*');
    const chatTab = page.getByRole('tab', { name: 'Chat' });
    await chatTab.waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).isVisible()).toBe(false);
    await chatTab.click();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.waitFor({ timeout: WAIT_MS });
    const box = await input.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    // The title stays on top; the details wait behind their tab.
    expect(await page.getByRole('heading', { name: 'ATAS Summit 2027' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Accept' }).isVisible()).toBe(false);
    await page
      .getByRole('log', { name: 'Messages' })
      .getByText('Did you get the invitation')
      .waitFor();
    await screenshot(page, 'atas-request-phone.png');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('speaks Portuguese when chosen, and keeps the choice', async () => {
    const { page, context } = await anonymous(browser);
    await page.goto(`${stack.webUrl}/login`);
    await page.getByLabel('Language').selectOption('pt');
    await page.getByRole('heading', { name: 'Entrar' }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('html').getAttribute('lang')).toBe('pt');
    await page.getByLabel('Email').fill(ORGANIZER);
    await page.getByLabel('Palavra-passe').fill(account(stack, ORGANIZER).password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL('**/dashboard');
    await page.getByRole('heading', { name: 'Os seus eventos' }).waitFor({ timeout: WAIT_MS });
    await page.getByText('Pendente').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('resets a forgotten password through the link in the email', async () => {
    const { page, context } = await anonymous(browser);
    await page.goto(`${stack.webUrl}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByLabel('Email').fill(SAMUEL);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').getByText('is on its way').waitFor({ timeout: WAIT_MS });
    await page.goto(await linkFromOutbox(stack, SAMUEL, '/reset-password/'));
    await page.getByLabel('Password').fill('a brand new password');
    await page.getByRole('button', { name: 'Save and log in' }).click();
    await page.waitForURL('**/dashboard', { timeout: WAIT_MS });
    await page.getByRole('navigation', { name: 'Account' }).getByText('Samuel Reyes').waitFor();
    // The old password no longer works; the new one does.
    const login = (password: string) =>
      stack.api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: SAMUEL, password },
      });
    expect((await login(account(stack, SAMUEL).password)).statusCode).toBe(401);
    expect((await login('a brand new password')).statusCode).toBe(200);
    await context.close();
  });
});
