import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

interface WireUser {
  id: string;
  name: string | null;
  image: string | null;
  role: string;
  data: Record<string, unknown>;
}
interface WireMember {
  user_id: string;
  role: string;
  user: WireUser;
}
const idsOf = (users: WireUser[]) => users.map((u) => u.id);

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: users and channels`, () => {
    let server: TestServer;
    const tokens: Record<string, string> = {};
    const as = (userId: string) => ({ token: tokens[userId]! });

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob', 'carol', 'quentin');
      for (const id of ['alice', 'bob', 'carol', 'quentin']) tokens[id] = await server.tokenFor(id);
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('users', () => {
      it('creates a user on upsert, and a later upsert changes only the fields it names', async () => {
        const created = await server.api('POST', '/users', {
          body: {
            users: [
              { id: 'una', name: 'Una', image: 'https://img.test/una.png', data: { team: 'red' } },
            ],
          },
        });
        expect(created.status).toBe(200);
        expect(created.body.users[0]).toMatchObject({
          id: 'una',
          name: 'Una',
          image: 'https://img.test/una.png',
          role: 'user',
          data: { team: 'red' },
          online: false,
          last_active: null,
        });

        const renamed = await server.api('POST', '/users', {
          body: { users: [{ id: 'una', name: 'Una Prime', role: 'admin' }] },
        });
        expect(renamed.body.users[0]).toMatchObject({
          name: 'Una Prime',
          role: 'admin',
          image: 'https://img.test/una.png',
          data: { team: 'red' },
        });
        await server.api('POST', '/users', { body: { users: [{ id: 'una', image: null }] } });

        const fetched = await server.api('GET', '/users/una');
        expect(fetched.status).toBe(200);
        expect(fetched.body.user).toMatchObject({
          id: 'una',
          name: 'Una Prime',
          image: null,
          role: 'admin',
          data: { team: 'red' },
        });
        expect(fetched.body.user.created_at).toBe(created.body.users[0].created_at);
      });

      it('returns exactly the users asked for by ids', async () => {
        const res = await server.api('GET', '/users?ids=carol,alice,nobody');
        expect(res.status).toBe(200);
        expect(idsOf(res.body.users).sort()).toEqual(['alice', 'carol']);
      });

      it('finds users by a case-insensitive prefix of their name or id', async () => {
        await server.api('POST', '/users', {
          body: {
            users: [
              { id: 'quill-1', name: 'Zed' },
              { id: 'z-2', name: 'QUINCY Adams' },
              { id: 'z-3', name: 'Al Quarry' },
              { id: 'z-4', name: '%qu' },
            ],
          },
        });
        const res = await server.api('GET', '/users?q=qU');
        expect(res.status).toBe(200);
        expect(idsOf(res.body.users).sort()).toEqual(['quentin', 'quill-1', 'z-2']);
        // Wildcards are plain characters in a search.
        const literal = await server.api('GET', `/users?q=${encodeURIComponent('%')}`);
        expect(idsOf(literal.body.users)).toEqual(['z-4']);
      });

      it('filters users by role', async () => {
        await server.api('POST', '/users', { body: { users: [{ id: 'root', role: 'admin' }] } });
        const admins = await server.api('GET', '/users?role=admin');
        expect(idsOf(admins.body.users).sort()).toEqual(['root', 'una']);
        const users = await server.api('GET', '/users?role=user&limit=100');
        expect(idsOf(users.body.users)).toContain('alice');
        expect(idsOf(users.body.users)).not.toContain('root');
      });

      it('pages through every user exactly once with limit and cursor', async () => {
        const all = await server.api('GET', '/users?limit=100');
        expect(all.body.next_cursor).toBeNull();
        const expected = idsOf(all.body.users);
        expect(expected.length).toBeGreaterThan(6);

        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
          const page = await server.api('GET', `/users?limit=3${query}`);
          expect(page.status).toBe(200);
          expect(page.body.users.length).toBeLessThanOrEqual(3);
          seen.push(...idsOf(page.body.users));
          cursor = page.body.next_cursor as string | null;
          pages++;
        } while (cursor !== null && pages < 50);
        expect(seen).toEqual(expected);
        expect(new Set(seen).size).toBe(seen.length);
        expect(pages).toBe(Math.ceil(expected.length / 3));
      });

      it('tells a user who they are at GET /me', async () => {
        const me = await server.api('GET', '/me', as('alice'));
        expect(me.status).toBe(200);
        expect(me.body.user).toMatchObject({ id: 'alice', name: 'Alice' });
        expectError(await server.api('GET', '/me'), 'invalid_request');
      });
    });

    describe('channels', () => {
      let bob: TestClient;
      let carol: TestClient;
      beforeAll(async () => {
        [bob, carol] = await Promise.all([server.connect('bob'), server.connect('carol')]);
      });
      afterAll(async () => {
        await Promise.all([bob?.close(), carol?.close()]);
      });

      it('creates a channel on first get-or-create (201) and returns it after (200)', async () => {
        const created = await server.api('POST', '/channels/team/alpha', {
          ...as('alice'),
          body: { members: ['bob'], data: { name: 'Alpha' } },
        });
        expect(created.status).toBe(201);
        expect(created.body.created).toBe(true);
        expect(created.body.channel).toMatchObject({
          cid: 'team:alpha',
          type: 'team',
          id: 'alpha',
          data: { name: 'Alpha' },
          distinct: false,
          created_by_id: 'alice',
          member_count: 2,
          last_seq: 0,
        });
        const roles = Object.fromEntries(
          (created.body.members as WireMember[]).map((m) => [m.user_id, m.role]),
        );
        expect(roles).toEqual({ alice: 'owner', bob: 'member' });
        const bobMember = (created.body.members as WireMember[]).find((m) => m.user_id === 'bob');
        expect(bobMember?.user).toMatchObject({ id: 'bob', name: 'Bob' });
        expect(created.body.membership).toMatchObject({ user_id: 'alice', role: 'owner' });

        const notice = await bob.waitFor(
          (f) => f.type === 'notification.added_to_channel' && f.cid === 'team:alpha',
        );
        expect(notice.member).toMatchObject({ user_id: 'bob', role: 'member' });

        const again = await server.api('POST', '/channels/team/alpha', {
          ...as('bob'),
          body: { data: { name: 'Ignored' } },
        });
        expect(again.status).toBe(200);
        expect(again.body.created).toBe(false);
        expect(again.body.channel.data).toEqual({ name: 'Alpha' });
        expect(again.body.membership).toMatchObject({ user_id: 'bob', role: 'member' });
      });

      it('gives the same members the same distinct channel, in any order', async () => {
        const first = await server.api('POST', '/channels/dm', {
          ...as('alice'),
          body: { members: ['alice', 'bob'] },
        });
        expect(first.status).toBe(201);
        const cid = first.body.channel.cid as string;
        expect(cid.startsWith('dm:!members-')).toBe(true);
        expect(first.body.channel.distinct).toBe(true);

        const reversed = await server.api('POST', '/channels/dm', {
          ...as('bob'),
          body: { members: ['bob', 'alice'] },
        });
        expect(reversed.status).toBe(200);
        expect(reversed.body).toMatchObject({ created: false, channel: { cid } });
        const byServer = await server.api('POST', '/channels/dm', {
          body: { members: ['bob', 'alice'] },
        });
        expect(byServer.body.channel.cid).toBe(cid);

        const trio = await server.api('POST', '/channels/dm', {
          ...as('alice'),
          body: { members: ['carol', 'bob', 'alice'] },
        });
        expect(trio.status).toBe(201);
        expect(trio.body.channel.cid).not.toBe(cid);

        const fetched = await server.api('GET', `/channels/${cid.replace(':', '/')}`, as('bob'));
        expect(fetched.status).toBe(200);
        expect(fetched.body.members.map((m: WireMember) => m.user_id).sort()).toEqual([
          'alice',
          'bob',
        ]);
      });

      it('refuses to change the members of a distinct channel (403 forbidden)', async () => {
        const dm = await server.api('POST', '/channels/dm', {
          body: { members: ['alice', 'bob'] },
        });
        const path = `/channels/${(dm.body.channel.cid as string).replace(':', '/')}`;
        expectError(
          await server.api('POST', `${path}/members`, { body: { user_ids: ['carol'] } }),
          'forbidden',
        );
        expectError(
          await server.api('DELETE', `${path}/members`, { body: { user_ids: ['bob'] } }),
          'forbidden',
        );
        expectError(
          await server.api('DELETE', `${path}/members`, {
            ...as('bob'),
            body: { user_ids: ['bob'] },
          }),
          'forbidden',
        );
        const after = await server.api('GET', path);
        expect(after.body.members.map((m: WireMember) => m.user_id).sort()).toEqual([
          'alice',
          'bob',
        ]);
      });

      it('sets and unsets data, and watchers get channel.updated', async () => {
        const state = await bob.watch('team:alpha');
        const res = await server.api('PATCH', '/channels/team/alpha', {
          ...as('alice'),
          body: { set: { topic: 'plans', color: 'blue' }, unset: ['name'] },
        });
        expect(res.status).toBe(200);
        expect(res.body.channel.data).toEqual({ topic: 'plans', color: 'blue' });

        const event = await bob.waitFor(
          (f) => f.type === 'channel.updated' && f.cid === 'team:alpha',
        );
        expect(event.channel.data).toEqual({ topic: 'plans', color: 'blue' });
        expect(event.seq).toBe(state.channel.last_seq + 1);

        const unset = await server.api('PATCH', '/channels/team/alpha', {
          ...as('alice'),
          body: { unset: ['color'] },
        });
        expect(unset.body.channel.data).toEqual({ topic: 'plans' });
        expect((await server.api('GET', '/channels/team/alpha')).body.channel.data).toEqual({
          topic: 'plans',
        });
      });

      it('adds a member: watchers get member.added and the new member is notified', async () => {
        const res = await server.api('POST', '/channels/team/alpha/members', {
          ...as('alice'),
          body: { user_ids: ['carol'] },
        });
        expect(res.status).toBe(200);
        expect(res.body.channel.member_count).toBe(3);
        expect(res.body.members.map((m: WireMember) => m.user_id).sort()).toEqual([
          'alice',
          'bob',
          'carol',
        ]);

        const added = await bob.waitFor((f) => f.type === 'member.added' && f.cid === 'team:alpha');
        expect(added.member).toMatchObject({
          user_id: 'carol',
          role: 'member',
          user: { name: 'Carol' },
        });
        const notice = await carol.waitFor(
          (f) => f.type === 'notification.added_to_channel' && f.cid === 'team:alpha',
        );
        expect(notice.channel.cid).toBe('team:alpha');
        expect(notice.member.user_id).toBe('carol');
        expect((await server.api('GET', '/channels/team/alpha', as('carol'))).status).toBe(200);
      });

      it('removes a member: watchers get member.removed, the removed user is notified and hears nothing more', async () => {
        await carol.watch('team:alpha');
        const res = await server.api('DELETE', '/channels/team/alpha/members', {
          ...as('alice'),
          body: { user_ids: ['carol'] },
        });
        expect(res.status).toBe(200);
        expect(res.body.members.map((m: WireMember) => m.user_id)).not.toContain('carol');

        const removed = await bob.waitFor(
          (f) => f.type === 'member.removed' && f.cid === 'team:alpha',
        );
        expect(removed.user_id).toBe('carol');
        await carol.waitFor(
          (f) => f.type === 'notification.removed_from_channel' && f.cid === 'team:alpha',
        );

        const sent = await server.api('POST', '/channels/team/alpha/messages', {
          ...as('alice'),
          body: { text: 'carol is gone' },
        });
        expect(sent.status).toBe(201);
        const id = sent.body.message.id as string;
        await bob.waitFor((f) => f.type === 'message.new' && f.message.id === id);
        await carol.ping();
        expect(carol.frames.filter((f) => f.message?.id === id)).toEqual([]);

        const log = await server.api('GET', '/channels/team/alpha/events?since_seq=0');
        expect(log.body.events.map((e: { type: string }) => e.type)).toEqual([
          'channel.updated',
          'channel.updated',
          'member.added',
          'member.removed',
          'message.new',
        ]);
        expect(log.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      });

      it('deletes a channel for its owner or the server: 404 after, watchers and members told', async () => {
        await server.createChannel('team', 'doomed', ['alice', 'bob', 'carol'], 'alice');
        await server.api('POST', '/channels/team/doomed/messages', {
          body: { text: 'last words', user_id: 'alice' },
        });
        await bob.watch('team:doomed');
        const res = await server.api('DELETE', '/channels/team/doomed', as('alice'));
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ cid: 'team:doomed', deleted: true });
        await bob.waitFor((f) => f.type === 'channel.deleted' && f.cid === 'team:doomed');
        await carol.waitFor((f) => f.type === 'channel.deleted' && f.cid === 'team:doomed');
        // Bob watched and is a member: he is told once, not once per role.
        await bob.ping();
        const deleted = (f: { type: string; cid?: string }) =>
          f.type === 'channel.deleted' && f.cid === 'team:doomed';
        expect(bob.frames.filter(deleted)).toHaveLength(1);

        expectError(await server.api('GET', '/channels/team/doomed'), 'channel_not_found');
        expectError(await server.api('GET', '/channels/team/doomed/messages'), 'channel_not_found');
        // The same cid starts afresh: nothing of the old channel survives.
        const again = await server.api('POST', '/channels/team/doomed', {
          body: { members: ['bob'] },
        });
        expect(again.status).toBe(201);
        expect(again.body.channel.last_seq).toBe(0);
        expect(again.body.messages).toEqual([]);
        expect(again.body.members.map((m: WireMember) => m.user_id)).toEqual(['bob']);

        const byServer = await server.api('DELETE', '/channels/team/doomed');
        expect(byServer.status).toBe(200);
        expectError(await server.api('GET', '/channels/team/doomed'), 'channel_not_found');
      });
    });
  });
}
