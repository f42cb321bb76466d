import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSED_TEXT, withRefusedText } from '../helpers/refused-text.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

/*
 * Sends that arrive together are stored together, in one transaction (group commit).
 * What a user sees must not change: every acknowledged message is stored, readable at
 * once and delivered in seq order; a bad send fails alone.
 */
for (const kind of STORAGE_KINDS) {
  describe(`${kind}: many sends at once`, () => {
    let server: TestServer;
    const open: TestClient[] = [];
    const senders = Array.from({ length: 20 }, (_, i) => `sender${i}`);

    beforeAll(async () => {
      // Rate limits off: this is a burst far above what a person sends.
      server = await TestServer.start(kind, { limits: { messagesPerWindow: 0 } });
      await server.createUsers(...senders, 'watcher1', 'watcher2', 'outsider');
    });

    afterAll(async () => {
      await Promise.all(open.map((c) => c.close()));
      await server?.close();
    });

    async function connect(userId: string): Promise<TestClient> {
      const client = await server.connect(userId);
      open.push(client);
      return client;
    }

    /** A channel of every sender and both watchers, watched by both. */
    async function watchedChannel(id: string) {
      const cid = await server.createChannel('team', id, [...senders, 'watcher1', 'watcher2']);
      const watchers = await Promise.all(['watcher1', 'watcher2'].map(connect));
      for (const watcher of watchers) await watcher.watch(cid);
      return { cid, watchers };
    }

    /** The `message.new` seqs a watcher received for the channel, once it has `count`. */
    async function seqsSeenBy(watcher: TestClient, cid: string, count: number) {
      await watcher.waitForCount('message.new', count, (f) => f.cid === cid);
      await watcher.ping();
      return watcher
        .ofType('message.new')
        .filter((f) => f.cid === cid)
        .map((f) => f.seq as number);
    }

    const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

    it('acknowledges 200 sends from 20 sockets to one channel, and every watcher gets seqs 1..200 in order', async () => {
      const { cid, watchers } = await watchedChannel('burst');
      const clients = await Promise.all(senders.map(connect));

      // Each socket sends its ten frames at once, without waiting for an answer.
      const acks = await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 10 }, (_, i) => client.sendMessage(cid, `${c}/${i}`)),
        ),
      );
      expect(acks.every((a) => a.duplicate === false)).toBe(true);
      expect(acks.map((a) => a.message.seq as number).sort((x, y) => x - y)).toEqual(range(200));
      // One socket's messages are stored in the order it sent them.
      clients.forEach((_, c) => {
        const own = acks.slice(c * 10, c * 10 + 10).map((a) => a.message.seq as number);
        expect(own).toEqual([...own].sort((x, y) => x - y));
      });

      for (const watcher of watchers)
        expect(await seqsSeenBy(watcher, cid, 200)).toEqual(range(200));
      const history = await server.api('GET', `/channels/team/burst/messages?limit=200`);
      expect(history.body.messages.map((m: { seq: number }) => m.seq)).toEqual(range(200));
    });

    it('stores the sends one socket pipelines in the order sent, and a later frame sees them', async () => {
      const { cid, watchers } = await watchedChannel('pipelined');
      const client = await connect('sender0');
      // Forty sends without waiting, then a read of the last one: frames other than sends
      // wait for the sends before them to be stored.
      const acks = Array.from({ length: 40 }, (_, i) =>
        client.sendMessage(cid, `in order ${i}`, `pipelined-${i}`),
      );
      const read = client.request({ type: 'channel.read', cid, message_id: 'pipelined-39' });
      const stored = await Promise.all(acks);
      expect(stored.map((a) => a.message.seq)).toEqual(range(40));
      expect(await read).toMatchObject({ read: { last_read_seq: 40 } });
      for (const watcher of watchers) {
        await watcher.waitForCount('message.new', 40, (f) => f.cid === cid);
        const texts = watcher
          .ofType('message.new')
          .filter((f) => f.cid === cid)
          .map((f) => f.message.text);
        expect(texts).toEqual(Array.from({ length: 40 }, (_, i) => `in order ${i}`));
      }
    });

    it('acknowledges a send only once the message can be read from another connection', async () => {
      const { cid } = await watchedChannel('readable');
      const clients = await Promise.all(senders.map(connect));
      const readBack = await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 5 }, async (_, i) => {
            const ack = await client.sendMessage(cid, `${c}/${i}`);
            // Asked at once, over a request of its own.
            const res = await server.api(
              'GET',
              `/channels/team/readable/events?since_seq=${ack.message.seq - 1}&limit=1`,
            );
            return [res.body.events[0]?.message?.id, ack.message.id];
          }),
        ),
      );
      for (const [read, sent] of readBack) expect(read).toBe(sent);
    });

    it('stores an id sent from several sockets at the same moment once', async () => {
      const { cid, watchers } = await watchedChannel('same-id');
      const tabs = await Promise.all(Array.from({ length: 6 }, () => connect('sender0')));
      const acks = await Promise.all(
        tabs.flatMap((tab) => [
          tab.sendMessage(cid, 'from a flaky network', 'retried-id'),
          tab.sendMessage(cid, `unique from ${tabs.indexOf(tab)}`),
        ]),
      );
      const same = acks.filter((a) => a.message.id === 'retried-id');
      expect(same.filter((a) => a.duplicate === false)).toHaveLength(1);
      expect(new Set(same.map((a) => a.message.seq)).size).toBe(1);
      // The retry took no seq: 1 stored message + 6 unique ones.
      for (const watcher of watchers) expect(await seqsSeenBy(watcher, cid, 7)).toEqual(range(7));
      const sameIdEvents = watchers[0]!
        .ofType('message.new')
        .filter((f) => f.cid === cid && f.message.id === 'retried-id');
      expect(sameIdEvents).toHaveLength(1);
    });

    it('fails a refused send alone: the sends around it are stored without a gap', async () => {
      const { cid, watchers } = await watchedChannel('mixed');
      const elsewhere = await server.createChannel('team', 'elsewhere', ['sender0']);
      await (await connect('sender0')).sendMessage(elsewhere, 'taken', 'taken-id');
      const outsider = await connect('outsider');
      const clients = await Promise.all(senders.slice(0, 10).map(connect));

      const results = await Promise.allSettled([
        ...clients.map((client, c) => client.sendMessage(cid, `good ${c}`)),
        outsider.sendMessage(cid, 'not a member'),
        clients[1]!.sendMessage(cid, 'id used in another channel', 'taken-id'),
        clients[2]!.sendMessage('team:no-such-channel', 'nowhere'),
        ...clients.map((client, c) => client.sendMessage(cid, `good again ${c}`)),
      ]);
      const codes = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r.reason as { code: string }).code);
      expect(codes).toEqual(['not_member', 'message_id_conflict', 'channel_not_found']);
      const stored = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(stored.map((a) => a.message.seq as number).sort((x, y) => x - y)).toEqual(range(20));
      for (const watcher of watchers) expect(await seqsSeenBy(watcher, cid, 20)).toEqual(range(20));
    });

    it('notifies a member who does not watch of every message of a burst, counting them all', async () => {
      const cid = await server.createChannel('team', 'notified', [...senders, 'outsider']);
      const idle = await connect('outsider');
      const clients = await Promise.all(senders.map(connect));
      const acks = await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 3 }, (_, i) => client.sendMessage(cid, `${c}/${i}`)),
        ),
      );

      const notes = await idle.waitForCount('notification.message_new', 60, (f) => f.cid === cid);
      await idle.ping();
      const notified = idle.ofType('notification.message_new').filter((f) => f.cid === cid);
      expect(notified.map((f) => f.message.id as string).sort()).toEqual(
        acks.map((a) => a.message.id as string).sort(),
      );
      // Counts never go down, and the last notification counts every message.
      const counts = notes.map((f) => f.unread_count as number);
      expect(counts).toEqual([...counts].sort((x, y) => x - y));
      expect(notified.at(-1)).toMatchObject({ unread_count: 60, total_unread_count: 60 });
    });

    it('stores the other sends of a burst when the database refuses one message', async () => {
      const { cid, watchers } = await watchedChannel('refused');
      const clients = await Promise.all(senders.map(connect));
      const results = await withRefusedText(kind, server.server.config, () =>
        Promise.allSettled(
          clients.map((client, c) => client.sendMessage(cid, c === 7 ? REFUSED_TEXT : `ok ${c}`)),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(
        clients.map((_, c) => (c === 7 ? 'rejected' : 'fulfilled')),
      );
      expect((results[7] as PromiseRejectedResult).reason).toMatchObject({
        code: 'internal_error',
      });
      for (const watcher of watchers) expect(await seqsSeenBy(watcher, cid, 19)).toEqual(range(19));
      const history = await server.api('GET', `/channels/team/refused/messages`);
      expect(history.body.messages.map((m: { text: string }) => m.text)).not.toContain(
        REFUSED_TEXT,
      );
      expect(history.body.messages).toHaveLength(19);
    });
  });
}
