import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INSIGHTS_EXPECTED, seedInsights } from '../../atas-api/test/helpers/insights-seed.js';
import {
  chromiumAvailable,
  launchChromium,
} from '../../../packages/client/test/helpers/chromium.js';
import type { Stack } from '../src/index.js';
import { axeViolations, logIn, screenshot, startTestStack } from './helpers/stack-harness.js';

// Issue 17's Insights panel, on the event page of an organizer whose event has four
// requests in every status, with messages at fixed times (the dataset the API test checks
// too): every figure on the screen is exact.

const WAIT_MS = 15_000;
const run = chromiumAvailable('the ATAS Insights tests');

describe.skipIf(!run)('ATAS event Insights, in a browser', { timeout: 90_000 }, () => {
  let stack: Stack;
  let cleanup: () => Promise<void>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ({ stack, cleanup } = await startTestStack());
    browser = await launchChromium(30_000);
    const seeded = await seedInsights(stack.api);
    ({ page } = await logIn(browser, stack, seeded));
    page.context().setDefaultTimeout(WAIT_MS);
    await page.goto(`${stack.webUrl}/dashboard/events/${seeded.eventId}`);
  }, 240_000);

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await page.screenshot({ path: '/tmp/atas-insights-fail.png' }).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await cleanup?.();
  });

  const panel = () => page.getByRole('region', { name: 'Insights', exact: true });

  it('shows the invitations by status, the messages and the median first response', async () => {
    const figures = panel().getByRole('definition');
    await figures.first().waitFor();
    const terms = await panel().getByRole('term').allTextContents();
    const values = await figures.allTextContents();
    expect(Object.fromEntries(terms.map((term, i) => [term, values[i]]))).toEqual({
      Invitations: String(INSIGHTS_EXPECTED.invitations.total),
      Pending: '1',
      Accepted: '1',
      Declined: '1',
      Withdrawn: '1',
      Messages: String(INSIGHTS_EXPECTED.messages),
      'Median first response': '1 hr 15 min',
    });
    await panel().scrollIntoViewIfNeeded();
    await screenshot(page, 'atas-insights.png');
  });

  it('lists every request with its status, messages and first response', async () => {
    const rows = panel().getByRole('table', { name: 'Per request' }).getByRole('row');
    await rows.nth(1).waitFor();
    const cells = async (i: number) => [
      await rows.nth(i).getByRole('rowheader').textContent(),
      ...(await rows.nth(i).getByRole('cell').allTextContents()),
    ];
    expect(await rows.count()).toBe(5);
    expect([await cells(1), await cells(2), await cells(3), await cells(4)]).toEqual([
      ['Ana', 'Accepted', '3', '30 min'],
      ['Ben', 'Pending', '2', '2 hr'],
      ['Cy', 'Declined', '1', 'No answer yet'],
      ['Dee', 'Withdrawn', '0', 'No answer yet'],
    ]);
  });

  it('has no accessibility violation on the event page with its panel', async () => {
    await panel().waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
