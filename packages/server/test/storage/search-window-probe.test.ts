import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { containsPattern } from '../../src/search/search-text.js';
import {
  countIn,
  inWindow,
  newestWindow,
  type NewestWindow,
} from '../../src/storage/postgres/postgres-newest-window.js';
import { insertChannel, insertSearchMessages, insertUser } from '../helpers/direct-rows.js';
import { filledStorage } from '../helpers/filled-storage.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

// PostgreSQL only: a first page over every channel is read from a window of the newest
// messages (postgres-newest-window.ts), sized by the term's matches among the newest 20,000
// messages, so that the planner's estimate of the term (a sample's, often off by half or
// twice) cannot leave the window short of its page.

const TOTAL = 45_000;
const OLDER = 25_000;
const now = Date.parse('2026-01-01T00:00:00Z');
/**
 * "waning" in 300 messages: every hundredth of the older 25,000, every four hundredth of the
 * newest 20,000 (where it is half as common as over all).
 */
const messages = Array.from({ length: TOTAL }, (_, i) => ({
  id: `m-${String(i).padStart(5, '0')}`,
  cid: `team:c${i % 3}`,
  seq: Math.floor(i / 3) + 1,
  text: i % (i < OLDER ? 100 : 400) === 42 ? 'a waning word' : 'plain words',
  createdAt: now + i * 10,
}));
const condition = sql<boolean>`m.search_text LIKE ${containsPattern('waning')}`;
const LIMIT = 21;

describe.skipIf(!STORAGE_KINDS.includes('postgres'))(
  'postgres: the window of the newest messages a first page is read from',
  () => {
    const found: Record<string, { window: NewestWindow | null; matches: number }> = {};
    filledStorage('postgres', async (db) => {
      await insertUser(db, 'author', now);
      for (let c = 0; c < 3; c++) {
        await insertChannel(db, { cid: `team:c${c}`, owner: 'author', now, lastSeq: TOTAL / 3 });
      }
      await insertSearchMessages(db, 'author', messages);
      await sql`ANALYZE parley_messages`.execute(db);
      // The word's count over all (what the planner estimates at best): its window counted
      // in the newest messages first, then as if none were counted there.
      const ways = {
        probed: (w: NewestWindow) => countIn(db, inWindow(condition, w)),
        estimated: () => Promise.resolve(0),
      };
      for (const [way, count] of Object.entries(ways)) {
        const window = await newestWindow(db, LIMIT, 300, TOTAL, { key: way, count });
        const matches = window === null ? 0 : await countIn(db, inWindow(condition, window));
        found[way] = { window, matches };
      }
    });

    it('holds its page for a word rarer among the newest messages than among the older', () => {
      const { window, matches } = found['probed']!;
      expect(window).not.toBeNull();
      // About twice the page, not the word's 300.
      expect(matches).toBeGreaterThanOrEqual(LIMIT);
      expect(matches).toBeLessThan(4 * LIMIT);
      // Sized by the count over all, the window misses its page (and the search runs again
      // over every match).
      expect(found['estimated']!.window).not.toBeNull();
      expect(found['estimated']!.matches).toBeLessThan(LIMIT);
    });
  },
);
