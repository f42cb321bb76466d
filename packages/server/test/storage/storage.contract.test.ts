import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ChannelNotFoundError,
  MessageIdConflictError,
  NotMemberError,
  SQLITE_FILE_NAME,
  StorageUnavailableError,
  UnknownUsersError,
  channelCursorOf,
  createStorage,
} from '../../src/storage/index.js';
import type {
  ChannelRecord,
  EventBuilder,
  MemberRecord,
  NewMessage,
  Storage,
  StorageOptions,
} from '../../src/storage/index.js';
import { PLAIN, T0, messageEvent } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../helpers/storages.js';
import type { StorageKind } from '../helpers/storages.js';

const addedEvent: EventBuilder<MemberRecord> = (member, seq, at) => ({
  type: 'member.added',
  cid: member.cid,
  seq,
  created_at: at,
  member: { user_id: member.userId, role: member.role },
});
const removedEvent: EventBuilder<string> = (userId, seq, at) => ({
  type: 'member.removed',
  seq,
  created_at: at,
  user_id: userId,
});
const readEvent: EventBuilder<MemberRecord> = (member, seq, at) => ({
  type: 'message.read',
  cid: member.cid,
  seq,
  created_at: at,
  user_id: member.userId,
  last_read_seq: member.lastReadSeq,
});
const updatedEvent: EventBuilder<ChannelRecord> = (channel, seq, at) => ({
  type: 'channel.updated',
  cid: channel.cid,
  seq,
  created_at: at,
  channel: { cid: channel.cid, data: channel.data },
});

const unreachableDirs: string[] = [];

/** Deletes every row but the migrations', through a connection of its own. */
async function emptyTables(kind: StorageKind, config: StorageOptions): Promise<void> {
  // The search index (SQLite's FTS5 table and its shadow tables) empties with its messages.
  const keep = (table: string) =>
    table.startsWith('parley_migration') || table.startsWith('parley_messages_fts');
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ tablename: string }>(
        'select tablename from pg_tables where schemaname = current_schema()',
      );
      const tables = rows.map((row) => row.tablename).filter((t) => !keep(t));
      if (tables.length > 0) await client.query(`truncate ${tables.map((t) => `"${t}"`).join()}`);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new BetterSqlite3(path.join(config.dataDir, SQLITE_FILE_NAME));
  try {
    // better-sqlite3 turns foreign keys on; off, the order of the deletes does not matter.
    db.pragma('foreign_keys = OFF');
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .pluck()
      .all() as string[];
    for (const table of tables.filter((t) => !keep(t))) db.exec(`delete from "${table}"`);
  } finally {
    db.close();
  }
}

