import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { searchMessages } from '../../src/storage/kysely/message-search.js';
import { postgresAdapter } from '../../src/storage/postgres/postgres-dialect.js';
import {
  insertChannel,
  insertMember,
  insertSearchMessages,
  insertUser,
  newestIds,
  type SearchMessageRow,
} from '../helpers/direct-rows.js';
import { filledStorage } from '../helpers/filled-storage.js';
import { STORAGE_KINDS } from '../helpers/storages.js';

// PostgreSQL only (a SQLite statement has one plan, made when prepared): a search in a
// user's channels whose statement may keep its plan (SearchCondition.planOnce) must get it.
// PostgreSQL keeps a prepared statement's generic plan only when it costs no more than the
// custom plans it made for the first five calls; a reader in fewer channels than most
// users made every custom plan cheaper, and every call was planned anew.

const CHANNELS = 2_000;
const now = Date.parse('2026-01-01T00:00:00Z');

const messages: SearchMessageRow[] = Array.from({ length: 6_000 }, (_, i) => ({
  id: `m-${String(i).padStart(4, '0')}`,
  cid: `team:c${i % CHANNELS}`,
  seq: Math.floor(i / CHANNELS) + 1,
  text: i % 40 === 0 ? 'the zephyr arrives' : 'everyday words about the day',
  createdAt: now + i * 1_000,
}));

describe.skipIf(!STORAGE_KINDS.includes('postgres'))(
  'postgres: a search that may keep its plan',
  () => {
    const found: string[][] = [];
    let plans: { generic_plans: number; custom_plans: number }[] = [];
    filledStorage('postgres', async (db) => {
      await insertUser(db, 'ana', now);
      await insertUser(db, 'author', now);
      for (let c = 0; c < CHANNELS; c++) {
        const cid = `team:c${c}`;
        await insertChannel(db, { cid, owner: 'author', now, lastSeq: 20, lastMessageAt: now });
        await insertMember(db, { cid, userId: 'author', role: 'owner', now, lastReadSeq: 0 });
        // ana is in 3 channels, the author in every one.
        if (c < 3) {
          await insertMember(db, { cid, userId: 'ana', role: 'member', now, lastReadSeq: 0 });
        }
      }
      await insertSearchMessages(db, 'author', messages);
      // As autovacuum's ANALYZE would: the planner knows how many channels each user has.
      await sql`ANALYZE`.execute(db);
      // One connection (db's runs statements prepared, as the storage's): its prepared
      // statements are the ones asked about afterwards.
      await db.connection().execute(async (conn) => {
        const search = { terms: ['zephyr'], excluded: [], readerId: 'ana', limit: 500 };
        for (let call = 0; call < 8; call++) {
          found.push((await searchMessages(conn, postgresAdapter, search)).map((m) => m.id));
        }
        const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
          SELECT generic_plans::int, custom_plans::int FROM pg_prepared_statements
          WHERE statement LIKE 'select "m"."id"%ARRAY[m.cid] &&%'`.execute(conn);
        plans = rows;
      });
    });

    it('keeps the plan of a search in the channels of a user who has few', () => {
      const expected = newestIds(
        messages,
        (m) => m.text.includes('zephyr') && ['team:c0', 'team:c1', 'team:c2'].includes(m.cid),
        500,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(found).toEqual(Array.from({ length: 8 }, () => expected));
      // Planned for the first five calls, then the generic plan kept.
      expect(plans).toEqual([{ generic_plans: 3, custom_plans: 5 }]);
    });
  },
);
