import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import {
  ClientPool,
  duplicateIds,
  recordTransitions,
  settle,
  withTimeout,
} from './helpers/chat-harness.js';
import { ServerProcess } from './helpers/server-process.js';
import { useProxiedServer } from './helpers/proxied-server.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { sleep, waitUntil } from './helpers/wait.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The channel's messages are exactly `ids`, in that order, with seqs that go up by one. */
function expectExactlyInOrder(messages: readonly any[], ids: string[]): void {
  expect(messages.map((m) => m.id)).toEqual(ids);
  const seqs = messages.map((m) => m.seq);
  expect(seqs.every((seq, i) => i === 0 || seq === seqs[i - 1] + 1)).toBe(true);
  expect(messages.every((m) => m.status === 'sent')).toBe(true);
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: reconnect through a broken network`, () => {
    let server: TestServer;
    let proxy: TcpProxy;

    // 100 messages from one user in a few seconds: the per-user limit would refuse some.
    const world = useProxiedServer(kind, ['alice', 'bob'], { limits: { messagesPerWindow: 0 } });
    const { pool } = world;
    beforeAll(() => {
      ({ server, proxy } = world);
    });

    it('shows all 100 messages sent while its link was down, in order and once each, after it gets back in', async () => {
      await server.createChannel('messaging', 'catch-up', ['alice', 'bob']);
      const alice = pool.create(proxy.url);
      const transitions = recordTransitions(alice);
      const named: string[] = [];
      alice.on('connection.reconnecting', () => named.push('reconnecting'));
      alice.on('connection.connected', () => named.push('connected'));
      const delivered: string[] = [];
      alice.on('message.new', (e: any) => delivered.push(e.message.id));
      await alice.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const channel = alice.channel('messaging', 'catch-up');
      await channel.watch();

      proxy.pause();
      proxy.cut();
      await waitUntil('alice to notice the lost link', () => alice.state === 'reconnecting');
      const bob = await server.tokenFor('bob');
      const ids = range(100).map((i) => `catch-up-${i}`);
      const refusedBefore = proxy.connectionAttempts;
      for (const [i, id] of ids.entries()) {
        if (i === 60) {
          // Let a few reconnect attempts be refused, then let alice back in while bob is
          // still writing: her recovery and his live messages overlap.
          await waitUntil(
            'refused reconnect attempts',
            () => proxy.connectionAttempts >= refusedBefore + 2,
          );
          proxy.resume();
        }
        const res = await server.api('POST', '/channels/messaging/catch-up/messages', {
          token: bob,
          body: { id, text: `message ${i}` },
        });
        expect(res.status).toBe(201);
      }

      await waitUntil(
        'alice to reconnect and recover 100 messages',
        () => alice.state === 'connected' && channel.state.messages.length >= 100,
        15_000,
      );
      await settle(); // a duplicate arriving late would show now
      expectExactlyInOrder(channel.state.messages, ids);
      expect(channel.state.lastSeq).toBe(channel.state.messages.at(-1)!.seq);
      expect(transitions).toEqual([
        'idle→connecting',
        'connecting→connected',
        'connected→reconnecting',
        'reconnecting→connected',
      ]);
      expect(named).toEqual(['connected', 'reconnecting', 'connected']);
      // Recovered events reach handlers too (client-spec deviation 6): each once, in order.
      expect(delivered).toEqual(ids);
    });
    it('shows messages missed while away even when the server’s first answers after the reconnect come too late', async () => {
      await server.createChannel('messaging', 'slow-return', ['alice', 'bob']);
      // 1 s, not less: the set-up calls must answer in time on a loaded 2-core CI machine.
      const alice = pool.create(proxy.url, { requestTimeoutMs: 1_000 });
      await alice.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const channel = alice.channel('messaging', 'slow-return');
      await channel.watch();

      proxy.pause();
      proxy.cut();
      await waitUntil('alice to notice the lost link', () => alice.state === 'reconnecting');
      const bob = await server.tokenFor('bob');
      const ids = range(5).map((i) => `missed-${i}`);
      for (const id of ids) {
        const res = await server.api('POST', '/channels/messaging/slow-return/messages', {
          token: bob,
          body: { id, text: id },
        });
        expect(res.status).toBe(201);
      }
      // Back, but the server's answers (connection.ok, the re-watch, the event log) come
      // later than requestTimeoutMs for a while: the first recovery attempt times out.
      proxy.delayServer(2_500);
      proxy.resume();
      await waitUntil('alice to be connected again', () => alice.state === 'connected', 10_000);
      await sleep(1_500); // the re-watch went out at once; its answer is late
      proxy.delayServer(0);

      // Nobody writes any more: only the client's own recovery can bring the five back.
      await waitUntil(
        'the messages missed while away',
        () => channel.state.messages.length >= 5,
        5_000,
        () => ({ state: alice.state, messages: channel.state.messages.map((m) => m.id) }),
      );
      expectExactlyInOrder(channel.state.messages, ids);
    });
  });

  describe(`${kind}: reconnect when the server goes quiet or dies`, () => {
    let server: ServerProcess;
    let proxy: TcpProxy;
    const pool = new ClientPool();

    beforeAll(async () => {
      // A short heartbeat lets a silent link be noticed in about a second.
      server = await ServerProcess.start(kind, { messagesPerWindow: 0, heartbeatMs: 500 });
      await server.createUsers('alice', 'bob');
      proxy = await TcpProxy.start(server.port);
    });
    afterEach(async () => {
      await pool.disconnectAll();
      proxy.cut();
    });
    afterAll(async () => {
      await proxy?.close();
      await server?.close();
    });

    it('notices a link that went silent (no close, no frames), reconnects and recovers what it missed', async () => {
      await server.createChannel('messaging', 'silent', ['alice', 'bob']);
      const alice = pool.create(proxy.url);
      const transitions = recordTransitions(alice);
      await alice.connectUser({ id: 'alice' }, server.tokenFor('alice'));
      const channel = alice.channel('messaging', 'silent');
      await channel.watch();

      // Nothing from the server gets through any more, and nothing says so: a half-open
      // link (a sleeping laptop, a NAT that forgot the connection).
      proxy.stall();
      const bob = server.tokenFor('bob');
      const ids = range(10).map((i) => `silent-${i}`);
      for (const id of ids) {
        const res = await server.api('POST', '/channels/messaging/silent/messages', {
          token: bob,
          body: { id, text: id },
        });
        expect(res.status).toBe(201);
      }
      // 2 × heartbeat_interval_ms (500) without a frame: the client gives up on the link
      // and connects again (a new link, which works).
      await waitUntil(
        'alice to reconnect and recover',
        () => alice.state === 'connected' && channel.state.messages.length >= 10,
        10_000,
        () => ({ transitions, messages: channel.state.messages.map((m) => m.id) }),
      );
      await settle();
      expectExactlyInOrder(channel.state.messages, ids);
      expect(transitions.slice(0, 3)).toEqual([
        'idle→connecting',
        'connecting→connected',
        'connected→reconnecting',
      ]);
      expect(transitions.at(-1)).toBe('reconnecting→connected');
    });

    it('has every acknowledged message — before the kill, after the restart and its own queued ones — in order and once each', async () => {
      await server.createChannel('messaging', 'crash', ['alice', 'bob']);
      const alice = pool.create(server.url, { apiKey: server.apiKey });
      const transitions = recordTransitions(alice);
      const delivered: string[] = [];
      alice.on('message.new', (e: any) => delivered.push(e.message.id));
      await alice.connectUser({ id: 'alice' }, server.tokenFor('alice'));
      const channel = alice.channel('messaging', 'crash');
      await channel.watch();

      const bobSends = async (ids: string[]) => {
        for (const id of ids) {
          const res = await server.api('POST', '/channels/messaging/crash/messages', {
            token: server.tokenFor('bob'),
            body: { id, text: id },
          });
          expect(res.status).toBe(201);
        }
      };
      const before = range(30).map((i) => `before-${i}`);
      await bobSends(before);
      await waitUntil('the live messages', () => channel.state.messages.length === 30);

      await server.kill('SIGKILL');
      await waitUntil('alice to notice the dead server', () => alice.state === 'reconnecting');
      const own = range(5).map((i) => `own-${i}`);
      const ownSends = own.map((id) => channel.sendMessage({ id, text: id }));
      expect(channel.state.messages.slice(-5).map((m) => [m.id, m.status])).toEqual(
        own.map((id) => [id, 'sending']),
      );

      await server.restart();
      const after = range(65).map((i) => `after-${i}`);
      await bobSends(after);
      const acknowledged = await withTimeout(Promise.all(ownSends), 15_000, 'the queued sends');
      expect(acknowledged.map((m) => m.status)).toEqual(own.map(() => 'sent'));

      await waitUntil(
        'alice to hold all 100 messages',
        () => alice.state === 'connected' && channel.state.messages.length >= 100,
        15_000,
      );
      await settle();
      const messages = channel.state.messages;
      const got = messages.map((m) => m.id);
      expect(duplicateIds(got)).toEqual([]);
      expect(got.slice(0, 30)).toEqual(before);
      expect(got.filter((id) => id.startsWith('after-'))).toEqual(after);
      expect(got.filter((id) => id.startsWith('own-'))).toEqual(own);
      expect(messages).toHaveLength(100);
      const seqs = messages.map((m) => m.seq);
      expect(seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1)).toBe(true);
      expect(messages.every((m) => m.status === 'sent')).toBe(true);
      expect(transitions.slice(0, 3)).toEqual([
        'idle→connecting',
        'connecting→connected',
        'connected→reconnecting',
      ]);
      expect(transitions.at(-1)).toBe('reconnecting→connected');
      expect(delivered).toEqual(got);

      // The server agrees: its history is the same 100 ids in the same order.
      const history = await server.api('GET', '/channels/messaging/crash/messages?limit=200');
      expect(history.body.messages.map((m: any) => m.id)).toEqual(got);
    });
  });
}
