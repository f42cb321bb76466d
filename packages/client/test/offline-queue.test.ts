import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { LocalStorageQueueStore } from '../src/index.js';
import { countIds, recordingWebSocket, settle, withTimeout } from './helpers/chat-harness.js';
import { MemoryStorage } from './helpers/memory-storage.js';
import { useProxiedServer } from './helpers/proxied-server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { sleep, waitUntil } from './helpers/wait.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: offline queue`, () => {
    let server: TestServer;
    let proxy: TcpProxy;

    /** The channel's stored history, read from the server directly (not through the proxy). */
    const history = async (channelId: string): Promise<any[]> => {
      const res = await server.api('GET', `/channels/messaging/${channelId}/messages?limit=200`);
      expect(res.status).toBe(200);
      return res.body.messages;
    };

    /** Records each message's statuses in order, one entry per change. */
    const recordStatuses = (channel: any): Map<string, string[]> => {
      const statuses = new Map<string, string[]>();
      const seen = (state: any) => {
        for (const m of state.messages) {
          const list = statuses.get(m.id) ?? [];
          if (list.at(-1) !== m.status) list.push(m.status);
          statuses.set(m.id, list);
        }
      };
      channel.on('state.changed', seen);
      return statuses;
    };

    const world = useProxiedServer(kind, ['alice', 'bob']);
    const { pool } = world;
    beforeAll(() => {
      ({ server, proxy } = world);
    });

    it('shows 20 messages written offline as sending, then delivers each exactly once, in order, after reconnecting', async () => {
      await server.createChannel('messaging', 'offline', ['alice', 'bob']);
      const alice = pool.create(proxy.url);
      await alice.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const channel = alice.channel('messaging', 'offline');
      await channel.watch();
      const statuses = recordStatuses(channel);

      proxy.pause();
      proxy.cut();
      await waitUntil('alice to notice the lost link', () => alice.state === 'reconnecting');
      const sends = range(20).map((i) => channel.sendMessage({ text: `offline ${i}` }));
      const pending = channel.state.messages;
      expect(pending.map((m) => m.text)).toEqual(range(20).map((i) => `offline ${i}`));
      expect(pending.every((m) => m.status === 'sending')).toBe(true);
      expect(alice.pendingCount).toBe(20);
      const ids = pending.map((m) => m.id);

      await sleep(300); // offline for a while: sends must wait, not fail
      expect(channel.state.messages.every((m) => m.status === 'sending')).toBe(true);
      proxy.resume();

      const sent = await withTimeout(Promise.all(sends), 15_000, 'the 20 queued sends');
      expect(sent.map((m) => m.id)).toEqual(ids);
      expect(sent.every((m) => m.status === 'sent')).toBe(true);
      const stored = await history('offline');
      expect(stored.map((m) => m.id)).toEqual(ids);
      expect(stored.map((m) => m.text)).toEqual(range(20).map((i) => `offline ${i}`));

      await waitUntil('the echoes to settle', () =>
        channel.state.messages.every((m) => m.status === 'sent' && m.seq > 0),
      );
      await settle();
      expect(channel.state.messages.map((m) => m.id)).toEqual(ids);
      expect(alice.pendingCount).toBe(0);
      for (const id of ids) expect(statuses.get(id)).toEqual(['sending', 'sent']);
    });

    it('sends an offline queue once when the server’s answers come too late and are retried, and keeps watching', async () => {
      await server.createChannel('messaging', 'slow-return', ['alice', 'bob']);
      const { WebSocket, record } = recordingWebSocket();
      // 1 s, not less: the set-up calls must answer in time on a loaded 2-core CI machine.
      const alice = pool.create(proxy.url, { requestTimeoutMs: 1_000, WebSocket });
      await alice.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const channel = alice.channel('messaging', 'slow-return');
      await channel.watch();
      const statuses = recordStatuses(channel);

      proxy.pause();
      proxy.cut();
      await waitUntil('alice to notice the lost link', () => alice.state === 'reconnecting');
      const sends = range(20).map((i) => channel.sendMessage({ text: `late ${i}` }));
      const ids = channel.state.messages.map((m) => m.id);
      // Back online, but every answer (connection.ok, the re-watch, each ack) comes late.
      proxy.delayServer(2_500);
      proxy.resume();
      await waitUntil(
        'the server to store the first',
        async () => (await history('slow-return')).length > 0,
        10_000,
      );
      await sleep(1_500); // past requestTimeoutMs: the client gave up on the first answer
      proxy.delayServer(0);

      const sent = await withTimeout(Promise.all(sends), 15_000, 'the queued sends');
      expect(sent.map((m) => m.id)).toEqual(ids);
      expect((await history('slow-return')).map((m) => m.id)).toEqual(ids);
      const attempts = countIds(
        record.sent.filter((f) => f.type === 'message.send').map((f) => f.message),
      );
      expect(attempts.get(ids[0]!)).toBeGreaterThan(1);
      for (const id of ids) expect(statuses.get(id)).toEqual(['sending', 'sent']);
      expect(alice.pendingCount).toBe(0);

      // The re-watch timed out too; the channel must still get live messages.
      const res = await server.api('POST', '/channels/messaging/slow-return/messages', {
        token: await server.tokenFor('bob'),
        body: { id: 'live-after', text: 'still there?' },
      });
      expect(res.status).toBe(201);
      await waitUntil(
        'bob’s message to reach alice',
        () => channel.state.messages.some((m) => m.id === 'live-after'),
        5_000,
      );
      expect(channel.state.messages.map((m) => m.id)).toEqual([...ids, 'live-after']);
      expect(channel.state.watching).toBe(true);
    });

    it('keeps queued messages across a reload (LocalStorageQueueStore) and sends them once', async () => {
      await server.createChannel('messaging', 'reload', ['alice', 'bob']);
      const storage = new MemoryStorage();
      const storeFor = () => new LocalStorageQueueStore('parley.queue', storage);

      const before = pool.create(proxy.url, { queueStore: storeFor() });
      await before.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const first = before.channel('messaging', 'reload');
      await first.watch();
      proxy.pause();
      proxy.cut();
      await waitUntil(
        'the first client to notice the lost link',
        () => before.state === 'reconnecting',
      );
      const sends = range(3).map((i) => first.sendMessage({ text: `kept ${i}` }));
      for (const send of sends) send.catch(() => {}); // the page goes away before they are sent
      const ids = first.state.messages.map((m) => m.id);
      await waitUntil('the queue to reach storage', () => {
        const saved = storage.getItem('parley.queue');
        return saved !== null && ids.every((id) => saved.includes(id));
      });
      await withTimeout(before.disconnect(), 5_000, 'disconnect()');
      expect(await history('reload')).toEqual([]);

      proxy.resume();
      const after = pool.create(proxy.url, { queueStore: storeFor() });
      await after.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const second = after.channel('messaging', 'reload');
      const shownTwice: string[] = [];
      second.on('state.changed', (state: any) => {
        for (const [id, n] of countIds(state.messages)) if (n > 1) shownTwice.push(id);
      });
      await second.watch();
      await waitUntil('the reloaded client to send the queue', async () =>
        (await history('reload')).length === 3 ? true : undefined,
      );
      await waitUntil('the queue to drain', () => after.pendingCount === 0);
      await settle();
      const stored = await history('reload');
      expect(stored.map((m) => m.id)).toEqual(ids);
      expect(stored.map((m) => m.text)).toEqual(['kept 0', 'kept 1', 'kept 2']);
      await waitUntil('the sent messages in the channel', () =>
        ids.every((id) => second.state.messages.some((m) => m.id === id && m.status === 'sent')),
      );
      expect(second.state.messages.map((m) => m.id)).toEqual(ids);
      expect(shownTwice).toEqual([]);
      const saved = storage.getItem('parley.queue');
      expect(saved === null || ids.every((id) => !saved.includes(id))).toBe(true);
    });
  });
}