/** Options under which the database cannot be reached at all. */
async function unreachableOptions(kind: StorageKind): Promise<StorageOptions> {
  if (kind === 'postgres') {
    return { dataDir: os.tmpdir(), databaseUrl: 'postgres://postgres@127.0.0.1:1/parley' };
  }
  // A data folder that would have to live inside a regular file.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-unreachable-'));
  unreachableDirs.push(dir);
  await writeFile(path.join(dir, 'file'), '');
  return { dataDir: path.join(dir, 'file', 'data') };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: storage`, () => {
    // One database per dialect, emptied before each test: creating a PostgreSQL database
    // per test would cost far more than the tests themselves.
    let config: Awaited<ReturnType<typeof createTestStorageConfig>>;
    let storage: Storage;

    beforeAll(async () => {
      config = await createTestStorageConfig(kind);
      storage = createStorage(config);
      await storage.migrate();
    });
    afterAll(async () => {
      await storage.close();
      await config.cleanup();
    });
    beforeEach(() => emptyTables(kind, config));

    /** Creates the users and a channel `messaging:<id>` with them as members. */
    async function channelOf(id: string, userIds: string[], now = T0): Promise<ChannelRecord> {
      for (const userId of userIds) await storage.ensureUser(userId, now);
      const { channel } = await storage.getOrCreateChannel({
        cid: `messaging:${id}`,
        type: 'messaging',
        id,
        data: {},
        distinct: false,
        createdById: userIds[0] ?? null,
        members: userIds.map((userId) => ({ userId, role: 'member' })),
        now,
      });
      return channel;
    }

    function send(cid: string, userId: string | null, id: string, createdAt = T0, text = id) {
      const message: NewMessage = {
        id,
        cid,
        type: userId === null ? 'system' : 'regular',
        userId,
        text,
        data: {},
        createdAt,
      };
      return sendOne(message);
    }

    /** sendMessages with a batch of one, answered as the result or thrown as the error. */
    async function sendOne(message: NewMessage, buildEvent = messageEvent) {
      const [result] = await storage.sendMessages([message], buildEvent);
      if (result === undefined) throw new Error('sendMessages answered nothing');
      if (result.status === 'failed') throw result.error;
      return result.status === 'stored'
        ? { message: result.message, event: result.event, duplicate: false }
        : { message: result.message, event: null, duplicate: true };
    }

    describe('lifecycle', () => {
      it('keeps the data when migrations run a second time', async () => {
        await storage.ensureUser('alice', T0);
        await storage.migrate();
        expect((await storage.getUsers(['alice'])).map((u) => u.id)).toEqual(['alice']);
      });

      it('answers ping and reports its dialect', async () => {
        await expect(storage.ping()).resolves.toBeUndefined();
        expect(storage.dialect).toBe(kind);
      });

      it('rejects ping with StorageUnavailableError when the database cannot be reached', async () => {
        const broken = createStorage(await unreachableOptions(kind));
        try {
          await expect(broken.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
        } finally {
          await broken.close();
        }
      });

      it('finds an acknowledged message after the storage is closed and opened again', async () => {
        const channel = await channelOf('durable', ['alice']);
        await send(channel.cid, 'alice', 'm1');
        await storage.close();
        storage = createStorage(config);
        await storage.migrate();
        expect((await storage.getMessage('m1'))?.text).toBe('m1');
      });
    });

    describe('users', () => {
      it('inserts users with defaults and an update keeps the fields it does not specify', async () => {
        const [created] = await storage.upsertUsers(
          [{ id: 'alice', name: 'Alice', data: { team: 'red' } }],
          T0,
        );
        expect(created).toEqual({
          id: 'alice',
          name: 'Alice',
          image: null,
          role: 'user',
          data: { team: 'red' },
          createdAt: T0,
          updatedAt: T0,
          lastActive: null,
        });

        const [updated] = await storage.upsertUsers(
          [{ id: 'alice', image: 'https://img/a.png', role: 'admin' }],
          T0 + 1000,
        );
        expect(updated).toEqual({
          ...created,
          image: 'https://img/a.png',
          role: 'admin',
          updatedAt: T0 + 1000,
        });

        const [cleared] = await storage.upsertUsers([{ id: 'alice', name: null }], T0 + 2000);
        expect(cleared?.name).toBeNull();
        expect(cleared?.data).toEqual({ team: 'red' });
      });

      it('upsertUsers returns the users in the order given', async () => {
        const users = await storage.upsertUsers(
          [{ id: 'carol' }, { id: 'alice', name: 'A' }, { id: 'bob' }],
          T0,
        );
        expect(users.map((u) => u.id)).toEqual(['carol', 'alice', 'bob']);
        expect(await storage.upsertUsers([], T0)).toEqual([]);
      });

      it('ensureUser creates a user once and then returns it untouched', async () => {
        const first = await storage.ensureUser('bob', T0);
        expect(first).toMatchObject({
          id: 'bob',
          name: null,
          role: 'user',
          data: {},
          createdAt: T0,
        });
        await storage.upsertUsers([{ id: 'bob', name: 'Bob' }], T0 + 1);
        const again = await storage.ensureUser('bob', T0 + 2);
        expect(again).toMatchObject({ name: 'Bob', createdAt: T0, updatedAt: T0 + 1 });
      });

      it('getUsers returns only the users that exist', async () => {
        await storage.upsertUsers([{ id: 'a' }, { id: 'b' }], T0);
        const users = await storage.getUsers(['a', 'missing', 'b']);
        expect(users.map((u) => u.id).sort()).toEqual(['a', 'b']);
        expect(await storage.getUsers([])).toEqual([]);
      });

      it('queryUsers filters by ids, name or id prefix in any case, and role, sorted by id', async () => {
        await storage.upsertUsers(
          [
            { id: 'u1', name: 'Alice Smith' },
            { id: 'u2', name: 'bob' },
            { id: 'alex', name: null, role: 'admin' },
            { id: 'u3', name: 'ALBERT', role: 'admin' },
            { id: 'u4', name: '50%_off' },
          ],
          T0,
        );
        const ids = async (query: Parameters<Storage['queryUsers']>[0]) =>
          (await storage.queryUsers(query)).map((u) => u.id);

        expect(await ids({ limit: 10 })).toEqual(['alex', 'u1', 'u2', 'u3', 'u4']);
        expect(await ids({ ids: ['u2', 'u1', 'nobody'], limit: 10 })).toEqual(['u1', 'u2']);
        expect(await ids({ ids: [], limit: 10 })).toEqual([]);
        expect(await ids({ prefix: 'aL', limit: 10 })).toEqual(['alex', 'u1', 'u3']);
        expect(await ids({ prefix: 'U', limit: 10 })).toEqual(['u1', 'u2', 'u3', 'u4']);
        expect(await ids({ prefix: 'smith', limit: 10 })).toEqual([]);
        expect(await ids({ role: 'admin', limit: 10 })).toEqual(['alex', 'u3']);
        expect(await ids({ prefix: 'al', role: 'admin', limit: 10 })).toEqual(['alex', 'u3']);
        // LIKE wildcards in the prefix match themselves only.
        expect(await ids({ prefix: '50%_', limit: 10 })).toEqual(['u4']);
        expect(await ids({ prefix: '5_', limit: 10 })).toEqual([]);
      });

      it('queryUsers pages with afterId without skipping or repeating a user', async () => {
        const all = Array.from({ length: 7 }, (_, i) => ({ id: `user${i}` }));
        await storage.upsertUsers(all, T0);
        const seen: string[] = [];
        let afterId: string | undefined;
        for (;;) {
          const page = await storage.queryUsers({ afterId, limit: 3 });
          if (page.length === 0) break;
          seen.push(...page.map((u) => u.id));
          afterId = page.at(-1)?.id;
        }
        expect(seen).toEqual(all.map((u) => u.id));
      });

      it('setLastActive stores the time and never moves it back', async () => {
        await storage.ensureUser('alice', T0);
        await storage.setLastActive('alice', T0 + 5000);
        await storage.setLastActive('alice', T0 + 1000);
        expect((await storage.getUsers(['alice']))[0]?.lastActive).toBe(T0 + 5000);
      });

      it('getContactIds lists each user sharing a channel once, without the user', async () => {
        await channelOf('one', ['alice', 'bob', 'carol']);
        await channelOf('two', ['alice', 'bob']);
        await channelOf('three', ['dave', 'erin']);
        expect((await storage.getContactIds('alice')).sort()).toEqual(['bob', 'carol']);
        expect(await storage.getContactIds('dave')).toEqual(['erin']);
        expect(await storage.getContactIds('nobody')).toEqual([]);
      });
    });

    describe('channels', () => {
      it('getOrCreateChannel creates the channel with its members, then returns it untouched', async () => {
        await storage.upsertUsers([{ id: 'alice' }, { id: 'bob' }], T0);
        const created = await storage.getOrCreateChannel({
          cid: 'team:general',
          type: 'team',
          id: 'general',
          data: { name: 'General' },
          distinct: false,
          createdById: 'alice',
          members: [
            { userId: 'alice', role: 'owner' },
            { userId: 'bob', role: 'member' },
            { userId: 'bob', role: 'moderator' },
          ],
          now: T0,
        });
        expect(created).toEqual({
          created: true,
          channel: {
            cid: 'team:general',
            type: 'team',
            id: 'general',
            data: { name: 'General' },
            distinct: false,
            createdById: 'alice',
            createdAt: T0,
            updatedAt: T0,
            lastMessageAt: null,
            memberCount: 2,
            lastSeq: 0,
            frozen: false,
          },
        });
        expect(await storage.getMembers('team:general')).toEqual([
          {
            cid: 'team:general',
            userId: 'alice',
            role: 'owner',
            createdAt: T0,
            lastReadSeq: 0,
            lastReadMessageId: null,
            lastReadAt: null,
          },
          expect.objectContaining({ userId: 'bob', role: 'member' }),
        ]);

        const again = await storage.getOrCreateChannel({
          cid: 'team:general',
          type: 'team',
          id: 'general',
          data: { name: 'Other' },
          distinct: true,
          createdById: 'bob',
          members: [{ userId: 'bob', role: 'owner' }],
          now: T0 + 1,
        });
        expect(again).toEqual({ created: false, channel: created.channel });
        expect(await storage.getEvents('team:general', 0, 10)).toEqual([]);
      });

      it('getOrCreateChannel called 10 times at once creates one channel and returns it to all', async () => {
        await storage.upsertUsers([{ id: 'alice' }, { id: 'bob' }], T0);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            storage.getOrCreateChannel({
              cid: 'messaging:!members-alice-bob',
              type: 'messaging',
              id: '!members-alice-bob',
              data: {},
              distinct: true,
              createdById: 'alice',
              members: [
                { userId: 'alice', role: 'owner' },
                { userId: 'bob', role: 'member' },
              ],
              now: T0 + i,
            }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)?.channel;
        for (const result of results) expect(result.channel).toEqual(winner);
        expect(winner).toMatchObject({ distinct: true, memberCount: 2 });
        const members = await storage.getMembers('messaging:!members-alice-bob');
        expect(members.map((m) => m.userId).sort()).toEqual(['alice', 'bob']);
      });

      it('getOrCreateChannel with an unknown member throws UnknownUsersError and creates nothing', async () => {
        await storage.ensureUser('alice', T0);
        const attempt = storage.getOrCreateChannel({
          cid: 'messaging:x',
          type: 'messaging',
          id: 'x',
          data: {},
          distinct: false,
          createdById: 'alice',
          members: [
            { userId: 'alice', role: 'owner' },
            { userId: 'ghost', role: 'member' },
          ],
          now: T0,
        });
        await expect(attempt).rejects.toEqual(new UnknownUsersError(['ghost']));
        expect(await storage.getChannel('messaging:x')).toBeNull();
        expect(await storage.getChannelIdsOf('alice')).toEqual([]);
      });

      it('getChannel returns null for a channel that does not exist', async () => {
        expect(await storage.getChannel('messaging:none')).toBeNull();
      });

      it('addMembers adds only new members, one member.added event each with consecutive seqs', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1');
        await storage.upsertUsers([{ id: 'carol' }, { id: 'dave' }], T0);

        const result = await storage.addMembers(
          channel.cid,
          [
            { userId: 'bob', role: 'moderator' },
            { userId: 'carol', role: 'member' },
            { userId: 'dave', role: 'moderator' },
          ],
          T0 + 10,
          addedEvent,
        );
        expect(result.added.map((m) => [m.userId, m.role, m.lastReadSeq])).toEqual([
          // They joined after m1 (seq 1): earlier history starts out read.
          ['carol', 'member', 1],
          ['dave', 'moderator', 1],
        ]);
        expect(result.events.map((e) => [e.seq, e.type, e.payload['member']])).toEqual([
          [2, 'member.added', { user_id: 'carol', role: 'member' }],
          [3, 'member.added', { user_id: 'dave', role: 'moderator' }],
        ]);
        expect(result.channel).toMatchObject({ memberCount: 4, lastSeq: 3, updatedAt: T0 + 10 });
        expect(await storage.getEvents(channel.cid, 1, 10)).toEqual(result.events);
        // An existing member keeps their role.
        expect((await storage.getMember(channel.cid, 'bob'))?.role).toBe('member');

        const none = await storage.addMembers(
          channel.cid,
          [{ userId: 'carol', role: 'member' }],
          T0 + 20,
          addedEvent,
        );
        expect(none).toEqual({ channel: result.channel, added: [], events: [] });
      });

      it('addMembers rejects unknown users and a missing channel without changing anything', async () => {
        const channel = await channelOf('c', ['alice']);
        await expect(
          storage.addMembers(channel.cid, [{ userId: 'ghost', role: 'member' }], T0, addedEvent),
        ).rejects.toEqual(new UnknownUsersError(['ghost']));
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(0);
        await expect(
          storage.addMembers(
            'messaging:none',
            [{ userId: 'alice', role: 'member' }],
            T0,
            addedEvent,
          ),
        ).rejects.toBeInstanceOf(ChannelNotFoundError);
      });

      it('removeMembers removes only members, one member.removed event each', async () => {
        const channel = await channelOf('c', ['alice', 'bob', 'carol']);
        const result = await storage.removeMembers(
          channel.cid,
          ['carol', 'nobody', 'bob', 'carol'],
          T0 + 5,
          removedEvent,
        );
        expect(result.removed).toEqual(['carol', 'bob']);
        expect(result.events.map((e) => [e.seq, e.type, e.payload['user_id']])).toEqual([
          [1, 'member.removed', 'carol'],
          [2, 'member.removed', 'bob'],
        ]);
        expect(result.channel).toMatchObject({ memberCount: 1, lastSeq: 2 });
        expect((await storage.getMembers(channel.cid)).map((m) => m.userId)).toEqual(['alice']);
        expect(await storage.getMember(channel.cid, 'bob')).toBeNull();

        const none = await storage.removeMembers(channel.cid, ['bob'], T0 + 6, removedEvent);
        expect(none).toEqual({ channel: result.channel, removed: [], events: [] });
      });

      it('updateChannelData merges set, removes unset keys and stores a channel.updated event', async () => {
        await storage.ensureUser('alice', T0);
        await storage.getOrCreateChannel({
          cid: 'team:x',
          type: 'team',
          id: 'x',
          data: { name: 'X', topic: 'old', color: 'red' },
          distinct: false,
          createdById: 'alice',
          members: [{ userId: 'alice', role: 'owner' }],
          now: T0,
        });
        const { channel, event } = await storage.updateChannelData(
          'team:x',
          { set: { topic: 'new', tags: ['a'] }, unset: ['color', 'absent'] },
          T0 + 100,
          updatedEvent,
        );
        const data = { name: 'X', topic: 'new', tags: ['a'] };
        expect(channel).toMatchObject({ data, lastSeq: 1, updatedAt: T0 + 100 });
        expect(event).toEqual({
          cid: 'team:x',
          seq: 1,
          type: 'channel.updated',
          createdAt: T0 + 100,
          payload: {
            type: 'channel.updated',
            cid: 'team:x',
            seq: 1,
            created_at: T0 + 100,
            channel: { cid: 'team:x', data },
          },
          messageId: null,
        });
        expect(await storage.getChannel('team:x')).toEqual(channel);
        expect(await storage.getEvents('team:x', 0, 10)).toEqual([event]);
        await expect(
          storage.updateChannelData('team:none', { set: {}, unset: [] }, T0, updatedEvent),
        ).rejects.toBeInstanceOf(ChannelNotFoundError);
      });

      it('queryChannels lists the user’s channels by last activity, newest first, filtered by type', async () => {
        // Created at T0+1..T0+4; then messages move b (T0+10) and d (T0+20) ahead.
        const a = await channelOf('a', ['alice', 'bob'], T0 + 1);
        const b = await channelOf('b', ['alice'], T0 + 2);
        const c = await channelOf('c', ['alice'], T0 + 3);
        const d = await channelOf('d', ['alice'], T0 + 4);
        await channelOf('other', ['bob'], T0 + 5);
        await storage.getOrCreateChannel({
          cid: 'team:t',
          type: 'team',
          id: 't',
          data: {},
          distinct: false,
          createdById: 'alice',
          members: [{ userId: 'alice', role: 'owner' }],
          now: T0 + 6,
        });
        await send(b.cid, 'alice', 'mb', T0 + 10);
        await send(d.cid, 'alice', 'md', T0 + 20);

        const list = await storage.queryChannels({ userId: 'alice', limit: 10 });
        expect(list.map((ch) => ch.cid)).toEqual([d.cid, b.cid, 'team:t', c.cid, a.cid]);
        expect(list[0]?.lastMessageAt).toBe(T0 + 20);
        const messaging = await storage.queryChannels({
          userId: 'alice',
          type: 'messaging',
          limit: 10,
        });
        expect(messaging.map((ch) => ch.cid)).toEqual([d.cid, b.cid, c.cid, a.cid]);
        expect(await storage.queryChannels({ userId: 'nobody', limit: 10 })).toEqual([]);
      });

      it('queryChannels pages with a cursor without a duplicate or a gap, even on equal activity', async () => {
        // 9 channels, 3 per creation time, so that cid breaks the ties.
        for (let i = 0; i < 9; i++) await channelOf(`ch${i}`, ['alice'], T0 + Math.floor(i / 3));
        const expected = (await storage.queryChannels({ userId: 'alice', limit: 100 })).map(
          (ch) => ch.cid,
        );
        expect(expected).toEqual([
          'messaging:ch8',
          'messaging:ch7',
          'messaging:ch6',
          'messaging:ch5',
          'messaging:ch4',
          'messaging:ch3',
          'messaging:ch2',
          'messaging:ch1',
          'messaging:ch0',
        ]);
        const seen: string[] = [];
        let cursor;
        for (;;) {
          const page = await storage.queryChannels({ userId: 'alice', cursor, limit: 2 });
          if (page.length === 0) break;
          seen.push(...page.map((ch) => ch.cid));
          cursor = channelCursorOf(page.at(-1)!);
        }
        expect(seen).toEqual(expected);
      });

      it('getChannelIdsOf lists every channel the user is a member of', async () => {
        await channelOf('a', ['alice', 'bob']);
        await channelOf('b', ['alice']);
        await channelOf('c', ['bob']);
        expect((await storage.getChannelIdsOf('alice')).sort()).toEqual([
          'messaging:a',
          'messaging:b',
        ]);
      });

      it('deleteChannel removes the channel with its members, messages and events', async () => {
        const channel = await channelOf('gone', ['alice', 'bob']);
        const kept = await channelOf('kept', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1');
        await send(kept.cid, 'alice', 'k1');
        await storage.markRead(channel.cid, 'bob', { seq: 1, messageId: 'm1' }, T0, readEvent);

        expect(await storage.deleteChannel(channel.cid)).toEqual({ uploads: [] });
        expect(await storage.getChannel(channel.cid)).toBeNull();
        expect(await storage.getMembers(channel.cid)).toEqual([]);
        expect(await storage.getMessage('m1')).toBeNull();
        expect(await storage.getMessages(channel.cid, { limit: 10 })).toEqual([]);
        expect(await storage.getEvents(channel.cid, 0, 10)).toEqual([]);
        expect(await storage.getChannelIdsOf('alice')).toEqual([kept.cid]);
        expect(await storage.getMessage('k1')).not.toBeNull();
        expect(await storage.deleteChannel(channel.cid)).toBeNull();

        // The cid and the message id can be used again, from seq 1.
        const again = await channelOf('gone', ['alice']);
        expect(again.lastSeq).toBe(0);
        expect((await send(again.cid, 'alice', 'm1')).message.seq).toBe(1);
      });
    });

    describe('messages and events', () => {
      it('sendMessage gives strictly increasing seqs shared with the event log and stores the built payload', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        const first = await send(channel.cid, 'alice', 'm1', T0 + 1);
        await storage.addMembers(channel.cid, [], T0, addedEvent);
        await storage.removeMembers(channel.cid, ['bob'], T0 + 2, removedEvent);
        const second = await send(channel.cid, 'alice', 'm2', T0 + 3);

        expect(first.duplicate).toBe(false);
        expect(first.message).toEqual({
          id: 'm1',
          cid: channel.cid,
          seq: 1,
          type: 'regular',
          userId: 'alice',
          text: 'm1',
          data: {},
          createdAt: T0 + 1,
          updatedAt: T0 + 1,
          ...PLAIN,
        });
        expect(first.event).toEqual({
          cid: channel.cid,
          seq: 1,
          type: 'message.new',
          createdAt: T0 + 1,
          payload: messageEvent({ message: first.message, thread: null, quoted: null }, 1, T0 + 1),
          messageId: first.message.id,
        });
        expect(second.message.seq).toBe(3);
        const events = await storage.getEvents(channel.cid, 0, 10);
        expect(events.map((e) => [e.seq, e.type])).toEqual([
          [1, 'message.new'],
          [2, 'member.removed'],
          [3, 'message.new'],
        ]);
        expect(events[2]).toEqual(second.event);
        expect(await storage.getChannel(channel.cid)).toMatchObject({
          lastSeq: 3,
          lastMessageAt: T0 + 3,
          updatedAt: T0 + 3,
        });
      });

      it('sendMessage moves the author’s read position to the new message, without an event', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1', T0 + 1);
        await send(channel.cid, 'bob', 'm2', T0 + 2);
        expect(await storage.getMember(channel.cid, 'bob')).toMatchObject({
          lastReadSeq: 2,
          lastReadMessageId: 'm2',
          lastReadAt: T0 + 2,
        });
        expect(await storage.getMember(channel.cid, 'alice')).toMatchObject({
          lastReadSeq: 1,
          lastReadMessageId: 'm1',
        });
        expect((await storage.getEvents(channel.cid, 0, 10)).map((e) => e.type)).toEqual([
          'message.new',
          'message.new',
        ]);
      });

      it('sending the same message id twice returns the stored message and stores nothing new', async () => {
        const channel = await channelOf('c', ['alice']);
        const first = await send(channel.cid, 'alice', 'm1', T0, 'hello');
        const retry = await send(channel.cid, 'alice', 'm1', T0 + 50, 'hello again');
        expect(retry).toEqual({ message: first.message, event: null, duplicate: true });
        expect(await storage.getChannel(channel.cid)).toMatchObject({ lastSeq: 1 });
        expect(await storage.getMessages(channel.cid, { limit: 10 })).toEqual([first.message]);
        expect(await storage.getEvents(channel.cid, 0, 10)).toHaveLength(1);
        // The next message takes the next seq: the retry used none.
        expect((await send(channel.cid, 'alice', 'm2')).message.seq).toBe(2);
      });

      it('a system message id sent twice is a duplicate too', async () => {
        const channel = await channelOf('c', ['alice']);
        await send(channel.cid, null, 'sys1');
        expect((await send(channel.cid, null, 'sys1')).duplicate).toBe(true);
      });

      it('a message id used in another channel or by another author throws MessageIdConflictError', async () => {
        const one = await channelOf('one', ['alice', 'bob']);
        const two = await channelOf('two', ['alice']);
        await send(one.cid, 'alice', 'm1');
        await expect(send(two.cid, 'alice', 'm1')).rejects.toEqual(
          new MessageIdConflictError('m1'),
        );
        await expect(send(one.cid, 'bob', 'm1')).rejects.toBeInstanceOf(MessageIdConflictError);
        await expect(send(one.cid, null, 'm1')).rejects.toBeInstanceOf(MessageIdConflictError);
        expect((await storage.getChannel(one.cid))?.lastSeq).toBe(1);
        expect((await storage.getChannel(two.cid))?.lastSeq).toBe(0);
      });

      it('50 concurrent sends in one channel get seqs 1..50 with no gap or duplicate', async () => {
        const channel = await channelOf('busy', ['alice', 'bob']);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            send(channel.cid, i % 2 === 0 ? 'alice' : 'bob', `m${i}`),
          ),
        );
        const seqs = results.map((r) => r.message.seq).sort((x, y) => x - y);
        expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        for (const r of results) expect(r.event?.seq).toBe(r.message.seq);
        const events = await storage.getEvents(channel.cid, 0, 100);
        expect(events.map((e) => e.seq)).toEqual(seqs);
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(50);
      });

      it('concurrent sends of one id store it once and report the others as duplicates', async () => {
        const channel = await channelOf('c', ['alice']);
        const results = await Promise.all(
          Array.from({ length: 5 }, () => send(channel.cid, 'alice', 'same')),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(1);
      });

      it('sendMessage to a channel that does not exist throws ChannelNotFoundError', async () => {
        await storage.ensureUser('alice', T0);
        await expect(send('messaging:none', 'alice', 'm1')).rejects.toEqual(
          new ChannelNotFoundError('messaging:none'),
        );
        expect(await storage.getMessage('m1')).toBeNull();
      });

      it('a failing event builder leaves no message, event or seq behind', async () => {
        const channel = await channelOf('c', ['alice']);
        const failing = sendOne(
          {
            id: 'm1',
            cid: channel.cid,
            type: 'regular',
            userId: 'alice',
            text: 'x',
            data: {},
            createdAt: T0,
          },
          () => {
            throw new Error('builder failed');
          },
        );
        await expect(failing).rejects.toThrow('builder failed');
        expect(await storage.getMessage('m1')).toBeNull();
        expect(await storage.getChannel(channel.cid)).toEqual(channel);
        expect(await storage.getMember(channel.cid, 'alice')).toMatchObject({ lastReadSeq: 0 });
      });

      it('a message’s custom data and text round-trip unchanged', async () => {
        const channel = await channelOf('c', ['alice']);
        const data = {
          attachments: [{ type: 'image', url: 'https://x/y.png', size: 12345 }],
          nested: { flag: true, none: null, ratio: 0.5, emoji: '🎉 ünïcödé' },
        };
        const text = '<script>alert("x")</script> \'quotes\' and 改行\nnewline';
        await sendOne({
          id: 'm1',
          cid: channel.cid,
          type: 'regular',
          userId: 'alice',
          text,
          data,
          createdAt: T0,
        });
        expect(await storage.getMessage('m1')).toMatchObject({ text, data });
      });

      it('keeps times as epoch-millisecond numbers', async () => {
        const at = 1_893_456_000_123; // 2030-01-01T00:00:00.123Z
        const channel = await channelOf('c', ['alice'], at);
        const { message, event } = await send(channel.cid, 'alice', 'm1', at + 1);
        const stored = [
          (await storage.getUsers(['alice']))[0]?.createdAt,
          (await storage.getChannel(channel.cid))?.createdAt,
          (await storage.getChannel(channel.cid))?.lastMessageAt,
          (await storage.getMember(channel.cid, 'alice'))?.lastReadAt,
          (await storage.getMessage(message.id))?.createdAt,
          (await storage.getEvents(channel.cid, 0, 1))[0]?.createdAt,
        ];
        expect(stored).toEqual([at, at, at + 1, at + 1, at + 1, at + 1]);
        for (const value of stored) expect(typeof value).toBe('number');
        expect(event?.createdAt).toBe(at + 1);
      });

      it('an imported message keeps its createdAt, its seq still orders it, and activity follows it', async () => {
        const channel = await channelOf('c', ['alice'], T0 + 1_000_000);
        await send(channel.cid, 'alice', 'old1', T0 + 10);
        await send(channel.cid, 'alice', 'old2', T0 + 20);
        const messages = await storage.getMessages(channel.cid, { limit: 10 });
        expect(messages.map((m) => [m.id, m.seq, m.createdAt])).toEqual([
          ['old1', 1, T0 + 10],
          ['old2', 2, T0 + 20],
        ]);
        const stored = await storage.getChannel(channel.cid);
        expect(stored?.lastMessageAt).toBe(T0 + 20);
        expect(channelCursorOf(stored!).activityAt).toBe(T0 + 20);

        // A channel created later but with older messages sorts after a newer conversation.
        const recent = await channelOf('recent', ['alice'], T0 + 100);
        await send(recent.cid, 'alice', 'r1', T0 + 500);
        const list = await storage.queryChannels({ userId: 'alice', limit: 10 });
        expect(list.map((ch) => ch.cid)).toEqual([recent.cid, channel.cid]);
      });

      it('getMessages returns pages oldest first: latest, before a seq, and after a seq', async () => {
        const channel = await channelOf('c', ['alice']);
        for (let i = 1; i <= 10; i++) await send(channel.cid, 'alice', `m${i}`, T0 + i);
        const seqs = async (page: Parameters<Storage['getMessages']>[1]) =>
          (await storage.getMessages(channel.cid, page)).map((m) => m.seq);

        expect(await seqs({ limit: 3 })).toEqual([8, 9, 10]);
        expect(await seqs({ limit: 3, beforeSeq: 8 })).toEqual([5, 6, 7]);
        expect(await seqs({ limit: 3, beforeSeq: 3 })).toEqual([1, 2]);
        expect(await seqs({ limit: 3, afterSeq: 0 })).toEqual([1, 2, 3]);
        expect(await seqs({ limit: 3, afterSeq: 8 })).toEqual([9, 10]);
        expect(await seqs({ limit: 3, afterSeq: 10 })).toEqual([]);
        expect(await seqs({ limit: 100 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });

      it('markRead moves the read position forward only, with a message.read event', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        for (let i = 1; i <= 3; i++) await send(channel.cid, 'alice', `m${i}`, T0 + i);

        const moved = await storage.markRead(
          channel.cid,
          'bob',
          { seq: 2, messageId: 'm2' },
          T0 + 10,
          readEvent,
        );
        expect(moved.member).toMatchObject({
          lastReadSeq: 2,
          lastReadMessageId: 'm2',
          lastReadAt: T0 + 10,
        });
        expect(moved.event).toEqual({
          cid: channel.cid,
          seq: 4,
          type: 'message.read',
          createdAt: T0 + 10,
          payload: readEvent(moved.member, 4, T0 + 10),
          messageId: null,
        });
        expect(await storage.getEvents(channel.cid, 3, 10)).toEqual([moved.event]);

        for (const seq of [2, 1]) {
          const still = await storage.markRead(
            channel.cid,
            'bob',
            { seq, messageId: `m${seq}` },
            T0 + 20,
            readEvent,
          );
          expect(still).toEqual({ member: moved.member, event: null });
        }
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(4);
      });

      it('concurrent markRead calls to one position store one event', async () => {
        const channel = await channelOf('c', ['alice', 'bob']);
        await send(channel.cid, 'alice', 'm1');
        const results = await Promise.all(
          Array.from({ length: 5 }, () =>
            storage.markRead(channel.cid, 'bob', { seq: 1, messageId: 'm1' }, T0, readEvent),
          ),
        );
        expect(results.filter((r) => r.event !== null)).toHaveLength(1);
        expect((await storage.getChannel(channel.cid))?.lastSeq).toBe(2);
      });

      it('markRead by a non-member throws NotMemberError, in a missing channel ChannelNotFoundError', async () => {
        const channel = await channelOf('c', ['alice']);
        await storage.ensureUser('eve', T0);
        const upTo = { seq: 1, messageId: null };
        await expect(storage.markRead(channel.cid, 'eve', upTo, T0, readEvent)).rejects.toEqual(
          new NotMemberError(channel.cid, 'eve'),
        );
        await expect(
          storage.markRead('messaging:none', 'alice', upTo, T0, readEvent),
        ).rejects.toBeInstanceOf(ChannelNotFoundError);
      });

      it('getEvents returns the events after sinceSeq, in order, at most limit', async () => {
        const channel = await channelOf('c', ['alice']);
        for (let i = 1; i <= 6; i++) await send(channel.cid, 'alice', `m${i}`);
        const seqs = async (since: number, limit: number) =>
          (await storage.getEvents(channel.cid, since, limit)).map((e) => e.seq);
        expect(await seqs(0, 100)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(await seqs(2, 3)).toEqual([3, 4, 5]);
        expect(await seqs(5, 10)).toEqual([6]);
        expect(await seqs(6, 10)).toEqual([]);
        expect(await storage.getEvents('messaging:none', 0, 10)).toEqual([]);
      });

      it('getUnreadCounts counts others’ and system messages after the read position', async () => {
        const one = await channelOf('one', ['alice', 'bob']);
        const two = await channelOf('two', ['alice', 'bob']);
        const quiet = await channelOf('quiet', ['alice', 'bob']);
        await send(one.cid, 'bob', 'b1');
        await send(one.cid, 'alice', 'a1');
        await send(one.cid, 'bob', 'b2');
        await send(one.cid, null, 'sys1');
        await send(two.cid, 'bob', 'b3');
        await send(quiet.cid, 'alice', 'a2');

        const counts = (n: number) => ({ unread: n, mentions: 0 });
        expect(await storage.getUnreadCounts('alice')).toEqual(
          new Map([
            [one.cid, counts(2)], // a1 moved alice's read position past b1: b2 and sys1 remain.
            [two.cid, counts(1)],
          ]),
        );
        expect(await storage.getUnreadCounts('alice', [two.cid, quiet.cid])).toEqual(
          new Map([[two.cid, counts(1)]]),
        );
        expect(await storage.getUnreadCounts('alice', [])).toEqual(new Map());
        expect(await storage.getUnreadCounts('bob')).toEqual(
          new Map([
            [one.cid, counts(1)], // b2 moved bob's read position past a1: sys1 remains.
            [quiet.cid, counts(1)],
          ]),
        );
        await storage.markRead(one.cid, 'alice', { seq: 4, messageId: 'sys1' }, T0, readEvent);
        expect(await storage.getUnreadCounts('alice')).toEqual(new Map([[two.cid, counts(1)]]));
      });
    });
  });
}

afterAll(async () => {
  for (const dir of unreachableDirs) await rm(dir, { recursive: true, force: true });
});
