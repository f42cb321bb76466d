import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { Frame, TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

const CHANNEL_EVENT_TYPES = [
  'message.new',
  'message.read',
  'member.added',
  'member.removed',
  'channel.updated',
];

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: recovering missed events after a reconnect`, () => {
    const cid = 'team:recovery';
    const path = '/channels/team/recovery';
    let server: TestServer;
    const open: TestClient[] = [];
    /** Dave watches the whole time: what he was sent is what a reconnecting client must get. */
    let dave: TestClient;
    let bob: TestClient;
    /** The last seq Alice saw before her connection dropped. */
    let lastSeen: number;
    /** The channel's last seq when Alice comes back. */
    let lastSeq: number;

    async function connect(userId: string): Promise<TestClient> {
      const client = await server.connect(userId);
      open.push(client);
      return client;
    }

    async function as(userId: string, method: string, url: string, body?: unknown) {
      return server.api(method, url, { token: await server.tokenFor(userId), body });
    }

    /** The channel events Dave was sent live, in arrival order. */
    function live(afterSeq = 0): Frame[] {
      return dave.frames.filter(
        (f) => CHANNEL_EVENT_TYPES.includes(f.type) && f.cid === cid && f.seq > afterSeq,
      );
    }

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob', 'carol', 'dave');
      await server.createChannel('team', 'recovery', ['alice', 'bob', 'dave']);
      dave = await connect('dave');
      await dave.watch(cid);
      bob = await connect('bob');
      const alice = await connect('alice');
      await alice.watch(cid);

      for (let i = 1; i <= 3; i++) await bob.sendMessage(cid, `before ${i}`);
      const seen = await alice.waitForCount('message.new', 3);
      lastSeen = Math.max(...seen.map((f) => f.seq as number));
      await alice.close();

      // While Alice is away: 30 messages, a read receipt, a data change and member changes.
      for (let i = 1; i <= 30; i++) {
        await bob.sendMessage(cid, `missed ${i}`);
        if (i === 10) await dave.request({ type: 'channel.read', cid });
        if (i === 15) {
          await server.api('POST', `${path}/members`, { body: { user_ids: ['carol'] } });
        }
        if (i === 20) await server.api('PATCH', path, { body: { set: { topic: 'recovery' } } });
        if (i === 25) {
          await server.api('DELETE', `${path}/members`, { body: { user_ids: ['carol'] } });
        }
      }
      lastSeq = (await server.api('GET', path)).body.channel.last_seq;
      await dave.waitFor((f) => f.cid === cid && f.seq === lastSeq);
    });

    afterAll(async () => {
      await Promise.all(open.map((c) => c.close()));
      await server?.close();
    });

    it('sends every kind of channel change to the log while a client is away', () => {
      const missed = live(lastSeen);
      expect(new Set(missed.map((f) => f.type))).toEqual(new Set(CHANNEL_EVENT_TYPES));
      expect(missed.filter((f) => f.type === 'message.new')).toHaveLength(30);
      expectConsecutive(missed, lastSeen + 1, lastSeq);
    });

    it('returns exactly the missed events over the WebSocket, in order', async () => {
      const alice = await connect('alice');
      const result = await alice.request({ type: 'channel.events', cid, since_seq: lastSeen });
      expect(result.has_more).toBe(false);
      expect(result.last_seq).toBe(lastSeq);
      expect(result.events).toEqual(live(lastSeen));
      expectConsecutive(result.events, lastSeen + 1, lastSeq);
    });

    it('returns exactly the missed events over REST, in order', async () => {
      const res = await as('alice', 'GET', `${path}/events?since_seq=${lastSeen}`);
      expect(res.status).toBe(200);
      expect(res.body.has_more).toBe(false);
      expect(res.body.last_seq).toBe(lastSeq);
      expect(res.body.events).toEqual(live(lastSeen));
    });

    it('walks the whole log page by page with limit and has_more, without gaps', async () => {
      const alice = await connect('alice');
      const pages = [
        // WebSocket pages of 7 and REST pages of 5 must both cover the log.
        async (since: number) =>
          alice.request({ type: 'channel.events', cid, since_seq: since, limit: 7 }),
        async (since: number) =>
          (await as('alice', 'GET', `${path}/events?since_seq=${since}&limit=5`)).body,
      ];
      for (const [i, page] of pages.entries()) {
        const limit = i === 0 ? 7 : 5;
        const all: Frame[] = [];
        let since = 0;
        for (;;) {
          const result = await page(since);
          expect(result.events.length).toBeLessThanOrEqual(limit);
          all.push(...result.events);
          if (!result.has_more) break;
          expect(result.events).toHaveLength(limit);
          since = result.events.at(-1).seq;
        }
        expect(all).toEqual(live(0));
        expectConsecutive(all, 1, lastSeq);
      }
    });

    it('says no more after a full last page', async () => {
      const alice = await connect('alice');
      const since = lastSeq - 5;
      const overWs = await alice.request({
        type: 'channel.events',
        cid,
        since_seq: since,
        limit: 5,
      });
      expect(overWs.has_more).toBe(false);
      expectConsecutive(overWs.events, since + 1, lastSeq);
      const overRest = await as('alice', 'GET', `${path}/events?since_seq=${since}&limit=5`);
      expect(overRest.body.has_more).toBe(false);
      expect(overRest.body.events).toEqual(overWs.events);
    });

    it('returns nothing when since_seq is already the latest seq', async () => {
      const alice = await connect('alice');
      const overWs = await alice.request({ type: 'channel.events', cid, since_seq: lastSeq });
      expect(overWs).toEqual({ events: [], has_more: false, last_seq: lastSeq });
      const overRest = await as('alice', 'GET', `${path}/events?since_seq=${lastSeq}`);
      expect(overRest.body).toEqual({ events: [], has_more: false, last_seq: lastSeq });
    });

    it('delivers a message sent while the receiver was offline exactly once after it reconnects', async () => {
      const alice = await connect('alice');
      // A client watches first, then fetches what it missed, then lives on the stream.
      const state = await alice.watch(cid);
      const watchedAt: number = state.channel.last_seq;
      const missed = await alice.request({ type: 'channel.events', cid, since_seq: lastSeen });
      const sent = await bob.sendMessage(cid, 'after the reconnect');
      await alice.waitFor((f) => f.type === 'message.new' && f.message.id === sent.message.id);

      // Recovered and live events, merged by seq the way a client does.
      const bySeq = new Map<number, Frame>();
      for (const event of [...missed.events, ...alice.ofType('message.new')]) {
        const earlier = bySeq.get(event.seq);
        if (earlier !== undefined) expect(event).toEqual(earlier);
        bySeq.set(event.seq, event);
      }
      const merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
      expectConsecutive(merged, lastSeen + 1, sent.message.seq);
      expect(watchedAt).toBeGreaterThanOrEqual(lastSeq);
      const texts = merged.filter((f) => f.type === 'message.new').map((f) => f.message.text);
      expect(texts).toEqual([
        ...Array.from({ length: 30 }, (_, i) => `missed ${i + 1}`),
        'after the reconnect',
      ]);
    });
  });
}

/** Seqs run from `first` to `last` with no gap and no repeat. */
function expectConsecutive(events: Frame[], first: number, last: number): void {
  expect(events.map((e) => e.seq)).toEqual(
    Array.from({ length: last - first + 1 }, (_, i) => first + i),
  );
}
