import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { SearchCondition } from '../../src/storage/kysely/storage-adapter.js';
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
import { STORAGE_KINDS, type StorageKind } from '../helpers/storages.js';

/** Messages stored: enough for a common term (12,000 matches and more) on SQLite. */
const TOTAL = 13_000;
const now = Date.parse('2026-01-01T00:00:00Z');

type CorpusMessage = SearchMessageRow;

/** Message `i`: in `team:a` (ana's) or `team:b`; its time not in the order it was stored. */
function shuffledMessageOf(i: number): CorpusMessage {
  const words = ['everyday words'];
  if (i % 2 === 0) words.push('halfway');
  if (i % 1_000 === 7) words.push('needle');
  if (i % 250 === 11) words.push('会议室在三楼');
  if (i % 400 === 13) words.push('明天开会议');
  return {
    id: `m-${String(i).padStart(5, '0')}`,
    cid: i % 3 === 0 ? 'team:b' : 'team:a',
    seq: i + 1,
    text: words.join(' '),
    createdAt: now + ((i * 7_919) % TOTAL) * 1_000,
  };
}

/**
 * Message `i` as a live deployment stores them: in time order, three at a time sharing one
 * millisecond (ids decreasing as they are stored, so a tie's order is not the storage
 * order), and one in 50 imported late with an old time.
 */
function inOrderMessageOf(i: number): CorpusMessage {
  const message = shuffledMessageOf(i);
  const late = i % 50 === 25;
  return {
    ...message,
    id: `m-${String(TOTAL - i).padStart(5, '0')}`,
    createdAt: late ? now - i * 1_000 : now + Math.floor(i / 3) * 1_000,
  };
}

const corpora: [string, (i: number) => CorpusMessage][] = [
  ['times out of storage order', shuffledMessageOf],
  ['stored in time order but for a few, with ties', inOrderMessageOf],
];

for (const kind of STORAGE_KINDS) {
  for (const [corpus, messageOf] of corpora) describeSearchPaths(kind, corpus, messageOf);
}

