import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, shouldReconnect } from '@parley/protocol';
import { expectError, expectFrameError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestClient, type Frame } from '../helpers/test-client.js';
import { TEST_API_KEY, TEST_SECRET, TestServer } from '../helpers/test-server.js';

const encoder = new TextEncoder();

/** A token as an attacker would make it. */
function sign(claims: Record<string, unknown>, secret: string, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().sign(encoder.encode(secret));
}

/** An unsigned token (`alg: none`), which must never be accepted. */
function unsigned(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** Opens a socket the server should refuse; returns what the client saw until the close. */
async function refusedConnection(
  url: string,
  headers?: Record<string, string>,
): Promise<{ code: number; frames: Frame[] }> {
  const client = await TestClient.open(url, headers);
  const { code } = await client.closed;
  return { code, frames: client.frames };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: authorization`, () => {
    let server: TestServer;
    const cid = 'team:auth';
    const path = '/channels/team/auth';
    const token: Record<string, string> = {};

    /** The channel's latest seq, read with the server credential. */
    const lastSeq = async (): Promise<number> =>
      (await server.api('GET', `${path}/events?since_seq=0`)).body.last_seq as number;

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob', 'carol', 'mod', 'dave', 'erin', 'finn');
      await server.api('POST', '/users', { body: { users: [{ id: 'root', role: 'admin' }] } });
      await server.createChannel('team', 'auth', ['bob'], 'alice');
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

    describe('REST credentials', () => {
      const expectRefused = async (
        headers: Record<string, string>,
        code: 'token_invalid' | 'token_expired' | 'auth_missing' | 'invalid_api_key',
      ) => {
        expectError(await server.api('GET', '/me', { token: null, headers }), code);
      };
      const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

      it('refuses a token signed with another secret (401 token_invalid)', async () => {
        const forged = await sign(
          { user_id: 'alice' },
          'another-secret-that-is-32-characters-long!',
        );
        await expectRefused(bearer(forged), 'token_invalid');
      });

      it('refuses a token signed with the right secret but another algorithm', async () => {
        await expectRefused(
          bearer(await sign({ user_id: 'alice' }, TEST_SECRET, 'HS512')),
          'token_invalid',
        );
      });

      it('refuses an unsigned token (alg: none)', async () => {
        await expectRefused(bearer(unsigned({ user_id: 'alice' })), 'token_invalid');
        await expectRefused(bearer(unsigned({ server: true })), 'token_invalid');
      });

      it('refuses a token without a valid user_id claim', async () => {
        await expectRefused(bearer(await sign({ sub: 'alice' }, TEST_SECRET)), 'token_invalid');
        await expectRefused(
          bearer(await sign({ user_id: 'a b<c>' }, TEST_SECRET)),
          'token_invalid',
        );
      });

      it('refuses an expired token with token_expired, so the client fetches a new one', async () => {
        await expectRefused(bearer(await server.tokenFor('alice', -10)), 'token_expired');
      });

      it('refuses a request without a token, or with an empty one (401 auth_missing)', async () => {
        await expectRefused({}, 'auth_missing');
        await expectRefused({ authorization: 'Bearer' }, 'auth_missing');
        await expectRefused({ authorization: 'Bearer   ' }, 'auth_missing');
      });

      it('refuses an Authorization header that is not "Bearer <token>"', async () => {
        for (const value of ['Basic YWxpY2U6cHc=', 'Bearer a b', 'garbage', 'Bearer not.a.jwt']) {
          await expectRefused({ authorization: value }, 'token_invalid');
        }
      });

      it('refuses a wrong api key, in the header or the query (401 invalid_api_key)', async () => {
        expectError(
          await server.api('GET', '/me', {
            token: token.alice,
            headers: { 'x-api-key': 'pk_wrong' },
          }),
          'invalid_api_key',
        );
        expectError(
          await server.api('GET', '/me?api_key=pk_wrong', { token: token.alice }),
          'invalid_api_key',
        );
      });

      it('accepts the right api key in the header or the query', async () => {
        const header = await server.api('GET', path, {
          token: token.alice,
          headers: { 'x-api-key': TEST_API_KEY },
        });
        expect(header.status).toBe(200);
        const query = await server.api('GET', `${path}?api_key=${TEST_API_KEY}&message_limit=1`, {
          token: token.alice,
        });
        expect(query.status).toBe(200);
        expect(query.body.messages).toHaveLength(1);
      });

      it('keeps serving the valid token after refusing bad ones', async () => {
        const res = await server.api('GET', '/me', { token: token.alice });
        expect(res.status).toBe(200);
        expect(res.body.user.id).toBe('alice');
      });
    });

    describe('WebSocket credentials', () => {
      const withToken = (t: string) => `${server.wsUrl}?token=${encodeURIComponent(t)}`;
      const expectClosed = (
        seen: { code: number; frames: Frame[] },
        code: string,
        closeCode: number,
      ) => {
        expect(seen.frames.map((f) => f.type)).toEqual(['error']);
        expect(seen.frames[0]!.error.code).toBe(code);
        expect(seen.code).toBe(closeCode);
      };

      it('refuses a forged token with an error frame and the permanent close code', async () => {
        const forged = await sign(
          { user_id: 'alice' },
          'another-secret-that-is-32-characters-long!',
        );
        const seen = await refusedConnection(withToken(forged));
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
        expect(shouldReconnect(seen.code)).toBe(false);
      });

      it('closes with the temporary token-expired code for an expired token', async () => {
        const seen = await refusedConnection(withToken(await server.tokenFor('alice', -10)));
        expectClosed(seen, 'token_expired', CloseCode.TokenExpired);
        expect(shouldReconnect(seen.code)).toBe(true);
      });

      it('refuses a connection without a token', async () => {
        expectClosed(await refusedConnection(server.wsUrl), 'auth_missing', CloseCode.AuthFailed);
      });

      it('refuses an unsigned token', async () => {
        const seen = await refusedConnection(withToken(unsigned({ user_id: 'alice' })));
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('refuses the server token: a socket belongs to one user', async () => {
        const seen = await refusedConnection(withToken(server.serverToken));
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('refuses a garbage token in the Authorization header', async () => {
        const seen = await refusedConnection(server.wsUrl, { authorization: 'Bearer garbage' });
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('refuses a wrong api key even with a valid token', async () => {
        const seen = await refusedConnection(`${withToken(token.alice!)}&api_key=pk_wrong`);
        expectClosed(seen, 'invalid_api_key', CloseCode.AuthFailed);
      });

      it('refuses an Authorization header that is not a Bearer token, as REST does', async () => {
        const seen = await refusedConnection(server.wsUrl, { authorization: 'Basic YWxpY2U6eA==' });
        expectClosed(seen, 'token_invalid', CloseCode.AuthFailed);
      });

      it('closes a live connection with token_expired (4003) when its token expires', async () => {
        const expiring = await sign(
          { user_id: 'alice', exp: Math.floor(Date.now() / 1000) + 2 },
          TEST_SECRET,
        );
        const client = await TestClient.open(withToken(expiring));
        await client.waitFor((f) => f.type === 'connection.ok');
        const { code } = await client.closed;
        expect(code).toBe(CloseCode.TokenExpired);
        expect(shouldReconnect(code)).toBe(true);
        expect(client.frames.at(-1)).toMatchObject({
          type: 'error',
          error: { code: 'token_expired' },
        });
      });

      it('accepts a valid token in the Authorization header with the right api key', async () => {
        const client = await TestClient.open(`${server.wsUrl}?api_key=${TEST_API_KEY}`, {
          authorization: `Bearer ${token.alice}`,
        });
        try {
          const ok = await client.waitFor((f) => f.type === 'connection.ok');
          expect(ok.user.id).toBe('alice');
        } finally {
          await client.close();
        }
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
