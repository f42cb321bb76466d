// @vitest-environment jsdom
import './helpers/node-realm.js';
import type { Channel as ClientChannel, ChatClient } from '@parley/client';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../../client/test/helpers/tcp-proxy.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { Channel, ChannelList, ConnectionBanner, MessageInput, MessageList } from '../src/index.js';
import { nodeClient, renderAs, startServer } from './helpers/harness.js';

let server: TestServer;
const others: ChatClient[] = [];
beforeAll(async () => {
  server = await startServer();
  await server.createUsers('eve', 'fay', 'gus');
});
afterEach(async () => {
  cleanup();
  await Promise.all(others.splice(0).map((c) => c.disconnect()));
});
afterAll(() => server.close());

async function connect(userId: string): Promise<ChatClient> {
  const client = await nodeClient(server, userId);
  others.push(client);
  return client;
}

async function say(client: ChatClient, id: string, text: string): Promise<void> {
  const channel = client.channel('team', id);
  if (!channel.state.watching) await channel.watch();
  await channel.sendMessage({ text });
}

const articles = () => Array.from(document.querySelectorAll<HTMLElement>('article.parley-message'));
const articleWith = (text: string) =>
  articles().find((a) => a.querySelector('.parley-message-text')?.textContent === text);

describe('ChannelList', () => {
  /** What each row shows, top to bottom. */
  const rows = () =>
    Array.from(document.querySelectorAll<HTMLButtonElement>('.parley-channel-preview')).map(
      (button) => ({
        name: button.querySelector('.parley-channel-name')?.textContent,
        last: button.querySelector('.parley-channel-last')?.textContent,
        unread: button.querySelector('.parley-unread-badge')?.getAttribute('aria-label') ?? null,
        current: button.getAttribute('aria-current'),
      }),
    );

  it("lists eve's channels latest first with name, preview and unread badge; a new message moves its channel up", async () => {
    const res = await server.api('POST', '/channels/team/trip', {
      body: {
        members: ['eve', 'fay', 'gus'],
        created_by_id: 'eve',
        data: { name: 'Trip planning' },
      },
    });
    expect(res.status).toBe(201);
    await server.createChannel('team', 'fay-eve', ['eve', 'fay'], 'eve');
    await server.createChannel('team', 'gus-eve', ['eve', 'gus'], 'eve');
    const fay = await connect('fay');
    const gus = await connect('gus');
    await say(fay, 'fay-eve', 'lunch?');
    await say(fay, 'trip', 'see you at 9');
    await say(gus, 'gus-eve', 'hello eve');

    const onSelect = vi.fn<(channel: ClientChannel) => void>();
    renderAs(
      server,
      'eve',
      <ChannelList type="team" activeCid="team:gus-eve" onSelect={onSelect} />,
    );
    expect(await screen.findByRole('navigation', { name: 'Conversations' })).toBeTruthy();
    await waitFor(() =>
      expect(rows()).toEqual([
        { name: 'Gus', last: 'hello eve', unread: '1 unread', current: 'true' },
        { name: 'Trip planning', last: 'see you at 9', unread: '1 unread', current: null },
        { name: 'Fay', last: 'lunch?', unread: '1 unread', current: null },
      ]),
    );
    expect(document.querySelector('.parley-unread-badge')!.textContent).toBe('1');

    // A message in a conversation that is not open: its badge grows and it goes to the top.
    await say(fay, 'fay-eve', 'are you there?');
    await waitFor(() =>
      expect(rows()).toEqual([
        { name: 'Fay', last: 'are you there?', unread: '2 unread', current: null },
        { name: 'Gus', last: 'hello eve', unread: '1 unread', current: 'true' },
        { name: 'Trip planning', last: 'see you at 9', unread: '1 unread', current: null },
      ]),
    );

    act(() => screen.getByRole('button', { name: /^Trip planning/ }).click());
    expect(onSelect).toHaveBeenCalledTimes(1);
    expect(onSelect.mock.calls[0]![0].cid).toBe('team:trip');
  });

  it('moves a conversation up in the same render that shows its new message, watched or not', async () => {
    await server.createChannel('team', 'fay-gus', ['fay', 'gus'], 'fay');
    await server.createChannel('team', 'fay-eve2', ['fay', 'eve'], 'fay');
    const fay = await connect('fay');
    const gus = await connect('gus');
    await say(gus, 'fay-gus', 'first');
    await say(fay, 'fay-eve2', 'second');
    // fay has fay-eve2 open: it is watched, so its messages come as message.new.
    renderAs(
      server,
      'fay',
      <>
        <ChannelList type="team" />
        <Channel type="team" id="fay-eve2">
          <MessageList />
        </Channel>
      </>,
    );
    const names = () =>
      Array.from(document.querySelectorAll('.parley-channel-name')).map((n) => n.textContent);
    await waitFor(() => expect(names().slice(0, 2)).toEqual(['Eve', 'Gus']));

    // Every state the list passes through: the row showing the new text is already on top.
    const seen: { top: string | null | undefined; shown: boolean }[] = [];
    const observer = new MutationObserver(() => {
      const gusRow = screen.getByRole('button', { name: /^Gus/ });
      seen.push({
        top: names()[0],
        shown: gusRow.querySelector('.parley-channel-last')?.textContent === 'news',
      });
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    try {
      await say(gus, 'fay-gus', 'news'); // fay does not watch it: notification.message_new
      await waitFor(() => expect(seen.some((s) => s.shown)).toBe(true));
      expect(seen.filter((s) => s.shown && s.top !== 'Gus')).toEqual([]);
    } finally {
      observer.disconnect();
    }

    // The open conversation moves up without a new query of the list.
    const eve = await connect('eve');
    await say(eve, 'fay-eve2', 'back to you');
    await waitFor(() => expect(names().slice(0, 2)).toEqual(['Eve', 'Gus']));
  });
});

describe('MessageList loading older messages', () => {
  /** Every child of the list is this tall in the stubbed layout. */
  const ROW = 50;

  it('keeps the first visible message in place when an older page is added above it', async () => {
    await server.createChannel('team', 'long', ['ana', 'ben'], 'ana');
    const ben = await connect('ben');
    for (let i = 0; i < 80; i++) await say(ben, 'long', `m${i}`);

    // jsdom has no layout: each child of the list is a ROW tall, stacked from the top.
    const offsetTop = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetTop')!;
    Object.defineProperty(HTMLElement.prototype, 'offsetTop', {
      configurable: true,
      get(this: HTMLElement) {
        const parent = this.parentElement;
        if (parent === null || !parent.classList.contains('parley-message-list')) return 0;
        return Array.prototype.indexOf.call(parent.children, this) * ROW;
      },
    });
    try {
      renderAs(
        server,
        'ana',
        <Channel type="team" id="long">
          <MessageList />
        </Channel>,
      );
      await screen.findByText('m79');
      // The first page: the latest 25 messages, m55…m79.
      expect(articles()).toHaveLength(25);
      expect(articles()[0]!.textContent).toContain('m55');

      const log = screen.getByRole('log', { name: 'Messages' });
      let top = 0;
      Object.defineProperty(log, 'scrollHeight', {
        configurable: true,
        get: () => log.children.length * ROW,
      });
      Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 500 });
      Object.defineProperty(log, 'scrollTop', {
        configurable: true,
        get: () => top,
        set: (value: number) => {
          top = Math.max(0, Math.min(value, log.children.length * ROW - 500));
        },
      });

      // The reader scrolls to the very top: m55 is the first message on screen.
      top = 0;
      const m55 = articleWith('m55')!;
      const before = m55.offsetTop - top;
      fireEvent.scroll(log);
      // While the page loads, "Loading earlier messages…" goes in above m55 without moving it.
      expect(document.querySelector('.parley-loading-older')).not.toBeNull();
      expect(articleWith('m55')!.offsetTop - top).toBe(before);
      await waitFor(() => expect(articles()).toHaveLength(50));
      await waitFor(() => expect(document.querySelector('.parley-loading-older')).toBeNull());
      expect(articles()[0]!.textContent).toContain('m30');
      // 25 rows were added above m55: the list scrolled down by exactly their height, so m55
      // sits where it was.
      const after = articleWith('m55')!;
      expect(top).toBe(25 * ROW);
      expect(after.offsetTop - top).toBe(before);
    } finally {
      Object.defineProperty(HTMLElement.prototype, 'offsetTop', offsetTop);
    }
  });
});

