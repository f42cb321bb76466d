import { CloseCode } from '@parley/protocol';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { expectError } from '../../server/test/helpers/expect-error.js';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TestClient } from '../../server/test/helpers/test-client.js';
import { TEST_API_KEY, TEST_SECRET } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient } from '../src/index.js';
import { expectChatError } from './helpers/expect-chat-error.js';
import { recordingFetch } from './helpers/recording-fetch.js';
import { useSdkServer } from './helpers/sdk-server.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: server SDK`, () => {
    const sdk = useSdkServer(kind);

    describe('credentials', () => {
      it('answers health() without sending any credentials', async () => {
        const health = await sdk.parley.health();
        expect(health).toMatchObject({ status: 'ok', storage: kind });
        expect(typeof health.node_id).toBe('string');
        const call = sdk.recorder.calls.at(-1)!;
        expect(call.url).toBe(`${sdk.server.url}/health`);
        expect(call.headers.authorization).toBeUndefined();
      });

      it('signs every call with one cached server token (HS256, server: true, no exp) and the api key', async () => {
        const { fetch, calls } = recordingFetch();
        const client = createParleyServerClient({
          url: sdk.server.url,
          secret: TEST_SECRET,
          apiKey: TEST_API_KEY,
          fetch,
        });
        const [alice] = await sdk.users('alice');
        await client.getUser(alice!);
        // A token signed again a minute later would differ in its iat; a cached one cannot.
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
        try {
          await client.getUser(alice!);
        } finally {
          vi.useRealTimers();
        }
        expect(calls).toHaveLength(2);
        const [first, second] = calls.map((c) => c.headers.authorization);
        expect(first).toMatch(/^Bearer /);
        expect(second).toBe(first);
        const token = first!.slice('Bearer '.length);
        expect(decodeProtectedHeader(token).alg).toBe('HS256');
        const claims = decodeJwt(token);
        expect(claims.server).toBe(true);
        expect(claims.exp).toBeUndefined();
        expect(calls.every((c) => c.headers['x-api-key'] === TEST_API_KEY)).toBe(true);
      });

      it('gets invalid_api_key from the server when the api key is wrong', async () => {
        const wrong = createParleyServerClient({
          url: sdk.server.url,
          secret: TEST_SECRET,
          apiKey: 'pk_wrong',
        });
        await expectChatError(wrong.getUser('anyone'), 'invalid_api_key');
      });

      it('gets token_invalid from the server when the secret is not the server’s', async () => {
        const forger = createParleyServerClient({
          url: sdk.server.url,
          secret: 'another-secret-that-is-at-least-32-characters',
        });
        await expectChatError(forger.getUser('anyone'), 'token_invalid');
      });
    });

    describe('user tokens', () => {
      it('makes a token the WebSocket accepts: connection.ok for that user', async () => {
        const [speaker] = await sdk.users('speaker');
        const token = await sdk.parley.createToken(speaker!, { expiresIn: 60 });
        const claims = decodeJwt(token);
        expect(claims.user_id).toBe(speaker);
        expect(claims.exp).toBeGreaterThan(Date.now() / 1000 + 50);
        expect(claims.exp).toBeLessThanOrEqual(Date.now() / 1000 + 61);
        const client = await TestClient.open(`${sdk.server.wsUrl}?token=${token}`);
        try {
          const ok = await client.waitFor((f) => f.type === 'connection.ok');
          expect(ok.user.id).toBe(speaker);
        } finally {
          await client.close();
        }
      });

      it('makes a token without exp when no expiresIn is given, valid on REST', async () => {
        const token = await sdk.parley.createToken('first-timer');
        expect(decodeJwt(token).exp).toBeUndefined();
        const me = await sdk.server.api('GET', '/me', { token });
        expect(me.status).toBe(200);
        expect(me.body.user.id).toBe('first-timer');
      });

      it('makes an expired token for a negative expiresIn: token_expired on REST and 4003 on the WebSocket', async () => {
        const [late] = await sdk.users('late');
        const token = await sdk.parley.createToken(late!, { expiresIn: -10 });
        expectError(await sdk.server.api('GET', '/me', { token }), 'token_expired');
        const client = await TestClient.open(`${sdk.server.wsUrl}?token=${token}`);
        const closed = await client.closed;
        expect(client.frames.map((f) => f.type)).toEqual(['error']);
        expect(client.frames[0]!.error.code).toBe('token_expired');
        expect(closed.code).toBe(CloseCode.TokenExpired);
      });
    });

    describe('users', () => {
      it('upserts users, then updates one keeping the fields left out', async () => {
        const [a, b] = [sdk.fresh('organizer'), sdk.fresh('guest')];
        const created = await sdk.parley.upsertUsers([
          { id: a, name: 'Olga Organizer', data: { company: 'ATAS' } },
          { id: b },
        ]);
        expect(created.map((u) => u.id).sort()).toEqual([a, b].sort());
        const updated = await sdk.parley.upsertUser({ id: a, image: 'https://example.com/o.png' });
        expect(updated).toMatchObject({
          id: a,
          name: 'Olga Organizer',
          image: 'https://example.com/o.png',
          role: 'user',
          data: { company: 'ATAS' },
        });
        expect(await sdk.parley.getUser(a)).toMatchObject({ id: a, name: 'Olga Organizer' });
      });

      it('fails getUser of an unknown user with user_not_found (404)', async () => {
        await expectChatError(sdk.parley.getUser(sdk.fresh('nobody')), 'user_not_found');
      });
    });

    describe('channels', () => {
      it('creates a channel once with its owner, members and data, then returns it as is', async () => {
        const [org, spk] = await sdk.users('org', 'spk');
        const id = sdk.fresh('request');
        const first = await sdk.parley.getOrCreateChannel('messaging', id, {
          members: [spk!],
          createdById: org,
          data: { request_id: 42 },
        });
        expect(first.created).toBe(true);
        expect(first.channel).toMatchObject({
          cid: `messaging:${id}`,
          data: { request_id: 42 },
          created_by_id: org,
          member_count: 2,
        });
        const roles = Object.fromEntries(first.members.map((m) => [m.user_id, m.role]));
        expect(roles).toEqual({ [org!]: 'owner', [spk!]: 'member' });
        expect(first.membership).toBeNull();

        const again = await sdk.parley.getOrCreateChannel('messaging', id, {
          data: { ignored: 1 },
        });
        expect(again.created).toBe(false);
        expect(again.channel.data).toEqual({ request_id: 42 });
      });

      it('fails to create a channel with unknown members: unknown_users (400) lists them', async () => {
        const [known] = await sdk.users('known');
        const [ghost, id] = [sdk.fresh('ghost'), sdk.fresh('haunted')];
        const error = await expectChatError(
          sdk.parley.getOrCreateChannel('messaging', id, { members: [known!, ghost] }),
          'unknown_users',
        );
        expect(error.details?.user_ids).toEqual([ghost]);
        // Refused whole: no channel was left behind.
        await expectChatError(sdk.parley.getChannel('messaging', id), 'channel_not_found');
      });

      it('gets a channel state with its latest messages; an unknown channel is channel_not_found (404)', async () => {
        const [u] = await sdk.users('reader');
        const id = sdk.fresh('log');
        await sdk.parley.getOrCreateChannel('messaging', id, { members: [u!] });
        await sdk.parley.sendMessage('messaging', id, { userId: u!, text: 'one' });
        await sdk.parley.sendMessage('messaging', id, { userId: u!, text: 'two' });
        const state = await sdk.parley.getChannel('messaging', id, { messageLimit: 1 });
        expect(state.messages.map((m) => m.text)).toEqual(['two']);
        expect(state.has_more_messages).toBe(true);
        await expectChatError(
          sdk.parley.getChannel('messaging', sdk.fresh('missing')),
          'channel_not_found',
        );
      });

      it('gets the same direct channel for a pair in either order, and its !-id works in every call', async () => {
        const [a, b] = await sdk.users('dm-a', 'dm-b');
        const dm = await sdk.parley.getOrCreateDirectChannel('messaging', [a!, b!], {
          data: { topic: 'travel' },
        });
        expect(dm.created).toBe(true);
        expect(dm.channel.distinct).toBe(true);
        expect(dm.channel.id.startsWith('!members-')).toBe(true);
        const reversed = await sdk.parley.getOrCreateDirectChannel('messaging', [b!, a!]);
        expect(reversed.created).toBe(false);
        expect(reversed.channel.cid).toBe(dm.channel.cid);

        const { id } = dm.channel;
        const sent = await sdk.parley.sendMessage('messaging', id, { userId: a!, text: 'hi' });
        expect(sent.message.cid).toBe(dm.channel.cid);
        expect((await sdk.parley.getChannel('messaging', id)).messages.map((m) => m.text)).toEqual([
          'hi',
        ]);
        expect((await sdk.parley.updateChannel('messaging', id, { set: { x: 1 } })).data).toEqual({
          topic: 'travel',
          x: 1,
        });
        const log = await sdk.parley.getEvents('messaging', id, { sinceSeq: 0 });
        expect(log.events.map((e) => e.type)).toEqual(['message.new', 'channel.updated']);
        await expectChatError(sdk.parley.addMembers('messaging', id, [a!]), 'forbidden');
        expect(await sdk.parley.deleteChannel('messaging', id)).toEqual({
          cid: dm.channel.cid,
          deleted: true,
        });
      });

      it('sets and unsets channel data keys', async () => {
        const id = sdk.fresh('data');
        await sdk.parley.getOrCreateChannel('messaging', id, { data: { a: 1, b: 2 } });
        const channel = await sdk.parley.updateChannel('messaging', id, {
          set: { c: 3 },
          unset: ['a'],
        });
        expect(channel.data).toEqual({ b: 2, c: 3 });
      });

      it('adds members with a role and removes them, each change in the event log', async () => {
        const [org, mod] = await sdk.users('team-org', 'team-mod');
        const id = sdk.fresh('team');
        await sdk.parley.getOrCreateChannel('messaging', id, { createdById: org });
        const added = await sdk.parley.addMembers('messaging', id, [mod!], { role: 'moderator' });
        expect(added.channel.member_count).toBe(2);
        expect(added.members.find((m) => m.user_id === mod)?.role).toBe('moderator');
        const removed = await sdk.parley.removeMembers('messaging', id, [mod!]);
        expect(removed.members.map((m) => m.user_id)).toEqual([org]);
        const log = await sdk.parley.getEvents('messaging', id, { sinceSeq: 0 });
        expect(log.events.map((e) => e.type)).toEqual(['member.added', 'member.removed']);
      });

      it('lists a user’s channels newest first, filtered by type, page by page', async () => {
        const [u] = await sdk.users('busy');
        const [oldest, middle, newest] = [sdk.fresh('c'), sdk.fresh('c'), sdk.fresh('c')];
        for (const id of [oldest!, middle!, newest!]) {
          await sdk.parley.getOrCreateChannel('support', id, { members: [u!] });
        }
        await sdk.parley.getOrCreateChannel('other', sdk.fresh('c'), { members: [u!] });
        // A message makes the oldest channel the most recently active.
        await sdk.parley.sendMessage('support', oldest!, { userId: u!, text: 'bump' });

        const page1 = await sdk.parley.queryChannels(u!, { type: 'support', limit: 2 });
        expect(page1.channels.map((c) => c.channel.id)).toEqual([oldest, newest]);
        expect(page1.channels[0]!.messages.map((m) => m.text)).toEqual(['bump']);
        expect(page1.next_cursor).not.toBeNull();
        const page2 = await sdk.parley.queryChannels(u!, {
          type: 'support',
          limit: 2,
          cursor: page1.next_cursor!,
          messageLimit: 0,
        });
        expect(page2.channels.map((c) => c.channel.id)).toEqual([middle]);
        expect(page2.next_cursor).toBeNull();
        expect((await sdk.parley.queryChannels(u!)).channels).toHaveLength(4);
      });

      it('deletes a channel; getting it afterwards is channel_not_found', async () => {
        const id = sdk.fresh('gone');
        const { channel } = await sdk.parley.getOrCreateChannel('messaging', id);
        expect(await sdk.parley.deleteChannel('messaging', id)).toEqual({
          cid: channel.cid,
          deleted: true,
        });
        await expectChatError(sdk.parley.getChannel('messaging', id), 'channel_not_found');
        await expectChatError(sdk.parley.deleteChannel('messaging', id), 'channel_not_found');
      });
    });
  });
}
