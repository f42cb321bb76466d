import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { directDatabase, insertChannel, insertMember, insertUser } from '../helpers/direct-rows.js';
import { NOW, indexDefinitions, olderDatabases } from '../helpers/older-databases.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: migrations`, () => {
    const { older, olderTeam, upgraded, onCleanup } = olderDatabases(kind);

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
      onCleanup(() => direct.destroy());
      const names = ['parent', 'pinned', 'quoted'].map((n) => `parley_messages_${n}_idx`);
      // Each index holds the messages with a value: one row each of the four.
      const definitions = await indexDefinitions(kind, direct, ...names);
      expect(definitions.map((text) => /where .+ is not null/i.test(text))).toEqual([
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
      onCleanup(() => direct.destroy());
      const definition = await indexDefinitions(kind, direct, 'parley_events_message_idx');
      expect(definition).toEqual([expect.stringMatching(/where .*type.*<> 'message\.new'/i)]);
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
