import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../src/storage/index.js';
import { dayOf } from '../../src/storage/kysely/analytics-writes.js';
import type { NewMessage, SendResult, Storage } from '../../src/storage/index.js';
import { createPostgresDatabase } from '../../src/storage/postgres/postgres-dialect.js';
import { writeSendBatch } from '../../src/storage/postgres/postgres-send.js';
import { createSqliteDatabase, sqliteAdapter } from '../../src/storage/sqlite/sqlite-dialect.js';
import {
  T0,
  messageEvent,
  messagingChannel,
  oneMessageBatch,
  plainMessage,
} from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../helpers/storages.js';
import { openTestStorage } from '../helpers/test-storage.js';

/*
 * A channel's sends after its first message and first response: on PostgreSQL these
 * batches are written in one statement with the seqs read before it (see
 * postgres-send.ts), and a batch that finds the channel moved is decided again in a
 * transaction. What a reader sees must be the same as for the first sends.
 */

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: a channel's later sends`, () => {
    let storage: Storage;
    let close: () => Promise<void>;
    let next = 0;

    beforeAll(async () => {
      ({ storage, close } = await openTestStorage(kind));
      for (const userId of ['alice', 'bob']) await storage.ensureUser(userId, T0);
    });
    afterAll(async () => {
      await close?.();
    });

    /** A channel of alice and bob where each has posted once (seqs 1 and 2). */
    async function answeredChannel(): Promise<string> {
      const cid = await messagingChannel(storage, `later-${++next}`, ['alice', 'bob']);
      await storage.sendMessages([message(cid, 'alice', `${cid}-first`)], messageEvent);
      await storage.sendMessages([message(cid, 'bob', `${cid}-answer`)], messageEvent);
      return cid;
    }

    function message(cid: string, userId: string | null, id: string): NewMessage {
      return {
        id,
        cid,
        type: userId === null ? 'system' : 'regular',
        userId,
        text: id,
        data: {},
        createdAt: T0 + 1_000,
      };
    }

    const seqOf = (result: SendResult) => (result.status === 'failed' ? -1 : result.message.seq);

    it('concurrent batches take gap-free seqs in batch order, with events, read positions and counts', async () => {
      const cid = await answeredChannel();
      const batches = await Promise.all(
        Array.from({ length: 10 }, (_, b) =>
          storage.sendMessages(
            Array.from({ length: 10 }, (_, i) => {
              const author = i === 9 ? null : i % 2 === 0 ? 'alice' : 'bob';
              return {
                ...message(cid, author, `${cid}-${b}-${i}`),
                mentionedUserIds: i === 4 ? ['bob'] : undefined,
              };
            }),
            messageEvent,
          ),
        ),
      );
      const seqs = batches.flat().map(seqOf);
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 3));
      for (const batch of batches) {
        const own = batch.map(seqOf);
        expect(own).toEqual([...own].sort((x, y) => x - y));
      }
      expect((await storage.getChannel(cid))?.lastSeq).toBe(102);
      // The log: every seq once, each the event of the message that has that seq.
      const events = await storage.getEvents(cid, 0, 200);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
      const bySeq = new Map(batches.flat().map((r) => [seqOf(r), r]));
      for (const event of events.slice(2)) {
        const result = bySeq.get(event.seq)!;
        if (result.status !== 'stored') throw new Error('not stored');
        expect((event.payload.message as { id: string }).id).toBe(result.message.id);
        expect((await storage.getMessage(result.message.id))?.seq).toBe(event.seq);
      }
      // Each author has read up to their own last message.
      const lastBy = (userId: string) =>
        Math.max(
          ...batches
            .flat()
            .filter((r) => r.status === 'stored' && r.message.userId === userId)
            .map(seqOf),
        );
      expect(await storage.getMember(cid, 'alice')).toMatchObject({ lastReadSeq: lastBy('alice') });
      expect(await storage.getMember(cid, 'bob')).toMatchObject({ lastReadSeq: lastBy('bob') });
      // The daily counts: 2 + 90 users' messages (system messages are not counted).
      const day = dayOf(T0);
      const analytics = await storage.getAnalytics({
        from: day,
        to: day,
        usersFrom: day,
        topChannels: 1_000,
      });
      expect(analytics.busiest.find((b) => b.cid === cid)?.messages).toBe(92);
      // The mention is counted against bob's read position.
      const stored = batches
        .flat()
        .find((r) => r.status === 'stored' && r.message.id.endsWith('-4'));
      expect(stored?.status === 'stored' && stored.message.mentionedUserIds).toEqual(['bob']);
    });

    it('batches sent before the last is written take the seqs after it, in the order sent', async () => {
      const cid = await answeredChannel();
      const batchOf = (name: string, authors: (string | null)[]) =>
        authors.map((author, i) => message(cid, author, `${cid}-${name}-${i}`));
      // Three batches in flight at once, as the group commit sends them.
      const results = await Promise.all([
        storage.sendMessages(batchOf('a', ['alice', 'bob', 'alice']), messageEvent),
        storage.sendMessages(batchOf('b', ['bob', null]), messageEvent),
        storage.sendMessages(batchOf('c', ['alice']), messageEvent),
      ]);
      expect(results.map((batch) => batch.map(seqOf))).toEqual([[3, 4, 5], [6, 7], [8]]);
      expect((await storage.getEvents(cid, 0, 20)).map((e) => e.seq)).toEqual(
        Array.from({ length: 8 }, (_, i) => i + 1),
      );
      expect(await storage.getMember(cid, 'bob')).toMatchObject({ lastReadSeq: 6 });
      expect(await storage.getMember(cid, 'alice')).toMatchObject({ lastReadSeq: 8 });
    });

    it('a batch after one that failed takes the next seqs, leaving no gap', async () => {
      const cid = await answeredChannel();
      const [failed, results] = await Promise.all([
        storage.sendMessages(
          [message(cid, 'alice', `${cid}-failing`)],
          Promise.reject(new Error('the event builder failed')),
        ),
        storage.sendMessages([message(cid, 'bob', `${cid}-after-failure`)], messageEvent),
      ]);
      expect(failed.map((r) => r.status)).toEqual(['failed']);
      expect(results.map(seqOf)).toEqual([3]);
      expect((await storage.getChannel(cid))?.lastSeq).toBe(3);
    });

    it('answers an id stored by an earlier batch as a duplicate, without taking a seq', async () => {
      const cid = await answeredChannel();
      await storage.sendMessages([message(cid, 'alice', `${cid}-again`)], messageEvent);
      const results = await storage.sendMessages(
        [message(cid, 'alice', `${cid}-again`), message(cid, 'bob', `${cid}-new`)],
        messageEvent,
      );
      expect(results.map((r) => [r.status, seqOf(r)])).toEqual([
        ['duplicate', 3],
        ['stored', 4],
      ]);
      expect((await storage.getEvents(cid, 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    });
  });
}

