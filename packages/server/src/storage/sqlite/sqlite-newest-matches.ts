import { sql, type Kysely, type RawBuilder } from 'kysely';
import { containsPattern } from '../../search/search-text.js';
import type { MessageSearch, SearchMatch } from '../storage.js';
import type { Database } from '../kysely/database.js';
import { rareIndexQueryOf } from './sqlite-rare-tokens.js';
import { limitOf } from './inline-values.js';
import { toMatch } from '../kysely/message-search.js';
import { perDatabase } from '../kysely/match-count-cache.js';

/** Out-of-order messages above which the index walk is left to the general plan. */
const MAX_OUT_OF_ORDER = 1_000;

/**
 * The table of messages stored with a time older than an earlier-stored one (an import of
 * old conversations, a clock set back). Every other message is "in order": among those,
 * rowid order is time order, so the search index, whose rowids are the messages' rowids,
 * lists their matches newest first (FTS5 reads `ORDER BY rowid DESC` from the index and
 * stops at the LIMIT: 0.6 ms for the 500 newest of 10,000 matches, where fetching all of
 * them cost 10 ms). Kept by a trigger in the writing transaction (migration 013).
 */
export async function createOutOfOrderTable(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE parley_search_out_of_order (message_rowid INTEGER PRIMARY KEY)`.execute(
    db,
  );
  await fillOutOfOrder(db);
  // The max includes the new row itself: it is out of order only if another is newer.
  // One lookup in the (created_at, id) index per message stored.
  await sql`CREATE TRIGGER parley_search_out_of_order_insert AFTER INSERT ON parley_messages
    WHEN new.created_at < (SELECT max(created_at) FROM parley_messages) BEGIN
    INSERT OR IGNORE INTO parley_search_out_of_order (message_rowid) VALUES (new.rowid);
  END`.execute(db);
  await sql`CREATE TRIGGER parley_search_out_of_order_delete AFTER DELETE ON parley_messages BEGIN
    DELETE FROM parley_search_out_of_order WHERE message_rowid = old.rowid;
  END`.execute(db);
}

/** Lists the stored messages whose time is older than an earlier-stored one's. */
export async function fillOutOfOrder(db: Kysely<unknown>): Promise<void> {
  await sql`INSERT INTO parley_search_out_of_order (message_rowid)
    SELECT r FROM (
      SELECT rowid AS r, created_at, max(created_at) OVER (
        ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
      ) AS newest_before FROM parley_messages
    ) WHERE created_at < newest_before`.execute(db);
}

/** Each database's remembered count of out-of-order messages. */
const outOfOrderCountOf = perDatabase();

/**
 * The newest matches of a search over every channel, read from the index newest first (see
 * createOutOfOrderTable); null when the search is not one this answers (filters, a
 * cursor, a reader's channels, no term the index holds, many out-of-order messages), and
 * the general plan then answers it. The same matches as the general plan, in the same
 * order: the in-order matches walked down from the newest rowid until `limit` pass every
 * condition, those of the last one's time with a smaller rowid (ties, ordered by id), and
 * the out-of-order matches, merged.
 */
export async function newestMatches(
  db: Kysely<Database>,
  search: MessageSearch,
  exact: RawBuilder<unknown>,
): Promise<SearchMatch[] | null> {
  if (
    search.readerId !== null ||
    search.cid !== undefined ||
    search.authorId !== undefined ||
    search.hasAttachments !== undefined ||
    search.before !== undefined ||
    search.after !== undefined ||
    search.cursor !== undefined
  ) {
    return null;
  }
  const source = await rareIndexQueryOf(db, search.terms);
  if (source === null) return null;
  if ((await outOfOrderCount(db)) >= MAX_OUT_OF_ORDER) return null;
  const excluded = search.excluded.map(
    (t) => sql`m.search_text NOT LIKE ${containsPattern(t)} ESCAPE '\\'`,
  );
  const conditions = sql.join([exact, sql`m.deleted_at IS NULL`, ...excluded], sql` AND `);
  const { table, match } = source;
  // CROSS JOIN: SQLite keeps the index first, so the walk follows its rowid order.
  const walk = (extra: RawBuilder<unknown>, limit: RawBuilder<unknown>) =>
    sql<{ id: string; created_at: number | string; search_text: string; r: number }>`
      SELECT m.id, m.created_at, m.search_text, m.rowid AS r
      FROM ${sql.table(table)} f CROSS JOIN parley_messages m ON m.rowid = f.rowid
      WHERE ${sql.ref(`f.${table}`)} MATCH ${match} AND ${conditions}
        AND m.rowid NOT IN (SELECT message_rowid FROM parley_search_out_of_order) ${extra}
      ORDER BY f.rowid DESC ${limit}`.execute(db);
  const found = (await walk(sql``, limitOf(search.limit))).rows;
  const last = found.at(-1);
  const rows: { id: string; created_at: number | string; search_text: string }[] = [...found];
  if (found.length === search.limit && last !== undefined) {
    // In-order messages of the last one's time may have smaller rowids and larger ids. The
    // first rowid of that time comes from the (created_at, id) index; walking the index for
    // ties cost a third of the search even when there were none (times are rarely shared).
    const { rows: first } = await sql<{ r: number | null }>`
      SELECT min(rowid) AS r FROM parley_messages WHERE created_at = ${last.created_at}`.execute(
      db,
    );
    const firstOfTime = first[0]?.r ?? last.r;
    if (firstOfTime < last.r) {
      const ties = await walk(
        sql`AND m.created_at = ${last.created_at} AND f.rowid < ${last.r}
          AND f.rowid >= ${firstOfTime}`,
        sql``,
      );
      rows.push(...ties.rows);
    }
  }
  const outOfOrder = await sql<{ id: string; created_at: number | string; search_text: string }>`
    SELECT m.id, m.created_at, m.search_text FROM parley_messages m
    WHERE m.rowid IN (SELECT message_rowid FROM parley_search_out_of_order) AND ${conditions}
    ORDER BY m.created_at DESC, m.id DESC ${limitOf(search.limit)}`.execute(db);
  rows.push(...outOfOrder.rows);
  return rows
    .map(toMatch)
    .sort((a, b) => b.createdAt - a.createdAt || compareIdsDesc(a.id, b.id))
    .slice(0, search.limit);
}

/** Descending, as SQLite compares text (its bytes in UTF-8). */
function compareIdsDesc(a: string, b: string): number {
  return Buffer.compare(Buffer.from(b), Buffer.from(a));
}

function outOfOrderCount(db: Kysely<Database>): Promise<number> {
  return outOfOrderCountOf(db).remember('', async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (
      SELECT 1 FROM parley_search_out_of_order ${limitOf(MAX_OUT_OF_ORDER)}
    )`.execute(db);
    return Number(rows[0]?.n ?? 0);
  });
}
