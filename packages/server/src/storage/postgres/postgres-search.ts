import { sql, type Kysely, type SqlBool } from 'kysely';
import { containsPattern, isCjkBigram } from '../../search/search-text.js';
import type { SearchIndex } from '../kysely/storage-adapter.js';

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
  contains(_db, { terms }) {
    // The planner weighs the trigram index against the others itself: the statement is
    // planned for each call's patterns (see PLANNED_PER_CALL).
    const all = terms.map((t) =>
      isCjkBigram(t)
        ? sql`m.search_text LIKE ${containsPattern(t)} AND m.search_bigrams <> ''
            AND string_to_array(m.search_bigrams, ' ') @> ARRAY[${t}::text]`
        : sql`m.search_text LIKE ${containsPattern(t)}`,
    );
    return Promise.resolve(sql<SqlBool>`${sql.join(all, sql` AND `)}`);
  },
  // As an array: the planner then combines the channels' rows with the trigram index's
  // matches (one bitmap AND) instead of scanning the trigram index once per channel.
  inChannels: (cids) => sql<SqlBool>`m.cid = ANY(ARRAY(${cids}))`,
  // The planner chooses between the trigram index and the newest rows itself.
  createTimeOrder: () => Promise.resolve(),
  newestMatches: () => Promise.resolve(null),
};