describe('sqlite: the one-transaction write of prepared statements', () => {
  let storage: Storage;
  let close: () => Promise<void>;
  let file: string;

  beforeAll(async () => {
    const opened = await openTestStorage('sqlite');
    ({ storage, close } = opened);
    file = `${opened.config.dataDir}/parley.db`;
    for (const userId of ['alice', 'bob']) await storage.ensureUser(userId, T0);
  });
  afterAll(async () => {
    await close?.();
  });

  it('changes nothing when the channel moved or the id is stored, else writes every row', async () => {
    const cid = 'messaging:native';
    await storage.getOrCreateChannel({
      cid,
      type: 'messaging',
      id: 'native',
      data: {},
      distinct: false,
      createdById: null,
      members: ['alice', 'bob'].map((userId) => ({ userId, role: 'member' })),
      now: T0,
    });
    await storage.sendMessages(
      [0, 1].map((i) => sqliteMessage(cid, `native-${i}`)),
      messageEvent,
    );
    const db = createSqliteDatabase(file);
    try {
      const write = (lastSeq: number, id: string) =>
        sqliteAdapter.writeSendBatch!(db, sendRows(cid, lastSeq, id));
      const before = (await storage.getChannel(cid))!;
      // A channel that moved on is not written (send-batch-moved tests a batch of several).
      expect(await write(before.lastSeq - 1, 'stale')).toEqual([]);
      await expect(write(before.lastSeq, 'native-0')).rejects.toThrow();
      expect(await storage.getMessage('stale')).toBeNull();
      expect(await storage.getChannel(cid)).toEqual(before);
      expect(await storage.getEvents(cid, before.lastSeq, 10)).toEqual([]);
      const written = await write(before.lastSeq, 'fresh words');
      expect(written).toMatchObject([{ cid, last_seq: before.lastSeq + 1 }]);
      expect((await storage.getMessage('fresh words'))?.seq).toBe(before.lastSeq + 1);
      expect((await storage.getEvents(cid, before.lastSeq, 10)).map((e) => e.seq)).toEqual([
        before.lastSeq + 1,
      ]);
      expect(await storage.getMember(cid, 'alice')).toMatchObject({
        lastReadSeq: before.lastSeq + 1,
        lastReadMessageId: 'fresh words',
      });
      // The search index is written in the same transaction.
      const found = await storage.searchMessages({
        terms: ['fresh'],
        excluded: [],
        readerId: null,
        cid,
        limit: 5,
      });
      expect(found.map((m) => m.id)).toContain('fresh words');
    } finally {
      await db.destroy();
    }
  });

  function sqliteMessage(cid: string, id: string): NewMessage {
    return { id, cid, type: 'regular', userId: 'alice', text: id, data: {}, createdAt: T0 };
  }

  function sendRows(cid: string, lastSeq: number, id: string) {
    return oneMessageBatch(
      plainMessage({ id, cid, userId: 'alice', text: id, createdAt: T0 + 5 }),
      lastSeq,
    );
  }
});