describe('MessageInput offline', () => {
  it('shows a message sent while the server is unreachable as pending, and sends it once the link is back', async () => {
    await server.createChannel('team', 'offline', ['ana', 'ben'], 'ana');
    const proxy = await TcpProxy.start(Number(new URL(server.url).port));
    try {
      renderAs(
        server,
        'ana',
        <Channel type="team" id="offline">
          <ConnectionBanner graceMs={0} />
          <MessageList />
          <MessageInput />
        </Channel>,
        { url: proxy.url, clientOptions: { reconnect: { minDelayMs: 20, maxDelayMs: 100 } } },
      );
      await screen.findByText('No messages yet');

      proxy.pause();
      proxy.cut();
      await waitFor(() =>
        expect(document.querySelector('.parley-connection-banner')!.textContent).toMatch(
          /offline|Reconnecting/,
        ),
      );

      const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
      fireEvent.change(box, { target: { value: 'sent from a tunnel' } });
      fireEvent.keyDown(box, { key: 'Enter' });
      // Shown at once, pending, and not refused.
      expect(box.value).toBe('');
      // The client publishes state changes in a microtask; nothing else has to happen.
      await act(async () => undefined);
      const pending = articleWith('sent from a tunnel');
      expect(pending).toBeDefined();
      expect(pending!.querySelector('.parley-status-sending')?.textContent).toBe('Sending…');
      expect(document.querySelector('.parley-status-failed')).toBeNull();
      // It has not reached the server.
      const stored = await server.api<{ messages: { text: string }[] }>(
        'GET',
        '/channels/team/offline/messages',
      );
      expect(stored.body.messages).toHaveLength(0);
      expect(
        articleWith('sent from a tunnel')!.querySelector('.parley-status-sending'),
      ).not.toBeNull();

      proxy.resume();
      await waitFor(() => expect(document.querySelector('.parley-status-sending')).toBeNull(), {
        timeout: 10_000,
      });
      expect(document.querySelector('.parley-status-failed')).toBeNull();
      expect(articles().filter((a) => a.textContent?.includes('sent from a tunnel'))).toHaveLength(
        1,
      );
      const after = await server.api<{ messages: { text: string }[] }>(
        'GET',
        '/channels/team/offline/messages',
      );
      expect(after.body.messages.map((m) => m.text)).toEqual(['sent from a tunnel']);
    } finally {
      cleanup();
      await proxy.close();
    }
  });
});

