import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
} from '../../../packages/client/test/helpers/chromium.js';
import type { Stack } from '../src/index.js';
import { anonymous, linkFromOutbox, screenshot, startTestStack } from './helpers/stack-harness.js';

// Issue 14's "done when", end to end in Chromium against the whole stack: an organizer signs
// up, creates an event and invites a new speaker by email; the speaker joins through the
// link in the outbox and lands on the request; they chat; the speaker accepts and both are in
// the event chat; the organizer withdraws another invitation, whose log turns read-only; the
// inbox counts unread messages live.

const WAIT_MS = 15_000;
const ORGANIZER = { name: 'Nadia Organizer', email: 'nadia@org.example', password: 'nadia-secret' };
const SPEAKER = { name: 'Tomás Speaker', email: 'tomas@speak.example', password: 'tomas-secret' };
const OTHER = 'withdrawn@speak.example';
const EVENT = 'Porto Realtime Day';

const run = chromiumAvailable('the ATAS organizer end-to-end tests');

describe.skipIf(!run)('ATAS run by an organizer, in a browser', { timeout: 90_000 }, () => {
  let stack: Stack;
  let cleanup: () => Promise<void>;
  let browser: Browser;
  let organizer: Page;
  let speaker: Page;
  let eventUrl: string;
  let requestUrl: string;

  beforeAll(async () => {
    ({ stack, cleanup } = await startTestStack());
    browser = await launchChromium(30_000);
    organizer = (await anonymous(browser)).page;
    speaker = (await anonymous(browser)).page;
  }, 240_000);

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await organizer.screenshot({ path: '/tmp/atas-org-fail-organizer.png' });
    await speaker.screenshot({ path: '/tmp/atas-org-fail-speaker.png' });
  });

  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  const log = (where: Page | Locator) => where.getByRole('log', { name: 'Messages' });
  const input = (where: Page | Locator) => where.getByRole('textbox', { name: 'Message' });

  it('signs an organizer up and creates an event; an end before the start is refused', async () => {
    await organizer.goto(`${stack.webUrl}/login`);
    await organizer.getByRole('link', { name: /Create an account/ }).click();
    await organizer.waitForURL('**/signup');
    await organizer.getByLabel('Your name').fill(ORGANIZER.name);
    await organizer.getByLabel('Email').fill(ORGANIZER.email);
    await organizer.getByLabel('Password').fill(ORGANIZER.password);
    await organizer.getByRole('button', { name: 'Create account' }).click();
    await organizer.waitForURL('**/dashboard/events/new', { timeout: WAIT_MS });
    await organizer
      .getByRole('navigation', { name: 'Account' })
      .getByText(ORGANIZER.name)
      .waitFor({ timeout: WAIT_MS });

    await organizer.getByLabel('Title').fill(EVENT);
    await organizer.getByLabel('Description').fill('A day of talks on live systems.');
    await organizer.getByLabel('Venue').fill('Alfândega do Porto');
    await organizer.getByLabel('Time zone of the event').selectOption('Europe/Lisbon');
    await organizer.getByLabel('Starts').fill('2030-06-10T09:00');
    await organizer.getByLabel('Ends').fill('2030-06-10T08:00');
    await organizer.getByRole('button', { name: 'Create event' }).click();
    await organizer
      .getByRole('alert')
      .getByText('The event ends before it starts')
      .waitFor({ timeout: WAIT_MS });
    expect(await stack.api.db.selectFrom('atas_events').select('id').execute()).toHaveLength(1);

    await organizer.getByLabel('Ends').fill('2030-06-10T18:00');
    await organizer.getByRole('button', { name: 'Create event' }).click();
    await organizer.waitForURL((url) => /^\/dashboard\/events\/(?!new$)/.test(url.pathname), {
      timeout: WAIT_MS,
    });
    eventUrl = organizer.url();
    await organizer.getByRole('heading', { name: EVENT }).waitFor();
    // 09:00 in Lisbon (summer time, UTC+1) is 08:00 UTC.
    const events = await stack.api.db.selectFrom('atas_events').selectAll().execute();
    const created = events.find((e) => e.title === EVENT)!;
    expect(new Date(created.starts_at).toISOString()).toBe('2030-06-10T08:00:00.000Z');
    expect(created.time_zone).toBe('Europe/Lisbon');
    expect(await organizer.getByText('(Europe/Lisbon)').first().textContent()).toContain('9:00');
  });

  it('invites a new speaker and another address; a second invitation of the same email is refused', async () => {
    const invite = async (email: string, message: string) => {
      await organizer.getByLabel("Speaker's email").fill(email);
      await organizer.getByLabel('Message (optional)').fill(message);
      await organizer.getByRole('button', { name: 'Send invitation' }).click();
    };
    await invite(SPEAKER.email, 'Would you open the day with a keynote?');
    await organizer.getByRole('status').getByText(`Invitation sent to ${SPEAKER.email}.`).waitFor({
      timeout: WAIT_MS,
    });
    await invite(OTHER, 'A lightning talk?');
    await organizer.getByRole('status').getByText(`Invitation sent to ${OTHER}.`).waitFor({
      timeout: WAIT_MS,
    });
    const rows = organizer
      .getByRole('list', { name: 'Invitations of this event' })
      .getByRole('listitem');
    await rows.filter({ hasText: OTHER }).waitFor({ timeout: WAIT_MS });
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: SPEAKER.email }).textContent()).toContain('Pending');
    expect(await rows.filter({ hasText: SPEAKER.email }).textContent()).toContain(
      'has not joined yet',
    );

    await invite(SPEAKER.email.toUpperCase(), 'Again');
    await organizer
      .getByRole('alert')
      .getByText('This speaker is already invited to this event.')
      .waitFor({ timeout: WAIT_MS });
    expect(await rows.count()).toBe(2);
  });

  it("lets the new speaker join from the email's link and land on the request", async () => {
    const link = await linkFromOutbox(stack, SPEAKER.email, '/invite/');
    await speaker.goto(link);
    await speaker
      .getByRole('heading', { name: `${ORGANIZER.name} invites you to speak at ${EVENT}` })
      .waitFor();
    await speaker.getByLabel('Your name').fill(SPEAKER.name);
    await speaker.getByLabel('Password').fill(SPEAKER.password);
    await speaker.getByRole('button', { name: 'Join and open the invitation' }).click();
    await speaker.waitForURL('**/dashboard/requests/*', { timeout: WAIT_MS });
    requestUrl = speaker.url();
    await speaker.getByRole('heading', { name: EVENT }).waitFor();
    expect(await speaker.getByTestId('status').textContent()).toBe('Pending');

    // The link was for one use.
    const { page: again } = await anonymous(browser);
    await again.goto(link);
    await again.getByRole('alert').getByText('has been used already').waitFor({ timeout: WAIT_MS });
    await again.context().close();
  });

  it('they chat in the Communication Log', async () => {
    await organizer.goto(requestUrl);
    const hello = 'Welcome aboard! Keynote at 09:30?';
    await input(organizer).fill(hello);
    await input(organizer).press('Enter');
    await log(speaker).getByText(hello).waitFor({ timeout: WAIT_MS });
    const reply = '09:30 works for me.';
    await input(speaker).fill(reply);
    await input(speaker).press('Enter');
    await log(organizer).getByText(reply).waitFor({ timeout: WAIT_MS });
  });

  it('the speaker accepts and both see the event chat, with a pinned announcement', async () => {
    await speaker.getByRole('button', { name: 'Accept' }).click();
    await speaker.getByTestId('status').getByText('Accepted').waitFor({ timeout: WAIT_MS });

    await organizer.goto(eventUrl);
    const eventChat = organizer.getByRole('region', { name: 'Event chat' });
    // Connected first: the chat session mounts its content anew once it has a token.
    await log(eventChat).waitFor({ timeout: WAIT_MS });
    await eventChat
      .getByLabel('New announcement (pinned for everyone)')
      .fill('Doors open at 08:30.');
    await eventChat.getByRole('button', { name: 'Post announcement' }).click();
    await eventChat
      .getByRole('region', { name: 'Announcements' })
      .getByText('Doors open at 08:30.')
      .waitFor({ timeout: WAIT_MS });

    await speaker.getByRole('link', { name: 'Open the event chat' }).click();
    await speaker.waitForURL('**/dashboard/messages?c=*', { timeout: WAIT_MS });
    await log(speaker).getByText('Doors open at 08:30.').waitFor({ timeout: WAIT_MS });
    const hi = 'Hello everyone, see you in Porto!';
    await input(speaker).fill(hi);
    await input(speaker).press('Enter');
    await log(eventChat).getByText(hi).waitFor({ timeout: WAIT_MS });
    await screenshot(organizer, 'atas-event-page.png');
  });

  it('the organizer withdraws the other invitation: its log turns read-only', async () => {
    const row = organizer
      .getByRole('list', { name: 'Invitations of this event' })
      .getByRole('listitem')
      .filter({ hasText: OTHER });
    await row.getByRole('button', { name: 'Withdraw' }).click();
    await row.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await row.getByText('Withdrawn', { exact: true }).waitFor({ timeout: WAIT_MS });
    await row.getByRole('link', { name: OTHER }).click();
    await organizer.waitForURL('**/dashboard/requests/*', { timeout: WAIT_MS });
    await organizer
      .getByText('This invitation was withdrawn: the Communication Log is read-only.')
      .waitFor({ timeout: WAIT_MS });
    await organizer
      .getByText(
        `${ORGANIZER.name} withdrew the invitation. This Communication Log is now read-only.`,
      )
      .waitFor({ timeout: WAIT_MS });
    expect(await input(organizer).count()).toBe(0);
    // The invite link in that email no longer works.
    const { page } = await anonymous(browser);
    await page.goto(await linkFromOutbox(stack, OTHER, '/invite/'));
    await page.getByRole('alert').filter({ hasText: 'used already' }).waitFor({ timeout: WAIT_MS });
    await page.context().close();
  });

  it('the inbox lists every conversation and counts unread messages live', async () => {
    await speaker.goto(`${stack.webUrl}/dashboard/messages`);
    const list = speaker.getByRole('navigation', { name: 'Conversations' });
    await list.getByText(EVENT).waitFor({ timeout: WAIT_MS });
    await list.getByText(ORGANIZER.name).waitFor({ timeout: WAIT_MS });

    await organizer.goto(requestUrl);
    const text = 'Slides due on June 1st, please.';
    await input(organizer).fill(text);
    await input(organizer).press('Enter');
    const requestRow = list.getByRole('button', { name: new RegExp(ORGANIZER.name) });
    await requestRow.getByLabel('1 unread').waitFor({ timeout: WAIT_MS });
    expect(await requestRow.textContent()).toContain(text);
    // Newest first: the request just written in leads.
    const names = await list.locator('.parley-channel-name').allTextContents();
    expect(names[0]).toBe(ORGANIZER.name);
    await requestRow.click();
    await log(speaker).getByText(text).waitFor({ timeout: WAIT_MS });
    await requestRow.getByLabel('1 unread').waitFor({ state: 'detached', timeout: WAIT_MS });
    await screenshot(speaker, 'atas-inbox.png');
  });
});
