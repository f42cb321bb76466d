import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../kysely/database.js';
import { perDatabase } from '../kysely/match-count-cache.js';
import { PLANNED_PER_CALL } from '../kysely/message-search.js';

/*
 * Over every channel, the page's matches of a common-enough term are the newest ones: the
 * planner either walks the newest messages testing each (`limit` ÷ the term's share of
 * them: 51,095 rows for the 500 newest of "hotel", 1 % of a million, 23 ms) or reads every
 * match from the trigram index and sorts them (9,903 rows, 23 ms). Narrowed to the newest
 * messages that should hold the page twice over, only the matches among them are read:
 * the index keys each message by the spans of time it falls in (migration 025), and the
 * window is a few of those keys (inWindow). Where the term's matches are mostly older than
 * that, the window holds less than the page and the search runs again without it
 * (SearchCondition.orElse).
 */

/**
 * What a search over every channel costs PostgreSQL (µs, on the bench machine): a message
 * walked newest first and tested, an entry of a range of the time index, a match of the
 * trigram index, and a match read from its row and sorted. Measured when the window was a
 * range of the time index ANDed with every match; a window of keys costs less (its
 * entries, and only its own matches), so these choose it a little less often than they
 * could.
 */
const WALKED_ROW = 0.45;
const TIME_ENTRY = 0.035;
const INDEX_MATCH = 0.3;
const SORTED_MATCH = 2.3;
/** How many times the rows a walk of the newest messages expects it may read, where the matches are older. */
const SKEW = 2;

/** The messages a walk of the newest ones expects to test for `limit` matches of a term in `matches` of `total`. */
const walkOf = (limit: number, matches: number, total: number) =>
  (limit * total) / Math.max(matches, 1);

/**
 * Whether reading every match of such a term from the index and sorting them costs less
 * than the walk the planner expects, however many times over (SKEW) it reads where the
 * term's matches are older: the planner weighs the two as if a term were spread evenly in
 * time ("cafe", most of its matches old: 262,067 rows walked, 122 ms, against 7 ms sorted).
 */
export function sortsMatches(limit: number, matches: number, total: number): boolean {
  return matches * SORTED_MATCH <= SKEW * walkOf(limit, matches, total) * WALKED_ROW;
}

/** The newest messages from a time: the time, and the spans of time the indexes key them by. */
export interface NewestWindow {
  since: number;
  /** Keys of spans that hold every message from `since` on (timeKeysCovering). */
  keys: number[];
}

/** How a search counts its matches among a window of the newest messages. */
export interface WindowMatches {
  /** What is counted (the search's terms): counts are remembered a minute per key. */
  key: string;
  count(window: NewestWindow): Promise<number>;
}

/** The newest messages among which a term's matches are counted to size its window. */
const PROBED_MESSAGES = 20_000;
/** Matches among them below which the planner's estimate sizes the window instead. */
const MIN_PROBED = 20;
/**
 * Matches among them the planner expects above which they are not counted: a word in more
 * than a tenth of the messages is walked newest first whatever the count (which would
 * read each of those matches' rows).
 */
const MAX_PROBED = 2_000;

/**
 * The newest messages that should hold a page of `limit` matches of a term in `estimated` of
 * `total` messages twice over (from PostgreSQL's statistics of their times, a minute old at
 * most: messages stored since are newer, and in the window), or null where walking or
 * sorting costs less, or the window would be most of the messages.
 *
 * The planner estimates a term's share of the messages from a sample of their texts: the
 * bench's "cafe" (1,946 of 1,000,000) was taken for 1,001 to 5,005 after as many ANALYZEs,
 * and a window sized for 5,005 holds ~390 matches, less than its page: the search runs
 * again over every match, and does so for a minute. A term common in older messages only
 * misses the same way. So the term's matches among the newest 20,000 messages (counted
 * from the index, a minute per term) stand for its share, where there are enough of them
 * to tell: the share of the newest messages, which the window and a walk are made of.
 */
