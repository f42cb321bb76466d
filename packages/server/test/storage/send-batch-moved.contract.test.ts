import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { dayOf } from '../../src/storage/kysely/analytics-writes.js';
import type { Database } from '../../src/storage/kysely/database.js';
import type { SendBatchRows } from '../../src/storage/kysely/storage-adapter.js';
import type { SendResult, Storage } from '../../src/storage/index.js';
import { createStorage } from '../../src/storage/index.js';
import { createPostgresDatabase } from '../../src/storage/postgres/postgres-dialect.js';
import { writeSendBatch } from '../../src/storage/postgres/postgres-send.js';
import { createSqliteDatabase, sqliteAdapter } from '../../src/storage/sqlite/sqlite-dialect.js';
import {
  T0,
  messageEvent,
  messagingChannel,
  newMessage,
  oneMessageBatch,
  plainMessage,
} from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../helpers/storages.js';
import { openTestStorage, type TestStorage } from '../helpers/test-storage.js';

/*
 * A send batch written in one step (StorageAdapter.writeSendBatch) whose seqs were taken
 * from channels as read before: a channel that another node wrote in between keeps its
 * rows as they were, the batch's other channels are written, and the server decides the
 * moved channel's messages again.
 */

const DAY = dayOf(T0);

/** One batch of several one-message batches' rows. */
function together(...batches: SendBatchRows[]): SendBatchRows {
  return {
    channels: batches.flatMap((batch) => batch.channels),
    messages: batches.flatMap((batch) => batch.messages),
    events: batches.flatMap((batch) => batch.events),
    mentions: batches.flatMap((batch) => batch.mentions),
    channelDays: batches.flatMap((batch) => batch.channelDays),
    userDays: batches.flatMap((batch) => batch.userDays),
    readPositions: batches.flatMap((batch) => batch.readPositions),
  };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: a one-step send batch with a channel that moved on`, () => {
    let opened: TestStorage;
    let storage: Storage;
    let db: Kysely<Database>;
    let write: (rows: SendBatchRows) => Promise<unknown[]>;

    beforeAll(async () => {
      opened = await openTestStorage(kind);
      storage = opened.storage;
      if (kind === 'sqlite') {
        db = createSqliteDatabase(`${opened.config.dataDir}/parley.db`);
        write = (rows) => sqliteAdapter.writeSendBatch!(db, rows);
      } else {
        db = createPostgresDatabase(opened.config.databaseUrl!);
        write = (rows) => writeSendBatch(db, rows);
      }
      for (const userId of ['alice', 'bob', 'carol']) await storage.ensureUser(userId, T0);
      for (const [id, members] of [
        ['kept', ['alice', 'bob']],
        ['moved', ['bob', 'carol']],
      ] as const) {
        const cid = await messagingChannel(storage, id, members);
        await storage.sendMessages([newMessage(cid, 'bob', `${id}-1`)], messageEvent);
      }
    });
    afterAll(async () => {
      await db?.destroy();
      await opened?.close();
    });

    it('writes the other channels and leaves the moved one as it was', async () => {
      const kept = 'messaging:kept';
      const moved = 'messaging:moved';
      const movedBefore = (await storage.getChannel(moved))!;
      const carolBefore = (await storage.getMember(moved, 'carol'))!;
      const written = await write(
        together(
          oneMessageBatch(message(kept, 'alice', 'kept-2'), 1),
          // Read before bob's first message there: seq 1 is taken.
          oneMessageBatch(message(moved, 'carol', 'moved-stale'), 0),
        ),
      );
      expect(written).toMatchObject([{ cid: kept, last_seq: 2 }]);
      expect(written).toHaveLength(1);
      // The kept channel: message, event, read position, daily counts.
      expect((await storage.getMessage('kept-2'))?.seq).toBe(2);
      expect((await storage.getEvents(kept, 1, 10)).map((e) => e.messageId)).toEqual(['kept-2']);
      expect(await storage.getMember(kept, 'alice')).toMatchObject({ lastReadSeq: 2 });
      // The moved channel: nothing of carol's message.
      expect(await storage.getMessage('moved-stale')).toBeNull();
      expect(await storage.getChannel(moved)).toEqual(movedBefore);
      expect(await storage.getEvents(moved, 1, 10)).toEqual([]);
      expect(await storage.getMember(moved, 'carol')).toEqual(carolBefore);
      const analytics = await storage.getAnalytics({
        from: DAY,
        to: DAY,
        usersFrom: DAY,
        topChannels: 10,
      });
      expect(Object.fromEntries(analytics.busiest.map((b) => [b.cid, b.messages]))).toEqual({
        [kept]: 2,
        [moved]: 1,
      });
      expect(analytics.userDays.map((d) => d.userId).sort()).toEqual(['alice', 'bob']);
    });

    it('writes nothing when every channel moved on', async () => {
      const moved = 'messaging:moved';
      const before = (await storage.getChannel(moved))!;
      expect(await write(oneMessageBatch(message(moved, 'carol', 'moved-again'), 0))).toEqual([]);
      expect(await storage.getMessage('moved-again')).toBeNull();
      expect(await storage.getChannel(moved)).toEqual(before);
    });
  });
}

function message(cid: string, userId: string, id: string) {
  return plainMessage({ id, cid, userId, text: id, createdAt: T0 + 5 });
}

if (STORAGE_KINDS.includes('postgres')) {
  describe('postgres: two nodes sending batches over shared and own channels at once', () => {
    let config: Awaited<ReturnType<typeof createTestStorageConfig>>;
    let nodes: Storage[];
    const users = ['alice', 'bob'];

    beforeAll(async () => {
      config = await createTestStorageConfig('postgres');
      nodes = [createStorage(config), createStorage(config)];
      await nodes[0]!.migrate();
      for (const userId of users) await nodes[0]!.ensureUser(userId, T0);
      for (const id of ['shared', 'alice-own', 'bob-own']) {
        await messagingChannel(nodes[0]!, id, users);
      }
      // Past each channel's first message and first response: later batches go in one step.
      for (const id of ['shared', 'alice-own', 'bob-own']) {
        for (const userId of users) {
          await nodes[0]!.sendMessages(
            [newMessage(`messaging:${id}`, userId, `${id}-${userId}`)],
            messageEvent,
          );
        }
      }
    });
    afterAll(async () => {
      for (const node of nodes) await node.close();
      await config.cleanup();
    });

    it('store every message once, each channel gap-free and in each batch’s order', async () => {
      const send = (node: number, round: number) => {
        const userId = users[node]!;
        return nodes[node]!.sendMessages(
          [`messaging:${userId}-own`, 'messaging:shared', `messaging:${userId}-own`].map((cid, i) =>
            newMessage(cid, userId, `${userId}-${round}-${i}`),
          ),
          messageEvent,
        );
      };
      const results: SendResult[][] = [];
      // Rounds of one batch per node at the same moment: many collide on the shared channel.
      for (let round = 0; round < 20; round++) {
        results.push(...(await Promise.all([send(0, round), send(1, round)])));
      }
      expect(results.flat().every((r) => r.status === 'stored')).toBe(true);
      for (const batch of results) {
        const seq = (i: number) => (batch[i]!.status === 'stored' ? batch[i]!.message.seq : -1);
        expect(seq(2)).toBe(seq(0) + 1);
      }
      for (const [id, messages] of [
        ['shared', 42],
        ['alice-own', 42],
        ['bob-own', 42],
      ] as const) {
        const cid = `messaging:${id}`;
        const events = await nodes[1]!.getEvents(cid, 0, 100);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: messages }, (_, i) => i + 1));
        for (const event of events) {
          expect((await nodes[0]!.getMessage(event.messageId!))?.seq).toBe(event.seq);
        }
        expect((await nodes[0]!.getChannel(cid))?.lastSeq).toBe(messages);
      }
      const analytics = await nodes[0]!.getAnalytics({
        from: DAY,
        to: DAY,
        usersFrom: DAY,
        topChannels: 10,
      });
      expect(analytics.busiest.map((b) => b.messages)).toEqual([42, 42, 42]);
    });
  });
}
