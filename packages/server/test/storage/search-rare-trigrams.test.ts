import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { postgresSearchIndex } from '../../src/storage/postgres/postgres-search.js';
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

// Both databases ask their index for a search's rarest trigrams (or tokens) only and test
// the terms themselves on the rows it lists: messages that hold those trigrams apart, or
// the words in another order, must not be found.

const TOTAL = 3_000;
const now = Date.parse('2026-01-01T00:00:00Z');

/** Message `i`: the phrase in one in a hundred, decoys holding its parts in one in twenty. */
function messageOf(i: number): SearchMessageRow {
  const words = ['everyday words'];
  if (i % 100 === 7) words.push(i % 200 === 7 ? 'the front desk' : 'front desks closed');
  if (i % 20 === 3) words.push(['desk at the front', 'frontal desktop', 'fronted deskjet'][i % 3]!);
  if (i % 50 === 9) words.push('flight delayed');
  if (i % 40 === 1) words.push('delayed, then a flight');
  return {
    id: `m-${String(i).padStart(4, '0')}`,
    cid: ['team:a', 'team:b', 'team:c'][i % 3]!,
    seq: Math.floor(i / 3) + 1,
    text: words.join(' '),
    createdAt: now + ((i * 7_919) % TOTAL) * 1_000,
  };
}

const messages = Array.from({ length: TOTAL }, (_, i) => messageOf(i));

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: a search whose index lookup is narrower than its terms`, () => {
    let condition = '';
    const storage = filledStorage(kind, async (db) => {
      await insertUser(db, 'ana', now);
      for (const cid of ['team:a', 'team:b', 'team:c']) {
        await insertChannel(db, { cid, owner: 'ana', now, lastSeq: TOTAL / 3, lastMessageAt: now });
      }
      for (const cid of ['team:a', 'team:b']) {
        await insertMember(db, { cid, userId: 'ana', role: 'owner', now, lastReadSeq: 0 });
      }
      await insertSearchMessages(db, 'ana', messages);
      if (kind === 'postgres') {
        // As autovacuum's ANALYZE would: the estimates choose the rarest trigrams.
        await sql`ANALYZE parley_messages`.execute(db);
        const search = { terms: ['front desk'], excluded: [], readerId: 'ana', limit: 500 };
        const found = await postgresSearchIndex.contains(db, search);
        // As message-search keeps the statement to ana's channels.
        const cids = db.selectFrom('parley_members').select('cid').where('user_id', '=', 'ana');
        const inChannels = found.inChannels ?? postgresSearchIndex.inChannels;
        condition = sql`${found.condition} AND ${inChannels(cids)}`.compile(db).sql;
      }
    });

    /** What search must answer, worked out here: newest first, ties by id. */
    const expected = (terms: string[], excluded: string[], limit: number) =>
      newestIds(
        messages,
        (m) =>
          m.cid !== 'team:c' &&
          terms.every((t) => m.text.includes(t)) &&
          !excluded.some((t) => m.text.includes(t)),
        limit,
      );

    if (kind === 'postgres') {
      it("asks the channels' index for two trigrams and tests the phrase on what it finds", () => {
        // Two LIKEs of a trigram, then the phrase where the index cannot answer it.
        expect(condition).toMatch(/^m\.search_text LIKE \$1 AND m\.search_text LIKE \$2 AND \(/);
        expect(condition).toMatch(/\) IS TRUE AND /);
        // And the reader's channels, which the same index looks up (migration 023).
        expect(condition).toMatch(
          /AND ARRAY\[m\.cid\] && ARRAY\(\(select "cid" from "parley_members" where "user_id" = \$\d+\)\)$/,
        );
      });
    }

    it('finds the phrases and words exactly, not their parts apart', async () => {
      const cases: [string[], string[]][] = [
        [['front desk'], []],
        [['front desk'], ['closed']],
        [['flight delayed'], []],
        [['flight', 'delayed'], []],
        [['desk', 'front'], ['frontal']],
      ];
      for (const [terms, excluded] of cases) {
        for (const limit of [5, 500]) {
          const found = await storage().searchMessages({
            ...{ terms, excluded, readerId: 'ana', limit },
          });
          expect(
            found.map((m) => m.id),
            `${terms.join(' + ')} -${excluded.join(' -')} limit ${limit}`,
          ).toEqual(expected(terms, excluded, limit));
        }
      }
      expect(expected(['front desk'], [], 500).length).toBeGreaterThan(5);
    });
  });
}
