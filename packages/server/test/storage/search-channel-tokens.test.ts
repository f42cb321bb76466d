import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/kysely/database.js';
import { channelTokenOf, channelTokenSql } from '../../src/storage/sqlite/sqlite-channel-tokens.js';
import { sqliteSearchIndex } from '../../src/storage/sqlite/sqlite-search.js';
import {
  insertChannel,
  insertMember,
  insertSearchMessages,
  insertUser,
  type SearchMessageRow,
  newestIds,
} from '../helpers/direct-rows.js';
import { filledStorage } from '../helpers/filled-storage.js';
import { addedEvent, removedEvent } from '../helpers/storage-contract.js';
import { messageEvent } from '../helpers/storage-fixtures.js';

// SQLite only: its FTS5 tables index each message after its channel's token, so that a
// search in a few channels reads a term's matches there from the index
// (sqlite-channel-tokens.ts). PostgreSQL looks in one channel with its own index.

const CHANNELS = 40;
const PER_CHANNEL = 500;
const now = Date.parse('2026-01-01T00:00:00Z');
/** Two cids alike in their first 8 and last 24 characters and length: one token for both. */
const TAIL = 'shared-end-of-twenty-four';
const TWIN = `twin:abc-X-${TAIL.slice(1)}`;
const OTHER_TWIN = `twin:abc-Y-${TAIL.slice(1)}`;

/** Message `n` of channel `cid`: "hotel" in one in a hundred, times interleaved. */
function messageOf(cid: string, c: number, n: number): SearchMessageRow {
  const words = ['plain words', (c + n) % 2 === 0 ? 'meeting' : 'agenda'];
  if ((c * 7 + n) % 100 === 3) words.push('hotel');
  if ((c * 7 + n) % 100 === 53) words.push('hotel cancelled');
  return {
    id: `m-${String((c * 7_919 + n * 104_729) % 99_991).padStart(5, '0')}-${c}`,
    cid,
    seq: n + 1,
    text: words.join(' '),
    createdAt: now + ((c * 13 + n * 101) % 50_000) * 1_000,
  };
}

const cids = [...Array.from({ length: CHANNELS }, (_, c) => `team:c${c}`), TWIN, OTHER_TWIN];
const messages = cids.flatMap((cid, c) =>
  Array.from({ length: PER_CHANNEL }, (_, n) => messageOf(cid, c, n)),
);

