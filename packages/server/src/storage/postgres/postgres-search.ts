import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { containsPattern, isCjkBigram } from '../../search/search-text.js';
import type { Database } from '../kysely/database.js';
import { perDatabase, type MatchCountCache } from '../kysely/match-count-cache.js';
import { unseen } from '../kysely/message-search.js';
import { scopeOf } from '../kysely/search-scope.js';
import type { SearchCondition, SearchIndex } from '../kysely/storage-adapter.js';
import type { MessageSearch } from '../storage.js';
import { mergedChannels } from './postgres-merged-channels.js';
import {
  countIn,
  createTimeKeys,
  inWindow,
  newestWindow,
  sortsMatches,
} from './postgres-newest-window.js';

/**
 * Search on PostgreSQL: a GIN index of `pg_trgm` trigrams over
 * `parley_messages.search_text`, which the planner uses for `LIKE '%term%'` (for terms of
 * three characters or more), and a GIN index over the array of `search_bigrams` for terms of
 * two CJK characters (other short terms are checked on the rows the other conditions
 * leave). Both also hold each message's channel (migration 015), as a one-element array
 * since migration 023, so that the matches in a user's channels are found in one pass
 * over the index without reading the other channels' rows. The indexes are PostgreSQL's
 * own, kept in step by every write.
 */
