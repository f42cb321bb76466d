/**
 * The React kit in a real browser against a real server: the demo page (demo/src/app.tsx)
 * opened by two users in two browser contexts of Debian's Chromium, driven with
 * playwright-core. Every wait is bounded by a timeout; nothing depends on how long a
 * step takes.
 *
 * Chromium: /usr/bin/chromium, or the path in PARLEY_CHROMIUM. Without it the file is
 * skipped (with a loud message) on a developer's machine and fails when CI=true.
 * UPDATE_SCREENSHOTS=1 writes the ATAS screenshot to docs/images/react-atas-theme.png.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../../../client/test/helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../demo/src/server.js';

const haveChromium = chromiumAvailable("the React kit's browser test");
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SCREENSHOT = join(REPO, 'docs/images/react-atas-theme.png');
const THEMES = ['light', 'dark', 'atas'] as const;
/** Upper bound of any single wait: generous for a loaded CI machine. */
const WAIT = 15_000;

describe.skipIf(!haveChromium)('React kit in Chromium, two users on the demo page', () => {
  let demo: Demo;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let ana: Page;
  let ben: Page;
  let shotDir: string;

  beforeAll(async () => {
    shotDir = await mkdtemp(join(tmpdir(), 'parley-browser-'));
    demo = await startDemo({ port: 0 });
    browser = await launchChromium(WAIT);
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await demo?.close();
    if (shotDir !== undefined) await rm(shotDir, { recursive: true, force: true });
  });

  /** A page of its own browser context (its own storage: a separate browser "profile"). */
  async function open(user: string, theme: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (err) => console.error(`[${user}] page error:`, err));
    page.on('console', (msg) => {
      if (msg.type() === 'error') console.error(`[${user}] console:`, msg.text());
    });
    await page.goto(`${demo.url}/?user=${user}&theme=${theme}`);
    await page.getByRole('log', { name: 'Messages' }).waitFor();
    await input(page).waitFor();
    // Survives only as long as the document does: proves later steps needed no reload.
    await page.evaluate('window.__sameDocument = true');
    return page;
  }

  const input = (page: Page) => page.getByRole('textbox', { name: 'Message' });
  const message = (page: Page, text: string) =>
    page.locator('article.parley-message', { hasText: text });

  async function send(page: Page, text: string): Promise<void> {
    await input(page).fill(text);
    await input(page).press('Enter');
    // Sent: the server acknowledged it (no "Sending…" left on it).
    await message(page, text).waitFor();
    await page.waitForFunction(
      (t) =>
        [...document.querySelectorAll('article.parley-message')].some(
          (el) => el.textContent?.includes(t) && !el.querySelector('.parley-status-sending'),
        ),
      text,
    );
  }

  it(
    'delivers a message, shows typing and "Seen", all without a reload',
    { timeout: 90_000 },
    async () => {
      ana = await open('ana', 'light');
      const first = 'Hi Ben! Would you give the keynote on 12 May?';
      await send(ana, first);
      expect(await message(ana, first).getAttribute('class')).toContain('parley-message-own');
      // Ben has not opened the conversation yet: nothing is "Seen".
      expect(await ana.locator('.parley-seen').count()).toBe(0);

      ben = await open('ben', 'light');
      await message(ben, first).waitFor();

      // Live delivery into Ben's open page.
      const second = 'The venue is the main hall, about 400 people.';
      await send(ana, second);
      await message(ben, second).waitFor();
      expect(await message(ben, second).getAttribute('class')).not.toContain('parley-message-own');

      // Ben has the channel open, so his read position comes to cover Ana's latest message:
      // "Seen" (first under the earlier message, maybe) ends up under the latest own one.
      await ana.waitForFunction(() => {
        const own = [...document.querySelectorAll('article.parley-message-own')];
        const last = own[own.length - 1];
        const label = document.querySelector('.parley-seen');
        if (label === null || last === undefined || label.textContent !== 'Seen') return false;
        // Inside the latest own message, or after it with no own message after the label.
        return (
          last.contains(label) ||
          !!(last.compareDocumentPosition(label) & Node.DOCUMENT_POSITION_FOLLOWING)
        );
      });
      expect(await ana.locator('.parley-seen').count()).toBe(1);

      // Ben types: Ana sees it while he types (the wait starts before the first key).
      const typing = ana.locator('.parley-typing', { hasText: /Ben is typing/ });
      const shown = typing.waitFor();
      await input(ben).pressSequentially('Yes, gladly. Could we', { delay: 40 });
      await shown;
      await input(ben).pressSequentially(' talk about travel?', { delay: 20 });
      await input(ben).press('Enter');
      await message(ana, 'Yes, gladly. Could we talk about travel?').waitFor();
      // Sending ends the typing state.
      await typing.waitFor({ state: 'detached' });

      await send(ana, 'Of course: we book and pay the train and one night at the hotel.');
      await message(ben, 'we book and pay the train').waitFor();

      for (const page of [ana, ben]) {
        expect(await page.evaluate('window.__sameDocument')).toBe(true);
      }
    },
  );

  for (const theme of THEMES) {
    it(`has no serious or critical accessibility violation in the ${theme} theme`, async () => {
      const page = await open('ana', theme);
      await page.locator(`.parley-theme-${theme}`).first().waitFor();
      await message(page, 'we book and pay the train').waitFor();
      await page.evaluate(axe.source);
      const results = (await page.evaluate(
        `axe.run(document, { resultTypes: ['violations'] })`,
      )) as axe.AxeResults;
      const summary = results.violations.map(
        (v) =>
          `${v.impact}: ${v.id} — ${v.help}: ` +
          v.nodes.map((node) => node.target.join(' ')).join(', '),
      );
      console.log(
        summary.length === 0
          ? `axe, ${theme} theme: no violations`
          : `axe, ${theme} theme:\n  ${summary.join('\n  ')}`,
      );
      const blocking = results.violations.filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(blocking.map((v) => `${v.impact}: ${v.id} — ${v.help}`)).toEqual([]);
      // The check looked at the chat: axe checked text contrast and found the message log.
      expect(results.passes.map((rule) => rule.id)).toContain('color-contrast');
      expect(await page.locator('[role="log"] article.parley-message').count()).toBeGreaterThan(0);
      await page.context().close();
    });
  }

  it('renders the ATAS theme (screenshot)', async () => {
    const page = await open('ana', 'atas');
    await message(page, 'we book and pay the train').waitFor();
    await page.locator('.parley-seen').waitFor();
    // Fonts and images settled, animations done (the kit respects reduced motion too).
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.evaluate('document.fonts.ready');
    const path =
      process.env.UPDATE_SCREENSHOTS === '1' ? SCREENSHOT : join(shotDir, 'react-atas-theme.png');
    await mkdir(dirname(path), { recursive: true });
    await page.screenshot({ path, animations: 'disabled' });
    const { size } = await stat(path);
    expect(size).toBeGreaterThan(5_000);
    expect(size).toBeLessThan(200 * 1024);
    console.log(`ATAS screenshot: ${path} (${Math.round(size / 1024)} kB)`);
  });

  it('shows message text as text, never as markup', async () => {
    await send(ben, '<b>bold?</b> <img src=x onerror=alert(1)>');
    await message(ana, '<b>bold?</b>').waitFor();
    expect(
      await ana.locator('article.parley-message b, article.parley-message img[src=x]').count(),
    ).toBe(0);
  });
});
