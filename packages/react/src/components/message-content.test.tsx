// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeChannel, inChannel, message, user } from './fake-channel.test-helper.js';
import { MessageList } from './message-list.js';
import { MessageText } from './message-text.js';

afterEach(() => cleanup());

const AT = '2026-03-01T10:00:00Z';
const article = (id: string) =>
  document.querySelector<HTMLElement>(`article[data-message-id="${id}"]`)!;

function reaction(type: string, userId: string) {
  return {
    message_id: 'm0',
    user_id: userId,
    user: user(userId),
    type,
    score: 1,
    created_at: AT,
    updated_at: AT,
  };
}

describe('message text', () => {
  it('makes http(s) links clickable with rel="noopener noreferrer nofollow", and nothing else', async () => {
    const text =
      'see https://example.com/a?b=1, www.parley.dev and mail ana@example.com; javascript:alert(1) <b>x</b>';
    render(<MessageText text={text} />);
    const links = await screen.findAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
      ['www.parley.dev', 'http://www.parley.dev'],
    ]);
    for (const link of links) {
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
      expect(link.getAttribute('target')).toBe('_blank');
    }
    expect(document.body.textContent).toBe(text);
    expect(document.querySelector('b')).toBeNull();
  });

  it('highlights @mentions of the mentioned members, by name or id, and marks the viewer', async () => {
    render(
      <p>
        <MessageText
          text="@Ana Lima and @ben, not @cy, see https://example.com/@ben"
          mentioned={[user('ana', 'Ana Lima'), user('ben', 'Ben')]}
          me="ben"
        />
      </p>,
    );
    expect((await screen.findByRole('link')).textContent).toBe('https://example.com/@ben');
    const mentions = Array.from(document.querySelectorAll('.parley-mention'));
    expect(mentions.map((m) => [m.textContent, m.classList.contains('parley-mention-me')])).toEqual(
      [
        ['@Ana Lima', false],
        ['@ben', true],
      ],
    );
  });
});

describe('rich messages in the list', () => {
  it('shows "(edited)" on an edited message, with when in its tooltip', () => {
    const edited = message(0, 'ben', AT, { text: 'fixed typo', edited_at: '2026-03-01T10:05:00Z' });
    inChannel(fakeChannel({ messages: [edited, message(1, 'ben', AT)] }), <MessageList />);
    const marker = within(article('m0')).getByText('(edited)');
    expect(marker.getAttribute('title')).toMatch(/^Edited /);
    expect(within(article('m1')).queryByText('(edited)')).toBeNull();
  });

  it('shows a tombstone for a deleted message: "Message deleted", no text, reactions or menu', () => {
    const gone = message(0, 'ben', AT, {
      text: '',
      deleted_at: AT,
      edited_at: AT,
      reaction_counts: {},
    });
    inChannel(fakeChannel({ messages: [gone] }), <MessageList messageActions={['react']} />);
    const tomb = article('m0');
    expect(tomb.querySelector('.parley-message-text')!.textContent).toBe('Message deleted');
    expect(tomb.textContent).not.toContain('edited');
    expect(within(tomb).queryByRole('button')).toBeNull();
  });

  it('previews the quoted message: its author and text, or that it was deleted', () => {
    const quoted = message(0, 'ana', AT, { text: 'the venue is Hall B' });
    const quoting = message(1, 'ben', AT, {
      text: 'agreed',
      quoted_message_id: 'm0',
      quoted_message: { ...quoted, user: user('ana', 'Ana') },
    });
    const quotingGone = message(2, 'ben', AT, {
      text: 'what was it?',
      quoted_message_id: 'mX',
      quoted_message: { ...quoted, id: 'mX', text: '', deleted_at: AT },
    });
    inChannel(fakeChannel({ messages: [quoted, quoting, quotingGone] }), <MessageList />);
    const quote = within(article('m1')).getByLabelText('Quote of Ana');
    expect(quote.textContent).toBe('Anathe venue is Hall B');
    expect(within(article('m2')).getByLabelText('Quote of ANA').textContent).toBe(
      'ANAMessage deleted',
    );
  });

  it('shows reactions with counts, who reacted, and toggles the viewer reaction', () => {
    const sendReaction = vi.fn(() => Promise.resolve());
    const deleteReaction = vi.fn(() => Promise.resolve());
    const reacted = message(0, 'ben', AT, {
      reaction_counts: { '👍': 3, like: 1 },
      latest_reactions: [reaction('👍', 'ben'), reaction('👍', 'cy'), reaction('like', 'dee')],
    });
    inChannel(
      fakeChannel({ messages: [reacted] }, { sendReaction, deleteReaction }),
      <MessageList />,
    );
    const bar = screen.getByRole('group', { name: 'Reactions' });
    const buttons = within(bar).getAllByRole('button');
    expect(buttons.map((b) => [b.textContent, b.getAttribute('aria-label')])).toEqual([
      ['👍 3', '👍 3: BEN, CY and 1 other'],
      ['👍 1', '👍 1: DEE'],
    ]);
    expect(buttons[0]!.getAttribute('title')).toBe('👍 3: BEN, CY and 1 other');
    expect(buttons[0]!.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(buttons[0]!);
    expect(sendReaction).toHaveBeenCalledWith('m0', '👍');
  });

  it('says why when a reaction is refused (the client has rolled it back)', async () => {
    const sendReaction = vi.fn(() => Promise.reject(new Error('too many reaction types')));
    const reacted = message(0, 'ben', AT, {
      reaction_counts: { '🎉': 1 },
      latest_reactions: [reaction('🎉', 'ben')],
    });
    inChannel(fakeChannel({ messages: [reacted] }, { sendReaction }), <MessageList />);
    fireEvent.click(screen.getByRole('button', { name: '🎉 1: BEN' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Could not do that: too many reaction types Close');
    fireEvent.click(within(alert).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows "Pinned" and the reply count of a thread parent', () => {
    const parent = message(0, 'ben', AT, { pinned: true, pinned_at: AT, reply_count: 2 });
    inChannel(fakeChannel({ messages: [parent] }), <MessageList />);
    expect(within(article('m0')).getByText('Pinned')).toBeTruthy();
    expect(within(article('m0')).getByText('2 replies')).toBeTruthy();
  });
});
