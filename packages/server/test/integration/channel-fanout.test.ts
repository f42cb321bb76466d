import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { Frame, TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: channel fan-out`, () => {
    let server: TestServer;
    const open: TestClient[] = [];

    beforeAll(async () => {
      server = await TestServer.start(kind);
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

    async function sendAs(userId: string, cid: string, text: string): Promise<string> {
      const [type, id] = cid.split(':') as [string, string];
      const res = await server.api('POST', `/channels/${type}/${id}/messages`, {
        token: await server.tokenFor(userId),
        body: { text },
      });
      expect(res.status).toBe(201);
      return res.body.message.id;
    }

    it('delivers every message exactly once to every member watching', async () => {
      await server.createUsers('ann', 'ben', 'cat');
      const cid = await server.createChannel('team', 'everyone', ['ann', 'ben', 'cat']);
      const clients = await Promise.all(['ann', 'ben', 'cat'].map(connect));
      for (const client of clients) await client.watch(cid);

      // All three send at once, five messages each, without waiting for one another.
      const results = await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 5 }, (_, i) => client.sendMessage(cid, `from ${c}: ${i}`)),
        ),
      );
      const sentIds = results.map((r) => r.message.id as string).sort();
      expect(new Set(sentIds).size).toBe(15);

      const orders: string[][] = [];
      for (const client of clients) {
        await client.waitForCount('message.new', 15, (f) => f.cid === cid);
        await client.ping();
        const received = client.ofType('message.new').filter((f) => f.cid === cid);
        const perId = countBy(received.map((f) => f.message.id as string));
        expect([...perId.keys()].sort()).toEqual(sentIds);
        expect([...perId.values()].every((n) => n === 1)).toBe(true);
        // Watchers get events, not notifications, for a channel they watch.
        expect(client.ofType('notification.message_new')).toEqual([]);
        // In seq order, so the live list matches the history.
        const seqs = received.map((f) => f.seq as number);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        orders.push(received.map((f) => f.message.id as string));
      }
      // Everyone sees one order: the order of the channel's seqs.
      expect(orders[1]).toEqual(orders[0]);
      expect(orders[2]).toEqual(orders[0]);
    });

    it('delivers the events of a busy channel to every watcher in seq order, without gaps', async () => {
      const senders = Array.from({ length: 8 }, (_, i) => `busy${i}`);
      await server.createUsers(...senders, 'reader1', 'reader2');
      const cid = await server.createChannel('team', 'busy', [...senders, 'reader1', 'reader2']);
      const readers = await Promise.all(['reader1', 'reader2'].map(connect));
      for (const reader of readers) await reader.watch(cid);
      const clients = await Promise.all(senders.map(connect));

      // Everyone talks at once without waiting for answers; half of them also mark the
      // channel read as they go.
      await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 12 }, async (_, i) => {
            await client.sendMessage(cid, `${c}: ${i}`);
            if (c % 2 === 0) await client.request({ type: 'channel.read', cid });
          }),
        ),
      );
      const lastSeq: number = (await server.api('GET', '/channels/team/busy')).body.channel
        .last_seq;

      for (const reader of readers) {
        await reader.waitFor((f) => f.cid === cid && f.seq === lastSeq);
        const seqs = reader.frames.filter((f) => f.cid === cid && 'seq' in f).map((f) => f.seq);
        // A client that sees seq n+2 right after n assumes it missed n+1 and resyncs.
        expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
      }
    });

    it('notifies a connected member who does not watch, with unread counts', async () => {
      await server.createUsers('dan', 'eva', 'fay');
      const cid = await server.createChannel('team', 'notify', ['dan', 'eva', 'fay']);
      const side = await server.createChannel('team', 'notify-side', ['dan', 'fay']);
      const dan = await connect('dan');
      const eva = await connect('eva');
      const fay = await connect('fay');
      await dan.watch(cid);
      await eva.watch(cid);
      // Fay is online but has neither channel open.

      await sendAs('dan', side, 'elsewhere 1');
      await sendAs('dan', side, 'elsewhere 2');
      const sent: string[] = [];
      for (let i = 1; i <= 3; i++) sent.push(await sendAs('eva', cid, `hello ${i}`));

      const notes = await fay.waitForCount('notification.message_new', 5);
      const here = notes.filter((f) => f.cid === cid);
      expect(here.map((f) => f.message.id).sort()).toEqual([...sent].sort());
      const last = here.find((f) => f.message.id === sent[2]) as Frame;
      expect(last.message.text).toBe('hello 3');
      expect(last.message.user_id).toBe('eva');
      expect(last.channel.cid).toBe(cid);
      expect(last.unread_count).toBe(3);
      expect(last.total_unread_count).toBe(5);
      expect(last.unread_channels).toBe(2);
      // Not watching means no channel events at all.
      expect(fay.ofType('message.new')).toEqual([]);

      const unread = await server.api('GET', '/unread', { token: await server.tokenFor('fay') });
      expect(unread.body.total_unread_count).toBe(5);
    });

    it('does not notify the sender of their own message', async () => {
      await server.createUsers('gil', 'hal');
      const cid = await server.createChannel('team', 'self', ['gil', 'hal']);
      const gil = await connect('gil');
      const hal = await connect('hal');

      for (let i = 1; i <= 3; i++) await gil.sendMessage(cid, `mine ${i}`);
      const reply = await sendAs('hal', cid, 'a reply');

      // Gil's notification for Hal's reply comes after any for his own messages would have.
      const note = await gil.waitFor((f) => f.type === 'notification.message_new');
      expect(note.message.id).toBe(reply);
      expect(note.unread_count).toBe(1);
      expect(note.total_unread_count).toBe(1);
      await hal.waitForCount('notification.message_new', 3);
      await gil.ping();
      expect(gil.ofType('notification.message_new').map((f) => f.message.id)).toEqual([reply]);
      expect(hal.ofType('notification.message_new')).toHaveLength(3);
    });
  });
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
