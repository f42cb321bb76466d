import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

// Who may do what in a channel; forged, expired and misplaced credentials are in
// credentials.test.ts.

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: authorization`, () => {
    let server: TestServer;
    const cid = 'messaging:auth';
    const path = '/channels/messaging/auth';
    const token: Record<string, string> = {};

    /** The channel's latest seq, read with the server credential. */
    const lastSeq = async (): Promise<number> =>
      (await server.api('GET', `${path}/events?since_seq=0`)).body.last_seq as number;

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob', 'carol', 'mod', 'dave', 'erin', 'finn');
      await server.api('POST', '/users', { body: { users: [{ id: 'root', role: 'admin' }] } });
      await server.createChannel('messaging', 'auth', ['bob'], 'alice');
      const mod = await server.api('POST', `${path}/members`, {
        body: { user_ids: ['mod'], role: 'moderator' },
      });
      expect(mod.status).toBe(200);
      const sent = await server.api('POST', `${path}/messages`, {
        body: { id: 'auth-first', text: 'hello team', user_id: 'alice' },
      });
      expect(sent.status).toBe(201);
      for (const id of ['alice', 'bob', 'carol', 'mod', 'root'])
        token[id] = await server.tokenFor(id);
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('a user who is not a member', () => {
      it('cannot read the channel, its messages or its events over REST (403 not_member)', async () => {
        for (const url of [path, `${path}/messages`, `${path}/events?since_seq=0`]) {
          expectError(await server.api('GET', url, { token: token.carol }), 'not_member');
        }
      });

      it('cannot open an existing channel through get-or-create', async () => {
        const res = await server.api('POST', path, { token: token.carol, body: {} });
        expectError(res, 'not_member');
      });

      it('cannot send or mark read over REST, and nothing is stored', async () => {
        const before = await lastSeq();
        const send = await server.api('POST', `${path}/messages`, {
          token: token.carol,
          body: { text: 'let me in' },
        });
        expectError(send, 'not_member');
        const read = await server.api('POST', `${path}/read`, { token: token.carol, body: {} });
        expectError(read, 'not_member');
        expect(await lastSeq()).toBe(before);
      });

      it('cannot watch, send, mark read, type or fetch events over the WebSocket', async () => {
        const carol = await server.connect('carol');
        try {
          const before = await lastSeq();
          await expectFrameError(carol.watch(cid), 'not_member');
          await expectFrameError(carol.sendMessage(cid, 'let me in'), 'not_member');
          await expectFrameError(carol.request({ type: 'channel.read', cid }), 'not_member');
          await expectFrameError(carol.request({ type: 'typing.start', cid }), 'not_member');
          await expectFrameError(
            carol.request({ type: 'channel.events', cid, since_seq: 0 }),
            'not_member',
          );
          expect(await lastSeq()).toBe(before);
          // Refused frames do not end the connection.
          await carol.ping();
        } finally {
          await carol.close();
        }
      });

      it('does not receive the channel in their channel list', async () => {
        const res = await server.api('GET', '/channels', { token: token.carol });
        expect(res.status).toBe(200);
        expect(
          res.body.channels.map((c: { channel: { cid: string } }) => c.channel.cid),
        ).not.toContain(cid);
      });

      it('cannot add themselves as a member', async () => {
        const res = await server.api('POST', `${path}/members`, {
          token: token.carol,
          body: { user_ids: ['carol'] },
        });
        expectError(res, 'not_member');
      });
    });

    describe('a plain member', () => {
      it('cannot add or remove members, change data or delete the channel (403 forbidden)', async () => {
        const bob = { token: token.bob };
        expectError(
          await server.api('POST', `${path}/members`, { ...bob, body: { user_ids: ['dave'] } }),
          'forbidden',
        );
        expectError(
          await server.api('DELETE', `${path}/members`, { ...bob, body: { user_ids: ['alice'] } }),
          'forbidden',
        );
        expectError(
          await server.api('PATCH', path, { ...bob, body: { set: { hijacked: true } } }),
          'forbidden',
        );
        expectError(await server.api('DELETE', path, bob), 'forbidden');

        const after = await server.api('GET', path);
        expect(after.status).toBe(200);
        expect(after.body.channel.data).not.toHaveProperty('hijacked');
        const ids = after.body.members.map((m: { user_id: string }) => m.user_id).sort();
        expect(ids).toEqual(['alice', 'bob', 'mod']);
      });

      it('can leave a channel, and then can no longer read it', async () => {
        await server.createChannel('team', 'leavers', ['bob'], 'alice');
        const left = await server.api('DELETE', '/channels/team/leavers/members', {
          token: token.bob,
          body: { user_ids: ['bob'] },
        });
        expect(left.status).toBe(200);
        expect(left.body.members.map((m: { user_id: string }) => m.user_id)).toEqual(['alice']);
        expectError(
          await server.api('GET', '/channels/team/leavers', { token: token.bob }),
          'not_member',
        );
      });

      it('cannot send system messages or backdate a message', async () => {
        const system = await server.api('POST', `${path}/messages`, {
          token: token.bob,
          body: { text: 'official notice', type: 'system' },
        });
        expectError(system, 'forbidden');
        const backdated = await server.api('POST', `${path}/messages`, {
          token: token.bob,
          body: { text: 'I said it first', created_at: '2001-01-01T00:00:00Z' },
        });
        expectError(backdated, 'forbidden');
      });

      it("cannot take over another author's message by reusing its id", async () => {
        const res = await server.api('POST', `${path}/messages`, {
          token: token.bob,
          body: { id: 'auth-first', text: 'rewritten by bob' },
        });
        expectError(res, 'message_id_conflict');
        const history = await server.api('GET', `${path}/messages`, { token: token.bob });
        const first = history.body.messages.find((m: { id: string }) => m.id === 'auth-first');
        expect(first).toMatchObject({ user_id: 'alice', text: 'hello team' });
      });
    });

    describe('a moderator', () => {
      it('can add members and change data, but not delete the channel', async () => {
        const added = await server.api('POST', `${path}/members`, {
          token: token.mod,
          body: { user_ids: ['dave'] },
        });
        expect(added.status).toBe(200);
        expect(added.body.members.map((m: { user_id: string }) => m.user_id)).toContain('dave');
        const patched = await server.api('PATCH', path, {
          token: token.mod,
          body: { set: { topic: 'moderated' } },
        });
        expect(patched.status).toBe(200);
        expect(patched.body.channel.data.topic).toBe('moderated');
        expectError(await server.api('DELETE', path, { token: token.mod }), 'forbidden');
      });

      it('cannot hand out the owner or moderator role (only owners can)', async () => {
        for (const role of ['owner', 'moderator']) {
          const res = await server.api('POST', `${path}/members`, {
            token: token.mod,
            body: { user_ids: ['erin'], role },
          });
          expectError(res, 'forbidden');
        }
        const members = (await server.api('GET', path)).body.members as { user_id: string }[];
        expect(members.map((m) => m.user_id)).not.toContain('erin');

        const byOwner = await server.api('POST', `${path}/members`, {
          token: token.alice,
          body: { user_ids: ['erin'], role: 'moderator' },
        });
        expect(byOwner.status).toBe(200);
        const erin = byOwner.body.members.find((m: { user_id: string }) => m.user_id === 'erin');
        expect(erin.role).toBe('moderator');
      });

      it('cannot remove the owner, but can remove a plain member', async () => {
        const owner = await server.api('DELETE', `${path}/members`, {
          token: token.mod,
          body: { user_ids: ['alice'] },
        });
        expectError(owner, 'forbidden');
        await server.api('POST', `${path}/members`, { body: { user_ids: ['finn'] } });
        const plain = await server.api('DELETE', `${path}/members`, {
          token: token.mod,
          body: { user_ids: ['finn'] },
        });
        expect(plain.status).toBe(200);
        const ids = plain.body.members.map((m: { user_id: string }) => m.user_id);
        expect(ids).toContain('alice');
        expect(ids).not.toContain('finn');
      });
    });

    describe('an app admin', () => {
      it('can read a channel they are not a member of, over REST and WebSocket', async () => {
        const channel = await server.api('GET', path, { token: token.root });
        expect(channel.status).toBe(200);
        expect(channel.body.membership).toBeNull();
        const messages = await server.api('GET', `${path}/messages`, { token: token.root });
        expect(messages.status).toBe(200);
        expect(messages.body.messages.map((m: { id: string }) => m.id)).toContain('auth-first');
        const events = await server.api('GET', `${path}/events?since_seq=0`, { token: token.root });
        expect(events.status).toBe(200);

        const root = await server.connect('root');
        try {
          const state = await root.watch(cid);
          expect(state.channel.cid).toBe(cid);
        } finally {
          await root.close();
        }
      });
      it('gains and loses admin rights with the very next request after an upsert of the role', async () => {
        // The caller's record is cached per node; an upsert must drop it at once.
        const read = () => server.api('GET', `${path}/messages`, { token: token.carol });
        expectError(await read(), 'not_member');
        await server.api('POST', '/users', { body: { users: [{ id: 'carol', role: 'admin' }] } });
        expect((await read()).status).toBe(200);
        await server.api('POST', '/users', { body: { users: [{ id: 'carol', role: 'user' }] } });
        expectError(await read(), 'not_member');
      });
    });

    describe('a body that names another user', () => {
      it('is refused with 403 user_mismatch wherever a user is named', async () => {
        const bob = { token: token.bob };
        expectError(
          await server.api('POST', `${path}/messages`, {
            ...bob,
            body: { text: 'I am alice', user_id: 'alice' },
          }),
          'user_mismatch',
        );
        expectError(
          await server.api('POST', `${path}/read`, { ...bob, body: { user_id: 'alice' } }),
          'user_mismatch',
        );
        expectError(
          await server.api('POST', '/channels/team/impostor', {
            ...bob,
            body: { created_by_id: 'alice' },
          }),
          'user_mismatch',
        );
        expectError(
          await server.api('POST', '/channels/dm', {
            ...bob,
            body: { members: ['alice', 'carol'], created_by_id: 'alice' },
          }),
          'user_mismatch',
        );
        expectError(await server.api('GET', '/channels?user_id=alice', bob), 'user_mismatch');
        expectError(await server.api('GET', '/unread?user_id=alice', bob), 'user_mismatch');
        expect((await server.api('GET', '/channels/team/impostor')).status).toBe(404);
      });

      it('is allowed for the server, which acts for any user', async () => {
        const res = await server.api('POST', `${path}/messages`, {
          body: { text: 'relayed for bob', user_id: 'bob' },
        });
        expect(res.status).toBe(201);
        expect(res.body.message.user_id).toBe('bob');
      });
    });

    describe('server-only endpoints', () => {
      it('refuse a user token with 403 server_auth_required and change nothing', async () => {
        const res = await server.api('POST', '/users', {
          token: token.bob,
          body: { users: [{ id: 'bob', role: 'admin' }] },
        });
        expectError(res, 'server_auth_required');
        const bob = await server.api('GET', '/users/bob');
        expect(bob.body.user.role).toBe('user');
      });
    });
  });
}
