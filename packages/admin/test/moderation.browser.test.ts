/**
 * The admin console's moderation in Debian's Chromium against a real Parley server: the
 * queue shows a flagged message in its context; deleting it or dismissing a flag takes
 * the flag out of the queue (and into the audit log); a channel is frozen from its page,
 * after which its members' sends are refused. axe checks every page.
 * UPDATE_SCREENSHOTS=1 writes docs/images/admin-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../client/test/helpers/chromium.js';
import { axeViolations, screenshot } from '../../client/test/helpers/page-checks.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import {
  WAIT,
  goTo,
  openConsole,
  poll,
  send,
  signIn,
  startSeededServer,
} from './helpers/admin-harness.js';

const haveChromium = chromiumAvailable("the admin console's moderation browser test");

describe.skipIf(!haveChromium)('Admin console in Chromium: moderation queue and channels', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let spamId: string;

  /** A member flags a message, with their own token. */
  async function flag(user: string, messageId: string, reason: string): Promise<string> {
    const res = await server.api('POST', '/moderation/flag', {
      token: await server.tokenFor(user),
      body: { message_id: messageId, reason },
    });
    expect(res.status).toBe(201);
    return res.body.flag.id as string;
  }

  const card = (text: string) => page.getByRole('listitem').filter({ hasText: text }).first();

  beforeAll(async () => {
    server = await startSeededServer();
    const history = await server.api('GET', '/channels/messaging/general/messages?limit=10');
    const byText = (text: string) =>
      (history.body.messages as { id: string; text: string }[]).find((m) => m.text === text)!.id;
    spamId = byText('Buy cheap watches at spam.example');
    await flag('ana', spamId, 'selling watches');
    const lunch = await send(server, 'messaging:random', 'cy', 'lunch at noon, who is in');
    await flag('ben', lunch.body.message.id as string, 'off topic');
    browser = await launchChromium(WAIT);
    page = await openConsole(browser, server);
    await signIn(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.close();
  });

  it('shows each flagged message in its context, with the reason and who flagged it', async () => {
    await goTo(page, 'Moderation queue');
    const spam = card('selling watches');
    await spam.getByRole('heading', { name: 'A message by ben' }).waitFor();
    const context = spam.getByRole('list', {
      name: 'The flagged message and the messages before it',
    });
    const texts = await context.locator('.admin-message-text').allTextContents();
    expect(texts).toEqual([
      'Welcome, everyone',
      'Thanks! Glad to be here',
      'The keynote starts at ten',
      'Buy cheap watches at spam.example',
    ]);
    expect(await spam.textContent()).toContain('Flagged by ana');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-moderation.png');
  });

  it('deletes a flagged message: the flag leaves the queue, resolved as actioned', async () => {
    await card('selling watches').getByRole('button', { name: 'Delete message' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe(
      'The message was deleted and the flag resolved.',
    );
    await poll(() => page.getByText('selling watches').count()).toBe(0);
    const message = await server.api('GET', `/messages/${spamId}`);
    expect(message.body.message.deleted_at).not.toBeNull();
    const resolved = await server.api('GET', '/moderation/flags?status=resolved');
    expect(resolved.body.flags).toHaveLength(1);
    expect(resolved.body.flags[0]).toMatchObject({
      reason: 'selling watches',
      resolution: 'actioned',
    });
  });

  it('dismisses a flag; the resolved list shows both', async () => {
    await card('off topic').getByRole('button', { name: 'Dismiss' }).click();
    await page.getByText('Nothing to review.').waitFor();
    await page.getByLabel('Show').selectOption('resolved');
    await card('off topic')
      .getByText(/^Dismissed by the server/)
      .waitFor();
    await card('selling watches')
      .getByText(/^Acted on by the server/)
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Show').selectOption('open');
  });

  it('records the deletion and both resolutions in the audit log', async () => {
    await goTo(page, 'Audit log');
    await poll(() => page.getByRole('row').count()).toBeGreaterThan(4);
    await screenshot(page, 'admin-audit-log.png');
    await page.getByLabel('Action').selectOption('flag.resolve');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => page.getByRole('row').count()).toBe(3);
    await page.getByLabel('Action').selectOption('message.delete');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => page.getByRole('row').filter({ hasText: 'messaging:general' }).count()).toBe(
      1,
    );
  });

  it('freezes a channel from its page; its members cannot send until it is unfrozen', async () => {
    await goTo(page, 'Channels');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'messaging:general' }).click();
    await page.getByRole('heading', { level: 1, name: 'Channel messaging:general' }).waitFor();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(await page.getByText('Message deleted').count()).toBe(1);
    await page.getByLabel('Reason (optional)').fill('cooling off');
    await page.getByRole('button', { name: 'Freeze' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('The channel is frozen.');
    await page.getByText('Frozen: read-only for its members.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-channel.png');

    const refused = await send(server, 'messaging:general', 'ana', 'hello?');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('frozen');

    await page.getByRole('button', { name: 'Unfreeze' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('The channel is open again.');
    expect((await send(server, 'messaging:general', 'ana', 'back again')).status).toBe(201);
  });
});
