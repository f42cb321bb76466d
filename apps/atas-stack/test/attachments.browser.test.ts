import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../../packages/client/test/helpers/chromium.js';
import { PDF, png } from '../../../packages/server/test/helpers/upload-fixtures.js';
import { axeViolations, loggedIn, screenshot } from './helpers/stack-harness.js';
import {
  act,
  chatAccess,
  input,
  message,
  PRIYA,
  threadPanel,
  twoWindows,
} from './helpers/two-windows.js';

// Issue 12 in ATAS: slides and photos in the Communication Log, sent in one window, shown and
// downloaded in the other; out of reach of a speaker who is not in the invitation.

const run = chromiumAvailable('the ATAS file tests');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const TEXT = 'My slides and a headshot for the programme.';

/** The file links of the message with `TEXT` in `page`: the PDF's chip and the image's. */
async function fileLinks(page: Page): Promise<{ pdf: string; image: string }> {
  const sent = message(page, TEXT);
  const pdf = await sent.getByRole('link', { name: /slides\.pdf/ }).getAttribute('href');
  await sent.getByRole('button', { name: 'Open headshot.png' }).click();
  const dialog = page.getByRole('dialog', { name: 'headshot.png' });
  const image = await dialog.getByRole('link', { name: 'Download' }).getAttribute('href');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  return { pdf: pdf!, image: image! };
}

