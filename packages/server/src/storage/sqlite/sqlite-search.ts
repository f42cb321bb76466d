import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { SearchIndex } from '../kysely/storage-adapter.js';

/**
 * Search on SQLite: an FTS5 table with the trigram tokenizer over `parley_messages.search_text`
 * (external content: it keeps only the index), kept in step by triggers in the writing
 * transaction. FTS5 answers `LIKE '%term%'` from the trigram index for terms of three
 * characters or more; shorter ones (two CJK characters, say) are checked on the rows the
 * other conditions leave.
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
  contains(terms: readonly string[], useIndex: boolean): Expression<SqlBool> {
    // GLOB, not LIKE … ESCAPE: FTS5 answers GLOB from the trigram index but not a LIKE with
    // an ESCAPE clause. Search text is lower case already, so GLOB's case does not matter.
    const globs = terms.map(globPattern);
    const exact = globs.map((g) => sql`m.search_text GLOB ${g}`);
    // The trigram index needs three characters in a row.
    const indexed = globs.filter((_, i) => [...terms[i]!].length >= 3);
    if (!useIndex || indexed.length === 0) return sql<SqlBool>`${sql.join(exact, sql` AND `)}`;
    const fts = indexed.map((g) => sql`search_text GLOB ${g}`);
    return sql<SqlBool>`m.rowid IN (
      SELECT rowid FROM parley_messages_fts WHERE ${sql.join(fts, sql` AND `)}
    ) AND ${sql.join(exact, sql` AND `)}`;
  },
  async matchesAtLeast(db, terms, count) {
    const globs = terms.filter((t) => [...t].length >= 3).map(globPattern);
    if (globs.length === 0) return true;
    const where = sql.join(
      globs.map((g) => sql`search_text GLOB ${g}`),
      sql` AND `,
    );
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (
      SELECT rowid FROM parley_messages_fts WHERE ${where} LIMIT ${count}
    )`.execute(db);
    return Number(rows[0]?.n ?? 0) >= count;
  },
};

/** `*term*` with GLOB's own characters taken literally. */
function globPattern(term: string): string {
  return `*${term.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
}