describe('sqlite: a search in a few channels, from the index by channel token', () => {
  /** Ana's channels, changed by the last tests. */
  const ana = new Set(['team:c0', 'team:c1', TWIN]);
  let condition = '';
  let tokensInSql: string[] = [];
  const storage = filledStorage('sqlite', async (db) => {
    await insertUser(db, 'author', now);
    await insertUser(db, 'ana', now);
    for (const cid of cids) {
      await insertChannel(db, {
        cid,
        owner: 'author',
        now,
        lastSeq: PER_CHANNEL,
        lastMessageAt: now,
      });
      await insertMember(db, { cid, userId: 'author', role: 'owner', now, lastReadSeq: 0 });
    }
    for (const cid of ana) {
      await insertMember(db, { cid, userId: 'ana', role: 'member', now, lastReadSeq: 0 });
    }
    await insertSearchMessages(db, 'author', messages);
    const search = { terms: ['hotel'], excluded: [], readerId: 'ana', limit: 500 };
    const found = await sqliteSearchIndex.contains(db, search);
    condition = sql`${found.condition}`.compile(db).sql;
    tokensInSql = await tokensBySql(db, cids);
  });

  /** What search must answer, worked out here: newest first, ties by id. */
  const expected = (terms: string[], excluded: string[], limit: number) =>
    newestIds(
      messages,
      (m) =>
        ana.has(m.cid) &&
        terms.every((t) => m.text.includes(t)) &&
        !excluded.some((t) => m.text.includes(t)),
      limit,
    );
  const search = async (terms: string[], excluded: string[] = [], limit = 500) =>
    (await storage().searchMessages({ terms, excluded, readerId: 'ana', limit })).map((m) => m.id);

  it('gives a channel the same token in SQL as in JavaScript, from its cid alone', () => {
    expect(tokensInSql).toEqual(cids.map(channelTokenOf));
    expect(new Set(tokensInSql.slice(0, CHANNELS)).size).toBe(CHANNELS);
    // Alike at both ends: one token (the search's channel condition tells them apart).
    expect(channelTokenOf(TWIN)).toBe(channelTokenOf(OTHER_TWIN));
    for (const token of tokensInSql) expect(token).toMatch(/^[\uE000-\uF8FF]{3}$/u);
  });

  it("reads a term's matches in a reader's few channels from the index", () => {
    // The term's tokens ANDed with the reader's channels' tokens, read in the statement.
    expect(condition).toMatch(/MATCH/);
    expect(condition).toMatch(/group_concat/);
    expect(condition).toMatch(/parley_members r WHERE r\.user_id = \?/);
  });

  it('finds exactly the matches in the reader’s channels, not in a channel of the same token', async () => {
    for (const limit of [5, 21, 500]) {
      expect(await search(['hotel'], [], limit), `limit ${limit}`).toEqual(
        expected(['hotel'], [], limit),
      );
    }
    expect(await search(['hotel'], ['cancelled'])).toEqual(expected(['hotel'], ['cancelled'], 500));
    expect(await search(['hotel', 'meeting'])).toEqual(expected(['hotel', 'meeting'], [], 500));
    const twins = messages.filter((m) => m.cid === OTHER_TWIN && m.text.includes('hotel'));
    expect(twins.length).toBeGreaterThan(0);
    const found = new Set(await search(['hotel']));
    expect(twins.filter((m) => found.has(m.id))).toEqual([]);
    expect(found.size).toBe(expected(['hotel'], [], 500).length);
  });

  it('keeps the index in step with edits and deletes', async () => {
    const [edited, softly, hard] = expected(['hotel'], [], 3);
    await storage().updateMessage(edited!, { text: 'now a motel' }, now, messageEvent);
    await storage().deleteMessage(softly!, false, now, messageEvent, (p) => p);
    await storage().deleteMessage(hard!, true, now, messageEvent, (p) => p);
    const gone = new Set([edited, softly, hard]);
    const left = expected(['hotel'], [], 500).filter((id) => !gone.has(id));
    expect(await search(['hotel'])).toEqual(left);
    expect(await search(['motel'])).toEqual([edited]);
  });

  // Last: they change who reads what.
  it('stops finding a channel’s messages at once when the reader leaves it, finds a joined one’s', async () => {
    const before = await search(['hotel']);
    await storage().removeMembers('team:c1', ['ana'], now, removedEvent);
    ana.delete('team:c1');
    const cidOf = new Map(messages.map((m) => [m.id, m.cid]));
    expect(await search(['hotel'])).toEqual(before.filter((id) => cidOf.get(id) !== 'team:c1'));
    await storage().addMembers('team:c7', [{ userId: 'ana', role: 'member' }], now, addedEvent);
    ana.add('team:c7');
    const joined = await search(['hotel']);
    expect(joined.filter((id) => cidOf.get(id) === 'team:c7').length).toBeGreaterThan(0);
    expect(joined).toEqual(
      expected(['hotel'], [], 500).filter(
        (id) => before.includes(id) || cidOf.get(id) === 'team:c7',
      ),
    );
  });
});

/** The channels' tokens as the triggers compute them. */
async function tokensBySql(db: Kysely<Database>, cidsOf: readonly string[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const cid of cidsOf) {
    const { rows } = await sql<{
      token: string;
    }>`SELECT ${sql.raw(channelTokenSql('x.cid'))} AS token
      FROM (SELECT ${cid} AS cid) x`.execute(db);
    tokens.push(rows[0]!.token);
  }
  return tokens;
}