if (STORAGE_KINDS.includes('postgres')) {
  describe('postgres: two nodes sending into one channel at once', () => {
    let config: Awaited<ReturnType<typeof createTestStorageConfig>>;
    let nodes: Storage[];

    beforeAll(async () => {
      config = await createTestStorageConfig('postgres');
      nodes = [createStorage(config), createStorage(config)];
      await nodes[0]!.migrate();
      for (const userId of ['alice', 'bob']) await nodes[0]!.ensureUser(userId, T0);
    });
    afterAll(async () => {
      for (const node of nodes) await node.close();
      await config.cleanup();
    });

    it('share the seqs without a gap or a duplicate, each batch in its order', async () => {
      const cid = 'messaging:nodes';
      await nodes[0]!.getOrCreateChannel({
        cid,
        type: 'messaging',
        id: 'nodes',
        data: {},
        distinct: false,
        createdById: null,
        members: ['alice', 'bob'].map((userId) => ({ userId, role: 'member' })),
        now: T0,
      });
      const send = (node: Storage, userId: string, id: string) =>
        node.sendMessages(
          [0, 1, 2].map((i) => ({
            id: `${id}-${i}`,
            cid,
            type: 'regular',
            userId,
            text: id,
            data: {},
            createdAt: T0,
          })),
          messageEvent,
        );
      await send(nodes[0]!, 'alice', 'opening');
      await send(nodes[1]!, 'bob', 'answer');
      // Rounds of one batch per node at the same moment: most collide on the channel's row.
      const results: SendResult[][] = [];
      for (let round = 0; round < 20; round++) {
        results.push(
          ...(await Promise.all([
            send(nodes[0]!, 'alice', `a-${round}`),
            send(nodes[1]!, 'bob', `b-${round}`),
          ])),
        );
      }
      const seqs = results.flat().map((r) => (r.status === 'stored' ? r.message.seq : -1));
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 120 }, (_, i) => i + 7));
      for (const batch of results) {
        const own = batch.map((r) => (r.status === 'stored' ? r.message.seq : -1));
        expect(own[1]).toBe(own[0]! + 1);
        expect(own[2]).toBe(own[0]! + 2);
      }
      const events = await nodes[1]!.getEvents(cid, 0, 200);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 126 }, (_, i) => i + 1));
      expect((await nodes[0]!.getChannel(cid))?.lastSeq).toBe(126);
    });

    it('the one-statement write changes nothing when the channel moved or the id is stored', async () => {
      const cid = 'messaging:nodes';
      const db = createPostgresDatabase(config.databaseUrl!);
      try {
        const before = (await nodes[0]!.getChannel(cid))!;
        const stored = (await nodes[0]!.getMessage('opening-0'))!;
        const rows = (lastSeq: number, id: string) =>
          oneMessageBatch({ ...stored, id, createdAt: T0 + 5 }, lastSeq);
        // Seqs taken from a stale last_seq, then an id stored already.
        expect(await writeSendBatch(db, rows(before.lastSeq - 1, 'stale'))).toEqual([]);
        await expect(writeSendBatch(db, rows(before.lastSeq, 'opening-0'))).rejects.toThrow(
          /duplicate key value violates unique constraint "parley_messages_pkey"/,
        );
        expect(await nodes[0]!.getMessage('stale')).toBeNull();
        expect(await nodes[0]!.getChannel(cid)).toEqual(before);
        expect(await nodes[0]!.getEvents(cid, before.lastSeq, 10)).toEqual([]);
        const member = await nodes[0]!.getMember(cid, 'alice');
        expect(member?.lastReadSeq).toBeLessThanOrEqual(before.lastSeq);
        // With the channel as read, the same rows are written.
        const written = await writeSendBatch(db, rows(before.lastSeq, 'fresh'));
        expect(written).toMatchObject([{ cid, last_seq: before.lastSeq + 1 }]);
        expect((await nodes[0]!.getMessage('fresh'))?.seq).toBe(before.lastSeq + 1);
        expect(await nodes[0]!.getMember(cid, 'alice')).toMatchObject({
          lastReadSeq: before.lastSeq + 1,
          lastReadMessageId: 'fresh',
        });
      } finally {
        await db.destroy();
      }
    });
  });
}
