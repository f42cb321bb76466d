import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { searchMessages } from '../../src/storage/kysely/message-search.js';
import { postgresAdapter } from '../../src/storage/postgres/postgres-dialect.js';
import { postgresSearchIndex } from '../../src/storage/postgres/postgres-search.js';
import type { SearchCondition } from '../../src/storage/kysely/storage-adapter.js';
import {
  insertChannel,
  insertMember,
  insertSearchMessages,
  insertUser,
  type SearchMessageRow,
  newestIds,
} from '../helpers/direct-rows.js';
import { filledStorage } from '../helpers/filled-storage.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

// Common words in a reader's channels, newest first: each channel walked newest first and
// the walks merged (SearchIndex.mergedChannels). On PostgreSQL a first statement takes a
// few matches of each channel, and a second one goes on in the channels that may hold more
// of the page: here one channel (c0) holds all the newest messages, so the second is needed,
// and for "bulk" (in c0 only, of the reader's channels) the first finds less than a page.

const READER_CHANNELS = 10;
/** Channels the reader is not in, every message of which has "bulk": the word is common. */
const OTHER_CHANNELS = 10;
const PER_CHANNEL = 200;
const now = Date.parse('2026-01-01T00:00:00Z');

/** Message `n` of channel `c`: c0's the newest, two to a millisecond; the rest interleaved. */
function messageOf(c: number, n: number): SearchMessageRow {
  const words = ['plain'];
  if (n % 2 === 0) words.push('common');
  if (c === 0 ? n % 5 !== 0 : c >= READER_CHANNELS) words.push('bulk');
  return {
    id: `m-${String((c * 7_919 + n * 104_729) % 99_991).padStart(5, '0')}-${c}-${n}`,
    cid: `team:c${c}`,
    seq: n + 1,
    text: words.join(' '),
    createdAt:
      c === 0 ? now + 400_000 + Math.floor(n / 2) * 500 : now + ((c * 37 + n * 53) % 400) * 1_000,
  };
}

const messages = Array.from({ length: READER_CHANNELS + OTHER_CHANNELS }, (_, c) =>
  Array.from({ length: PER_CHANNEL }, (_, n) => messageOf(c, n)),
).flat();
const readerChannels = new Set(Array.from({ length: READER_CHANNELS }, (_, c) => `team:c${c}`));

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: common words in a reader's channels, one channel holding the newest`, () => {
    const conditions = new Map<string, SearchCondition>();
    const keptPages: string[][] = [];
    const walkPlans: { generic_plans: number; custom_plans: number }[] = [];
    const storage = filledStorage(kind, async (db) => {
      await insertUser(db, 'author', now);
      await insertUser(db, 'rex', now);
      for (let c = 0; c < READER_CHANNELS + OTHER_CHANNELS; c++) {
        const cid = `team:c${c}`;
        await insertChannel(db, {
          ...{ cid, owner: 'author', now, lastSeq: PER_CHANNEL, lastMessageAt: now },
        });
        if (readerChannels.has(cid)) {
          await insertMember(db, { cid, userId: 'rex', role: 'member', now, lastReadSeq: 0 });
        }
      }
      await insertSearchMessages(db, 'author', messages);
      if (kind === 'postgres') {
        // As autovacuum's ANALYZE gives a live database: the estimates choose the walks.
        await sql`ANALYZE parley_messages`.execute(db);
        for (const term of ['common', 'bulk']) {
          conditions.set(
            term,
            await postgresSearchIndex.contains(db, {
              ...{ terms: [term], excluded: [], readerId: 'rex', limit: 21 },
            }),
          );
        }
        // Eight first pages on one connection (db's runs statements prepared, as the
        // storage's), then what PostgreSQL did with the walks' prepared statements.
        await db.connection().execute(async (conn) => {
          for (let call = 0; call < 8; call++) {
            const search = { terms: ['common'], excluded: [], readerId: 'rex', limit: 21 };
            keptPages.push((await searchMessages(conn, postgresAdapter, search)).map((m) => m.id));
          }
          const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
            SELECT generic_plans::int, custom_plans::int FROM pg_prepared_statements
            WHERE (statement LIKE 'select "x"."cid"%' OR statement LIKE '%AS u ORDER BY%')
              AND statement NOT LIKE '%pg_prepared_statements%'
            ORDER BY statement`.execute(conn);
          walkPlans.push(...rows);
        });
      }
    });

    const expected = (term: string, limit: number) =>
      newestIds(
        messages,
        (m) => m.text.split(' ').includes(term) && readerChannels.has(m.cid),
        limit,
      );

    if (kind === 'postgres') {
      it('walks the reader’s channels for a common word', () => {
        expect(conditions.get('common')?.mergeChannels).toBe(true);
        expect(conditions.get('bulk')?.mergeChannels).toBe(true);
      });

      it('keeps the plans of the walks, which walk the channels whatever the words', () => {
        expect(keptPages).toEqual(Array.from({ length: 8 }, () => expected('common', 21)));
        // Both statements (the first walks, and the walks on in the channels that may hold
        // more of the page): planned for the first five calls, then the generic plan kept.
        expect(walkPlans).toEqual([
          { generic_plans: 3, custom_plans: 5 },
          { generic_plans: 3, custom_plans: 5 },
        ]);
      });
    }

    it('finds the newest matches, all from the channel that holds them', async () => {
      for (const term of ['common', 'bulk']) {
        for (const limit of [1, 5, 21, 100, 500]) {
          const found = await storage().searchMessages({
            ...{ terms: [term], excluded: [], readerId: 'rex', limit },
          });
          expect(
            found.map((m) => m.id),
            `${term}, limit ${limit}`,
          ).toEqual(expected(term, limit));
        }
      }
      // The corpus is what it means to be: c0 holds the whole first page.
      expect(expected('common', 21).every((id) => /^m-\d{5}-0-/.test(id))).toBe(true);
    });

    it('pages through every match of the reader’s channels in order', async () => {
      for (const term of ['common', 'bulk']) {
        const paged: string[] = [];
        let cursor: { createdAt: number; id: string } | undefined;
        for (;;) {
          const page = await storage().searchMessages({
            ...{ terms: [term], excluded: [], readerId: 'rex', limit: 21, cursor },
          });
          paged.push(...page.map((m) => m.id));
          const last = page.at(-1);
          if (page.length < 21 || last === undefined) break;
          cursor = { createdAt: last.createdAt, id: last.id };
        }
        expect(paged, term).toEqual(expected(term, messages.length));
      }
    });
  });
}
