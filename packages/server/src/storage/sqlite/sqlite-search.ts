import { sql, type Kysely, type SqlBool } from 'kysely';
import type { SearchIndex } from '../kysely/storage-adapter.js';

/** Index matches under which the matching rows are fetched one by one and sorted. */
const RARE_MATCHES = 5_000;
/** Index matches from which a term counts as common: checked on the rows only. */
const COMMON_MATCHES = 12_000;

/**
 * Search on SQLite: an FTS5 table with the trigram tokenizer over `parley_messages.search_text`
 * (external content: it keeps only the index), kept in step by triggers in the writing
 * transaction. FTS5 answers a quoted phrase (`MATCH '"term"'`: its trigrams in a row, every
 * message containing the term and a few more) from the index for terms of three characters
 * or more; GLOB then tests the rows exactly. Shorter terms (two CJK characters, say) are
 * checked on the rows the other conditions leave.
 */
export const sqliteSearchIndex: SearchIndex = {
  async create(db: Kysely<unknown>) {
    await sql`CREATE VIRTUAL TABLE parley_messages_fts USING fts5(
      search_text, content='parley_messages', content_rowid='rowid', tokenize='trigram'
    )`.execute(db);
    await sql`INSERT INTO parley_messages_fts(parley_messages_fts) VALUES ('rebuild')`.execute(db);
    await sql`CREATE TRIGGER parley_messages_fts_insert AFTER INSERT ON parley_messages BEGIN
      INSERT INTO parley_messages_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
    END`.execute(db);
    await sql`CREATE TRIGGER parley_messages_fts_delete AFTER DELETE ON parley_messages BEGIN
      INSERT INTO parley_messages_fts(parley_messages_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    END`.execute(db);
    await sql`CREATE TRIGGER parley_messages_fts_update AFTER UPDATE OF search_text ON parley_messages BEGIN
      INSERT INTO parley_messages_fts(parley_messages_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
      INSERT INTO parley_messages_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
    END`.execute(db);
  },
  // The storage code chooses by counting the index's matches (contains, below).
  refineEstimates: () => Promise.resolve(),
  inChannels: (cids) => sql<SqlBool>`m.cid IN (${cids})`,
  async contains(db, terms) {
    // GLOB, not LIKE … ESCAPE: search text is lower case already, so GLOB's case does not
    // matter, and it has no escape clause to get wrong. It is the exact test, on the rows.
    const exact = sql.join(
      terms.map((t) => sql`m.search_text GLOB ${globPattern(t)}`),
      sql` AND `,
    );
    // The trigram index needs three characters in a row. Only the rarest term goes to it:
    // FTS5 merging two common terms' lists costs more than testing the rows.
    // Counting costs too (4 ms for 20,000 matches of a common word): the longest terms,
    // likelier rare, are counted first, and a rare one ends the counting.
    const indexed = terms.filter((t) => [...t].length >= 3).sort((a, b) => b.length - a.length);
    let rarest: { phrase: string; count: number } | undefined;
    for (const term of indexed) {
      const phrase = `"${term.replace(/"/g, '""')}"`;
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (
        SELECT rowid FROM parley_messages_fts WHERE parley_messages_fts MATCH ${phrase}
        LIMIT ${COMMON_MATCHES}
      )`.execute(db);
      const count = Number(rows[0]?.n ?? 0);
      if (rarest === undefined || count < rarest.count) rarest = { phrase, count };
      if (count < RARE_MATCHES) break;
    }
    if (rarest === undefined || rarest.count >= COMMON_MATCHES) return sql<SqlBool>`${exact}`;
    const matches = sql`SELECT rowid FROM parley_messages_fts WHERE parley_messages_fts MATCH ${rarest.phrase}`;
    // A few matches: fetched by rowid and sorted. More: the rows are walked newest first (or
    // a channel's) and each rowid is looked up in the matches (the unary + keeps SQLite from
    // fetching every match), which stops once the page is full.
    return rarest.count < RARE_MATCHES
      ? sql<SqlBool>`m.rowid IN (${matches}) AND ${exact}`
      : sql<SqlBool>`+m.rowid IN (${matches}) AND ${exact}`;
  },
};

/** `*term*` with GLOB's own characters taken literally. */
function globPattern(term: string): string {
  return `*${term.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
}
