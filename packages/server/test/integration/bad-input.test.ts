import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

/** Small limits, so that exceeding each one is cheap. */
const LIMITS = {
  maxBodyBytes: 4_096,
  maxMessageLength: 10,
  maxFrameBytes: 2_048,
  maxCustomDataBytes: 200,
};

interface Issue {
  path: string;
  message: string;
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: bad input`, () => {
    let server: TestServer;
    let aliceToken: string;
    const path = '/channels/team/input';

    /** A normal request that must still succeed after a bad one. */
    const expectStillServing = async () => {
      const res = await server.api('GET', `${path}?message_limit=1`, { token: aliceToken });
      expect(res.status).toBe(200);
    };
    const send = (body: unknown) =>
      server.api('POST', `${path}/messages`, { token: aliceToken, body });

    beforeAll(async () => {
      server = await TestServer.start(kind, { limits: LIMITS });
      await server.createUsers('alice', 'bob');
      await server.createChannel('team', 'input', ['bob'], 'alice');
      aliceToken = await server.tokenFor('alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('REST bodies', () => {
      it('answers malformed JSON with 400 invalid_json', async () => {
        for (const rawBody of ['{"text": "hi"', '{text: hi}', 'undefined', '{"a":1}}']) {
          expectError(
            await server.api('POST', `${path}/messages`, { token: aliceToken, rawBody }),
            'invalid_json',
          );
        }
        await expectStillServing();
      });

      it('answers wrong types with 400 invalid_request listing each field', async () => {
        const res = await send({ text: 42, data: 'not an object' });
        expectError(res, 'invalid_request');
        const paths = (res.body.error.details.issues as Issue[]).map((i) => i.path);
        expect(paths).toEqual(expect.arrayContaining(['text', 'data']));
        await expectStillServing();
      });

      it('answers unknown fields with 400 invalid_request naming them', async () => {
        const res = await send({ text: 'hi', colour: 'red' });
        expectError(res, 'invalid_request');
        expect(JSON.stringify(res.body.error.details.issues)).toContain('colour');
        await expectStillServing();
      });

      it('answers a JSON body that is not an object with 400 invalid_request', async () => {
        for (const rawBody of ['[]', '"hello"', '42', 'null']) {
          expectError(
            await server.api('POST', `${path}/messages`, { token: aliceToken, rawBody }),
            'invalid_request',
          );
        }
        await expectStillServing();
      });

      it('answers a body over maxBodyBytes with 413 payload_too_large', async () => {
        const res = await send({ text: 'hi', data: { pad: 'x'.repeat(LIMITS.maxBodyBytes) } });
        expectError(res, 'payload_too_large');
        await expectStillServing();
      });

      it('answers a body that is not JSON with 415 unsupported_media_type', async () => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
          const res = await server.api('POST', `${path}/messages`, {
            token: aliceToken,
            rawBody: type === 'application/xml' ? '<text>hi</text>' : 'text=hi',
            headers: { 'content-type': type },
          });
          expectError(res, 'unsupported_media_type');
        }
        await expectStillServing();
      });
    });

    describe('message text and custom data', () => {
      it('refuses text longer than maxMessageLength with message_too_long', async () => {
        const res = await send({ text: 'a'.repeat(LIMITS.maxMessageLength + 1) });
        expectError(res, 'message_too_long');
        expect(res.body.error.details).toEqual({ max_length: LIMITS.maxMessageLength });
        expect((await send({ text: 'a'.repeat(LIMITS.maxMessageLength) })).status).toBe(201);
      });

      it('counts an emoji as one character', async () => {
        // Each of these is two UTF-16 code units: 10 of them are 20 units but 10 characters.
        const ok = await send({ text: '😀'.repeat(LIMITS.maxMessageLength) });
        expect(ok.status).toBe(201);
        expect(ok.body.message.text).toBe('😀'.repeat(LIMITS.maxMessageLength));
        expectError(
          await send({ text: '😀'.repeat(LIMITS.maxMessageLength + 1) }),
          'message_too_long',
        );
      });

      it('refuses empty and whitespace-only text', async () => {
        for (const text of ['', '   ', '\n\t ']) {
          expectError(await send({ text }), 'invalid_request');
        }
      });

      it('refuses custom data larger than maxCustomDataBytes on messages, channels and users', async () => {
        const big = { blob: 'x'.repeat(LIMITS.maxCustomDataBytes) };
        expectError(await send({ text: 'hi', data: big }), 'custom_data_too_large');
        expectError(
          await server.api('POST', '/channels/team/bigdata', { body: { data: big } }),
          'custom_data_too_large',
        );
        expectError(
          await server.api('POST', '/users', { body: { users: [{ id: 'big', data: big }] } }),
          'custom_data_too_large',
        );
        // Each key is small; together they pass the limit.
        const half = 'y'.repeat(LIMITS.maxCustomDataBytes / 2);
        expect((await server.api('PATCH', path, { body: { set: { a: half } } })).status).toBe(200);
        expectError(
          await server.api('PATCH', path, { body: { set: { b: half } } }),
          'custom_data_too_large',
        );
        expect((await server.api('GET', '/channels/team/bigdata')).status).toBe(404);
        expect((await server.api('GET', '/users/big')).status).toBe(404);
        expect((await server.api('GET', path)).body.channel.data).not.toHaveProperty('b');
      });
    });

    describe('things that do not exist', () => {
      it('answers an unknown channel with 404 channel_not_found', async () => {
        expectError(await server.api('GET', '/channels/team/nowhere'), 'channel_not_found');
        expectError(
          await server.api('POST', '/channels/team/nowhere/messages', {
            body: { text: 'hi', user_id: 'alice' },
          }),
          'channel_not_found',
        );
        expectError(
          await server.api('GET', '/channels/team/nowhere/events?since_seq=0'),
          'channel_not_found',
        );
        expectError(
          await server.api('PATCH', '/channels/team/nowhere', { body: { set: { a: 1 } } }),
          'channel_not_found',
        );
      });

      it('answers an unknown route or method with 404 not_found', async () => {
        expectError(await server.api('GET', '/nowhere'), 'not_found');
        expectError(await server.api('PUT', path, { body: {} }), 'not_found');
        expectError(await server.api('GET', '/channels/team/input/nowhere'), 'not_found');
      });

      it('answers an unknown user with 404 user_not_found', async () => {
        expectError(await server.api('GET', '/users/nobody'), 'user_not_found');
      });

      it('refuses members that do not exist with unknown_users, listing them, and creates nothing', async () => {
        const created = await server.api('POST', '/channels/team/ghosts', {
          body: { members: ['alice', 'ghost-1', 'ghost-2'] },
        });
        expectError(created, 'unknown_users');
        expect([...created.body.error.details.user_ids].sort()).toEqual(['ghost-1', 'ghost-2']);
        expect((await server.api('GET', '/channels/team/ghosts')).status).toBe(404);

        const added = await server.api('POST', `${path}/members`, {
          body: { user_ids: ['bob', 'ghost-3'] },
        });
        expectError(added, 'unknown_users');
        expect(added.body.error.details.user_ids).toEqual(['ghost-3']);
        const dm = await server.api('POST', '/channels/dm', {
          body: { members: ['alice', 'ghost-4'] },
        });
        expectError(dm, 'unknown_users');
        expect(dm.body.error.details.user_ids).toEqual(['ghost-4']);
      });

      it('refuses "." and ".." as user and channel ids, which no URL could address', async () => {
        for (const id of ['.', '..']) {
          const res = await server.api('POST', '/users', { body: { users: [{ id }] } });
          expectError(res, 'invalid_request');
          expect(res.body.error.details.issues[0].message).toMatch(/path steps/);
          const member = await server.api('POST', '/channels/team/dots', {
            body: { members: [id], created_by_id: 'alice' },
          });
          expectError(member, 'invalid_request');
        }
        const token = await server.tokenFor('..');
        expectError(await server.api('GET', '/me', { token }), 'token_invalid');
      });

      it('refuses a channel id starting with "!", which is reserved for distinct channels', async () => {
        const res = await server.api('POST', '/channels/team/!sneaky', {
          body: { members: ['alice'] },
        });
        expectError(res, 'invalid_request');
        expect((await server.api('GET', '/channels/team/!sneaky')).status).toBe(404);
      });
    });

    describe('query strings', () => {
      it('refuses cursors this server did not hand out', async () => {
        expectError(
          await server.api('GET', '/channels?user_id=alice&cursor=garbage'),
          'invalid_request',
        );
        const notACursor = Buffer.from('["x", 1]').toString('base64url');
        expectError(
          await server.api('GET', `/channels?user_id=alice&cursor=${notACursor}`),
          'invalid_request',
        );
        expectError(await server.api('GET', '/users?cursor=!!!'), 'invalid_request');
        expectError(await server.api('GET', '/users?cursor=not-a-real-cursor'), 'invalid_request');
        expectError(
          await server.api('GET', `/users?cursor=${Buffer.from('alice').toString('base64url')}`),
          'invalid_request',
        );
        expectError(
          await server.api('GET', `${path}/messages?before=no-such-message`),
          'message_not_found',
        );
        await expectStillServing();
      });

      it('refuses a cursor that was altered, or issued for another list', async () => {
        await server.createChannel('team', 'cursor-a', ['bob'], 'alice');
        await server.createChannel('team', 'cursor-b', ['bob'], 'alice');
        const users = await server.api('GET', '/users?limit=1');
        const channels = await server.api('GET', '/channels?user_id=alice&limit=1');
        const userCursor = users.body.next_cursor as string;
        const channelCursor = channels.body.next_cursor as string;
        expect([typeof userCursor, typeof channelCursor]).toEqual(['string', 'string']);
        // The cursors work as issued...
        expect((await server.api('GET', `/users?limit=1&cursor=${userCursor}`)).status).toBe(200);
        const more = await server.api('GET', `/channels?user_id=alice&cursor=${channelCursor}`);
        expect(more.status).toBe(200);
        // ...but not edited (a position moved by hand), nor on the other list.
        const [payload, mac] = channelCursor.split('.');
        const edited = Buffer.from(JSON.stringify([0, 'team:zzz'])).toString('base64url');
        for (const cursor of [`${edited}.${mac}`, `${payload}.${mac}x`, payload, userCursor]) {
          expectError(
            await server.api('GET', `/channels?user_id=alice&cursor=${cursor}`),
            'invalid_request',
          );
        }
        expectError(await server.api('GET', `/users?cursor=${channelCursor}`), 'invalid_request');
      });

      it('refuses query values of the wrong type or range', async () => {
        for (const query of [
          'messages?limit=abc',
          'messages?limit=0',
          'messages?limit=100000',
          'messages?before=a&after=b',
          'events',
          'events?since_seq=-1',
          'events?since_seq=abc',
          // Past the 32-bit seqs the databases keep (was a 500 on PostgreSQL).
          'events?since_seq=7545437742292985',
          'messages?unknown=1',
        ]) {
          expectError(await server.api('GET', `${path}/${query}`), 'invalid_request');
        }
        expectError(await server.api('GET', '/users?role=superuser'), 'invalid_request');
        // Removing takes no role: a role there is an unknown field, not silently ignored
        // (a client asking to remove someone "as owner" must not see a demotion succeed).
        expectError(
          await server.api('DELETE', '/channels/team/input/members', {
            body: { user_ids: ['bob'], role: 'owner' },
          }),
          'invalid_request',
        );
        await expectStillServing();
      });
    });

    describe('refused writes', () => {
      it('leave the history and the event log exactly as they were', async () => {
        await server.createChannel('team', 'intact', ['bob'], 'alice');
        await server.createChannel('team', 'elsewhere', ['bob'], 'alice');
        const intact = '/channels/team/intact';
        const first = await server.api('POST', `${intact}/messages`, {
          token: aliceToken,
          body: { id: 'intact-1', text: 'first' },
        });
        expect(first.status).toBe(201);
        const other = await server.api('POST', '/channels/team/elsewhere/messages', {
          token: aliceToken,
          body: { id: 'taken-id', text: 'elsewhere' },
        });
        expect(other.status).toBe(201);
        const before = await server.api('GET', `${intact}/events?since_seq=0`);
        const historyBefore = await server.api('GET', `${intact}/messages`);

        const refusals = [
          { body: { text: 'a'.repeat(11) }, code: 'message_too_long' },
          { body: { text: '  ' }, code: 'invalid_request' },
          { body: { text: 'hi', data: { x: 'x'.repeat(300) } }, code: 'custom_data_too_large' },
          { body: { text: 'hi', unknown: 1 }, code: 'invalid_request' },
          { body: { id: 'taken-id', text: 'steal' }, code: 'message_id_conflict' },
          { body: { id: 'intact-1', text: 'changed?' }, code: null },
        ] as const;
        for (const { body, code } of refusals) {
          const res = await server.api('POST', `${intact}/messages`, { token: aliceToken, body });
          if (code === null) {
            // A retry of a stored id returns the stored message, unchanged.
            expect(res.status).toBe(200);
            expect(res.body).toMatchObject({ duplicate: true, message: { text: 'first' } });
          } else expectError(res, code);
        }
        const bob = await server.connect('bob');
        try {
          await expectFrameError(
            bob.sendMessage('team:intact', 'b'.repeat(11)),
            'message_too_long',
          );
          await expectFrameError(
            bob.sendMessage('team:intact', 'x', 'taken-id'),
            'message_id_conflict',
          );
          bob.sendRaw('{"type": "message.send", "cid": "team:intact", "message": {"text": ');
          await bob.ping();
        } finally {
          await bob.close();
        }

        const after = await server.api('GET', `${intact}/events?since_seq=0`);
        expect(after.body.last_seq).toBe(before.body.last_seq);
        expect(after.body.events).toEqual(before.body.events);
        expect((await server.api('GET', `${intact}/messages`)).body).toEqual(historyBefore.body);

        // No seq was used up by a refused write: the next message takes the next one.
        const next = await server.api('POST', `${intact}/messages`, {
          token: aliceToken,
          body: { text: 'second' },
        });
        expect(next.body.message.seq).toBe(before.body.last_seq + 1);
      });
    });
  });
}
