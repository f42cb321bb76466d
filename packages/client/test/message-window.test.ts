import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import type { LocalMessage } from '../src/index.js';
import { settle } from './helpers/chat-harness.js';
import { useProxiedServer } from './helpers/proxied-server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { waitUntil } from './helpers/wait.js';

const numbers = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** What a channel shows: bob's messages `w<channel>-<n>` as n, others by id; only stored ones. */
const shown = (messages: readonly LocalMessage[]) =>
  messages.map((m) => {
    expect(m.status).toBe('sent');
    const bobs = /^w\d+-(\d+)$/.exec(m.id);
    return bobs === null ? m.id : Number(bobs[1]);
  });

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: a channel keeps a window of messages`, () => {
    let server: TestServer;
    let proxy: TcpProxy;
    let bob: string;
    let n = 0;

    const world = useProxiedServer(kind, ['alice', 'bob'], { limits: { messagesPerWindow: 0 } });
    const { pool } = world;
    beforeAll(async () => {
      ({ server, proxy } = world);
      bob = await server.tokenFor('bob');
    });

    /** A fresh channel of alice and bob, and bob's `say(from, to)` writing messages from … to. */
    async function freshChannel() {
      const id = `window-${++n}`;
      const messageId = (i: number) => `w${n}-${i}`;
      await server.createChannel('messaging', id, ['alice', 'bob']);
      const say = async (from: number, to: number) => {
        for (const i of numbers(from, to)) {
          const res = await server.api('POST', `/channels/messaging/${id}/messages`, {
            token: bob,
            body: { id: messageId(i), text: `message ${i}` },
          });
          expect(res.status).toBe(201);
        }
      };
      return { id, say, ids: (from: number, to: number) => numbers(from, to).map(messageId) };
    }

    async function alice(id: string, maxMessages: number, url = server.url) {
      const client = pool.create(url, { maxMessages });
      await client.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const channel = client.channel('messaging', id);
      const delivered: string[] = [];
      channel.on('message.new', (e) => delivered.push(e.message.id));
      await channel.watch({ messageLimit: 10 });
      return { client, channel, delivered };
    }

    it('holds the newest messages in order, each once, drops older pages and loads them again on scroll', async () => {
      const { id, say, ids } = await freshChannel();
      await say(1, 10);
      const { channel, delivered } = await alice(id, 30);
      expect(shown(channel.state.messages)).toEqual(numbers(1, 10));

      await say(11, 60);
      await waitUntil('the 60th message', () => channel.state.lastSeq >= 60);
      await settle(100);
      expect(shown(channel.state.messages)).toEqual(numbers(31, 60));
      expect(channel.state.hasMoreOlder).toBe(true);
      expect(delivered).toEqual(ids(11, 60));

      // Scrolling back: dropped pages come again from the server; past 30 the newest go.
      await channel.loadOlder(25);
      expect(shown(channel.state.messages)).toEqual(numbers(6, 35));
      expect([channel.state.hasMoreOlder, channel.state.hasMoreNewer]).toEqual([true, true]);
      await channel.loadOlder(25);
      expect(shown(channel.state.messages)).toEqual(numbers(1, 30));
      expect(channel.state.hasMoreOlder).toBe(false);

      // Far back, new messages wait to be loaded but still count as unread.
      const unread = channel.state.unreadCount;
      await say(61, 63);
      await waitUntil('the 63rd message', () => channel.state.lastSeq >= 63);
      expect(shown(channel.state.messages)).toEqual(numbers(1, 30));
      expect(channel.state.unreadCount).toBe(unread + 3);

      // Scrolling down again reaches the newest: no gap, nothing twice.
      while (channel.state.hasMoreNewer) await channel.loadNewer(25);
      expect(shown(channel.state.messages)).toEqual(numbers(34, 63));
      await say(64, 64);
      await waitUntil('the 64th message', () => shown(channel.state.messages).at(-1) === 64);
      expect(shown(channel.state.messages)).toEqual(numbers(35, 64));
    });

    it('jumps back to the latest: the loaded pages are dropped and the newest page shown', async () => {
      const { id, say } = await freshChannel();
      await say(1, 40);
      const { channel } = await alice(id, 20);
      await channel.loadOlder(20);
      await channel.loadOlder(20);
      expect(shown(channel.state.messages)).toEqual(numbers(1, 20));
      expect(channel.state.hasMoreNewer).toBe(true);

      await channel.loadLatest(5);
      expect(shown(channel.state.messages)).toEqual(numbers(36, 40));
      expect([channel.state.hasMoreOlder, channel.state.hasMoreNewer]).toEqual([true, false]);
      const mine = await channel.sendMessage({ text: 'back at the latest' });
      await say(41, 41);
      await waitUntil('the 41st message', () => shown(channel.state.messages).at(-1) === 41);
      expect(shown(channel.state.messages)).toEqual([36, 37, 38, 39, 40, mine.id, 41]);
    });

    it('after a reconnect, shows the newest of the messages missed, in order and once each', async () => {
      const { id, say, ids } = await freshChannel();
      await say(1, 5);
      const { client, channel, delivered } = await alice(id, 20, proxy.url);
      proxy.pause();
      proxy.cut();
      await waitUntil('alice to notice the lost link', () => client.state === 'reconnecting');
      await say(6, 80);
      proxy.resume();
      await waitUntil('the missed messages', () => channel.state.lastSeq >= 80, 15_000);
      await settle();
      expect(shown(channel.state.messages)).toEqual(numbers(61, 80));
      expect(delivered).toEqual(ids(6, 80));
      await channel.loadOlder(25);
      expect(shown(channel.state.messages)).toEqual(numbers(36, 55));
    });
  });
}
