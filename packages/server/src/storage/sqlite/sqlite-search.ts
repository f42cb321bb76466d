import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../kysely/database.js';
import type { SearchIndex } from '../kysely/storage-adapter.js';
import type { MessageSearch } from '../storage.js';
import { perDatabase } from '../kysely/match-count-cache.js';
import { scopeOf } from '../kysely/search-scope.js';
import {
  BIGRAM_TABLE,
  TRIGRAM_TABLE,
  FROM_STORED_MESSAGES,
  WITH_CHANNEL_TOKENS,
  WITHOUT_POSITIONS,
  createFtsTable,
  rebuildTables,
  isIndexedTerm,
} from './sqlite-fts-tables.js';
import { limitOf, patternOf } from './inline-values.js';
import { createOutOfOrderTable, fillOutOfOrder, newestMatches } from './sqlite-newest-matches.js';
import { mergedChannels } from './sqlite-merged-channels.js';
import { channelMatches, fetchingMatches, testingRows } from './sqlite-channel-matches.js';
import { rareIndexQueryOf } from './sqlite-rare-tokens.js';

/** Index matches under which the matching rows are fetched one by one and sorted. */
const RARE_MATCHES = 5_000;
/** Index matches from which a term counts as common: checked on the rows only. */
const COMMON_MATCHES = 12_000;

/** The FTS5 tables of the messages' search text (trigrams) and CJK pairs. */
export const FTS_TABLES = [TRIGRAM_TABLE.name, BIGRAM_TABLE.name] as const;

/**
 * Search on SQLite: two FTS5 tables over columns of `parley_messages` (sqlite-fts-tables.ts).
 * The trigram one lists the messages holding trigrams that cover a term of three characters
 * or more (`MATCH '"hot" AND "tel"'` for `hotel`: every message containing the term and a
 * few more), the CJK pairs one those holding a term of two CJK characters; GLOB then tests
 * the rows exactly. Other short terms (`ab`) are checked on the rows the other conditions
 * leave.
 */
export const sqliteSearchIndex: SearchIndex = {
  create: (db) => createFtsTable(db, TRIGRAM_TABLE),
  createBigramIndex: (db) => createFtsTable(db, BIGRAM_TABLE),
  // The storage code chooses by counting the index's matches (contains, below).
  refineEstimates: () => Promise.resolve(),
  inChannels: (cids) => sql<SqlBool>`m.cid IN (${cids})`,
  createTimeOrder: createOutOfOrderTable,
  async createChannelRows(db) {
    // Testing a user's 20 channels of 1,000 messages read each row from the table (its
    // text, data, attachments…: ~500 bytes) to test ~60 bytes of search text. This index
    // holds what the search reads, in channel order: "hotel" 9.7 -> 4.2 ms, "speaker"
    // (15 % of the rows) 13.8 -> 3.2 ms. ~90 bytes a message, one more index entry per send.
    await sql`CREATE INDEX parley_messages_search_rows_idx
      ON parley_messages (cid, created_at, id, deleted_at, search_text)`.execute(db);
  },
  // FTS5 cannot look in one channel: its matches are the term's in every channel.
  createChannelTerms: () => Promise.resolve(),
  // Its channel tokens (migration 022) already find a term in a set of channels at once.
  createChannelSets: () => Promise.resolve(),
  async mergeInSteps(db) {
    // FTS5 merges its b-trees inside the insert that fills a level: 15–35 ms in one send
    // every few thousand, growing with the index. The send path merges instead, a few
    // pages every few batches (sqlite-send.ts), which keeps the index as compact.
    for (const table of FTS_TABLES) {
      await sql`INSERT INTO ${sql.table(table)}(${sql.table(table)}, rank) VALUES ('automerge', 0)`.execute(
        db,
      );
    }
  },
  // FTS5 keeps no list of unmerged entries apart: each insert writes a segment the next
  // merges take in (mergeInSteps).
  boundPending: () => Promise.resolve(),
  // The newest matches come from the index in time order (createTimeOrder): no windows.
  createTimeKeys: () => Promise.resolve(),
  async dropPositions(db) {
    // A new table merges on its own again: back to the send path's steps.
    if (await rebuildTables(db, WITHOUT_POSITIONS)) await sqliteSearchIndex.mergeInSteps(db);
  },
  async addChannelTokens(db) {
    if (await rebuildTables(db, WITH_CHANNEL_TOKENS)) await sqliteSearchIndex.mergeInSteps(db);
  },
  async rebuild(db) {
    await rebuildTables(db, FROM_STORED_MESSAGES);
    await sqliteSearchIndex.mergeInSteps(db);
    // The list of messages stored out of time order holds rowids too.
    await sql`DELETE FROM parley_search_out_of_order`.execute(db);
    await fillOutOfOrder(db);
  },
  newestMatches: (db, search) => newestMatches(db, search, exactTest(search.terms)),
  mergedChannels: (_db, members, select, search) => mergedChannels(members, select, search),
  // Its (cid, created_at, id, …) index of the channels' rows (createChannelRows) walks them.
  createChannelTimeOrder: () => Promise.resolve(),
  async contains(db, search) {
    const { condition, merge } = await containsCondition(db, search);
    return { condition, mergeChannels: merge };
  },
};

