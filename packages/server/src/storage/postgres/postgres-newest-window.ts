import { sql, type Kysely } from 'kysely';
import type { Database } from '../kysely/database.js';
import { perDatabase } from '../kysely/match-count-cache.js';

/*
 * Over every channel, the page's matches of a common-enough term are the newest ones: the
 * planner either walks the newest messages testing each (`limit` ÷ the term's share of
 * them: 51,095 rows for the 500 newest of "hotel", 1 % of a million, 23 ms) or reads every
 * match from the trigram index and sorts them (9,903 rows, 23 ms). Narrowed to the newest
 * messages that should hold the page twice over, the index's matches meet a range of the
 * time index (one bitmap AND) and only those are read: 7.6 ms. Where the term's matches are
 * mostly older than that, the window holds less than the page and the search runs again
 * without it (SearchCondition.orElse).
 */

/**
 * What a search over every channel costs PostgreSQL (µs, on the bench machine): a message
 * walked newest first and tested, an entry of a range of the time index, a match of the
 * trigram index, and a match read from its row and sorted.
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

/**
 * The time from which the newest messages should hold a page of `limit` matches of a term
 * in `matches` of `total` messages twice over (from PostgreSQL's statistics of their times,
 * a minute old at most: messages stored since are newer, and in the window), or null where
 * walking or sorting costs less, or the window would be most of the messages.
 */
export async function newestWindow(
  db: Kysely<Database>,
  limit: number,
  matches: number,
  total: number,
): Promise<number | null> {
  const walk = walkOf(limit, matches, total);
  const windowed = 2 * walk * TIME_ENTRY + matches * INDEX_MATCH + 2 * limit * SORTED_MATCH;
  if (walk * WALKED_ROW <= windowed) return null;
  const share = (2 * walk) / Math.max(total, 1);
  if (share >= 0.5) return null;
  const bounds = await timeBoundsOf(db);
  const buckets = bounds.length - 1;
  if (buckets < 1) return null;
  const index = buckets - Math.ceil(share * buckets);
  return index < 0 ? null : bounds[index]!;
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
