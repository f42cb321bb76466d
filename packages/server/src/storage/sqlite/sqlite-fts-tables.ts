import { sql, type Kysely } from 'kysely';
import { isCjkBigram } from '../../search/search-text.js';
import { indexedValueSql } from './sqlite-channel-tokens.js';

/*
 * The two FTS5 tables of SQLite search, over columns of `parley_messages`, kept in step by
 * triggers in the writing transaction: `parley_messages_fts` over `search_text` with the
 * trigram tokenizer, and `parley_messages_cjk` over `search_bigrams` (unicode61: one token
 * per pair of CJK characters, only messages with pairs indexed). Each row is indexed after
 * its channel's token (sqlite-channel-tokens.ts), which lets a search look in a few
 * channels only; the tables are contentless (they keep only the index, and the triggers
 * hand a deleted row's indexed value back to them).
 *
 * Neither keeps token positions (`detail='none'`) nor column sizes (`columnsize=0`): a term
 * is looked up as trigrams that cover it (indexQueryOf), which may list a few messages
 * holding them apart, and the rows' exact test keeps only those that hold the term.
 * Positions were two thirds of the trigram index (the bench's 1,000,000 messages: 166 ->
 * 53 MB) and part of what each send wrote; ranking is done on the rows, never with FTS5's
 * bm25 (which needs the sizes).
 */

/** One FTS5 table: its column and which rows it indexes. */
interface FtsTable {
  name: 'parley_messages_fts' | 'parley_messages_cjk';
  column: 'search_text' | 'search_bigrams';
  tokenize: string;
  /** Only rows whose column is not empty (a 'delete' must only ever get values indexed). */
  nonEmptyOnly: boolean;
}

export const TRIGRAM_TABLE: FtsTable = {
  name: 'parley_messages_fts',
  column: 'search_text',
  tokenize: 'trigram',
  nonEmptyOnly: false,
};

export const BIGRAM_TABLE: FtsTable = {
  name: 'parley_messages_cjk',
  column: 'search_bigrams',
  tokenize: 'unicode61',
  nonEmptyOnly: true,
};

/** Rows indexed per statement while filling, with a progress line each. */
const FILL_BATCH = 50_000;

/** Creates the table, indexes the messages stored already (progress on stderr), adds its triggers. */
export async function createFtsTable(db: Kysely<unknown>, table: FtsTable): Promise<void> {
  const { name, column } = table;
  await sql`CREATE VIRTUAL TABLE ${sql.table(name)} USING fts5(
    ${sql.raw(column)}, content='', tokenize=${sql.lit(table.tokenize)},
    detail='none', columnsize=0
  )`.execute(db);
  await fill(db, table);
  const value = (row: 'new' | 'old') => `${row}.${column}`;
  const indexed = (row: 'new' | 'old') => sql.raw(indexedValueSql(`${row}.cid`, value(row)));
  const t = sql.table(name);
  const c = sql.ref(column);
  await sql`CREATE TRIGGER ${sql.raw(`${name}_insert`)} AFTER INSERT ON parley_messages
    ${onlyNonEmpty(table, 'WHEN', value('new'))} BEGIN
    INSERT INTO ${t}(rowid, ${c}) VALUES (new.rowid, ${indexed('new')});
  END`.execute(db);
  await sql`CREATE TRIGGER ${sql.raw(`${name}_delete`)} AFTER DELETE ON parley_messages
    ${onlyNonEmpty(table, 'WHEN', value('old'))} BEGIN
    INSERT INTO ${t}(${t}, rowid, ${c}) VALUES ('delete', old.rowid, ${indexed('old')});
  END`.execute(db);
  await sql`CREATE TRIGGER ${sql.raw(`${name}_update`)} AFTER UPDATE OF ${c} ON parley_messages
    WHEN old.${c} IS NOT new.${c} BEGIN
    INSERT INTO ${t}(${t}, rowid, ${c}) SELECT 'delete', old.rowid, ${indexed('old')}
      ${onlyNonEmpty(table, 'WHERE', value('old'))};
    INSERT INTO ${t}(rowid, ${c}) SELECT new.rowid, ${indexed('new')}
      ${onlyNonEmpty(table, 'WHERE', value('new'))};
  END`.execute(db);
}

/** `<keyword> <value> <> ''` for a table that indexes only non-empty values, else nothing. */
function onlyNonEmpty(table: FtsTable, keyword: 'WHEN' | 'WHERE' | 'AND', value: string) {
  return table.nonEmptyOnly ? sql.raw(`${keyword} ${value} <> ''`) : sql``;
}

/**
 * What an older server's tables lack that createFtsTable's have, as a test of a table's
 * definition: token positions and sizes dropped (detail='none', migration 018), then
 * channel tokens in a contentless table (content='', migration 022).
 */