export async function newestWindow(
  db: Kysely<Database>,
  limit: number,
  estimated: number,
  total: number,
  counted: WindowMatches,
): Promise<NewestWindow | null> {
  // The histogram the window is cut from: none before the first ANALYZE, and nothing to count.
  const bounds = await timeBoundsOf(db);
  const buckets = bounds.length - 1;
  if (buckets < 1) return null;
  const probes = total > 2 * PROBED_MESSAGES && estimated * PROBED_MESSAGES <= MAX_PROBED * total;
  const newest = probes ? await newestProbedOf(db) : null;
  const probed =
    newest === null ? 0 : await probeCacheOf(db).remember(counted.key, () => counted.count(newest));
  // The term's matches in all, as many as the newest messages hold (where enough to tell).
  const matches = probed >= MIN_PROBED ? (probed * total) / PROBED_MESSAGES : estimated;
  const walk = walkOf(limit, matches, total);
  const windowed = 2 * walk * TIME_ENTRY + matches * INDEX_MATCH + 2 * limit * SORTED_MATCH;
  if (walk * WALKED_ROW <= windowed) return null;
  const share = (2 * walk) / Math.max(total, 1);
  if (share >= 0.5) return null;
  const index = buckets - Math.ceil(share * buckets);
  if (index < 0) return null;
  const since = bounds[index]!;
  // The spans start where the histogram's bucket does, give or take one of its own length:
  // at most a bucket's messages more to read, however long ago the newest were stored.
  return windowFrom(since, bounds[index + 1]! - since);
}

const windowFrom = (since: number, grain: number): NewestWindow => ({
  since,
  keys: timeKeysCovering(since, grain, Date.now() + TIME_KEYS_AHEAD_MS),
});

/** Each database's terms' matches among its newest messages, remembered a minute. */
const probeCacheOf = perDatabase();

/** Each database's window of its newest PROBED_MESSAGES messages, remembered a minute. */
const newestProbedCacheOf = perDatabase<NewestWindow | null>();

/** The window of the newest PROBED_MESSAGES messages, or null where there are fewer. */
function newestProbedOf(db: Kysely<Database>): Promise<NewestWindow | null> {
  return newestProbedCacheOf(db).remember('', async () => {
    const row = await db
      .selectFrom('parley_messages')
      .select('created_at')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(PROBED_MESSAGES - 1)
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? null : windowFrom(Number(row.created_at), 0);
  });
}

/** `condition` among the messages of `window`, found from the indexes' keys of time. */
export const inWindow = (condition: Expression<SqlBool>, window: NewestWindow) =>
  sql<SqlBool>`${condition}
    AND parley_time_keys(m.created_at) && ${sql.val(window.keys)}::bigint[]
    AND (m.created_at >= ${window.since}) IS TRUE`;

