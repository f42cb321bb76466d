import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TestServer } from '../../server/test/helpers/test-server.js';
import { ClientPool, countIds, duplicateIds, settle, withTimeout } from './helpers/chat-harness.js';
import { waitUntil } from './helpers/wait.js';

/** Far below the client's own limit (DEFAULT_LIMITS.maxMessageLength), so only the server refuses. */
const SERVER_MAX_LENGTH = 50;
/** Messages per user per second: a burst of 20 runs into \`rate_limited\`. */
const MESSAGES_PER_SECOND = 12;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: optimistic send`, () => {
    let server: TestServer;
    const pool = new ClientPool();

    const history = async (channelId: string): Promise<any[]> => {
      const res = await server.api('GET', `/channels/messaging/${channelId}/messages?limit=200`);
      expect(res.status).toBe(200);
      return res.body.messages;
    };

    const connectAlice = async (channelId: string) => {
      const alice = pool.create(server.url);
      await alice.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
      const channel = alice.channel('messaging', channelId);
      await channel.watch();
      return { alice, channel };
    };

    beforeAll(async () => {
      server = await TestServer.start(kind, {
        limits: {
          maxMessageLength: SERVER_MAX_LENGTH,
          messagesPerWindow: MESSAGES_PER_SECOND,
          rateWindowMs: 1_000,
        },
      });
      await server.createUsers('alice', 'bob');
    });
    afterEach(() => pool.disconnectAll());
    afterAll(async () => {
      await server?.close();
    });

    it('never shows its own message twice: the echo replaces the optimistic copy', async () => {
      await server.createChannel('messaging', 'echo', ['alice', 'bob']);
      const { alice, channel } = await connectAlice('echo');
      const shownTwice: string[] = [];
      channel.on('state.changed', (state: any) => {
        for (const [id, n] of countIds(state.messages)) if (n > 1) shownTwice.push(id);
      });
      const delivered: string[] = [];
      alice.on('message.new', (e: any) => delivered.push(e.message.id));

      const bob = await server.tokenFor('bob');
      const sends = [];
      const theirs: Promise<unknown>[] = [];
      const ownIds: string[] = [];
      for (let i = 0; i < 10; i += 1) {
        sends.push(channel.sendMessage({ text: `mine ${i}` }));
        const optimistic = channel.state.messages.at(-1)!;
        expect(optimistic).toMatchObject({ text: `mine ${i}`, status: 'sending', seq: 0 });
        expect(optimistic.user?.id ?? optimistic.user_id).toBe('alice');
        ownIds.push(optimistic.id);
        // Someone else writes at the same time, so echoes and acks interleave with events.
        if (i % 2 === 0) {
          theirs.push(
            server.api('POST', '/channels/messaging/echo/messages', {
              token: bob,
              body: { text: `theirs ${i}` },
            }),
          );
        }
      }
      const sent = await withTimeout(Promise.all(sends), 10_000, 'the sends');
      expect(sent.map((m) => m.id)).toEqual(ownIds);
      expect((await Promise.all(theirs)).map((res: any) => res.status)).toEqual([
        201, 201, 201, 201, 201,
      ]);

      await waitUntil('every echo and every message from bob', () => {
        const messages = channel.state.messages;
        return messages.length >= 15 && messages.every((m) => m.status === 'sent' && m.seq > 0);
      });
      await settle();
      const messages = channel.state.messages;
      expect(shownTwice).toEqual([]);
      expect(messages).toHaveLength(15);
      expect(messages.filter((m) => m.user_id === 'alice').map((m) => m.id)).toEqual(ownIds);
      const seqs = messages.map((m) => m.seq);
      expect(seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1)).toBe(true);
      expect(messages.map((m) => m.id)).toEqual((await history('echo')).map((m) => m.id));
      expect(duplicateIds(delivered)).toEqual([]);
    });

    it('keeps messages refused with rate_limited as sending and delivers them once, in order, when allowed', async () => {
      await server.createChannel('messaging', 'burst', ['alice', 'bob']);
      const { alice, channel } = await connectAlice('burst');
      const statuses = new Map<string, string[]>();
      channel.on('state.changed', (state: any) => {
        for (const m of state.messages) {
          const list = statuses.get(m.id) ?? [];
          if (list.at(-1) !== m.status) list.push(m.status);
          statuses.set(m.id, list);
        }
      });
      const sends = Array.from({ length: 20 }, (_, i) =>
        channel.sendMessage({ text: `burst ${i}` }),
      );
      const ids = channel.state.messages.map((m) => m.id);

      const sent = await withTimeout(Promise.all(sends), 10_000, 'the burst');
      // The burst really was refused on the way (the server counts its errors by code).
      const metrics = await server.api('GET', '/metrics', { token: null });
      expect(metrics.body).toMatch(/parley_errors_total\{code="rate_limited",node="[^"]*"\} [1-9]/);
      expect(sent.map((m) => m.id)).toEqual(ids);
      expect((await history('burst')).map((m) => m.id)).toEqual(ids);
      for (const id of ids) expect(statuses.get(id)).toEqual(['sending', 'sent']);
      expect(alice.pendingCount).toBe(0);
    });

    it('marks a message the server refuses as failed, with the server’s code, and does not retry it', async () => {
      await server.createChannel('messaging', 'too-long', ['alice', 'bob']);
      const { alice, channel } = await connectAlice('too-long');
      const text = 'x'.repeat(SERVER_MAX_LENGTH + 10);

      await expect(
        withTimeout(channel.sendMessage({ id: 'too-long-1', text }), 10_000, 'the send'),
      ).rejects.toMatchObject({ code: 'message_too_long' });
      const shown = channel.state.messages.filter((m) => m.id === 'too-long-1');
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatchObject({ status: 'failed', error: { code: 'message_too_long' } });
      expect(alice.pendingCount).toBe(0);
      await settle();
      expect(await history('too-long')).toEqual([]);
    });

    it('fails a send after the user was removed with not_member, and retry() after re-adding sends it once', async () => {
      await server.createChannel('messaging', 'removed', ['alice', 'bob'], 'bob');
      const { alice, channel } = await connectAlice('removed');
      const members = (method: string) =>
        server.api(method, '/channels/messaging/removed/members', {
          body: { user_ids: ['alice'] },
        });
      expect((await members('DELETE')).status).toBe(200);

      await expect(
        withTimeout(channel.sendMessage({ id: 'comeback', text: 'hello?' }), 10_000, 'the send'),
      ).rejects.toMatchObject({ code: 'not_member' });
      expect(channel.state.messages.filter((m) => m.id === 'comeback')).toMatchObject([
        { status: 'failed', error: { code: 'not_member' } },
      ]);
      expect(alice.pendingCount).toBe(0);

      expect((await members('POST')).status).toBe(200);
      const retried = await withTimeout(channel.retry('comeback'), 10_000, 'retry()');
      expect(retried).toMatchObject({ id: 'comeback', status: 'sent' });
      expect(retried.seq).toBeGreaterThan(0);
      await settle();
      expect((await history('removed')).map((m) => m.id)).toEqual(['comeback']);
      expect(channel.state.messages.filter((m) => m.id === 'comeback')).toMatchObject([
        { status: 'sent' },
      ]);
      expect(alice.pendingCount).toBe(0);
    });
  });
}
