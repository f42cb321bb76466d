/**
 * The admin console in Debian's Chromium against a real Parley server (SQLite) that serves
 * it at /admin: sign-in with the app secret, the overview's figures against seeded data,
 * finding and banning a user (whose sends are then refused), and the audit log.
 * UPDATE_SCREENSHOTS=1 writes docs/images/admin-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../client/test/helpers/chromium.js';
import { axeViolations, screenshot } from '../../client/test/helpers/page-checks.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import type { TestClient } from '../../server/test/helpers/test-client.js';
import {
  SEEDED,
  WAIT,
  figure,
  goTo,
  openConsole,
  poll,
  send,
  signIn,
  startSeededServer,
} from './helpers/admin-harness.js';

const haveChromium = chromiumAvailable("the admin console's browser test");

describe.skipIf(!haveChromium)('Admin console in Chromium: overview, users, audit log', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let cy: TestClient;

  beforeAll(async () => {
    server = await startSeededServer();
    // One open connection, for the live figures.
    cy = await server.connect('cy');
    browser = await launchChromium(WAIT);
    page = await openConsole(browser, server);
  }, 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await cy?.close();
    await server?.close();
  });

  it('refuses a wrong secret, then signs in with the app secret kept in this tab only', async () => {
    await page.getByLabel('The app secret').fill('not-the-secret-but-long-enough-to-sign-with');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('token_invalid');
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page);
    const stored = await page.evaluate(() => sessionStorage.getItem('parley-admin-credential'));
    expect(stored).toContain('"kind":"secret"');
    expect(page.url()).not.toContain('secret');
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it("shows today's seeded messages, active users and channels on the overview", async () => {
    await poll(() => figure(page, 'Messages').textContent()).toBe(String(SEEDED.messages));
    expect(await figure(page, 'Active users').textContent()).toBe(String(SEEDED.activeUsers));
    expect(await figure(page, 'New channels').textContent()).toBe(String(SEEDED.newChannels));
    expect(await figure(page, 'Active today').textContent()).toBe(String(SEEDED.activeUsers));
    const busiest = page.getByRole('list').filter({ hasText: 'messaging:general' });
    await expect(busiest.textContent()).resolves.toMatch(/messaging:general\s*5 messages/);
    // The live figures come from /metrics: cy's connection, and the messages stored.
    await poll(() => figure(page, 'Open connections').textContent()).toBe('1');
    expect(await figure(page, 'Messages since start').textContent()).toBe(String(SEEDED.messages));
    await screenshot(page, 'admin-overview.png');
    // Each chart has its figures as a table too.
    await page.getByText('Messages and active users: as a table').click();
    const today = new Date().toISOString().slice(0, 10);
    await expect(
      page
        .getByRole('row', { name: new RegExp(`^${today}`) })
        .first()
        .textContent(),
    ).resolves.toBe(`${today}${SEEDED.messages}${SEEDED.activeUsers}`);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('finds a user and bans them app-wide; their sends are refused from then on', async () => {
    await goTo(page, 'Users');
    await page.getByRole('searchbox', { name: 'Name or id starts with' }).fill('be');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.getByRole('row').count()).toBe(2); // header + ben
    await page.getByRole('button', { name: 'Ban ben app-wide' }).click();
    const form = page.getByRole('form', { name: 'Ban ben' });
    await form.getByLabel('For').selectOption({ label: 'until lifted' });
    await form.getByLabel('Reason (optional)').fill('spam links');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users.png');
    await form.getByRole('button', { name: 'Ban ben' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('ben is banned.');

    const refused = await send(server, 'messaging:general', 'ben', 'let me back in');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('banned');
  });

  it('lists the ban in the audit log, found with the filters', async () => {
    await goTo(page, 'Audit log');
    await page.getByLabel('Action').selectOption('ban');
    await page.getByLabel('Target user').fill('ben');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.getByRole('row').filter({ hasText: 'spam links' });
    await expect(row.textContent()).resolves.toMatch(/banthe serverben—spam links/);
    await poll(() => page.getByRole('row').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('unbans the user from the users page; they can send again', async () => {
    await goTo(page, 'Users');
    await page.getByRole('button', { name: 'Unban ben' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('ben is no longer banned.');
    expect((await send(server, 'messaging:general', 'ben', 'sorry about that')).status).toBe(201);
  });

  it("signs in with an app admin's user token, and refuses a plain user's; the admin sees every channel and changes roles", async () => {
    const admin = await openConsole(browser, server);
    try {
      await admin.getByLabel("An admin's user token").check();
      await admin.getByLabel('User token', { exact: true }).fill(await server.tokenFor('ana'));
      await admin.getByRole('button', { name: 'Sign in' }).click();
      await poll(() => admin.getByRole('alert').textContent()).toContain(
        'This token is not an app admin’s.',
      );
      await admin.getByLabel('User token', { exact: true }).fill(await server.tokenFor('root'));
      await admin.getByRole('button', { name: 'Sign in' }).click();
      // Admins read the analytics too.
      await poll(() => figure(admin, 'New channels').textContent()).toBe(
        String(SEEDED.newChannels),
      );
      // Every channel of the app, though root is a member of none.
      await goTo(admin, 'Channels');
      await poll(() => admin.getByRole('row').count()).toBe(3); // header + 2 channels
      await admin.getByRole('link', { name: 'messaging:general' }).waitFor();
      await admin.getByRole('link', { name: 'messaging:random' }).waitFor();
      expect(await axeViolations(admin)).toEqual([]);
      // And change a role with the admin's own token.
      await goTo(admin, 'Users');
      await admin.getByRole('combobox', { name: 'Role of cy' }).selectOption('admin');
      await poll(() => admin.getByRole('status').textContent()).toBe('cy is now admin.');
      expect((await server.api('GET', '/users/cy')).body.user.role).toBe('admin');
      const audit = await server.api('GET', '/audit-log?action=user.role&target_user_id=cy');
      expect(audit.body.entries[0]).toMatchObject({ actor_id: 'root', data: { role: 'admin' } });
      expect(await axeViolations(admin)).toEqual([]);
      await admin.getByRole('combobox', { name: 'Role of cy' }).selectOption('user');
      await poll(() => admin.getByRole('status').textContent()).toBe('cy is now user.');
    } finally {
      await admin.context().close();
    }
  });

  it('works with the keyboard alone: skip link, navigation, and each new page takes the focus', async () => {
    // A fresh load (still signed in: the tab's session storage), the focus at the top.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    let name: string | null | undefined = null;
    for (let i = 0; i < 10 && name !== 'Moderation queue'; i++) {
      await page.keyboard.press('Tab');
      name = await page.evaluate(() => document.activeElement?.textContent);
    }
    expect(name).toBe('Moderation queue');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Moderation queue' }).waitFor();
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('keeps the pages accessible in the dark theme and speaks Portuguese', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    await goTo(page, 'Overview');
    await figure(page, 'Messages').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Language').selectOption('pt');
    await page.getByRole('heading', { level: 1, name: 'Visão geral' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt');
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByLabel('Theme').selectOption('light');
  });
});