/** See SearchIndex.contains. */
async function containsCondition(
  db: Kysely<Database>,
  search: MessageSearch,
): Promise<{ condition: RawBuilder<SqlBool>; merge: boolean }> {
  const { terms } = search;
  const exact = exactTest(terms);
  // The trigram index needs three characters in a row; the bigram index takes two CJK
  // characters. Only the rarest term goes to an index: FTS5 merging two common terms'
  // lists costs more than testing the rows.
  // Counting costs too (4 ms for 20,000 matches of a common word): the longest terms,
  // likelier rare, are counted first, a rare one ends the counting, and counts are
  // remembered for a minute (MatchCountCache).
  const indexed = terms.filter(isIndexedTerm).sort((a, b) => b.length - a.length);
  let rarest: { matches: RawBuilder<unknown>; count: number } | undefined;
  const counts = countCacheOf(db);
  for (const term of indexed) {
    const { matches, listed } = await indexMatches(db, term);
    // Looked up as one token, the term's matches are that token's, counted already.
    const count =
      listed !== null
        ? Math.min(listed, COMMON_MATCHES)
        : await counts.remember(term, async () => {
            const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (
                ${matches} ${limitOf(COMMON_MATCHES)}
              )`.execute(db);
            return Number(rows[0]?.n ?? 0);
          });
    if (rarest === undefined || count < rarest.count) rarest = { matches, count };
    if (count < RARE_MATCHES) break;
  }
  // Tested on the rows, a common term (or one too short to count) fills a page early: the
  // reader's channels are then walked side by side (SearchCondition.mergeChannels).
  if (rarest === undefined || rarest.count >= COMMON_MATCHES)
    return { condition: exact, merge: true };
  // A match read through the index costs ~2.5 µs (its trigrams' lists, then its row); a
  // row of the search's own channels tested on the spot ~0.25 µs. A user in 20 channels of
  // 1,000 messages: "front desk" (3,000 matches) 7.3 -> 4.6 ms on the channels' rows.
  const scope = await scopeOf(db, search);
  if (scope !== null && rarest.count * 10 > scope.rows) {
    // Walked side by side only when the page should fill by the walk's middle: a word in
    // 1 % of the messages has ~200 in a user's 20,000, fewer than a relevance pool, and
    // merging the channels' walks then costs more than it saves.
    const messages = await messagesAbout(db);
    const merge = (rarest.count / Math.max(1, messages)) * scope.rows >= 2 * search.limit;
    // Or the index lists the term's messages in those channels only.
    const listed = merge
      ? null
      : await channelMatches(db, search, scope, messages, exact, testingRows(scope));
    return { condition: listed ?? exact, merge };
  }
  if (scope !== null && rarest.count < RARE_MATCHES) {
    // Fewer matches than the channels' rows, but maybe more than their part of them.
    const otherwise = fetchingMatches(rarest.count);
    const messages = await messagesAbout(db);
    const listed = await channelMatches(db, search, scope, messages, exact, otherwise);
    if (listed !== null) return { condition: listed, merge: false };
  }
  const matches = rarest.matches;
  // A few matches: fetched by rowid and sorted. More: the rows are walked newest first (or
  // a channel's) and each rowid is looked up in the matches (the unary + keeps SQLite from
  // fetching every match), which stops once the page is full.
  const condition =
    rarest.count < RARE_MATCHES
      ? sql<SqlBool>`m.rowid IN (${matches}) AND ${exact}`
      : sql<SqlBool>`+m.rowid IN (${matches}) AND ${exact}`;
  return { condition, merge: false };
}

/** Each database's remembered number of messages (about: the largest rowid). */
const messageCountOf = perDatabase();

/** About how many messages are stored (deleted ones' rowids counted too), a minute old at most. */
function messagesAbout(db: Kysely<Database>): Promise<number> {
  return messageCountOf(db).remember('', async () => {
    const { rows } = await sql<{
      n: number | null;
    }>`SELECT max(rowid) AS n FROM parley_messages`.execute(db);
    return Number(rows[0]?.n ?? 0);
  });
}

/** Each database's remembered counts of index matches. */
const countCacheOf = perDatabase();

/**
 * The rowids of the messages that may contain `term`, from the trigram or bigram index
 * (its rarest tokens: rareIndexQueryOf); `listed`: how many, where that is one token whose
 * count rareIndexQueryOf took (under its cap), else null.
 */
async function indexMatches(
  db: Kysely<Database>,
  term: string,
): Promise<{ matches: RawBuilder<unknown>; listed: number | null }> {
  // Only indexed terms get here (isIndexedTerm).
  const { table, match, rare } = (await rareIndexQueryOf(db, [term]))!;
  const t = sql.table(table);
  const matches = sql`SELECT rowid FROM ${t} WHERE ${t} MATCH ${match}`;
  return { matches, listed: rare.length === 1 ? rare[0]!.count : null };
}

/**
 * The exact test of every term on the rows. GLOB, not LIKE … ESCAPE: search text is lower
 * case already, so GLOB's case does not matter, and it has no escape clause to get wrong.
 * The patterns are in the text (a bound one recompiles the statement at every run).
 */
function exactTest(terms: readonly string[]): RawBuilder<SqlBool> {
  return sql.join(
    terms.map((t) => sql<SqlBool>`m.search_text GLOB ${patternOf(globPattern(t))}`),
    sql` AND `,
  ) as RawBuilder<SqlBool>;
}

/** `*term*` with GLOB's own characters taken literally. */
function globPattern(term: string): string {
  return `*${term.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
}
