import { mkdtempSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
} from '../../../packages/client/test/helpers/chromium.js';
import type { Stack } from '../src/index.js';
import { axeViolations, loggedIn, startTestStack } from './helpers/stack-harness.js';

// ATAS end to end, as its testing guide asks: the real Parley server, the real ATAS API and
// the built Next.js app, driven in Debian's Chromium with two users in two browser contexts.

const ORGANIZER = 'organizer@atas.example';
const SAMUEL = 'samuel@atas.example';
const PRIYA = 'priya@atas.example';
const WAIT_MS = 15_000;
/** Written with UPDATE_SCREENSHOTS=1; otherwise the shot goes to a temporary folder. */
const SCREENSHOT = fileURLToPath(
  new URL('../../../docs/images/atas-request-page.png', import.meta.url),
);

const run = chromiumAvailable('the ATAS end-to-end tests');

// Steps wait up to 15 s each; a test has several, so 90 s on a busy machine.
describe.skipIf(!run)('ATAS in a browser', { timeout: 90_000 }, () => {
  let stack: Stack;
  let cleanup: () => Promise<void>;
  let browser: Browser;
  let organizer: Page;
  let speaker: Page;
  let requestUrl: string;

  beforeAll(async () => {
    ({ stack, cleanup } = await startTestStack());
    browser = await launchChromium(30_000);
    organizer = (await loggedIn(browser, stack, ORGANIZER)).page;
    speaker = (await loggedIn(browser, stack, SAMUEL)).page;
    // Both open Samuel's request from their dashboards.
    await organizer.getByRole('link', { name: /Samuel Reyes/ }).click();
    await organizer.waitForURL('**/dashboard/requests/**');
    requestUrl = organizer.url();
    await speaker.getByRole('link', { name: /Olivia Ortega/ }).click();
    await speaker.waitForURL(requestUrl);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  const log = (page: Page) => page.getByRole('log', { name: 'Messages' });
  const input = (page: Page) => page.getByRole('textbox', { name: 'Message' });

  it('shows the request, its details and the migrated history in the live chat', async () => {
    await organizer.getByRole('heading', { name: 'ATAS Summit 2027' }).waitFor();
    await log(organizer).getByText('Did you get the invitation for the Summit?').waitFor({
      timeout: WAIT_MS,
    });
    await log(speaker).getByText('I will confirm here once my travel is booked.').waitFor({
      timeout: WAIT_MS,
    });
    expect(await speaker.getByTestId('status').textContent()).toBe('Pending');
    expect(await speaker.getByRole('button', { name: 'Accept' }).isVisible()).toBe(true);
    // The organizer does not answer the invitation.
    expect(await organizer.getByRole('button', { name: 'Accept' }).count()).toBe(0);
  });

  it('has no accessibility violation on the login, dashboard and request pages', async () => {
    const page = await organizer.context().newPage();
    await page.goto(`${stack.webUrl}/dashboard`);
    await page.getByRole('list', { name: 'Requests' }).waitFor();
    const dashboard = await axeViolations(page);
    await page.goto(requestUrl);
    await log(page).getByText('Did you get the invitation for the Summit?').waitFor();
    const request = await axeViolations(page);
    await page.close();
    const anonymous = await browser.newPage();
    await anonymous.goto(`${stack.webUrl}/login`);
    const login = await axeViolations(anonymous);
    await anonymous.close();
    expect({ login, dashboard, request }).toEqual({ login: [], dashboard: [], request: [] });
  });

  it('delivers a message live, shows typing while the organizer types and the read receipt', async () => {
    const text = 'Your slot is confirmed: day one, 10:00.';
    await speaker.evaluate(() => ((window as any).marker = 'same page'));
    await input(organizer).click();
    await input(organizer).pressSequentially(text.slice(0, 12), { delay: 40 });
    await speaker
      .locator('.parley-typing')
      .getByText('Olivia Ortega is typing…')
      .waitFor({ timeout: WAIT_MS });
    await input(organizer).pressSequentially(text.slice(12));
    const sentAt = Date.now();
    await input(organizer).press('Enter');
    await log(speaker).getByText(text).waitFor({ timeout: WAIT_MS });
    const deliveredMs = Date.now() - sentAt;
    console.log(`ATAS e2e: message shown in the other window ${deliveredMs} ms after Enter`);
    // No reload: the speaker's page is the same document (the marker set before survives).
    expect(await speaker.evaluate(() => (window as any).marker)).toBe('same page');
    // The speaker has the page open with the message in view: the organizer sees "Seen".
    await log(organizer).locator('.parley-seen').waitFor({ timeout: WAIT_MS });
    expect(await log(speaker).getByText(text).count()).toBe(1);
  });

  it('answers: the speaker accepts and both see the status line in the chat', async () => {
    await speaker.getByRole('button', { name: 'Accept' }).click();
    await speaker.getByTestId('status').getByText('Accepted').waitFor({ timeout: WAIT_MS });
    await log(organizer)
      .locator('.parley-message-system')
      .getByText('Samuel Reyes accepted the invitation')
      .waitFor({ timeout: WAIT_MS });
    // The organizer's page follows without a reload.
    await organizer.getByTestId('status').getByText('Accepted').waitFor({ timeout: WAIT_MS });
  });

  it('renders the request page (screenshot for the README)', async () => {
    await organizer.emulateMedia({ reducedMotion: 'reduce' });
    await organizer.evaluate('document.fonts.ready');
    const path =
      process.env.UPDATE_SCREENSHOTS === '1'
        ? SCREENSHOT
        : join(mkdtempSync(join(tmpdir(), 'atas-shot-')), 'atas-request-page.png');
    await organizer.screenshot({ path, animations: 'disabled' });
    const { size } = await stat(path);
    expect(size).toBeGreaterThan(10_000);
    console.log(`ATAS request page screenshot: ${path} (${Math.round(size / 1024)} kB)`);
  });

  it('dashboard: pending first, and a live unread count for a conversation not open', async () => {
    const dashboard = await organizer.context().newPage();
    await dashboard.goto(`${stack.webUrl}/dashboard`);
    const rows = dashboard.getByRole('list', { name: 'Requests' }).getByRole('listitem');
    // Samuel accepted: Priya's pending invitation comes first now.
    expect(await rows.nth(0).textContent()).toContain('Priya Nair');
    expect(await rows.nth(0).textContent()).toContain('Pending');
    expect(await rows.nth(1).textContent()).toContain('Accepted');

    // The speaker writes while the organizer looks at the dashboard, not the conversation.
    await organizer.goto(`${stack.webUrl}/dashboard`);
    const text = 'Travel booked, see you in Lisbon!';
    await input(speaker).fill(text);
    await input(speaker).press('Enter');
    await rows.nth(1).getByLabel('1 unread').waitFor({ timeout: WAIT_MS });
    await dashboard.close();
    await organizer.goto(requestUrl);
    await log(organizer).getByText(text).waitFor({ timeout: WAIT_MS });
  });

  it('Parley stopped: "Chat unavailable" with the legacy log; restarted: the chat returns and a queued message arrives once', async () => {
    await stack.parley.stop();
    const alert = organizer.getByRole('alert').filter({ hasText: 'Chat unavailable' });
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.textContent()).toContain('cannot be reached');
    expect(await alert.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    const legacy = organizer.getByRole('region', { name: 'Earlier messages (read-only)' });
    await legacy.getByText('Did you get the invitation for the Summit?').waitFor({
      timeout: WAIT_MS,
    });
    await speaker
      .getByRole('alert')
      .filter({ hasText: 'Chat unavailable' })
      .waitFor({ timeout: WAIT_MS });

    // Written while the chat is down: queued and shown as sending.
    const queued = `Written while the chat was down ${Date.now()}`;
    await input(organizer).fill(queued);
    await input(organizer).press('Enter');
    await log(organizer).getByText(queued).waitFor({ timeout: WAIT_MS });
    await log(organizer).getByText('Sending…').waitFor({ timeout: WAIT_MS });

    await stack.parley.start();
    await alert.waitFor({ state: 'detached', timeout: 30_000 });
    await log(speaker).getByText(queued).waitFor({ timeout: 30_000 });
    await log(organizer).getByText('Sending…').waitFor({ state: 'detached', timeout: WAIT_MS });
    // Once: on both screens, and in what Parley stored (a reload shows the stored history).
    expect(await log(speaker).getByText(queued).count()).toBe(1);
    expect(await log(organizer).getByText(queued).count()).toBe(1);
    await speaker.reload();
    await log(speaker).getByText(queued).waitFor({ timeout: WAIT_MS });
    expect(await log(speaker).getByText(queued).count()).toBe(1);
  });

  it("a speaker cannot open another speaker's request, nor its chat channel", async () => {
    const { context, page } = await loggedIn(browser, stack, PRIYA);
    await page.goto(requestUrl);
    await page.getByRole('heading', { name: 'Not found' }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByText('Did you get the invitation').count()).toBe(0);
    const id = requestUrl.split('/').pop()!;
    // Through the API (the web app's proxy, with Priya's session cookie) …
    const invitation = await context.request.get(`${stack.webUrl}/api/v1/invitations/${id}`);
    expect(invitation.status()).toBe(404);
    expect((await invitation.json()).error.code).toBe('invitation_not_found');
    const chat = await context.request.get(`${stack.webUrl}/api/v1/invitations/${id}/chat`);
    expect(chat.status()).toBe(404);
    // … and in Parley, with Priya's own chat token.
    const row = await stack.api.ctx.invitations.findById(id);
    const access = await (await context.request.get(`${stack.webUrl}/api/v1/chat/token`)).json();
    const refused = await fetch(
      `${access.url}/channels/request/legacy_${row!.conversation_uuid}/messages`,
      { headers: { authorization: `Bearer ${access.token}`, 'x-api-key': access.api_key } },
    );
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe('not_member');

    // Her own profile she may change; the header follows.
    await page.goto(`${stack.webUrl}/dashboard/profile`);
    await page.getByLabel('Name').fill('Priya N. Nair');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved.').waitFor({ timeout: WAIT_MS });
    await page
      .getByRole('navigation', { name: 'Account' })
      .getByText('Priya N. Nair')
      .waitFor({ timeout: WAIT_MS });

    // The session ends between the page and its chat token: off to the login page.
    await page.route('**/api/v1/chat/token', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'session_expired', message: 'expired' } }),
      }),
    );
    await page.goto(`${stack.webUrl}/dashboard`);
    await page.waitForURL('**/login?**', { timeout: WAIT_MS });
    expect(new URL(page.url()).searchParams.get('next')).toBe('/dashboard');
    await page.getByText('Your session has ended').waitFor({ timeout: WAIT_MS });
    await context.close();
  });
});
