import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

// GET /channels: the caller's channels by latest activity, with their state, paged and
// filtered; the server lists all, or any user's. Users and channels themselves are in
// users-and-channels.test.ts.

interface WireState {
  channel: { cid: string; type: string; last_seq: number };
  members: { user_id: string; role: string }[];
  messages: { id: string; text: string }[];
  read: { user_id: string; last_read_seq: number }[];
  membership: { user_id: string; role: string } | null;
  unread_count: number;
}

const cidsOf = (states: WireState[]) => states.map((s) => s.channel.cid);

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: channel lists`, () => {
    let server: TestServer;
    const tokens: Record<string, string> = {};
    const as = (userId: string) => ({ token: tokens[userId]! });

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'quentin');
      for (const id of ['alice', 'quentin']) tokens[id] = await server.tokenFor(id);
    });
    afterAll(async () => {
      await server?.close();
    });

    describe("the caller's channel list", () => {
      const listed = ['list:a', 'list:b', 'list:c', 'list:d', 'list:e'];
      let dmCid: string;

      beforeAll(async () => {
        const dm = await server.api('POST', '/channels/dm', {
          body: { members: ['quentin', 'alice'] },
        });
        dmCid = dm.body.channel.cid as string;
        for (const cid of listed) {
          await server.createChannel('list', cid.slice(5), ['quentin', 'alice'], 'alice');
        }
        // Activity is in milliseconds; let the clock move past the last creation.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const sent = await server.api('POST', '/channels/list/b/messages', {
          body: { id: 'list-b-news', text: 'news in b', user_id: 'alice' },
        });
        expect(sent.status).toBe(201);
      });

      it('lists channels by latest activity: one with a new message comes first', async () => {
        const res = await server.api('GET', '/channels', as('quentin'));
        expect(res.status).toBe(200);
        expect(cidsOf(res.body.channels)).toEqual([
          'list:b',
          'list:e',
          'list:d',
          'list:c',
          'list:a',
          dmCid,
        ]);
        expect(res.body.next_cursor).toBeNull();
      });

      it('includes the last message, members, read state and unread count of each', async () => {
        const res = await server.api('GET', '/channels?type=list', as('quentin'));
        const [b, e] = res.body.channels as WireState[];
        expect(b!.messages.map((m) => m.id)).toEqual(['list-b-news']);
        expect(b!.unread_count).toBe(1);
        expect(b!.members.map((m) => m.user_id).sort()).toEqual(['alice', 'quentin']);
        expect(b!.read.map((r) => r.user_id).sort()).toEqual(['alice', 'quentin']);
        expect(b!.membership).toMatchObject({ user_id: 'quentin', role: 'member' });
        expect(e!.messages).toEqual([]);
        expect(e!.unread_count).toBe(0);

        await server.api('POST', '/channels/list/b/read', { ...as('quentin'), body: {} });
        const after = await server.api('GET', '/channels?type=list&limit=1', as('quentin'));
        expect(after.body.channels[0].unread_count).toBe(0);
        const quentin = (after.body.channels[0] as WireState).read.find(
          (r) => r.user_id === 'quentin',
        );
        expect(quentin?.last_read_seq).toBe(1);
      });

      it('pages through every channel exactly once with limit and cursor', async () => {
        const full = cidsOf((await server.api('GET', '/channels', as('quentin'))).body.channels);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
          const page = await server.api('GET', `/channels?limit=2${query}`, as('quentin'));
          expect(page.status).toBe(200);
          seen.push(...cidsOf(page.body.channels));
          cursor = page.body.next_cursor as string | null;
          pages++;
        } while (cursor !== null && pages < 20);
        expect(seen).toEqual(full);
        expect(pages).toBe(3);
      });

      it('filters by channel type', async () => {
        const lists = await server.api('GET', '/channels?type=list', as('quentin'));
        expect(cidsOf(lists.body.channels).sort()).toEqual(listed);
        const dms = await server.api('GET', '/channels?type=dm', as('quentin'));
        expect(cidsOf(dms.body.channels)).toEqual([dmCid]);
      });

      it('lets the server list every channel, newest activity first, as no member', async () => {
        const res = await server.api('GET', '/channels?type=list');
        expect(res.status).toBe(200);
        const cids = cidsOf(res.body.channels);
        expect(cids).toEqual(expect.arrayContaining(listed));
        expect(cids[0]).toBe('list:b');
        expect(res.body.channels[0].membership).toBeNull();
        expect(res.body.channels[0].unread_count).toBe(0);
      });

      it("lets the server list any user's channels, seen as that user", async () => {
        const res = await server.api('GET', '/channels?user_id=quentin&limit=1');
        expect(res.status).toBe(200);
        expect(cidsOf(res.body.channels)).toEqual(['list:b']);
        expect(res.body.channels[0].membership).toMatchObject({ user_id: 'quentin' });
        expectError(await server.api('GET', '/channels?user_id=nobody-here'), 'user_not_found');
        const listed = await server.api('GET', '/users?ids=nobody-here');
        expect(listed.body.users).toEqual([]);
      });
    });
  });
}