export const WITHOUT_POSITIONS = { current: /detail\s*=\s*'?none/i, how: 'without positions' };
export const WITH_CHANNEL_TOKENS = { current: /content\s*=\s*''/i, how: 'with channel tokens' };
/** Every table rebuilt, whatever its definition (after a VACUUM renumbered the rows). */
export const FROM_STORED_MESSAGES = { current: null, how: 'from the stored messages' };

/**
 * Drops both tables and makes them again as createFtsTable does (every stored message
 * indexed, progress on stderr), except those whose definition `rebuild.current` matches.
 * Returns whether one was rebuilt: the caller then sets what was set on the old ones (their
 * merges).
 */
export async function rebuildTables(
  db: Kysely<unknown>,
  rebuild: { current: RegExp | null; how: string },
): Promise<boolean> {
  let rebuilt = false;
  for (const table of [TRIGRAM_TABLE, BIGRAM_TABLE]) {
    const { rows } = await sql<{ sql: string }>`
      SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${table.name}`.execute(db);
    const definition = rows[0]?.sql;
    if (definition === undefined || rebuild.current?.test(definition) === true) continue;
    process.stderr.write(`parley: rebuilding the search index ${table.name} ${rebuild.how}\n`);
    for (const suffix of ['insert', 'delete', 'update']) {
      await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table.name}_${suffix}`)}`.execute(db);
    }
    await sql`DROP TABLE ${sql.table(table.name)}`.execute(db);
    await createFtsTable(db, table);
    rebuilt = true;
  }
  return rebuilt;
}

/** Indexes the stored messages, in batches of rowids. */
async function fill(db: Kysely<unknown>, table: FtsTable): Promise<void> {
  const t = sql.table(table.name);
  const c = sql.ref(table.column);
  // max(rowid) is read from the end of the table; count(*) would read all of it.
  const { rows } = await sql<{ last: number | null }>`
    SELECT max(rowid) AS last FROM parley_messages`.execute(db);
  const last = Number(rows[0]?.last ?? 0);
  for (let from = 0; from < last; from += FILL_BATCH) {
    await sql`INSERT INTO ${t}(rowid, ${c})
      SELECT rowid, ${sql.raw(indexedValueSql('cid', table.column))} FROM parley_messages
      WHERE rowid > ${from} AND rowid <= ${from + FILL_BATCH}
        ${onlyNonEmpty(table, 'AND', table.column)}`.execute(db);
    process.stderr.write(
      `parley: search index ${table.name}: rowids up to ${Math.min(from + FILL_BATCH, last)} of ${last}\n`,
    );
  }
  if (last === 0) return;
  // Filled in batches, the index is many b-trees, each read for every term looked up (a
  // search for "front desk" over 1,000,000 messages 2.1 ms, merged into one 1.3 ms).
  await sql`INSERT INTO ${t}(${t}) VALUES ('optimize')`.execute(db);
  process.stderr.write(`parley: search index ${table.name}: merged\n`);
}

/** Whether one of the FTS5 tables looks `term` up: three characters or more, or a CJK pair. */
export function isIndexedTerm(term: string): boolean {
  return hasTrigrams(term) || isCjkBigram(term);
}

/** Three characters or more: the trigram table looks it up. */
function hasTrigrams(text: string): boolean {
  return [...text].length >= 3;
}

/**
 * The FTS5 table and query that list the messages holding every indexed one of `terms`
 * (isIndexedTerm): the trigram table for the terms of three characters or more, else the
 * CJK pairs table; null when none is indexed. The list may hold a few messages more than
 * hold the terms (no positions, see above): the exact test on the rows decides. `tokens`:
 * the index's tokens the query ANDs.
 */
export function indexQueryOf(
  terms: readonly string[],
): { table: FtsTable['name']; tokens: string[]; match: string } | null {
  const long = terms.filter(hasTrigrams);
  const pairs = terms.filter(isCjkBigram);
  const [table, tokens] =
    long.length > 0
      ? [TRIGRAM_TABLE.name, trigramsOf(long)]
      : pairs.length > 0
        ? [BIGRAM_TABLE.name, pairs]
        : [null, []];
  if (table === null) return null;
  return { table, tokens, match: tokens.map(ftsString).join(' AND ') };
}

/**
 * The trigrams that find `terms`. A phrase's words of three characters or more give their
 * trigrams on their own: those across a space (` de`, in every "de…" word) narrow little
 * and cost a long list each (with positions, the 500 newest "front desk": 2.8 -> 1.8 ms).
 * Side by side, not overlapping: `hotel` is `hot` and `tel`, fewer lists for FTS5 to
 * intersect.
 */
function trigramsOf(terms: readonly string[]): string[] {
  const trigrams = new Set<string>();
  for (const term of terms) {
    const words = term.split(' ').filter(hasTrigrams);
    for (const word of words.length > 0 ? words : [term]) {
      // Trigrams side by side, the last one ending the word: every character is in one.
      const chars = [...word];
      for (let i = 0; i < chars.length; i += 3) {
        const start = Math.min(i, chars.length - 3);
        trigrams.add(chars.slice(start, start + 3).join(''));
      }
    }
  }
  return [...trigrams];
}

/** A string in an FTS5 query: one token, taken literally. */
export function ftsString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