describe('presence dots', () => {
  it("shows dee's avatar online while dee is connected and offline after dee disconnects", async () => {
    await server.createChannel('team', 'presence', ['ana', 'dee'], 'ana');
    const dee = await nodeClient(server, 'dee');
    try {
      await say(dee, 'presence', 'hi from dee');
      renderAs(
        server,
        'ana',
        <Channel type="team" id="presence">
          <MessageList />
        </Channel>,
      );
      await screen.findByText('hi from dee');
      const dot = () => articleWith('hi from dee')!.querySelector('.parley-presence')!;
      await waitFor(() => expect(dot().classList.contains('parley-presence-online')).toBe(true));
      expect(dot().classList.contains('parley-presence-offline')).toBe(false);
      expect(dot().getAttribute('aria-label')).toBe('Dee is online');
    } finally {
      await dee.disconnect();
    }
    const dot = () => articleWith('hi from dee')!.querySelector('.parley-presence')!;
    await waitFor(() => expect(dot().classList.contains('parley-presence-offline')).toBe(true));
    expect(dot().classList.contains('parley-presence-online')).toBe(false);
    expect(dot().getAttribute('aria-label')).toBe('Dee is offline');

    // And back: a new connection of dee turns it online again.
    await connect('dee');
    await waitFor(() => expect(dot().classList.contains('parley-presence-online')).toBe(true));
  });
});