export const postgresSearchIndex: SearchIndex = {
  async create(db: Kysely<unknown>) {
    // Trusted since PostgreSQL 13: the database owner may create it.
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX parley_messages_search_idx ON parley_messages
      USING gin (search_text gin_trgm_ops)`.execute(db);
  },
  async createBigramIndex(db: Kysely<unknown>) {
    // Partial: only messages with CJK pairs have any. The condition is repeated in
    // `contains` so that the planner may use it; ANALYZE gathers the expression's statistics.
    await sql`CREATE INDEX parley_messages_cjk_idx ON parley_messages
      USING gin (string_to_array(search_bigrams, ' ')) WHERE search_bigrams <> ''`.execute(db);
    await sql`ANALYZE parley_messages`.execute(db);
  },
  async refineEstimates(db) {
    // PostgreSQL estimates how many rows match `LIKE '%term%'` by testing the pattern on a
    // sample of the column's values: 100 by default, too few for a term in 0.2% of the
    // messages ("cafe" was taken for 1% and its 500 newest looked for by walking 260,000
    // rows, 320 ms; with 1,000 it takes the trigram index, ~40 ms).
    await sql`ALTER TABLE parley_messages ALTER COLUMN search_text SET STATISTICS 1000`.execute(db);
    await sql`ANALYZE parley_messages`.execute(db);
  },
  async contains(db, search) {
    const counts = await rarestOf(db, search);
    const path = await pathOf(db, search, counts);
    const plain = conditionOf(search, path);
    // Where the matches are read from the index and sorted (never walked in time order,
    // which needs the planner's estimate of the terms themselves), only the terms' rarest
    // trigrams are looked up (rareTrigrams).
    const narrowed = path === 'channels' || path === 'sort' ? await rareTrigrams(db, search) : null;
    const found = { ...plain, condition: inOneChannel(narrowed ?? plain.condition, search, path) };
    // Over every channel, a first page: the newest messages that should hold it (unless
    // they did not a minute ago, the term's matches being older), else all of them.
    if (counts === null || search.readerId !== null || search.cid !== undefined) return found;
    // Not past a page (a cursor, `before`), nor where filters the estimates do not see
    // would leave the window short.
    const { cursor, before, after, authorId, hasAttachments } = search;
    if ([cursor, before, after, authorId, hasAttachments].some((f) => f !== undefined)) {
      return found;
    }
    const misses = windowMissesOf(db);
    const key = JSON.stringify([search.terms, search.excluded, search.limit]);
    if (misses.get(key) !== undefined) return found;
    // The terms' rarest trigrams, as where the matches are sorted: each more trigram is one
    // more list the index reads in the window ("front desk", 333,000 messages: 7.4 -> ~3 ms).
    const indexed =
      (path === 'sort' ? narrowed : await rareTrigrams(db, search)) ?? plain.condition;
    const window = await newestWindow(db, search.limit, counts.rarest, counts.total, {
      key: JSON.stringify(search.terms),
      count: (newest) => countIn(db, inWindow(indexed, newest)),
    });
    if (window === null) return found;
    // The window's spans of time as the indexes key them (migration 025): the terms' matches
    // in it are read in the one scan of the index that finds them, not all of them ANDed
    // with a range of the time index. Bench corpus, "hotel", 500 newest of 1,000,000
    // messages: 18.5 -> 7.6 ms a statement (the range of 100,000 entries was 8-14 ms of
    // it). The time itself is tested on the rows (`IS TRUE`: not from the time index).
    return {
      condition: inWindow(indexed, window),
      sortMatches: true,
      // Its plan is the index's scan whatever the words (see hasTrigram), and planning it
      // anew cost PostgreSQL ~0.6 ms of the ~5 a call ("hotel": its statement's bind 0.08
      // ms with the plan kept, from the statement log).
      planOnce: search.terms.every((t) => hasTrigram(t) || isCjkBigram(t)),
      orElse: () => {
        misses.set(key, 1);
        return found;
      },
    };
  },
  mergedChannels: (db, _members, select, search) => mergedChannels(db, select, search),
  async createChannelTimeOrder(db) {
    // A channel's messages newest first, for mergedChannels' walks: one more index entry
    // per message stored.
    await sql`CREATE INDEX parley_messages_channel_time_idx
      ON parley_messages (cid, created_at, id)`.execute(db);
  },
  // As an array: the channels' rows read from the (cid, seq) index in one bitmap, which the
  // planner may AND with the trigram index's. Where the terms are looked up in the channels
  // from the index (`channels`), as the index keys them instead (inChannelSet).
  inChannels: (cids) => sql<SqlBool>`m.cid = ANY(ARRAY(${cids}))`,
  // The planner chooses between the trigram index and the newest rows itself.
  createTimeOrder: () => Promise.resolve(),
  // A covering index would need a vacuumed visibility map for index-only scans; the
  // channels' rows are read from the table (pathOf).
  createChannelRows: () => Promise.resolve(),
  // GIN's pending list is merged by VACUUM or by the insert that fills it (boundPending),
  // not inside every insert.
  mergeInSteps: () => Promise.resolve(),
  async boundPending(db) {
    // A GIN index adds new entries to a pending list, merged into the index by VACUUM or
    // by the insert that takes it past gin_pending_list_limit: 4 MB by default, some 4,500
    // messages of a sentence each, which autovacuum (at a fifth of the table inserted)
    // rarely reaches first. Every search reads the list whole: while messages arrived
    // (lab, 1,000,000 messages, ~550 sends a second beside searches as a user in 20
    // channels, 10 in flight), PostgreSQL spent 8.0-10.2 ms of CPU a search at 4 MB
    // against 4.0-4.9 at 256 kB (2.1 with nothing pending), and the insert that merged it
    // held its send up to 640 ms (225-360 at 256 kB). Merging more often costs the sends
    // little: PostgreSQL's CPU per send was within the runs' noise (440-570 µs either
    // way). A later migration that builds these indexes again must set it again.
    for (const index of ['parley_messages_channel_search_idx', 'parley_messages_channel_cjk_idx']) {
      await sql`ALTER INDEX ${sql.table(index)} SET (gin_pending_list_limit = ${sql.lit(PENDING_LIMIT_KB)})`.execute(
        db,
      );
    }
  },
  createTimeKeys: (db) => createTimeKeys(db, PENDING_LIMIT_KB),
  // pg_trgm's GIN indexes keep no positions.
  dropPositions: () => Promise.resolve(),
  addChannelTokens: () => Promise.resolve(),
  rebuild: () => Promise.resolve(),
  async createChannelTerms(db) {
    // One GIN index over (cid, trigrams), and one over (cid, CJK pairs): a channel's matches
    // for a term are where the channel's and the trigrams' lists meet (btree_gin indexes
    // the cid; trusted since PostgreSQL 13, like pg_trgm). They answer searches over every
    // channel as the indexes they replace did.
    await sql`CREATE EXTENSION IF NOT EXISTS btree_gin`.execute(db);
    await sql`CREATE INDEX parley_messages_channel_search_idx ON parley_messages
      USING gin (cid, search_text gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX parley_messages_channel_cjk_idx ON parley_messages
      USING gin (cid, string_to_array(search_bigrams, ' ')) WHERE search_bigrams <> ''`.execute(db);
    await sql`DROP INDEX parley_messages_search_idx`.execute(db);
    await sql`DROP INDEX parley_messages_cjk_idx`.execute(db);
    await sql`ANALYZE parley_messages`.execute(db);
  },
  async createChannelSets(db) {
    // Keyed by the channel itself (btree_gin), a user's 20 channels were 20 scans of the
    // index, each reading the trigrams' whole lists again to meet the channel's: 0.12–0.3 ms
    // a channel where a channel's messages are spread over the table, as a live database's
    // are. Keyed by a one-element array, `ARRAY[cid] && <the channels>` joins the
    // channels' lists in one scan, which reads the trigrams' lists once. Bench corpus
    // (1,000,000 messages, 1,000 channels interleaved), "hotel" as a user in 20: 8.4 ->
    // 2.0 ms, "cafe" 5.0 -> 1.3. Same entries per message as before: the same cost to send.
    await sql`CREATE INDEX parley_messages_channel_set_search_idx ON parley_messages
      USING gin ((ARRAY[cid]), search_text gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX parley_messages_channel_set_cjk_idx ON parley_messages
      USING gin ((ARRAY[cid]), string_to_array(search_bigrams, ' ')) WHERE search_bigrams <> ''`.execute(
      db,
    );
    await sql`DROP INDEX parley_messages_channel_search_idx`.execute(db);
    await sql`DROP INDEX parley_messages_channel_cjk_idx`.execute(db);
    // Under the names they had: what reads their sizes by name finds them (the bench does).
    await sql`ALTER INDEX parley_messages_channel_set_search_idx
      RENAME TO parley_messages_channel_search_idx`.execute(db);
    await sql`ALTER INDEX parley_messages_channel_set_cjk_idx
      RENAME TO parley_messages_channel_cjk_idx`.execute(db);
    // The statistics of the new key (ARRAY[cid]), for the planner's estimates of `&&`.
    await sql`ANALYZE parley_messages`.execute(db);
  },
  newestMatches: () => Promise.resolve(null),
};

/** The search indexes' pending lists at most, in kB (see boundPending; 64 is the least). */
const PENDING_LIMIT_KB = 256;

/** The condition by which `path` finds the search's matches (see pathOf). */
function conditionOf(search: MessageSearch, path: Path): SearchCondition {
  const terms = search.terms.map((t) =>
    path === 'rows'
      ? sql`(m.search_text || '') LIKE ${containsPattern(t)}`
      : path === 'merge'
        ? sql`((m.search_text LIKE ${unseen(containsPattern(t))}) OR (SELECT false)) IS TRUE`
        : isCjkBigram(t)
          ? // The trigram index holds no trigram of a two-character term (it would be read
            // whole): only the pairs' index may answer, the term is tested on the rows.
            sql`(m.search_text LIKE ${containsPattern(t)}) IS TRUE AND m.search_bigrams <> ''
            AND string_to_array(m.search_bigrams, ' ') @> ARRAY[${t}::text]`
          : sql`m.search_text LIKE ${containsPattern(t)}`,
  );
  // Otherwise the planner weighs the trigram index against the others itself: the
  // statement is planned for each call's patterns (see PLANNED_PER_CALL).
  return {
    condition: sql<SqlBool>`${sql.join(terms, sql` AND `)}`,
    mergeChannels: path === 'merge',
    // A user's channels' matches read from the index and sorted (see inChannelSet).
    sortMatches: path === 'sort' || path === 'channels',
    planOnce: path === 'channels' && search.terms.every((t) => hasTrigram(t) || isCjkBigram(t)),
    inChannels: path === 'channels' && search.cid === undefined ? inChannelSet : undefined,
  };
}

/**
 * A reader's channels as the indexes key them: `ARRAY[cid] && <the channels>` (GIN takes
 * `&&` of an array, not `= ANY`), so that one scan of the index finds the terms' matches in
 * all of them (see createChannelSets). Elsewhere the channels' rows are better read from
 * the (cid, seq) b-tree (inChannels): from the GIN index, a user's 20 channels of 1,000
 * messages took 3.7–6.0 ms against 1.4–1.9.
 */
const inChannelSet = (cids: Expression<{ cid: string }>) =>
  sql<SqlBool>`ARRAY[m.cid] && ARRAY(${cids})`;

/**
 * `condition`, in a search in one channel, with the channel as the indexes key it (see
 * inChannelSet): the terms' matches there in one scan of the index, not the terms'
 * matches in every channel ANDed with the channel's rows. Not where its rows are tested.
 */
function inOneChannel(
  condition: Expression<SqlBool>,
  search: MessageSearch,
  path: Path,
): Expression<SqlBool> {
  if (search.cid === undefined || path === 'rows') return condition;
  return sql<SqlBool>`${condition} AND ARRAY[m.cid] && ARRAY[${search.cid}::text]`;
}

/** The planner's estimates of a search's rarest term's messages and of all messages. */
interface TermCounts {
  rarest: number;
  total: number;
}

/**
 * The planner's estimates of the messages that contain the search's rarest term the index
 * finds, and of all messages; null where the index finds none of its terms.
 */
async function rarestOf(db: Kysely<Database>, search: MessageSearch): Promise<TermCounts | null> {
  const indexed = search.terms.filter((t) => [...t].length >= 3 || isCjkBigram(t));
  if (indexed.length === 0) return null;
  const estimates = estimateCacheOf(db);
  let rarest = Infinity;
  for (const term of indexed) rarest = Math.min(rarest, await estimateOf(db, estimates, term));
  return { rarest, total: await estimateOf(db, estimates, '') };
}

/**
 * Whether pg_trgm takes at least one trigram from `term`'s pattern in any database's
 * locale: three ASCII letters or digits in a row (which letters beyond ASCII count as
 * such depends on the locale). A pattern without one matches every entry of the trigram
 * index: planned without seeing the pattern (a plan kept for every call), such a term
 * would have the index read whole, where a plan made for the pattern leaves it to the rows.
 *
 * The statement of a search in a user's channels from the index (`channels`), all of whose
 * terms have one or are two CJK characters (looked up in the index of pairs only, see
 * conditionOf), keeps its plan (SearchCondition.planOnce): its shape is the same whatever
 * the words (the index's lookup in the channels), and planning it anew cost PostgreSQL
 * more than running it (0.8 of 2.4 ms, as measured with `log_min_duration_statement`, a
 * user in 20 channels; "会议": 1.4 ms planned, 0.3 run).
 */
export const hasTrigram = (term: string): boolean => /[a-z0-9]{3}/i.test(term);

/** How a search's matches are found (see pathOf). */
type Path = 'channels' | 'merge' | 'rows' | 'sort' | 'planner';

/** Channels of a reader above which the planner chooses how to find their matches. */
const MAX_SET_CHANNELS = 100;
/**
 * Matches expected in the reader's channels above which they are not read from the index
 * and sorted: each is read and sorted (~5 µs), where walking the newest messages stops at
 * the page's last match.
 */
const MAX_SET_MATCHES = 5_000;

/**
 * How a search's matches are found:
 * - `channels`: the matches in the reader's channels (or in the one searched) read from the
 *   index in one scan (the index over channel and trigrams, migrations 015 and 023;
 *   inChannelSet, inOneChannel) and sorted, when the reader has at most 100
 *   channels, which hold at most 5,000 of the term's matches, and the search's rarest
 *   term is in less than one message in 12 (the planner's own estimate, from the
 *   statistics refineEstimates sharpened, asked once a minute per term). A user in 20
 *   channels of 1,000 messages (a million in all, the channels' messages side by side;
 *   looked up channel by channel, before migration 023): "hotel" (1 %) 6.8 → 1.1 ms,
 *   "front desk" 5.2 → 4.1, "会议" 12 → 0.7; "speaker slides" (15 % each) 15 ms against
 *   7 on the rows.
 * - `merge`: a reader's channels walked newest first side by side (mergedChannels), when
 *   its terms are common (as for `rows`) and the page should fill before half the walk:
 *   "speaker slides", newest first, 17 → 3.8 ms. The condition is written `((… LIKE …) OR
 *   (SELECT false)) IS TRUE`: the trigram index cannot answer it, and the planner, which
 *   sees neither the pattern nor the `false`, takes it for true of half the rows, which
 *   has it walk the channels (see mergedChannels).
 * - `rows`: the rows of the search's channels tested, when its terms are common and the
 *   channels hold fewer than four rows per match the index would give over every channel
 *   (`… || '' LIKE …`: estimated rare, so that the channels' rows are read and sorted).
 * - `sort`: over every channel, the index's matches read and sorted, when that costs less
 *   than twice a walk of the newest messages that finds the page where the planner expects
 *   it (`limit` ÷ the term's share of the messages; sortsMatches). The planner itself weighs the two as
 *   if a term were spread evenly in time: "cafe" (0.2 % of a million messages, most of them
 *   old), 500 newest, walked 262,067 rows (122 ms) where its 1,946 matches sort in 7 ms.
 * - `planner`: the planner chooses (a search over every channel, or in a few channels with
 *   a term too common to be read from the index and sorted, or too rare for their rows to
 *   be walked; the condition on the channels reaches the same index, see inOneChannel).
 */
async function pathOf(
  db: Kysely<Database>,
  search: MessageSearch,
  counts: TermCounts | null,
): Promise<Path> {
  if (counts === null) return 'planner';
  const { rarest, total } = counts;
  const scope = await scopeOf(db, search);
  if (scope === null) return sortsMatches(search.limit, rarest, total) ? 'sort' : 'planner';
  const inScope = (rarest / Math.max(total, 1)) * scope.rows;
  if (rarest * 12 < total) {
    if (scope.channels <= MAX_SET_CHANNELS && inScope <= MAX_SET_MATCHES) {
      return 'channels';
    }
  }
  if (rarest * 4 <= scope.rows) return 'planner';
  // The page should fill by the walks' middle: a user's channels walked newest first.
  return search.cid === undefined && inScope >= 2 * search.limit ? 'merge' : 'rows';
}

/** Trigrams of a search's terms the channel's index is asked for at most: the rarest. */
const MAX_INDEXED_TRIGRAMS = 2;

/**
 * The terms' condition with the index asked for their rarest trigrams only, the terms
 * themselves tested on the rows it finds (`(… LIKE …) IS TRUE`, which the index cannot
 * answer); null where a term has no trigram pg_trgm takes in every locale. Each trigram of
 * a pattern is one more list the index reads, whole for a common one. A user in 20
 * channels: "front desk" (`ont` and `des` in a tenth of the messages) 14.5 -> 1.7 ms,
 * "flight delayed" 7.0 -> 2.7, "hotel" 3.3 -> 2.5; over every channel, sorted: "front
 * desk" 10.6 -> 6.4. The trigrams' shares are the planner's estimates (each asked once a
 * minute, like the terms'). Only for plans that read the index's matches and sort them:
 * the planner takes the narrowed condition for rarer than it is.
 */
async function rareTrigrams(
  db: Kysely<Database>,
  search: MessageSearch,
): Promise<RawBuilder<SqlBool> | null> {
  if (!search.terms.every(hasTrigram)) return null;
  const trigrams = new Set(
    search.terms.flatMap((term) =>
      term
        .split(/[^a-z0-9]+/)
        .flatMap((word) =>
          Array.from({ length: Math.max(0, word.length - 2) }, (_, i) => word.slice(i, i + 3)),
        ),
    ),
  );
  const estimates = estimateCacheOf(db);
  const counted = await Promise.all(
    [...trigrams].map(async (trigram) => ({
      trigram,
      count: await estimateOf(db, estimates, trigram),
    })),
  );
  const rarest = counted.sort((a, b) => a.count - b.count).slice(0, MAX_INDEXED_TRIGRAMS);
  const indexed = rarest.map((r) => sql`m.search_text LIKE ${containsPattern(r.trigram)}`);
  const exact = search.terms.map((t) => sql`m.search_text LIKE ${containsPattern(t)}`);
  return sql<SqlBool>`${sql.join(indexed, sql` AND `)} AND (${sql.join(exact, sql` AND `)}) IS TRUE`;
}

/** The planner's estimate of the messages containing `term` (every message for ''). */
function estimateOf(
  db: Kysely<Database>,
  estimates: MatchCountCache,
  term: string,
): Promise<number> {
  return estimates.remember(term, () =>
    planRows(db, term === '' ? sql<SqlBool>`true` : indexCondition(term)),
  );
}

/** The condition by which the index finds a term's candidates. */
function indexCondition(term: string): RawBuilder<SqlBool> {
  return isCjkBigram(term)
    ? sql<SqlBool>`m.search_bigrams <> '' AND string_to_array(m.search_bigrams, ' ') @> ARRAY[${term}::text]`
    : sql<SqlBool>`m.search_text LIKE ${containsPattern(term)}`;
}

/** The planner's estimate of the messages matching `condition` (planned, not run). */
async function planRows(db: Kysely<Database>, condition: RawBuilder<SqlBool>): Promise<number> {
  const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`
    EXPLAIN (FORMAT JSON) SELECT 1 FROM parley_messages m WHERE ${condition}`.execute(db);
  return Number(rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0);
}

/** Searches whose newest messages held less than their page, a minute per database. */
const windowMissesOf = perDatabase();

/** Each database's remembered estimates (one Kysely instance per storage). */
const estimateCacheOf = perDatabase();
