// @vitest-environment jsdom
import { ChatClient } from '@parley/client';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatProvider } from '../chat-provider.js';
import { ConnectionBanner } from './connection-banner.js';
import { fakeChannel, inChannel, message, user } from './fake-channel.test-helper.js';
import { MessageList } from './message-list.js';
import { MAX_RENDERED } from './message-window.js';
import { messageRows } from './message-rows.js';
import { TypingIndicator, typingText } from './typing-indicator.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('TypingIndicator', () => {
  it('names one or two typists and summarises more', () => {
    expect(typingText([])).toBe('');
    expect(typingText([user('ana', 'Ana')])).toBe('Ana is typing…');
    expect(typingText([user('ana', 'Ana'), user('ben', 'Ben')])).toBe('Ana and Ben are typing…');
    expect(typingText([user('a'), user('b'), user('c')])).toBe('Several people are typing…');
    expect(typingText([user('noname', null)])).toBe('noname is typing…');
  });

  it('renders the names of the members typing, politely announced', () => {
    const members = Object.fromEntries(
      ['ana', 'ben'].map((id) => [
        id,
        {
          user_id: id,
          user: user(id, id === 'ana' ? 'Ana' : 'Ben'),
          role: 'member',
          created_at: '',
        },
      ]),
    );
    inChannel(fakeChannel({ members, typing: ['ana', 'ben'] } as never), <TypingIndicator />);
    const indicator = screen.getByText('Ana and Ben are typing…');
    expect(indicator.getAttribute('aria-live')).toBe('polite');
  });
});

describe('message rows', () => {
  it('puts a day separator before the first message of each day and regroups after five minutes', () => {
    const messages = [
      message(0, 'ana', '2025-03-01T10:00:00'),
      message(1, 'ana', '2025-03-01T10:04:00'),
      message(2, 'ana', '2025-03-01T10:10:00'),
      message(3, 'ana', '2025-03-02T10:11:00'),
    ];
    const rows = messageRows(messages, 0, messages.length);
    expect(rows.map((r) => (r.kind === 'day' ? 'day' : r.groupStart ? 'start' : 'cont'))).toEqual([
      'day',
      'start',
      'cont',
      'start',
      'day',
      'start',
    ]);
  });
});

describe('system messages', () => {
  it('stand alone as a notice: no avatar, no author, and the next message starts a group', () => {
    const system = { ...message(1, 'ana', '2025-03-01T10:01:00'), type: 'system' as const };
    system.text = 'Ben accepted the invitation';
    const messages = [
      message(0, 'ana', '2025-03-01T10:00:00'),
      system,
      message(2, 'ana', '2025-03-01T10:02:00'),
    ];
    const rows = messageRows(messages, 0, messages.length);
    expect(rows.map((r) => (r.kind === 'day' ? 'day' : r.groupStart ? 'start' : 'cont'))).toEqual([
      'day',
      'start',
      'start',
      'start',
    ]);
    const { container } = inChannel(fakeChannel({ messages }), <MessageList />);
    const notice = container.querySelector('.parley-message-system')!;
    expect(notice.textContent).toContain('Ben accepted the invitation');
    expect(notice.querySelector('.parley-avatar, .parley-message-author')).toBeNull();
    expect(container.querySelectorAll('.parley-message-author')).toHaveLength(2);
  });
});

describe('MessageList windowing', () => {
  it('keeps the DOM bounded with 10,000 messages and moves the window when scrolled to the top', () => {
    const start = Date.parse('2025-03-01T00:00:00Z');
    const messages = Array.from({ length: 10_000 }, (_, i) =>
      message(i, i % 3 === 0 ? 'ana' : 'ben', new Date(start + i * 60_000).toISOString()),
    );
    inChannel(fakeChannel({ messages }), <MessageList />);
    const count = () => document.querySelectorAll('article.parley-message').length;
    const firstId = () =>
      document.querySelector('article.parley-message')!.getAttribute('data-message-id');
    expect(count()).toBeGreaterThan(0);
    expect(count()).toBeLessThanOrEqual(MAX_RENDERED);
    expect(screen.getByText('message 9999')).toBeTruthy();
    const log = screen.getByRole('log');
    for (let i = 0; i < 10; i++) {
      const before = firstId();
      fireEvent.scroll(log); // jsdom's scrollTop is 0: the top
      expect(firstId()).not.toBe(before);
      expect(count()).toBeLessThanOrEqual(MAX_RENDERED);
    }
    expect(screen.queryByText('message 9999')).toBeNull();
  });
});

describe('ConnectionBanner', () => {
  it('says "Reconnecting…" only after the grace period while the server cannot be reached', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // A real client pointed at a port where nothing listens: its first attempt fails.
    const client = new ChatClient({
      url: 'http://127.0.0.1:1',
      WebSocket: WebSocket as never,
      networkEvents: null,
    });
    render(
      <ChatProvider url="http://127.0.0.1:1" client={client}>
        <ConnectionBanner graceMs={1500} />
      </ChatProvider>,
    );
    // Events, not vi.waitFor: that one advances fake timers while it polls.
    const reconnecting = new Promise((resolve) => client.on('connection.reconnecting', resolve));
    void client.connectUser({ id: 'ana' }, 'token').catch(() => undefined);
    await act(() => reconnecting);
    const banner = screen.getByRole('status', { hidden: true });
    act(() => void vi.advanceTimersByTime(1499));
    expect(banner.textContent).toBe('');
    act(() => void vi.advanceTimersByTime(1));
    expect(banner.textContent).toBe('Reconnecting…');
    vi.useRealTimers();
    await client.disconnect();
  });

  it('says the user is offline when the network goes away, after the grace period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const network = new EventTarget();
    const client = new ChatClient({
      url: 'http://127.0.0.1:1',
      WebSocket: WebSocket as never,
      networkEvents: network,
    });
    render(
      <ChatProvider url="http://127.0.0.1:1" client={client}>
        <ConnectionBanner />
      </ChatProvider>,
    );
    const connecting = new Promise((resolve) => client.on('connection.connecting', resolve));
    void client.connectUser({ id: 'ana' }, 'token').catch(() => undefined);
    await act(() => connecting);
    act(() => void network.dispatchEvent(new Event('offline')));
    expect(client.state).toBe('offline');
    const banner = screen.getByRole('status', { hidden: true });
    expect(banner.textContent).toBe('');
    act(() => void vi.advanceTimersByTime(1500));
    expect(banner.textContent).toBe('You are offline. Messages will be sent when you reconnect.');
    vi.useRealTimers();
    await client.disconnect();
  });
});
