import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { searchMessages } from '../../src/storage/kysely/message-search.js';
import type { SearchCondition } from '../../src/storage/kysely/storage-adapter.js';
import { postgresAdapter } from '../../src/storage/postgres/postgres-dialect.js';
import { timeKeysOf } from '../../src/storage/postgres/postgres-newest-window.js';
import { postgresSearchIndex } from '../../src/storage/postgres/postgres-search.js';
import {
  insertChannel,
  insertSearchMessages,
  insertUser,
  type SearchMessageRow,
  newestIds,
} from '../helpers/direct-rows.js';
import { filledStorage } from '../helpers/filled-storage.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

// A first page over every channel, kept to the newest messages that should hold it
// (PostgreSQL: postgres-newest-window.ts): "alpha" is spread evenly in time, so they do;
// "omega" is as common but only in the oldest quarter, so they do not and the search looks
// again over every message, and skips the newest ones for that word for a while.

const TOTAL = 5_000;
const CHANNELS = 5;
const now = Date.parse('2026-01-01T00:00:00Z');

function messageOf(i: number): SearchMessageRow {
  const words = ['plain words'];
  if (i % 40 === 7) words.push('alpha');
  if (i < TOTAL / 4 && i % 10 === 3) words.push('omega');
  return {
    id: `m-${String((i * 7_919) % 10_007).padStart(5, '0')}-${i}`,
    cid: `team:c${i % CHANNELS}`,
    seq: Math.floor(i / CHANNELS) + 1,
    text: words.join(' '),
    // Stored in time order, two to a millisecond.
    createdAt: now + Math.floor(i / 2),
  };
}

const messages = Array.from({ length: TOTAL }, (_, i) => messageOf(i));
/** Times whose keys PostgreSQL's `parley_time_keys` and timeKeysOf must agree on. */
const KEYED_TIMES = [0, now, now + 16_383, now + 16_384, Date.parse('2100-02-03T04:05:06.789Z')];

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: the first page of a search over every channel`, () => {
    const conditions: Record<string, SearchCondition[]> = {};
    const windowPage: string[] = [];
    const sqlKeys: number[][] = [];
    const keptPages: string[][] = [];
    const windowPlans: { generic_plans: number; custom_plans: number }[] = [];
    const search = (term: string, limit: number, cursor?: { createdAt: number; id: string }) => ({
      ...{ terms: [term], excluded: [], readerId: null, limit, cursor },
    });
    const storage = filledStorage(kind, async (db) => {
      await insertUser(db, 'author', now);
      for (let c = 0; c < CHANNELS; c++) {
        const cid = `team:c${c}`;
        await insertChannel(db, { cid, owner: 'author', now, lastSeq: TOTAL / CHANNELS });
      }
      await insertSearchMessages(db, 'author', messages);
      if (kind === 'postgres') {
        // As autovacuum's ANALYZE gives a live database: the histogram of the times too.
        await sql`ANALYZE parley_messages`.execute(db);
        for (const term of ['alpha', 'omega']) {
          const first = await postgresSearchIndex.contains(db, search(term, 21));
          // A miss is remembered when the search looks again.
          const again = first.orElse?.();
          conditions[term] = [first, ...(again === undefined ? [] : [again])];
          conditions[`${term} after`] = [await postgresSearchIndex.contains(db, search(term, 21))];
        }
        // The window's condition alone, as the index answers it (its spans of time).
        const page = await db
          .selectFrom('parley_messages as m')
          .select('m.id')
          .where(conditions['alpha']![0]!.condition)
          .orderBy('m.created_at', 'desc')
          .orderBy('m.id', 'desc')
          .limit(21)
          .execute();
        windowPage.push(...page.map((r) => r.id));
        // Eight first pages on one connection (db's runs statements prepared, as the
        // storage's), then what PostgreSQL did with the window's prepared statement.
        await db.connection().execute(async (conn) => {
          for (let call = 0; call < 8; call++) {
            const page = await searchMessages(conn, postgresAdapter, search('alpha', 21));
            keptPages.push(page.map((m) => m.id));
          }
          const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
            SELECT generic_plans::int, custom_plans::int FROM pg_prepared_statements
            WHERE statement LIKE 'select "m"."id", "m"."created_at"%parley_time_keys%'`.execute(
            conn,
          );
          windowPlans.push(...rows);
        });
        for (const time of KEYED_TIMES) {
          const keyed = await sql<{
            keys: string[];
          }>`SELECT parley_time_keys(${time}::bigint)::text[] AS keys`.execute(db);
          sqlKeys.push(keyed.rows[0]!.keys.map(Number));
        }
      }
    });

    const expected = (term: string, limit: number) =>
      newestIds(messages, (m) => m.text.split(' ').includes(term), limit);

    if (kind === 'postgres') {
      it('keeps to the newest messages, and leaves them a while for a word they miss', () => {
        expect(conditions['alpha']![0]!.orElse).toBeDefined();
        expect(conditions['omega']![0]!.orElse).toBeDefined();
        // Looked again: every message, and the next first page of "omega" goes there at once.
        expect(conditions['omega']![1]!.orElse).toBeUndefined();
        expect(conditions['omega after']![0]!.orElse).toBeUndefined();
      });

      it('reads the window from the spans of time the index keys each message by', () => {
        // Not the page found again without the window: the window's condition alone.
        expect(windowPage).toEqual(expected('alpha', 21));
        expect(sqlKeys).toEqual(KEYED_TIMES.map(timeKeysOf));
      });

      it('keeps the plan of the window’s statement, which is the index’s scan whatever the words', () => {
        expect(keptPages).toEqual(Array.from({ length: 8 }, () => expected('alpha', 21)));
        // Planned for the first five calls, then the generic plan kept.
        expect(windowPlans).toEqual([{ generic_plans: 3, custom_plans: 5 }]);
      });
    }

    it('finds the newest matches whether the newest messages hold them or not', async () => {
      for (const term of ['alpha', 'omega']) {
        for (const limit of [1, 21, 100]) {
          const found = await storage().searchMessages(search(term, limit));
          expect(
            found.map((m) => m.id),
            `${term}, limit ${limit}`,
          ).toEqual(expected(term, limit));
        }
      }
    });

    it('pages on past the newest messages', async () => {
      for (const term of ['alpha', 'omega']) {
        const paged: string[] = [];
        let cursor: { createdAt: number; id: string } | undefined;
        for (;;) {
          const page = await storage().searchMessages(search(term, 21, cursor));
          paged.push(...page.map((m) => m.id));
          const last = page.at(-1);
          if (page.length < 21 || last === undefined) break;
          cursor = { createdAt: last.createdAt, id: last.id };
        }
        expect(paged, term).toEqual(expected(term, TOTAL));
      }
    });
  });
}
