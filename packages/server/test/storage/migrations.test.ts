import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage } from '../../src/storage/create-storage.js';
import {
  directDatabase,
  insertChannel,
  insertMember,
  insertUser,
  migratedUpTo,
} from '../helpers/direct-rows.js';
import { STORAGE_KINDS, createTestStorageConfig, type StorageKind } from '../helpers/storages.js';

/** A database migrated only up to `upTo`, as an older server left it. */
async function olderDatabase(kind: StorageKind, upTo: string) {
  const config = await createTestStorageConfig(kind);
  return { config, db: await migratedUpTo(kind, config, upTo) };
}

/** When the older servers stored their rows. */
const NOW = Date.parse('2026-01-01T00:00:00Z');

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: migrations`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    /** A database migrated up to `upTo`, dropped after the test. */
    const older = async (upTo: string) => {
      const older = await olderDatabase(kind, upTo);
      cleanups.push(() => older.config.cleanup());
      return older;
    };
    /** Ana's team channel as an older server stored it, `lastSeq` events in. */
    const olderTeam = async (db: Awaited<ReturnType<typeof older>>['db'], lastSeq: number) => {
      await insertUser(db, 'ana', NOW);
      await insertChannel(db, {
        cid: 'team:old',
        owner: 'ana',
        now: NOW,
        lastSeq,
        lastMessageAt: NOW,
      });
    };
    /** This version's storage on `config`'s database, migrated; closed after the test. */
    const upgraded = async (config: Awaited<ReturnType<typeof older>>['config']) => {
      const storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      cleanups.unshift(() => storage.close());
      await storage.migrate();
      return storage;
    };
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('indexes the messages an older server stored, so that search finds them after the upgrade', async () => {
      const { config, db } = await older('002_rich_messages');
      const now = NOW;
      await olderTeam(db, 2);
      await insertMember(db, {
        cid: 'team:old',
        userId: 'ana',
        role: 'owner',
        now,
        lastReadSeq: 2,
      });
      // Rows as 002 wrote them: no search_text column yet.
      for (const [seq, text] of [
        [1, 'Réunion au Café'],
        [2, '会议室在三楼'],
      ] as const) {
        await db
          .insertInto('parley_messages')
          .values({
            id: `old-${seq}`,
            cid: 'team:old',
            seq,
            type: 'regular',
            user_id: 'ana',
            text,
            data: '{}',
            created_at: now + seq,
            updated_at: now + seq,
          } as never)
          .execute();
      }
      await db.destroy();

      const storage = await upgraded(config);
      const search = (pattern: string) =>
        storage.searchMessages({ terms: [pattern], excluded: [], readerId: 'ana', limit: 10 });
      expect((await search('cafe')).map((m) => m.id)).toEqual(['old-1']);
      expect((await search('三楼')).map((m) => m.id)).toEqual(['old-2']);
      // A second start finds nothing left to do.
      await storage.migrate();
    });

    it('finds, newest first over every channel, the messages an older server stored out of time order', async () => {
      const { config, db } = await older('012_json_rows');
      const now = NOW;
      await olderTeam(db, 5);
      const insert = (seq: number, createdAt: number) =>
        db
          .insertInto('parley_messages')
          .values({
            id: `old-${seq}`,
            cid: 'team:old',
            seq,
            type: 'regular',
            user_id: 'ana',
            text: `hotel ${seq}`,
            data: '{}',
            created_at: now + createdAt,
            updated_at: now + createdAt,
            search_text: `hotel ${seq}`,
            search_bigrams: '',
          } as never)
          .execute();
      // Stored in this order, with these times: 2 and 3 older than 1, stored before them.
      for (const [seq, at] of [
        [1, 30],
        [2, 10],
        [3, 20],
        [4, 40],
      ] as const) {
        await insert(seq, at);
      }
      const storage = await upgraded(config);
      await db.destroy();
      const newest = async (limit: number) =>
        (
          await storage.searchMessages({ terms: ['hotel'], excluded: [], readerId: null, limit })
        ).map((m) => m.id);
      expect(await newest(2)).toEqual(['old-4', 'old-1']);
      expect(await newest(10)).toEqual(['old-4', 'old-1', 'old-3', 'old-2']);
    });

    it("finds, in each of a reader's channels, the rare words an older server stored", async () => {
      const { config, db } = await older('014_search_channel_rows');
      await olderTeam(db, 120);
      await insertChannel(db, { cid: 'team:two', owner: 'ana', now: NOW, lastSeq: 120 });
      for (const cid of ['team:old', 'team:two']) {
        await insertMember(db, { cid, userId: 'ana', role: 'owner', now: NOW, lastReadSeq: 0 });
      }
      // 240 messages, 4 with the rare words: PostgreSQL then reads each channel's matches
      // from the index by channel that the upgrade builds.
      const rows = ['team:old', 'team:two'].flatMap((cid, c) =>
        Array.from({ length: 120 }, (_, i) => {
          const text = i % 60 === 7 ? `hotel 会议室 ${cid}` : `everyday words ${i}`;
          const at = NOW + i * 2 + c;
          return {
            ...{ id: `${cid}-${i}`, cid, seq: i + 1, type: 'regular', user_id: 'ana', text },
            ...{ data: '{}', created_at: at, updated_at: at, search_text: text },
            search_bigrams: text.includes('会议室') ? '会议 议室' : '',
          };
        }),
      );
      await db
        .insertInto('parley_messages')
        .values(rows as never)
        .execute();
      await db.destroy();
      const storage = await upgraded(config);
      const expected = ['team:two-67', 'team:old-67', 'team:two-7', 'team:old-7'];
      for (const term of ['hotel', '会议']) {
        const found = await storage.searchMessages({
          terms: [term],
          excluded: [],
          readerId: 'ana',
          limit: 10,
        });
        expect(found.map((m) => m.id)).toEqual(expected);
      }
    });

    it('leaves the events an older server stored undispatched, so no endpoint gets history after the upgrade', async () => {
      const { config, db } = await older('004_uploads');
      const now = NOW;
      await insertUser(db, 'ana', now);
      await insertChannel(db, { cid: 'team:old', owner: 'ana', now, lastSeq: 1 });
      await insertMember(db, {
        cid: 'team:old',
        userId: 'ana',
        role: 'owner',
        now,
        lastReadSeq: 1,
      });
      await db
        .insertInto('parley_events')
        .values({
          cid: 'team:old',
          seq: 1,
          type: 'channel.updated',
          created_at: now,
          payload: '{}',
          message_id: null,
        })
        .execute();
      await db.destroy();

      const storage = await upgraded(config);
      const dispatch = () =>
        storage.notifications.dispatch({
          now,
          limit: 100,
          newEventId: () => 'e',
          webhookBody: () => '{}',
          wants: () => true,
          retryForMs: 1000,
          emailAfterMs: 0,
          mentionEmailAfterMs: 0,
        });
      await storage.notifications.createWebhook({
        id: 'w',
        url: 'http://x.example',
        events: ['*'],
        secret: null,
        source: 'api',
        createdAt: now,
      });
      expect((await dispatch()).taken).toBe(0);
      expect(await storage.notifications.getNotificationSettings('ana')).toEqual({
        email: null,
        emailEnabled: true,
        mutedCids: [],
      });
      // A change after the upgrade is dispatched: one delivery for the endpoint.
      await storage.updateChannelData('team:old', { set: { a: 1 }, unset: [] }, now, () => ({}));
      expect((await dispatch()).taken).toBe(1);
      expect(await storage.notifications.countDeliveries()).toEqual({ pending: 1, failed: 0 });
    });

    it('adds the app event outbox to a database an older server left, starting at seq 1', async () => {
      const { config, db } = await older('009_search_newest');
      const now = NOW;
      await insertUser(db, 'ana', now);
      await db.destroy();

      const storage = await upgraded(config);
      expect(await storage.getAppEvents(0, 10)).toEqual([]);
      const audit = {
        id: 'a',
        createdAt: now,
        action: 'user.role',
        actorId: null,
        targetUserId: 'ana',
        cid: null,
        messageId: null,
        reason: null,
        data: {},
      };
      await storage.setUserRole('ana', 'admin', now, audit, () => ({
        type: 'user.role_changed',
        createdAt: now,
        payload: {},
      }));
      expect((await storage.getAppEvents(0, 10)).map((e) => e.seq)).toEqual([1]);
      // A second start finds nothing left to do.
      await storage.migrate();
    });

    it('keeps only the replies, pins and quotes an older server stored in their indexes, and still finds them', async () => {
      const { config, db } = await older('015_search_channel_terms');
      await olderTeam(db, 4);
      const message = (seq: number, id: string, extra: Record<string, unknown> = {}) =>
        db
          .insertInto('parley_messages')
          .values({
            id,
            cid: 'team:old',
            seq,
            type: 'regular',
            user_id: 'ana',
            text: id,
            data: '{}',
            created_at: NOW + seq,
            updated_at: NOW + seq,
            ...extra,
          } as never)
          .execute();
      await message(1, 'question');
      await message(2, 'answer', { parent_id: 'question' });
      await message(3, 'pinned', { pinned_at: NOW + 10, pinned_by: 'ana' });
      await message(4, 'quote', { quoted_message_id: 'question' });
      await db.destroy();

      const storage = await upgraded(config);
      expect((await storage.getReplies('question', { limit: 10 })).map((m) => m.id)).toEqual([
        'answer',
      ]);
      expect((await storage.getPinned('team:old', 10)).map((m) => m.id)).toEqual(['pinned']);

      const direct = directDatabase(kind, config);
      cleanups.unshift(() => direct.destroy());
      const names = ['parent', 'pinned', 'quoted'].map((n) => `parley_messages_${n}_idx`);
      // Each index holds the messages with a value: one row each of the four.
      const definitions =
        kind === 'sqlite'
          ? await sql<{ text: string }>`SELECT sql AS text FROM sqlite_master
              WHERE name IN (${sql.join(names)}) ORDER BY name`.execute(direct)
          : await sql<{ text: string }>`SELECT indexdef AS text FROM pg_indexes
              WHERE indexname IN (${sql.join(names)}) ORDER BY indexname`.execute(direct);
      expect(definitions.rows.map((r) => /where .+ is not null/i.test(r.text))).toEqual([
        true,
        true,
        true,
      ]);
      // A thread's replies are still read from its index (its condition implies the index's).
      const plan =
        kind === 'sqlite'
          ? await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT id FROM parley_messages
              WHERE parent_id = ${'question'} ORDER BY seq`.execute(direct)
          : await direct.transaction().execute(async (trx) => {
              await sql`SET LOCAL enable_seqscan = off`.execute(trx);
              return sql<{ detail: string }>`EXPLAIN SELECT id FROM parley_messages
                WHERE parent_id = ${'question'} ORDER BY seq`.execute(trx);
            });
      const steps = plan.rows.map((row) => Object.values(row).join(' ')).join('\n');
      expect(steps).toContain('parley_messages_parent_idx');
      await storage.migrate();
    });

    it("keeps only the events about a message other than its message.new in the events' message index", async () => {
      const { config, db } = await older('018_search_without_positions');
      await olderTeam(db, 3);
      const event = (seq: number, type: string, messageId: string) =>
        db
          .insertInto('parley_events')
          .values({
            cid: 'team:old',
            seq,
            type,
            created_at: NOW + seq,
            payload: JSON.stringify({ type, cid: 'team:old', seq }),
            message_id: messageId,
          } as never)
          .execute();
      await event(1, 'message.new', 'first');
      await event(2, 'message.updated', 'first');
      await event(3, 'reaction.new', 'first');
      await db.destroy();

      await upgraded(config);
      const direct = directDatabase(kind, config);
      cleanups.unshift(() => direct.destroy());
      const definition =
        kind === 'sqlite'
          ? await sql<{ text: string }>`SELECT sql AS text FROM sqlite_master
              WHERE name = 'parley_events_message_idx'`.execute(direct)
          : await sql<{ text: string }>`SELECT indexdef AS text FROM pg_indexes
              WHERE indexname = 'parley_events_message_idx'`.execute(direct);
      expect(definition.rows.map((r) => r.text)).toEqual([
        expect.stringMatching(/where .*type.*<> 'message\.new'/i),
      ]);
      // What a delete's scrub reads: the other events by the index, the message.new by its seq.
      const scrubbed = sql`SELECT seq FROM parley_events
        WHERE (message_id IN ('first') AND type <> 'message.new')
          OR (cid = 'team:old' AND seq IN (1)) ORDER BY seq`;
      const plan =
        kind === 'sqlite'
          ? await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${scrubbed}`.execute(direct)
          : await direct.transaction().execute(async (trx) => {
              await sql`SET LOCAL enable_seqscan = off`.execute(trx);
              return sql<{ detail: string }>`EXPLAIN ${scrubbed}`.execute(trx);
            });
      const steps = plan.rows.map((row) => Object.values(row).join(' ')).join('\n');
      expect(steps).toContain('parley_events_message_idx');
      const found = await scrubbed.execute(direct);
      expect(found.rows).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    });

    it('counts the channels an older server created beside those created after the upgrade', async () => {
      const { config, db } = await older('019_partial_event_message_index');
      const day = new Date(NOW).toISOString().slice(0, 10);
      await db
        .insertInto('parley_stats_daily')
        .values({ day, messages: 0, new_channels: 2 })
        .execute();
      await db.destroy();

      const storage = await upgraded(config);
      for (const id of ['new-1', 'new-2', 'new-3']) {
        await storage.getOrCreateChannel({
          ...{ cid: `team:${id}`, type: 'team', id, data: {}, distinct: false },
          ...{ createdById: null, members: [], now: NOW },
        });
      }
      const range = { from: day, to: day, usersFrom: day, topChannels: 1 };
      expect((await storage.getAnalytics(range)).daily).toMatchObject([{ day, newChannels: 5 }]);
    });
  });
}
