import { CloseCode } from '@parley/protocol';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError } from '../../server/test/helpers/expect-error.js';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TestClient } from '../../server/test/helpers/test-client.js';
import { TEST_API_KEY, TEST_SECRET, TestServer } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient, type ParleyServerClient } from '../src/index.js';
import { expectChatError } from './helpers/expect-chat-error.js';
import { recordingFetch } from './helpers/recording-fetch.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: server SDK`, () => {
    let server: TestServer;
    let parley: ParleyServerClient;
    let recorder: ReturnType<typeof recordingFetch>;
    let counter = 0;
    /** A fresh id per test, so tests sharing the server never see each other's data. */
    const fresh = (prefix: string) => `${prefix}-${++counter}`;

    /** Users that exist on the server, named after their ids. */
    async function users(...prefixes: string[]): Promise<string[]> {
      const ids = prefixes.map(fresh);
      await parley.upsertUsers(ids.map((id) => ({ id, name: id })));
      return ids;
    }

    beforeAll(async () => {
      server = await TestServer.start(kind);
      recorder = recordingFetch();
      parley = createParleyServerClient({
        url: server.url,
        secret: TEST_SECRET,
        apiKey: TEST_API_KEY,
        fetch: recorder.fetch,
      });
    });
    afterAll(() => server?.close());

    describe('credentials', () => {
      it('answers health() without sending any credentials', async () => {
        const health = await parley.health();
        expect(health).toMatchObject({ status: 'ok', storage: kind });
        expect(typeof health.node_id).toBe('string');
        const call = recorder.calls.at(-1)!;
        expect(call.url).toBe(`${server.url}/health`);
        expect(call.headers.authorization).toBeUndefined();
      });

      it('signs every call with one cached server token (HS256, server: true, no exp) and the api key', async () => {
        const { fetch, calls } = recordingFetch();
        const client = createParleyServerClient({
          url: server.url,
          secret: TEST_SECRET,
          apiKey: TEST_API_KEY,
          fetch,
        });
        const [alice] = await users('alice');
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
          url: server.url,
          secret: TEST_SECRET,
          apiKey: 'pk_wrong',
        });
        await expectChatError(wrong.getUser('anyone'), 'invalid_api_key');
      });

      it('gets token_invalid from the server when the secret is not the server’s', async () => {
        const forger = createParleyServerClient({
          url: server.url,
          secret: 'another-secret-that-is-at-least-32-characters',
        });
        await expectChatError(forger.getUser('anyone'), 'token_invalid');
      });
    });

    describe('user tokens', () => {
      it('makes a token the WebSocket accepts: connection.ok for that user', async () => {
        const [speaker] = await users('speaker');
        const token = await parley.createToken(speaker!, { expiresIn: 60 });
        const claims = decodeJwt(token);
        expect(claims.user_id).toBe(speaker);
        expect(claims.exp).toBeGreaterThan(Date.now() / 1000 + 50);
        expect(claims.exp).toBeLessThanOrEqual(Date.now() / 1000 + 61);
        const client = await TestClient.open(`${server.wsUrl}?token=${token}`);
        try {
          const ok = await client.waitFor((f) => f.type === 'connection.ok');
          expect(ok.user.id).toBe(speaker);
        } finally {
          await client.close();
        }
      });

      it('makes a token without exp when no expiresIn is given, valid on REST', async () => {
        const token = await parley.createToken('first-timer');
        expect(decodeJwt(token).exp).toBeUndefined();
        const me = await server.api('GET', '/me', { token });
        expect(me.status).toBe(200);
        expect(me.body.user.id).toBe('first-timer');
      });

      it('makes an expired token for a negative expiresIn: token_expired on REST and 4003 on the WebSocket', async () => {
        const [late] = await users('late');
        const token = await parley.createToken(late!, { expiresIn: -10 });
        expectError(await server.api('GET', '/me', { token }), 'token_expired');
        const client = await TestClient.open(`${server.wsUrl}?token=${token}`);
        const closed = await client.closed;
        expect(client.frames.map((f) => f.type)).toEqual(['error']);
        expect(client.frames[0]!.error.code).toBe('token_expired');
        expect(closed.code).toBe(CloseCode.TokenExpired);
      });
    });

    describe('users', () => {
      it('upserts users, then updates one keeping the fields left out', async () => {
        const [a, b] = [fresh('organizer'), fresh('guest')];
        const created = await parley.upsertUsers([
          { id: a, name: 'Olga Organizer', data: { company: 'ATAS' } },
          { id: b },
        ]);
        expect(created.map((u) => u.id).sort()).toEqual([a, b].sort());
        const updated = await parley.upsertUser({ id: a, image: 'https://example.com/o.png' });
        expect(updated).toMatchObject({
          id: a,
          name: 'Olga Organizer',
          image: 'https://example.com/o.png',
          role: 'user',
          data: { company: 'ATAS' },
        });
        expect(await parley.getUser(a)).toMatchObject({ id: a, name: 'Olga Organizer' });
      });

      it('fails getUser of an unknown user with user_not_found (404)', async () => {
        await expectChatError(parley.getUser(fresh('nobody')), 'user_not_found');
      });
    });

    describe('channels', () => {
      it('creates a channel once with its owner, members and data, then returns it as is', async () => {
        const [org, spk] = await users('org', 'spk');
        const id = fresh('request');
        const first = await parley.getOrCreateChannel('messaging', id, {
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

        const again = await parley.getOrCreateChannel('messaging', id, { data: { ignored: 1 } });
        expect(again.created).toBe(false);
        expect(again.channel.data).toEqual({ request_id: 42 });
      });

      it('fails to create a channel with unknown members: unknown_users (400) lists them', async () => {
        const [known] = await users('known');
        const [ghost, id] = [fresh('ghost'), fresh('haunted')];
        const error = await expectChatError(
          parley.getOrCreateChannel('messaging', id, { members: [known!, ghost] }),
          'unknown_users',
        );
        expect(error.details?.user_ids).toEqual([ghost]);
        // Refused whole: no channel was left behind.
        await expectChatError(parley.getChannel('messaging', id), 'channel_not_found');
      });

      it('gets a channel state with its latest messages; an unknown channel is channel_not_found (404)', async () => {
        const [u] = await users('reader');
        const id = fresh('log');
        await parley.getOrCreateChannel('messaging', id, { members: [u!] });
        await parley.sendMessage('messaging', id, { userId: u!, text: 'one' });
        await parley.sendMessage('messaging', id, { userId: u!, text: 'two' });
        const state = await parley.getChannel('messaging', id, { messageLimit: 1 });
        expect(state.messages.map((m) => m.text)).toEqual(['two']);
        expect(state.has_more_messages).toBe(true);
        await expectChatError(
          parley.getChannel('messaging', fresh('missing')),
          'channel_not_found',
        );
      });

      it('gets the same direct channel for a pair in either order, and its !-id works in every call', async () => {
        const [a, b] = await users('dm-a', 'dm-b');
        const dm = await parley.getOrCreateDirectChannel('messaging', [a!, b!], {
          data: { topic: 'travel' },
        });
        expect(dm.created).toBe(true);
        expect(dm.channel.distinct).toBe(true);
        expect(dm.channel.id.startsWith('!members-')).toBe(true);
        const reversed = await parley.getOrCreateDirectChannel('messaging', [b!, a!]);
        expect(reversed.created).toBe(false);
        expect(reversed.channel.cid).toBe(dm.channel.cid);

        const { id } = dm.channel;
        const sent = await parley.sendMessage('messaging', id, { userId: a!, text: 'hi' });
        expect(sent.message.cid).toBe(dm.channel.cid);
        expect((await parley.getChannel('messaging', id)).messages.map((m) => m.text)).toEqual([
          'hi',
        ]);
        expect((await parley.updateChannel('messaging', id, { set: { x: 1 } })).data).toEqual({
          topic: 'travel',
          x: 1,
        });
        const log = await parley.getEvents('messaging', id, { sinceSeq: 0 });
        expect(log.events.map((e) => e.type)).toEqual(['message.new', 'channel.updated']);
        await expectChatError(parley.addMembers('messaging', id, [a!]), 'forbidden');
        expect(await parley.deleteChannel('messaging', id)).toEqual({
          cid: dm.channel.cid,
          deleted: true,
        });
      });

      it('sets and unsets channel data keys', async () => {
        const id = fresh('data');
        await parley.getOrCreateChannel('messaging', id, { data: { a: 1, b: 2 } });
        const channel = await parley.updateChannel('messaging', id, {
          set: { c: 3 },
          unset: ['a'],
        });
        expect(channel.data).toEqual({ b: 2, c: 3 });
      });

      it('adds members with a role and removes them, each change in the event log', async () => {
        const [org, mod] = await users('team-org', 'team-mod');
        const id = fresh('team');
        await parley.getOrCreateChannel('messaging', id, { createdById: org });
        const added = await parley.addMembers('messaging', id, [mod!], { role: 'moderator' });
        expect(added.channel.member_count).toBe(2);
        expect(added.members.find((m) => m.user_id === mod)?.role).toBe('moderator');
        const removed = await parley.removeMembers('messaging', id, [mod!]);
        expect(removed.members.map((m) => m.user_id)).toEqual([org]);
        const log = await parley.getEvents('messaging', id, { sinceSeq: 0 });
        expect(log.events.map((e) => e.type)).toEqual(['member.added', 'member.removed']);
      });

      it('lists a user’s channels newest first, filtered by type, page by page', async () => {
        const [u] = await users('busy');
        const [oldest, middle, newest] = [fresh('c'), fresh('c'), fresh('c')];
        for (const id of [oldest!, middle!, newest!]) {
          await parley.getOrCreateChannel('support', id, { members: [u!] });
        }
        await parley.getOrCreateChannel('other', fresh('c'), { members: [u!] });
        // A message makes the oldest channel the most recently active.
        await parley.sendMessage('support', oldest!, { userId: u!, text: 'bump' });

        const page1 = await parley.queryChannels(u!, { type: 'support', limit: 2 });
        expect(page1.channels.map((c) => c.channel.id)).toEqual([oldest, newest]);
        expect(page1.channels[0]!.messages.map((m) => m.text)).toEqual(['bump']);
        expect(page1.next_cursor).not.toBeNull();
        const page2 = await parley.queryChannels(u!, {
          type: 'support',
          limit: 2,
          cursor: page1.next_cursor!,
          messageLimit: 0,
        });
        expect(page2.channels.map((c) => c.channel.id)).toEqual([middle]);
        expect(page2.next_cursor).toBeNull();
        expect((await parley.queryChannels(u!)).channels).toHaveLength(4);
      });

      it('deletes a channel; getting it afterwards is channel_not_found', async () => {
        const id = fresh('gone');
        const { channel } = await parley.getOrCreateChannel('messaging', id);
        expect(await parley.deleteChannel('messaging', id)).toEqual({
          cid: channel.cid,
          deleted: true,
        });
        await expectChatError(parley.getChannel('messaging', id), 'channel_not_found');
        await expectChatError(parley.deleteChannel('messaging', id), 'channel_not_found');
      });
    });

    describe('messages', () => {
      it('sends as a user; the same id again answers duplicate: true and stores nothing', async () => {
        const [org, spk] = await users('m-org', 'm-spk');
        const id = fresh('thread');
        await parley.getOrCreateChannel('messaging', id, { members: [org!, spk!] });
        const first = await parley.sendMessage('messaging', id, {
          id: fresh('msg'),
          userId: org!,
          text: 'Can you speak on Friday?',
          data: { priority: 'high' },
        });
        expect(first.duplicate).toBe(false);
        expect(first.message).toMatchObject({
          type: 'regular',
          user_id: org,
          text: 'Can you speak on Friday?',
          data: { priority: 'high' },
        });
        const retry = await parley.sendMessage('messaging', id, {
          id: first.message.id,
          userId: org!,
          text: 'Can you speak on Friday?',
        });
        expect(retry.duplicate).toBe(true);
        expect(retry.message.seq).toBe(first.message.seq);
        const log = await parley.getEvents('messaging', id, { sinceSeq: 0 });
        expect(log.events.filter((e) => e.type === 'message.new')).toHaveLength(1);
      });

      it('fails with message_id_conflict (409) when the id is used in another channel', async () => {
        const [u] = await users('conflict');
        const [one, two] = [fresh('one'), fresh('two')];
        await parley.getOrCreateChannel('messaging', one, { members: [u!] });
        await parley.getOrCreateChannel('messaging', two, { members: [u!] });
        const messageId = fresh('shared-id');
        await parley.sendMessage('messaging', one, { id: messageId, userId: u!, text: 'here' });
        await expectChatError(
          parley.sendMessage('messaging', two, { id: messageId, userId: u!, text: 'there' }),
          'message_id_conflict',
        );
      });

      it('fails with not_member (403) when the author is not in the channel', async () => {
        const [outsider] = await users('outsider');
        const id = fresh('closed');
        await parley.getOrCreateChannel('messaging', id);
        await expectChatError(
          parley.sendMessage('messaging', id, { userId: outsider!, text: 'let me in' }),
          'not_member',
        );
      });

      it('keeps a historical createdAt given as a Date or a string', async () => {
        const [u] = await users('importer');
        const id = fresh('legacy');
        await parley.getOrCreateChannel('messaging', id, { members: [u!] });
        const at = new Date('2024-03-01T09:30:00.000Z');
        const fromDate = await parley.sendMessage('messaging', id, {
          userId: u!,
          text: 'old',
          createdAt: at,
        });
        expect(Date.parse(fromDate.message.created_at)).toBe(at.getTime());
        const fromString = await parley.sendMessage('messaging', id, {
          userId: u!,
          text: 'older',
          createdAt: '2024-02-01T08:00:00Z',
        });
        expect(Date.parse(fromString.message.created_at)).toBe(Date.parse('2024-02-01T08:00:00Z'));
      });

      it('sends system messages, with or without an author, that show with type system', async () => {
        const [org, spk] = await users('s-org', 's-spk');
        const id = fresh('request');
        await parley.getOrCreateChannel('messaging', id, { members: [org!, spk!] });
        const plain = await parley.sendSystemMessage('messaging', id, {
          text: 'Invitation accepted',
          data: { status: 'accepted' },
        });
        expect(plain.duplicate).toBe(false);
        expect(plain.message).toMatchObject({ type: 'system', user_id: null, user: null });
        const attributed = await parley.sendSystemMessage('messaging', id, {
          id: fresh('sys'),
          text: 'Olga changed the date',
          userId: org!,
        });
        expect(attributed.message).toMatchObject({ type: 'system', user_id: org });

        const state = await parley.getChannel('messaging', id);
        expect(state.messages.map((m) => [m.type, m.text])).toEqual([
          ['system', 'Invitation accepted'],
          ['system', 'Olga changed the date'],
        ]);
        const unread = await parley.getUnread(spk!);
        expect(unread.channels).toContainEqual({
          cid: `messaging:${id}`,
          unread_count: 2,
          unread_mentions: 0,
        });
      });

      it('counts a user’s unread messages from others; the user’s own send reads the channel', async () => {
        const [reader, writer] = await users('unread-r', 'unread-w');
        const [one, two] = [fresh('u1'), fresh('u2')];
        for (const id of [one, two]) {
          await parley.getOrCreateChannel('messaging', id, { members: [reader!, writer!] });
        }
        await parley.sendMessage('messaging', one, { userId: writer!, text: 'a' });
        await parley.sendMessage('messaging', one, { userId: writer!, text: 'b' });
        await parley.sendMessage('messaging', two, { userId: writer!, text: 'c' });
        // Replying moves the reader's read position past 'c'.
        await parley.sendMessage('messaging', two, { userId: reader!, text: 'mine' });
        expect(await parley.getUnread(reader!)).toEqual({
          total_unread_count: 2,
          unread_channels: 1,
          total_unread_mentions: 0,
          channels: [{ cid: `messaging:${one}`, unread_count: 2, unread_mentions: 0 }],
        });
        expect(await parley.getUnread(writer!)).toMatchObject({ total_unread_count: 1 });
      });

      it('pages through the event log after sinceSeq', async () => {
        const [u] = await users('pager');
        const id = fresh('events');
        await parley.getOrCreateChannel('messaging', id, { members: [u!] });
        for (const text of ['1', '2', '3', '4', '5']) {
          await parley.sendMessage('messaging', id, { userId: u!, text });
        }
        const page = await parley.getEvents('messaging', id, { sinceSeq: 1, limit: 2 });
        expect(page.events.map((e) => e.seq)).toEqual([2, 3]);
        expect(page.has_more).toBe(true);
        expect(page.last_seq).toBe(5);
        const rest = await parley.getEvents('messaging', id, { sinceSeq: 3 });
        expect(rest.events.map((e) => e.seq)).toEqual([4, 5]);
        expect(rest.has_more).toBe(false);
      });
    });

    describe('arguments checked before sending', () => {
      const bad: [string, (p: ParleyServerClient) => Promise<unknown>][] = [
        ['a channel type with capitals', (p) => p.getChannel('Messaging', 'general')],
        ['a channel id with a space', (p) => p.getChannel('messaging', 'gen eral')],
        [
          'a reserved ! id for a new channel',
          (p) => p.getOrCreateChannel('messaging', '!members-x'),
        ],
        ['an empty member list', (p) => p.getOrCreateChannel('messaging', 'x', { members: [] })],
        ['an empty list to add', (p) => p.addMembers('messaging', 'x', [])],
        ['an empty list to remove', (p) => p.removeMembers('messaging', 'x', [])],
        [
          'an unknown member role',
          (p) => p.addMembers('messaging', 'x', ['a'], { role: 'boss' as never }),
        ],
        ['no users to upsert', (p) => p.upsertUsers([])],
        ['an invalid user id', (p) => p.upsertUser({ id: 'not valid!' })],
        ['an empty user id to get', (p) => p.getUser('')],
        [
          'a direct channel with oneself',
          (p) => p.getOrCreateDirectChannel('messaging', ['a', 'a']),
        ],
        [
          'a direct channel of three',
          (p) => p.getOrCreateDirectChannel('messaging', ['a', 'b', 'c'] as never),
        ],
        [
          'a message without text',
          (p) => p.sendMessage('messaging', 'x', { userId: 'a' } as never),
        ],
        [
          'a message with blank text',
          (p) => p.sendMessage('messaging', 'x', { userId: 'a', text: ' \n ' }),
        ],
        [
          'a message without author',
          (p) => p.sendMessage('messaging', 'x', { text: 'hi' } as never),
        ],
        [
          'a message id with a space',
          (p) => p.sendMessage('messaging', 'x', { userId: 'a', text: 'hi', id: 'a b' }),
        ],
        [
          'an invalid createdAt',
          (p) =>
            p.sendMessage('messaging', 'x', { userId: 'a', text: 'hi', createdAt: 'yesterday' }),
        ],
        [
          'an invalid Date',
          (p) =>
            p.sendMessage('messaging', 'x', {
              userId: 'a',
              text: 'hi',
              createdAt: new Date('nope'),
            }),
        ],
        [
          'a system message with blank text',
          (p) => p.sendSystemMessage('messaging', 'x', { text: '' }),
        ],
        ['an update with neither set nor unset', (p) => p.updateChannel('messaging', 'x', {})],
        ['a negative sinceSeq', (p) => p.getEvents('messaging', 'x', { sinceSeq: -1 })],
        [
          'an events limit above 500',
          (p) => p.getEvents('messaging', 'x', { sinceSeq: 0, limit: 501 }),
        ],
        ['a channels limit of 0', (p) => p.queryChannels('a', { limit: 0 })],
        ['a message limit above 200', (p) => p.getChannel('messaging', 'x', { messageLimit: 201 })],
        ['a token for an invalid user id', (p) => p.createToken('no spaces allowed')],
        ['a token with a NaN expiry', (p) => p.createToken('a', { expiresIn: Number.NaN })],
      ];

      it.each(bad)('refuses %s with invalid_request, sending nothing', async (_name, call) => {
        const { fetch, calls } = recordingFetch();
        const client = createParleyServerClient({ url: server.url, secret: TEST_SECRET, fetch });
        const error = await expectChatError(call(client), 'invalid_request');
        expect(error.details?.issues).toEqual([
          { path: expect.any(String), message: expect.any(String) },
        ]);
        expect(calls).toHaveLength(0);
        // The same recorder does see a valid call, so the zero above means something.
        await client.health();
        expect(calls).toHaveLength(1);
      });
    });
  });
}
