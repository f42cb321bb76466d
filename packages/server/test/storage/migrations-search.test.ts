import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import {
  directDatabase,
  insertChannel,
  insertMember,
  insertSearchMessages,
} from '../helpers/direct-rows.js';
import { cjkBigramsOf } from '../../src/search/search-text.js';
import { NOW, olderDatabases } from '../helpers/older-databases.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

// What search finds in the messages older servers stored, once the migrations since ran.

/** A message of ana's as an older server stored it, with the other `columns` it had then. */
function olderMessage(
  message: { id: string; cid: string; seq: number; text: string; at: number },
  columns: Record<string, string> = {},
) {
  const { id, cid, seq, text, at } = message;
  return {
    ...{ id, cid, seq, type: 'regular', user_id: 'ana', text, data: '{}' },
    ...{ created_at: at, updated_at: at, ...columns },
  };
}
/** A migration's pass over the stored messages: its line before, and its line after. */
function expectProgress(written: string[], start: string, done: string): void {
  expect(written).toEqual(
    expect.arrayContaining([
      `parley: ${start}…\n`,
      expect.stringMatching(new RegExp(`^parley: ${done} in \\d+ ms\\n$`)),
    ]),
  );
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: migrations of the search index`, () => {
    const { older, olderTeam, upgraded, onCleanup } = olderDatabases(kind);
    /** `upgraded(config)`, with the lines the migrations wrote to stderr meanwhile. */
    const upgradedWriting = async (config: Parameters<typeof upgraded>[0]) => {
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        const storage = await upgraded(config);
        return { storage, written: stderr.mock.calls.map(([text]) => String(text)) };
      } finally {
        stderr.mockRestore();
      }
    };
    /**
     * Ana's two team channels of 120 messages each (`textOf` the i-th of the c-th, stored
     * at `atOf`), as a server at 012 or later stored them; ana reads both.
     */
    const olderTeams = async (
      db: Awaited<ReturnType<typeof older>>['db'],
      textOf: (cid: string, i: number) => string,
      atOf: (c: number, i: number) => number,
    ) => {
      await olderTeam(db, 120);
      await insertChannel(db, { cid: 'team:two', owner: 'ana', now: NOW, lastSeq: 120 });
      const cids = ['team:old', 'team:two'];
      for (const cid of cids) {
        await insertMember(db, { cid, userId: 'ana', role: 'owner', now: NOW, lastReadSeq: 0 });
      }
      const rows = cids.flatMap((cid, c) =>
        Array.from({ length: 120 }, (_, i) => {
          const text = textOf(cid, i);
          return olderMessage(
            { id: `${cid}-${i}`, cid, seq: i + 1, text, at: atOf(c, i) },
            { search_text: text, search_bigrams: cjkBigramsOf(text) },
          );
        }),
      );
      await db
        .insertInto('parley_messages')
        .values(rows as never)
        .execute();
      await db.destroy();
    };

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
          .values(
            olderMessage({ id: `old-${seq}`, cid: 'team:old', seq, text, at: now + seq }) as never,
          )
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
          .values(
            olderMessage(
              { id: `old-${seq}`, cid: 'team:old', seq, text: `hotel ${seq}`, at: now + createdAt },
              { search_text: `hotel ${seq}`, search_bigrams: '' },
            ) as never,
          )
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
      // 240 messages, 4 with the rare words: PostgreSQL then reads each channel's matches
      // from the index by channel that the upgrade builds.
      await olderTeams(
        db,
        (cid, i) => (i % 60 === 7 ? `hotel 会议室 ${cid}` : `everyday words ${i}`),
        (c, i) => NOW + i * 2 + c,
      );
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

    it('finds the rare words an older server stored in a user’s channels from the index keyed by sets of channels', async () => {
      const { config, db } = await older('022_search_channel_tokens');
      await olderTeams(
        db,
        (cid, i) => (i % 60 === 7 ? `hotel 会议室 ${cid}` : `everyday words ${i}`),
        (c, i) => NOW + i * 2 + c,
      );
      const { storage, written } = await upgradedWriting(config);
      expectProgress(
        written,
        'indexing search by sets of channels',
        'search indexed by sets of channels',
      );
      if (kind === 'postgres') {
        const direct = directDatabase(kind, config);
        onCleanup(() => direct.destroy());
        const indexes = await sql<{ name: string; text: string }>`SELECT indexname AS name,
            indexdef AS text FROM pg_indexes WHERE indexname LIKE 'parley_messages_channel_%'
            AND indexname <> 'parley_messages_channel_time_idx' ORDER BY indexname`.execute(direct);
        expect(indexes.rows).toEqual([
          {
            name: 'parley_messages_channel_cjk_idx',
            text: expect.stringMatching(/\(ARRAY\[cid\]\), string_to_array/),
          },
          {
            name: 'parley_messages_channel_search_idx',
            text: expect.stringMatching(/\(ARRAY\[cid\]\), search_text gin_trgm_ops/),
          },
        ]);
      }
      for (const term of ['hotel', '会议']) {
        const search = { terms: [term], excluded: [], limit: 10 };
        const found = await storage.searchMessages({ ...search, readerId: 'ana' });
        expect(found.map((m) => m.id)).toEqual([
          'team:two-67',
          'team:old-67',
          'team:two-7',
          'team:old-7',
        ]);
        const inOne = await storage.searchMessages({ ...search, readerId: 'ana', cid: 'team:old' });
        expect(inOne.map((m) => m.id)).toEqual(['team:old-67', 'team:old-7']);
      }
    });

    it('finds over every channel the words an older server stored, from the index keyed by time', async () => {
      const { config, db } = await older('024_search_pending_bound');
      await olderTeams(
        db,
        (cid, i) => (i % 60 === 7 ? `hotel 会议室 ${cid}` : `everyday words ${i}`),
        (c, i) => NOW + i * 2 + c,
      );
      const { storage, written } = await upgradedWriting(config);
      expectProgress(written, 'indexing search by time', 'search indexed by time');
      if (kind === 'postgres') {
        const direct = directDatabase(kind, config);
        onCleanup(() => direct.destroy());
        const indexes = await sql<{ text: string }>`SELECT indexdef AS text FROM pg_indexes
            WHERE indexname IN ('parley_messages_channel_search_idx',
              'parley_messages_channel_cjk_idx') ORDER BY indexname`.execute(direct);
        // Rebuilt with the spans of time as their last key, their pending lists still bound.
        expect(indexes.rows.map((r) => r.text)).toEqual([
          expect.stringMatching(/string_to_array.*, parley_time_keys\(created_at\)\).*256/),
          expect.stringMatching(/gin_trgm_ops, parley_time_keys\(created_at\)\).*256/),
        ]);
      }
      for (const term of ['hotel', '会议']) {
        const found = await storage.searchMessages({
          ...{ terms: [term], excluded: [], readerId: null, limit: 10 },
        });
        expect(found.map((m) => m.id)).toEqual([
          'team:two-67',
          'team:old-67',
          'team:two-7',
          'team:old-7',
        ]);
      }
    });

    it('walks the channels an older server stored newest first for a common word', async () => {
      const { config, db } = await older('020_new_channel_slots');
      // "hotel" in every other message: common, so each channel is walked newest first;
      // team:two's are the newest.
      await olderTeams(
        db,
        (_, i) => (i % 2 === 0 ? `hotel night ${i}` : `everyday words ${i}`),
        (c, i) => NOW + c * 1_000 + i,
      );
      const { storage, written } = await upgradedWriting(config);
      // Progress of the pass over the stored messages (PostgreSQL builds an index).
      expectProgress(written, 'indexing channels by time', 'channels indexed by time');
      const direct = directDatabase(kind, config);
      onCleanup(() => direct.destroy());
      const index =
        kind === 'sqlite'
          ? await sql<{ text: string }>`SELECT sql AS text FROM sqlite_master
              WHERE name = 'parley_messages_search_rows_idx'`.execute(direct)
          : await sql<{ text: string }>`SELECT indexdef AS text FROM pg_indexes
              WHERE indexname = 'parley_messages_channel_time_idx'`.execute(direct);
      expect(index.rows.map((r) => r.text)).toEqual([
        expect.stringMatching(/\(cid, created_at, id\b/),
      ]);
      const found = await storage.searchMessages({
        ...{ terms: ['hotel'], excluded: [], readerId: 'ana', limit: 30 },
      });
      expect(found.map((m) => m.id)).toEqual(
        Array.from({ length: 30 }, (_, k) => `team:two-${118 - 2 * k}`),
      );
    });

    it('keeps what a search reads unmerged small while messages arrive, in a database an older server made', async () => {
      const { config, db } = await older('023_search_channel_sets');
      await olderTeams(
        db,
        (cid, i) => `everyday words ${cid} ${i}`,
        (c, i) => NOW + i * 2 + c,
      );
      const storage = await upgraded(config);
      const direct = directDatabase(kind, config);
      onCleanup(() => direct.destroy());
      // 4,000 messages after the upgrade, a rare word in every thousandth.
      const arrived = Array.from({ length: 4_000 }, (_, i) => ({
        ...{ id: `new-${String(i).padStart(4, '0')}`, cid: 'team:old', seq: 121 + i },
        text: `${i % 1_000 === 999 ? 'zephyr ' : ''}message number ${i} about the programme`,
        createdAt: NOW + 1_000 + i,
      }));
      await insertSearchMessages(direct, 'ana', arrived);
      if (kind === 'postgres') {
        // PostgreSQL's GIN indexes hold the new entries in a pending list until it passes
        // its limit, and every search reads it whole: 4 MB would hold all of these.
        await sql`CREATE EXTENSION IF NOT EXISTS pgstattuple`.execute(direct);
        for (const index of [
          'parley_messages_channel_search_idx',
          'parley_messages_channel_cjk_idx',
        ]) {
          const { rows } = await sql<{ pages: number }>`SELECT pending_pages AS pages
            FROM pgstatginindex(${index}::regclass)`.execute(direct);
          expect(rows[0]!.pages, index).toBeLessThanOrEqual(32);
        }
      }
      const found = await storage.searchMessages({
        ...{ terms: ['zephyr'], excluded: [], readerId: 'ana', limit: 10 },
      });
      expect(found.map((m) => m.id)).toEqual(['new-3999', 'new-2999', 'new-1999', 'new-0999']);
    });
  });
}