/** How many messages, not deleted, match `condition`. */
export async function countIn(
  db: Kysely<Database>,
  condition: Expression<SqlBool>,
): Promise<number> {
  const row = await db
    .selectFrom('parley_messages as m')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(condition)
    .where('m.deleted_at', 'is', null)
    // A term without a trigram would have a plan kept for any pattern read the index whole.
    .modifyEnd(sql.raw(` ${PLANNED_PER_CALL}`))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The search indexes also key each message by the spans of time it falls in (migration
 * 025, `parley_time_keys`): six lengths, 2^14 ms (16 s) to 2^34 ms (199 days), each 16
 * times the last, so that the messages since a time are a few keys whatever the rate they
 * came at. A key is its length's number (1–6) times 2^40 plus the span's number since the
 * epoch (the time divided by the length), as in the SQL function.
 */
export const TIME_KEY_SHIFTS = [14, 18, 22, 26, 30, 34] as const;

/**
 * How far past the searching server's clock the keys reach: a message another server
 * stored with a clock ahead by more would be out of the window (the last key mostly
 * reaches much further: it is the longest span that starts where the others end).
 */
export const TIME_KEYS_AHEAD_MS = 86_400_000;

/**
 * Keys of spans that together hold every time from `since` to `until`, the first starting
 * at most `grain` ms before `since` (or 16 s, the shortest span): each the longest that
 * starts where the last ended, so a window of weeks is a few dozen keys. The search tests
 * the time itself on the rows the index gives.
 */
export function timeKeysCovering(since: number, grain: number, until: number): number[] {
  let first = 0;
  while (first + 1 < TIME_KEY_SHIFTS.length && lengthOf(first + 1) <= grain) first++;
  let from = Math.floor(since / lengthOf(first)) * lengthOf(first);
  const keys: number[] = [];
  while (from <= until) {
    let level = TIME_KEY_SHIFTS.length - 1;
    while (level > first && from % lengthOf(level) !== 0) level--;
    keys.push(timeKeyOf(level, from));
    from += lengthOf(level);
  }
  return keys;
}

/** A time's keys, as `parley_time_keys` makes them: one span of each length. */
export const timeKeysOf = (time: number): number[] =>
  TIME_KEY_SHIFTS.map((_, level) => timeKeyOf(level, time));

const lengthOf = (level: number) => 2 ** TIME_KEY_SHIFTS[level]!;

const timeKeyOf = (level: number, time: number) =>
  (level + 1) * 2 ** 40 + Math.floor(time / lengthOf(level));

/**
 * Makes `parley_time_keys(created_at)` (a message's keys, see TIME_KEY_SHIFTS) and builds
 * the search indexes again with it as their last column, under their names (see
 * SearchIndex.createTimeKeys): a term's matches in a window are where its lists meet the
 * window's keys', in one scan of the index. `pendingKb`: the indexes' pending lists' bound.
 */
export async function createTimeKeys(db: Kysely<unknown>, pendingKb: number): Promise<void> {
  const keys = TIME_KEY_SHIFTS.map(
    (shift, level) => `${level + 1}::bigint * ${2 ** 40} + (t >> ${shift})`,
  );
  // IMMUTABLE (a function of the time alone), so that an index may hold it; inlined where
  // it is called, so that the planner matches a search's call with the index's.
  await sql`CREATE FUNCTION parley_time_keys(t bigint) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS ${sql.lit(`SELECT ARRAY[${keys.join(', ')}]`)}`.execute(db);
  const pending = sql.raw(`WITH (gin_pending_list_limit = ${pendingKb})`);
  await sql`CREATE INDEX parley_messages_time_search_idx ON parley_messages USING gin
    ((ARRAY[cid]), search_text gin_trgm_ops, parley_time_keys(created_at)) ${pending}`.execute(db);
  await sql`CREATE INDEX parley_messages_time_cjk_idx ON parley_messages USING gin
    ((ARRAY[cid]), string_to_array(search_bigrams, ' '), parley_time_keys(created_at)) ${pending}
    WHERE search_bigrams <> ''`.execute(db);
  for (const kind of ['search', 'cjk']) {
    await sql`DROP INDEX ${sql.table(`parley_messages_channel_${kind}_idx`)}`.execute(db);
    await sql`ALTER INDEX ${sql.table(`parley_messages_time_${kind}_idx`)}
      RENAME TO ${sql.table(`parley_messages_channel_${kind}_idx`)}`.execute(db);
  }
  // The statistics of the new key, for the planner's estimates of `&&`.
  await sql`ANALYZE parley_messages`.execute(db);
}

/** Each database's histogram of message times, remembered a minute. */
const timeBoundsCacheOf = perDatabase<number[]>();

/**
 * The bounds of PostgreSQL's histogram of `parley_messages.created_at` (ANALYZE's, equal
 * shares of the messages between each two), oldest first; none before the first ANALYZE.
 */
function timeBoundsOf(db: Kysely<Database>): Promise<number[]> {
  return timeBoundsCacheOf(db).remember('', async () => {
    const { rows } = await sql<{ bounds: (string | number)[] | null }>`
      SELECT histogram_bounds::text::bigint[] AS bounds FROM pg_stats
      WHERE schemaname = current_schema() AND tablename = 'parley_messages'
        AND attname = 'created_at'`.execute(db);
    return (rows[0]?.bounds ?? []).map(Number);
  });
}