describe.skipIf(!run)('ATAS Communication Log: files', { timeout: 120_000 }, () => {
  const w = twoWindows();

  it('a PDF and a PNG sent in one window appear in the other (thumbnail, chip) and download with the same bytes', async () => {
    const photo = await png(640, 480);
    await w.speaker.getByLabel('Files to attach').setInputFiles([
      { name: 'slides.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'headshot.png', mimeType: 'image/png', buffer: photo },
    ]);
    const previews = w.speaker.getByRole('list', { name: 'Files to send' });
    await previews.getByText('slides.pdf').waitFor();
    await previews.getByText('headshot.png').waitFor();
    await input(w.speaker).fill(TEXT);
    await input(w.speaker).press('Enter');

    const there = message(w.organizer, TEXT);
    const thumbnail = there.getByRole('button', { name: 'Open headshot.png' }).locator('img');
    await thumbnail.waitFor();
    // Loaded from Parley: an image that failed has no natural width.
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await thumbnail.getAttribute('alt')).toBe('headshot.png');
    const chip = there.getByRole('link', { name: /slides\.pdf/ });
    expect(await chip.textContent()).toMatch(/slides\.pdf\s*\d+ B/);

    // The PDF, downloaded as a reader does: a click on the chip.
    const [download] = await Promise.all([w.organizer.waitForEvent('download'), chip.click()]);
    expect(download.suggestedFilename()).toBe('slides.pdf');
    expect(sha256(await readFile((await download.path())!))).toBe(sha256(PDF));

    // The image, from the lightbox's Download link, in both windows. Parley re-encodes
    // images without their metadata: the same pixels, and both sides get the same bytes.
    const organizerLinks = await fileLinks(w.organizer);
    const speakerLinks = await fileLinks(w.speaker);
    const fetched = async (page: Page, href: string) => {
      const answer = await page.context().request.get(href);
      expect(answer.status()).toBe(200);
      return { type: answer.headers()['content-type'], bytes: await answer.body() };
    };
    const image = await fetched(w.organizer, organizerLinks.image);
    expect(image.type).toBe('image/png');
    const pixels = (bytes: Buffer) => sharp(bytes).raw().toBuffer();
    expect((await pixels(image.bytes)).equals(await pixels(photo))).toBe(true);
    expect(sha256((await fetched(w.speaker, speakerLinks.image)).bytes)).toBe(sha256(image.bytes));
    expect(sha256((await fetched(w.speaker, speakerLinks.pdf)).bytes)).toBe(sha256(PDF));
  });

  it('another speaker, not in this invitation, cannot fetch them', async () => {
    const links = await fileLinks(w.organizer);
    const messageId = await message(w.organizer, TEXT).getAttribute('data-message-id');
    const { context } = await loggedIn(w.browser, w.stack, PRIYA);
    try {
      const access = await chatAccess(context, w.stack);
      const headers = { authorization: `Bearer ${access.token}`, 'x-api-key': access.api_key };
      // Not the message that holds the signed links …
      const read = await fetch(`${access.url}/messages/${messageId}`, { headers });
      expect(read.status).toBe(403);
      expect(((await read.json()) as { error: { code: string } }).error.code).toBe('not_member');

      // … nor the files without their signature: a made-up one, …
      const pdfUrl = new URL(links.pdf, `${access.url}/`);
      const forged = new URL(pdfUrl);
      forged.searchParams.set('sig', 'A'.repeat(43));
      expect((await context.request.get(forged.href)).status()).toBe(403);

      // … or the signature of a file of her own, uploaded to her own request.
      const invitations = (await (
        await context.request.get(`${w.stack.webUrl}/api/v1/invitations`)
      ).json()) as { invitations: { id: string }[] };
      const own = (await (
        await context.request.get(
          `${w.stack.webUrl}/api/v1/invitations/${invitations.invitations[0]!.id}/chat`,
        )
      ).json()) as { channel: { cid: string } };
      const form = new FormData();
      form.set('cid', own.channel.cid);
      form.set('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'bio.pdf');
      const upload = await fetch(`${access.url}/uploads`, { method: 'POST', headers, body: form });
      expect(upload.status).toBe(201);
      const mine = new URL(((await upload.json()) as { url: string }).url, `${access.url}/`);
      expect((await context.request.get(mine.href)).status()).toBe(200);
      for (const link of [links.pdf, links.image]) {
        const theirs = new URL(link, `${access.url}/`);
        const reused = `${theirs.origin}${theirs.pathname}${mine.search}`;
        expect((await context.request.get(reused)).status(), link).toBe(403);
      }
    } finally {
      await context.close();
    }
  });

  it('keeps the ATAS look with reactions, a thread, a pin and files, in English and Portuguese (screenshots)', async () => {
    const sent = message(w.organizer, TEXT);
    await act(sent, 'React');
    await sent.getByRole('menuitemcheckbox', { name: '🎉' }).click();
    await act(sent, 'Pin');
    await act(sent, 'Reply in thread');
    const reply = threadPanel(w.organizer).getByRole('textbox', { name: 'Reply' });
    await reply.fill('Thanks! The headshot goes on the programme page.');
    await reply.press('Enter');
    await threadPanel(w.organizer).getByText('The headshot goes on the programme page.').waitFor();
    const english = await screenshot(w.organizer, 'atas-rich-chat-en.png');
    expect(await axeViolations(w.organizer)).toEqual([]);

    // The speaker switches to Portuguese: ATAS's strings and the kit's follow.
    await w.speaker
      .context()
      .addCookies([{ name: 'NEXT_LOCALE', value: 'pt', url: w.stack.webUrl }]);
    await w.speaker.reload();
    const mensagens = w.speaker.getByRole('log', { name: 'Mensagens' });
    const there = mensagens
      .locator('article.parley-message')
      .filter({ has: w.speaker.locator('.parley-message-text', { hasText: TEXT }) });
    await there.getByRole('button', { name: 'Abrir headshot.png' }).waitFor();
    await w.speaker.getByRole('button', { name: 'Anexar ficheiros' }).waitFor();
    await w.speaker.getByRole('region', { name: 'Mensagens fixadas' }).getByText(TEXT).waitFor();
    await there.getByRole('button', { name: /^1 resposta/ }).click();
    await w.speaker
      .getByRole('complementary', { name: 'Tópico' })
      .getByText('The headshot goes on the programme page.')
      .waitFor();
    const portuguese = await screenshot(w.speaker, 'atas-rich-chat-pt.png');
    expect(await axeViolations(w.speaker)).toEqual([]);
    for (const path of [english, portuguese]) {
      expect((await stat(path)).size).toBeGreaterThan(10_000);
      console.log(`ATAS rich chat screenshot: ${path}`);
    }
  });
});
