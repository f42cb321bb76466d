import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../../../packages/client/test/helpers/chromium.js';
import {
  act,
  edit,
  input,
  log,
  message,
  openMenu,
  say,
  threadPanel,
  twoWindows,
  WAIT_MS,
} from './helpers/two-windows.js';

// Issue 11 in ATAS: the Communication Log's rich messages, seen from the other window. The
// organizer and Samuel each have the request open in a browser context of their own.

const run = chromiumAvailable('the ATAS rich-message tests');

describe.skipIf(!run)('ATAS Communication Log: rich messages', { timeout: 90_000 }, () => {
  const w = twoWindows();

  it('a reaction in one window shows its count in the other', async () => {
    const question = await say(w.organizer, 'Can you send your slides by Friday?');
    const there = message(w.speaker, 'Can you send your slides by Friday?');
    await act(there, 'React');
    await there.getByRole('menuitemcheckbox', { name: '👍' }).click();
    await question.getByRole('button', { name: '👍 1: Samuel Reyes' }).waitFor();
    expect(await question.getByRole('group', { name: 'Reactions' }).textContent()).toContain('1');
    // The speaker's own reaction is pressed on their side.
    const own = there.getByRole('button', { name: '👍 1: you' });
    expect(await own.getAttribute('aria-pressed')).toBe('true');
  });

  it("a reply in a thread appears in the other window's thread panel, live", async () => {
    await say(w.organizer, 'Which talk format suits you?');
    const parent = message(w.speaker, 'Which talk format suits you?');
    await act(parent, 'Reply in thread');
    const speakerThread = threadPanel(w.speaker);
    const reply = speakerThread.getByRole('textbox', { name: 'Reply' });
    await reply.fill('A 30-minute talk with questions at the end.');
    await reply.press('Enter');
    await speakerThread.getByText('A 30-minute talk with questions at the end.').waitFor();

    // The organizer sees the reply count on the parent, opens the thread and reads it.
    const count = message(w.organizer, 'Which talk format suits you?').getByRole('button', {
      name: /^1 reply/,
    });
    await count.click();
    const organizerThread = threadPanel(w.organizer);
    await organizerThread.getByText('A 30-minute talk with questions at the end.').waitFor();
    // Replies stay in the thread, not in the channel's list.
    expect(await log(w.organizer).getByText('A 30-minute talk with questions').count()).toBe(0);

    // With both panels open, the next reply arrives by itself.
    await reply.fill('Slides in English, if that is fine.');
    await reply.press('Enter');
    await organizerThread.getByText('Slides in English, if that is fine.').waitFor();
    await organizerThread.getByRole('button', { name: 'Close the thread' }).click();
    await speakerThread.getByRole('button', { name: 'Close the thread' }).click();
    await threadPanel(w.organizer).waitFor({ state: 'detached' });
  });

  it('an edit shows "edited" in the other window', async () => {
    await edit(await say(w.organizer, 'The fee is 500 EUR.'), 'The fee is 600 EUR.');
    const there = message(w.speaker, 'The fee is 600 EUR.');
    await there.getByText('(edited)').waitFor();
    expect(await message(w.speaker, 'The fee is 500 EUR.').count()).toBe(0);
  });

  it('a delete shows the tombstone in the other window', async () => {
    await say(w.speaker, 'Oops, that was meant for someone else.');
    const there = message(w.organizer, 'Oops, that was meant for someone else.');
    await there.waitFor();
    const id = await there.getAttribute('data-message-id');
    await act(message(w.speaker, 'Oops, that was meant for someone else.'), 'Delete');
    // "Delete this message?" — confirmed.
    await w.speaker.getByRole('menu').getByRole('menuitem', { name: 'Delete' }).click();
    const tombstone = log(w.organizer).locator(`article[data-message-id="${id}"]`);
    await tombstone.getByText('Message deleted').waitFor();
    expect(await log(w.organizer).getByText('Oops, that was meant').count()).toBe(0);
  });

  it('an edit made while offline appears in the other window after reconnecting', async () => {
    await say(w.speaker, 'I land at 9:00 on day one.');
    await message(w.organizer, 'I land at 9:00 on day one.').waitFor();
    const offline = w.speaker.context();
    await offline.setOffline(true);
    try {
      await w.speaker
        .getByRole('alert')
        .filter({ hasText: 'Chat unavailable' })
        .waitFor({ timeout: WAIT_MS });
      await edit(message(w.speaker, 'I land at 9:00 on day one.'), 'I land at 11:30 on day one.');
      // Shown at once on the speaker's side; nothing reaches the organizer meanwhile.
      await message(w.speaker, 'I land at 11:30 on day one.').waitFor();
      await w.organizer.waitForTimeout(1_000);
      expect(await message(w.organizer, 'I land at 11:30').count()).toBe(0);
    } finally {
      await offline.setOffline(false);
    }
    const there = message(w.organizer, 'I land at 11:30 on day one.');
    await there.getByText('(edited)').waitFor({ timeout: 30_000 });
    expect(await message(w.organizer, 'I land at 9:00').count()).toBe(0);
  });

  it('an over-long message keeps the text and shows the error; nothing is sent', async () => {
    const text = 'Travel notes. '.repeat(358).slice(0, 5_001);
    await input(w.speaker).fill(text);
    const alert = w.speaker
      .getByRole('alert')
      .filter({ hasText: 'The message is too long: 5,001 of at most 5,000 characters.' });
    await alert.waitFor();
    expect(await w.speaker.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await input(w.speaker).press('Enter');
    expect(await input(w.speaker).inputValue()).toBe(text);
    expect(await input(w.speaker).getAttribute('aria-invalid')).toBe('true');
    await w.organizer.waitForTimeout(500);
    expect(await message(w.organizer, 'Travel notes. Travel notes.').count()).toBe(0);
    // One character less goes out whole.
    await input(w.speaker).fill(text.slice(0, 5_000));
    await alert.waitFor({ state: 'detached' });
    await input(w.speaker).press('Enter');
    const there = message(w.organizer, 'Travel notes. Travel notes.');
    await there.waitFor();
    expect((await there.locator('.parley-message-text').textContent())?.trim()).toBe(
      text.slice(0, 5_000).trim(),
    );
    expect(await input(w.speaker).inputValue()).toBe('');
  });

  it('the organizer pins the agreed details and the speaker sees them pinned; the speaker may not pin', async () => {
    await say(w.speaker, 'Agreed: 30-minute talk, day one at 10:00, fee 600 EUR.');
    const speakerMenu = await openMenu(
      message(w.speaker, 'Agreed: 30-minute talk, day one at 10:00'),
    );
    expect(await speakerMenu.getByRole('menuitem', { name: 'Pin' }).count()).toBe(0);
    await w.speaker.keyboard.press('Escape');

    await act(message(w.organizer, 'Agreed: 30-minute talk, day one at 10:00'), 'Pin');
    const pinned = w.speaker.getByRole('region', { name: 'Pinned messages' });
    await pinned.getByText('Agreed: 30-minute talk, day one at 10:00, fee 600 EUR.').waitFor();
    const there = message(w.speaker, 'Agreed: 30-minute talk, day one at 10:00');
    await there.getByText('Pinned', { exact: true }).waitFor();

    // Written on after the pin, the details are one click away.
    await say(w.organizer, 'Great, see you in Lisbon.');
    await pinned.getByRole('button', { name: 'Show in the conversation' }).click();
    await log(w.speaker)
      .locator(
        `article[data-focused][data-message-id="${await there.getAttribute('data-message-id')}"]`,
      )
      .waitFor();
  });
});
