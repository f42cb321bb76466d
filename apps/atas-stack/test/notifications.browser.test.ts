import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
} from '../../../packages/client/test/helpers/chromium.js';
import { waitUntil } from '../../../packages/client/test/helpers/wait.js';
import { requestChannel } from '@parley/atas-api';
import { createParleyServerClient } from '@parley/server-sdk';
import type { Stack } from '../src/index.js';
import {
  account,
  anonymous,
  axeViolations,
  loggedIn,
  startTestStack,
} from './helpers/stack-harness.js';

// Issue 13 in ATAS, on the seeded demo with no SMTP (as `npm start`): the invitation email
// in the dev mailbox leads to the request, the profile keeps notification settings in
// Parley, and desktop notifications open the conversation they are about.

const WAIT_MS = 15_000;
const ORGANIZER = 'organizer@atas.example';
const SAMUEL = 'samuel@atas.example';

const run = chromiumAvailable('the ATAS notification tests');

describe.skipIf(!run)('ATAS notifications in a browser', { timeout: 90_000 }, () => {
  let stack: Stack;
  let cleanup: () => Promise<void>;
  let browser: Browser;
  let invitation: { id: string; conversation_uuid: string; chat: { cid: string } };

  /** An API call as `email` (a demo account), through the API itself. */
  async function asUser(email: string, method: 'GET' | 'POST', url: string, payload?: object) {
    const login = await stack.api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: account(stack, email).password },
    });
    const res = await stack.api.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${login.json().session}` },
      ...(payload === undefined ? {} : { payload }),
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  beforeAll(async () => {
    ({ stack, cleanup } = await startTestStack());
    browser = await launchChromium(30_000);
    // Olivia invites Samuel (who has an account) to a new event: ATAS emails him.
    const { event } = await asUser(ORGANIZER, 'POST', '/api/v1/events', {
      title: 'Notify Conf',
      starts_at: '2031-03-01T09:00:00Z',
    });
    ({ invitation } = await asUser(ORGANIZER, 'POST', `/api/v1/events/${event.id}/invitations`, {
      speaker_email: SAMUEL,
      message: 'A talk on notifications?',
    }));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  it('shows the invitation email in the dev mailbox; its link opens the request after logging in', async () => {
    const { page, context } = await anonymous(browser);
    await page.goto(`${stack.webUrl}/dev/mail`);
    const email = page
      .getByRole('listitem')
      .filter({ hasText: 'Olivia Ortega invites you to speak at Notify Conf' });
    await email.waitFor();
    expect(await email.textContent()).toContain(`To ${SAMUEL}`);
    expect(await axeViolations(page)).toEqual([]);
    const link = email.getByRole('link', { name: /\/dashboard\/requests\// });
    expect(await link.getAttribute('href')).toBe(
      `${stack.webUrl}/dashboard/requests/${invitation.id}`,
    );
    await link.click();
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(SAMUEL);
    await page.getByLabel('Password').fill(account(stack, SAMUEL).password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`**/dashboard/requests/${invitation.id}`, { timeout: WAIT_MS });
    await page.getByRole('heading', { name: 'Notify Conf', level: 1 }).waitFor();
    await context.close();
  });

  it('saves email off and a muted conversation from the profile, and shows them after a reload', async () => {
    const { page, context } = await loggedIn(browser, stack, SAMUEL);
    context.setDefaultTimeout(WAIT_MS);
    await page.goto(`${stack.webUrl}/dashboard/profile`);
    const emailBox = page.getByLabel('Email me about messages I have not read');
    const mute = page.getByLabel('Notify Conf — with Olivia Ortega');
    await mute.waitFor(); // the settings load in the browser
    expect(await emailBox.isChecked()).toBe(true);
    expect(await mute.isChecked()).toBe(false);
    await page.getByText(`Emails go to ${SAMUEL}.`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await emailBox.uncheck();
    await mute.check();
    await page.getByRole('button', { name: 'Save notification settings' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    const samuel = await stack.api.ctx.accounts.findByEmail(SAMUEL);
    const stored = await stack.api.ctx.chat.notificationSettings(samuel!.id);
    expect(stored).toMatchObject({ email_enabled: false, muted_cids: [invitation.chat.cid] });

    await page.reload();
    await page.getByLabel('Notify Conf — with Olivia Ortega').waitFor();
    expect(await page.getByLabel('Email me about messages I have not read').isChecked()).toBe(
      false,
    );
    expect(await page.getByLabel('Notify Conf — with Olivia Ortega').isChecked()).toBe(true);
    await context.close();
  });

  it('shows a desktop notification for a message while the tab is hidden; a click opens the conversation', async () => {
    const { page, context } = await loggedIn(browser, stack, SAMUEL);
    context.setDefaultTimeout(WAIT_MS);
    await context.grantPermissions(['notifications'], { origin: stack.webUrl });
    // The test stands in for the desktop: it keeps each notification the page shows (to
    // click it) and reports the tab as hidden, which a headless browser never is.
    await page.addInitScript(`
      window.__notifications = [];
      const Real = window.Notification;
      class Kept extends Real {
        constructor(title, options) { super(title, options); window.__notifications.push(this); }
      }
      Object.defineProperty(Kept, 'permission', { get: () => Real.permission });
      Kept.requestPermission = (...args) => Real.requestPermission(...args);
      window.Notification = Kept;
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
    `);
    await page.goto(`${stack.webUrl}/dashboard/profile`);
    await page.getByRole('button', { name: 'Turn on desktop notifications' }).click();
    await page.getByText('Desktop notifications are on.').waitFor();
    // A notification is for a message that arrives live: the page's chat connection first
    // (on a busy machine it came up after the message, and nothing was shown).
    await untilOnline(stack, (await stack.api.ctx.accounts.findByEmail(SAMUEL))!.id);

    const organizerId = (await stack.api.ctx.accounts.findByEmail(ORGANIZER))!.id;
    await stack.api.ctx.chat.sendMessage(requestChannel(invitation.conversation_uuid), {
      userId: organizerId,
      text: 'Your slot is confirmed for 10:00.',
    });
    const shown = await waitForNotification(page);
    expect(shown).toEqual({ title: 'Olivia Ortega', body: 'Your slot is confirmed for 10:00.' });

    await page.evaluate('window.__notifications[0].onclick()');
    await page.waitForURL(
      (url) =>
        url.pathname === '/dashboard/messages' && url.searchParams.get('c') === invitation.chat.cid,
    );
    await page
      .getByRole('log', { name: 'Messages' })
      .getByText('Your slot is confirmed for 10:00.')
      .waitFor();
    await context.close();
  });
});

async function waitForNotification(page: Page): Promise<{ title: string; body: string }> {
  await page.waitForFunction('window.__notifications.length > 0', null, { timeout: WAIT_MS });
  return (await page.evaluate(
    '({ title: window.__notifications[0].title, body: window.__notifications[0].body })',
  )) as { title: string; body: string };
}

/** Waits until Parley counts `userId` online: a connection of theirs is up. */
async function untilOnline(stack: Stack, userId: string): Promise<void> {
  const parley = createParleyServerClient(stack.api.ctx.chat.options);
  await waitUntil(`${userId} online`, async () => (await parley.getUser(userId)).online, WAIT_MS);
}
