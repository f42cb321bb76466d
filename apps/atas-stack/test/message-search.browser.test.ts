import { requestChannel } from '@parley/atas-api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
} from '../../../packages/client/test/helpers/chromium.js';
import type { Stack } from '../src/index.js';
import { loggedIn, screenshot, startTestStack } from './helpers/stack-harness.js';

// Issue 16 in ATAS: a search box on the dashboard and in the inbox searches every
// conversation of the user; a result opens the request page (or the event chat in the inbox)
// at the message, marked. And issue 14's "one date style": the chat writes its times as the
// pages do, in the viewer's zone.

const WAIT_MS = 15_000;
const ORGANIZER = 'organizer@atas.example';
const SAMUEL = 'samuel@atas.example';
const PRIYA = 'priya@atas.example';
/** From the demo's migrated history, in Samuel's request only. */
const TRAVEL = 'Morning is fine. I will confirm here once my travel is booked.';
const HOTEL = 'Is there a hotel near the venue for the closing panel?';
const DINNER = 'The speakers dinner is by the river on Friday at eight.';

const run = chromiumAvailable('the ATAS search tests');

describe.skipIf(!run)('ATAS message search, in a browser', { timeout: 90_000 }, () => {
  let stack: Stack;
  let cleanup: () => Promise<void>;
  let browser: Browser;
  let samuelRequest: string;
  let priyaRequest: string;
  let hotel: { id: string; created_at: string };
  const pages: Page[] = [];

  beforeAll(async () => {
    ({ stack, cleanup } = await startTestStack());
    browser = await launchChromium(30_000);
    const { db, ctx } = stack.api;
    const requests = await db
      .selectFrom('atas_invitations as i')
      .innerJoin('atas_users as u', 'u.id', 'i.speaker_id')
      .select(['i.id', 'i.conversation_uuid', 'i.speaker_id', 'i.organizer_id', 'i.event_id'])
      .select('u.email')
      .execute();
    const samuel = requests.find((r) => r.email === SAMUEL)!;
    const priya = requests.find((r) => r.email === PRIYA)!;
    samuelRequest = samuel.id;
    priyaRequest = priya.id;
    // A message in Priya's request, and an announcement in the event's chat.
    hotel = (
      await ctx.chat.sendMessage(requestChannel(priya.conversation_uuid), {
        userId: priya.speaker_id,
        text: HOTEL,
      })
    ).message;
    const event = (await ctx.events.findById(priya.event_id))!;
    const organizer = (await ctx.accounts.findById(priya.organizer_id))!;
    await ctx.chat.getOrCreateEventChannel(event, organizer);
    await ctx.chat.postAnnouncement(event.id, organizer.id, DINNER);
  }, 240_000);

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [n, page] of pages.entries()) {
      await page.screenshot({ path: `/tmp/atas-search-fail-${n}.png` }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  async function open(email: string, options = {}): Promise<Page> {
    const { page, context } = await loggedIn(browser, stack, email, options);
    context.setDefaultTimeout(WAIT_MS);
    pages.push(page);
    return page;
  }

  /** Searches with the page's search box; the result buttons. */
  async function search(page: Page, query: string) {
    const box = page.getByRole('search');
    await box.getByLabel('Search all your conversations').fill(query);
    await box.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').getByText(`“${query}”`).waitFor();
    return page.getByRole('list', { name: 'Search results' }).getByRole('button');
  }

  const focused = (page: Page) => page.locator('[data-message-id][data-focused="true"]');

  it('finds a whole word and a part of one in the right request, and opens the request at the message', async () => {
    const page = await open(ORGANIZER);

    const hotels = await search(page, 'hotel');
    expect(await hotels.count()).toBe(1);
    expect(await hotels.first().textContent()).toContain('ATAS Summit 2027 — Priya Nair');
    expect(await hotels.first().locator('mark').allTextContents()).toEqual(['hotel']);

    const travels = await search(page, 'trav');
    expect(await travels.count()).toBe(1);
    const result = travels.first();
    expect(await result.textContent()).toContain('ATAS Summit 2027 — Samuel Reyes');
    expect(await result.textContent()).toContain(TRAVEL);
    expect((await result.locator('mark').allTextContents()).join('').toLowerCase()).toContain(
      'trav',
    );
    await screenshot(page, 'atas-search.png');

    await result.click();
    await page.waitForURL(
      (url) =>
        url.pathname === `/dashboard/requests/${samuelRequest}` &&
        url.searchParams.get('message') !== null,
    );
    await focused(page).waitFor();
    expect(await focused(page).textContent()).toContain(TRAVEL);
    expect(await focused(page).getAttribute('aria-label')).toBe('Found message');
  });

  it("a speaker finds only their own conversations: not another speaker's request", async () => {
    const page = await open(PRIYA);
    await search(page, 'travel');
    await page.getByRole('status').getByText('No messages match “travel”').waitFor();
    expect(await page.getByRole('list', { name: 'Search results' }).count()).toBe(0);

    const own = await search(page, 'hotel');
    expect(await own.count()).toBe(1);
    expect(await own.first().textContent()).toContain('ATAS Summit 2027 — Olivia Ortega');
    await own.first().click();
    await page.waitForURL((url) => url.pathname === `/dashboard/requests/${priyaRequest}`);
    await focused(page).waitFor();
    expect(await focused(page).textContent()).toContain(HOTEL);
  });

  it('searches from the inbox too; an event chat result opens there at the message', async () => {
    const page = await open(ORGANIZER);
    await page.goto(`${stack.webUrl}/dashboard/messages`);
    const results = await search(page, 'dinner');
    expect(await results.count()).toBe(1);
    expect(await results.first().textContent()).toContain('ATAS Summit 2027');
    await results.first().click();
    await page.waitForURL(
      (url) =>
        url.pathname === '/dashboard/messages' &&
        (url.searchParams.get('c') ?? '').startsWith('event:') &&
        url.searchParams.get('message') !== null,
    );
    await focused(page).waitFor();
    expect(await focused(page).textContent()).toContain(DINNER);
  });

  it("writes the chat's times as the pages write theirs, in the viewer's time zone", async () => {
    const timeZone = 'America/Sao_Paulo';
    const page = await open(ORGANIZER, { timezoneId: timeZone, locale: 'en-US' });
    await page.goto(`${stack.webUrl}/dashboard/requests/${priyaRequest}`);
    const stamp = page.locator(`[data-message-id="${hotel.id}"] time`);
    await stamp.waitFor();
    // ICU versions differ in the space before "PM": compared with plain spaces.
    const plain = (text: string | null) => (text ?? '').replace(/\s/g, ' ');
    const style = (iso: string | number, options: Intl.DateTimeFormatOptions) =>
      plain(new Intl.DateTimeFormat('en', { ...options, timeZone }).format(new Date(iso)));
    const pageStyle = { dateStyle: 'medium', timeStyle: 'short' } as const;
    // The clock in the chat, and the full date on hover in the pages' style.
    expect(plain(await stamp.textContent())).toBe(style(hotel.created_at, { timeStyle: 'short' }));
    expect(plain(await stamp.getAttribute('title'))).toBe(style(hotel.created_at, pageStyle));
    // The page's own dates: the same style and zone ("Invited").
    const invited = await stack.api.db
      .selectFrom('atas_invitations')
      .select('created_at')
      .where('id', '=', priyaRequest)
      .executeTakeFirstOrThrow();
    const shown = page.getByRole('region', { name: 'Details' }).locator('time');
    expect(plain(await shown.textContent())).toBe(style(Number(invited.created_at), pageStyle));
  });
});
