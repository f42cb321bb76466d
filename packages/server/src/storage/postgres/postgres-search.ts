import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { containsPattern, isCjkBigram } from '../../search/search-text.js';
import type { Database } from '../kysely/database.js';
import { MatchCountCache } from '../kysely/match-count-cache.js';
import { scopeRowsOf } from '../kysely/search-scope.js';
import type { SearchIndex } from '../kysely/storage-adapter.js';
import type { MessageSearch } from '../storage.js';

/**
 * Search on PostgreSQL: a GIN index of `pg_trgm` trigrams over
 * `parley_messages.search_text`, which the planner uses for `LIKE '%term%'` (for terms of
 * three characters or more), and a GIN index over the array of `search_bigrams` for terms of
 * two CJK characters (other short terms are checked on the rows the other conditions
 * leave). The indexes are PostgreSQL's own, kept in step by every write.
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
    // Testing the rows of the search's channels is cheaper than the trigram index when they
    // are few against the term's matches (as on SQLite, sqlite-search.ts). A user in 20
    // channels of 1,000 messages (a million in all), the 20,000 rows tested vs the
    // planner's choice: "speaker slides" (15 % each) 22 vs 83 ms, "hotel" (1 %) 23 vs 27 ms;
    // "flight delayed" (0.5 %) 19 vs 10 ms, "cafe" 15 vs 4 ms (machine under load). A `|| ''`
    // keeps the planner off the index.
    const onRows = await fewRowsForTerms(db, search);
    const all = search.terms.map((t) =>
      onRows
        ? sql`(m.search_text || '') LIKE ${containsPattern(t)}`
        : isCjkBigram(t)
          ? sql`m.search_text LIKE ${containsPattern(t)} AND m.search_bigrams <> ''
            AND string_to_array(m.search_bigrams, ' ') @> ARRAY[${t}::text]`
          : sql`m.search_text LIKE ${containsPattern(t)}`,
    );
    // Otherwise the planner weighs the trigram index against the others itself: the
    // statement is planned for each call's patterns (see PLANNED_PER_CALL).
    return sql<SqlBool>`${sql.join(all, sql` AND `)}`;
  },
  // As an array: the planner then combines the channels' rows with the trigram index's
  // matches (one bitmap AND) instead of scanning the trigram index once per channel.
  inChannels: (cids) => sql<SqlBool>`m.cid = ANY(ARRAY(${cids}))`,
  // The planner chooses between the trigram index and the newest rows itself.
  createTimeOrder: () => Promise.resolve(),
  // A covering index would need a vacuumed visibility map for index-only scans; the
  // channels' rows are read from the table (fewRowsForTerms).
  createChannelRows: () => Promise.resolve(),
  newestMatches: () => Promise.resolve(null),
};

/**
 * True when the search's channels (its `cid`, or the reader's) hold fewer than four rows per
 * match the index would give for its rarest term (the planner's own estimate, from the
 * statistics refineEstimates sharpened, asked once a minute per term): testing those rows
 * beats reading the index's matches. False for a search over every channel.
 */
async function fewRowsForTerms(db: Kysely<Database>, search: MessageSearch): Promise<boolean> {
  const indexed = search.terms.filter((t) => [...t].length >= 3 || isCjkBigram(t));
  if (indexed.length === 0 || (search.readerId === null && search.cid === undefined)) {
    return false;
  }
  const scopeRows = await scopeRowsOf(db, search);
  if (scopeRows === null) return false;
  const estimates = estimateCacheOf(db);
  let rarest = Infinity;
  for (const term of indexed) {
    let estimate = estimates.get(term);
    if (estimate === undefined) {
      estimate = await planRows(db, indexCondition(term));
      estimates.set(term, estimate);
    }
    rarest = Math.min(rarest, estimate);
  }
  // An index match read and rechecked costs about four rows tested (figures in contains).
  return rarest * 4 > scopeRows;
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

/** Each database's remembered estimates (one Kysely instance per storage). */
const estimateCaches = new WeakMap<object, MatchCountCache>();

function estimateCacheOf(db: object): MatchCountCache {
  let cache = estimateCaches.get(db);
  if (cache === undefined) estimateCaches.set(db, (cache = new MatchCountCache()));
  return cache;
}