function describeSearchPaths(
  kind: StorageKind,
  corpus: string,
  messageOf: (i: number) => CorpusMessage,
): void {
  const messages = Array.from({ length: TOTAL }, (_, i) => messageOf(i));
  describe(`${kind}: search over many messages, ${corpus}`, () => {
    /** How PostgreSQL would find each word's matches over every channel. */
    const conditions = new Map<string, SearchCondition>();
    let pairSql = '';
    const storage = filledStorage(kind, async (db) => {
      // Stored by direct SQL, as the bench does: thirteen thousand sends would take minutes.
      await insertUser(db, 'ana', now);
      for (const cid of ['team:a', 'team:b']) {
        await insertChannel(db, { cid, owner: 'ana', now, lastSeq: TOTAL, lastMessageAt: now });
      }
      await insertUser(db, 'bo', now);
      // ana reads team:a, bo both channels: bo's matches are merged from the two.
      for (const [cid, userId] of [
        ['team:a', 'ana'],
        ['team:a', 'bo'],
        ['team:b', 'bo'],
      ] as const) {
        await insertMember(db, { cid, userId, role: 'owner', now, lastReadSeq: 0 });
      }
      await insertSearchMessages(db, 'ana', messages);
      // PostgreSQL's estimates choose between the index and the reader's rows (as
      // autovacuum's ANALYZE gives a live database): "halfway" and "everyday" then take
      // the rows, "needle" the index.
      if (kind === 'postgres') {
        await sql`ANALYZE parley_messages`.execute(db);
        for (const term of ['needle', 'halfway']) {
          const search = { terms: [term], excluded: [], readerId: null, limit: 21 };
          conditions.set(term, await postgresSearchIndex.contains(db, search));
        }
        const pair = { terms: ['会议'], excluded: [], readerId: 'ana', limit: 21 };
        const found = await postgresSearchIndex.contains(db, pair);
        conditions.set('会议 as ana', found);
        pairSql = sql`${found.condition}`.compile(db).sql;
      }
    });

    if (kind === 'postgres') {
      it('sorts the few matches of a rare word over every channel, and walks a common one’s', () => {
        expect(conditions.get('needle')?.sortMatches).toBe(true);
        expect(conditions.get('halfway')?.sortMatches).toBe(false);
      });

      it('keeps one plan for two CJK characters in a user’s channels: the pairs’ index alone answers', async () => {
        const found = conditions.get('会议 as ana')!;
        expect(found.sortMatches).toBe(true);
        expect(found.planOnce).toBe(true);
        // The trigram index cannot be chosen for the pattern, which holds no trigram.
        expect(pairSql).toMatch(/^\(m\.search_text LIKE \$1\) IS TRUE AND m\.search_bigrams <> ''/);
        // Past PostgreSQL's first five runs of a prepared statement, its kept plan answers.
        for (let run = 0; run < 12; run++) {
          const search = { terms: ['会议'], excluded: [], readerId: 'ana', limit: 500 };
          const results = await storage().searchMessages(search);
          expect(results.map((m) => m.id)).toEqual(expected(['会议'], [], 'ana', 500));
        }
      });
    }

    /** What search must answer, worked out here: newest first, ties by id. */
    const expected = (
      terms: string[],
      excluded: string[],
      readerId: string | null,
      limit: number,
      cid?: string,
    ) =>
      newestIds(
        messages,
        (m) =>
          terms.every((t) => m.text.includes(t)) &&
          !excluded.some((t) => m.text.includes(t)) &&
          (readerId !== 'ana' || m.cid === 'team:a') &&
          (cid === undefined || m.cid === cid),
        limit,
      );

    // "needle" has 13 matches (fetched one by one), "halfway" 6,500 (the rows walked
    // newest first and looked up in them), "everyday" every message (tested on the rows),
    // "会议" 85 (from the index of CJK character pairs), "议会" none.
    const cases: [string[], string[]][] = [
      [['needle'], []],
      [['halfway'], []],
      [['everyday'], []],
      [['halfway', 'needle'], []],
      [['everyday', 'halfway'], ['needle']],
      [['ay'], []],
      // Two CJK characters: from the index of character pairs, in a word or at its end.
      [['会议'], []],
      [['会议', 'halfway'], ['三楼']],
      [['议会'], []],
    ];

    it('finds the same newest matches whichever way the index is used', async () => {
      for (const [terms, excluded] of cases) {
        for (const readerId of [null, 'ana', 'bo']) {
          // Over the reader's channels, and in one channel (bo's second; not ana's).
          for (const cid of [undefined, 'team:b']) {
            for (const limit of [21, 500]) {
              const search = { terms, excluded, readerId, limit, ...(cid && { cid }) };
              const found = await storage().searchMessages(search);
              expect(
                found.map((r) => r.id),
                `${terms.join(' ')} -${excluded.join(' -')} as ${readerId} in ${cid} limit ${limit}`,
              ).toEqual(expected(terms, excluded, readerId, limit, cid));
            }
          }
        }
      }
    });

    it('pages through the matches and keeps to the time filters whichever way the index is used', async () => {
      for (const terms of [['needle'], ['会议'], ['halfway']]) {
        for (const readerId of [null, 'ana', 'bo']) {
          const all = expected(terms, [], readerId, TOTAL);
          const paged: string[] = [];
          let cursor: { createdAt: number; id: string } | undefined;
          for (;;) {
            const page = await storage().searchMessages({
              ...{ terms, excluded: [], readerId, limit: 40, cursor },
            });
            paged.push(...page.map((m) => m.id));
            const last = page.at(-1);
            if (page.length < 40 || last === undefined || paged.length >= 200) break;
            cursor = { createdAt: last.createdAt, id: last.id };
          }
          const label = `${terms.join(' ')} as ${readerId}`;
          expect(paged, label).toEqual(all.slice(0, paged.length));
          expect(paged.length, label).toBe(Math.min(all.length, 200));
          // Between two times: only the matches stored in between.
          const byId = new Map(messages.map((m) => [m.id, m]));
          const times = all.map((id) => byId.get(id)!.createdAt);
          const [after, before] = [times[Math.min(times.length - 1, 9)]!, times[0]!];
          const between = await storage().searchMessages({
            ...{ terms, excluded: [], readerId, limit: 500, after, before },
          });
          expect(
            between.map((m) => m.id),
            label,
          ).toEqual(
            all.filter((id) => byId.get(id)!.createdAt > after && byId.get(id)!.createdAt < before),
          );
        }
      }
    });
  });
}
