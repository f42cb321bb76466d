import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { MessageSearch, SearchMatch } from '../storage.js';
import type { Database, MessagesTable } from './database.js';
import type { SearchCondition, StorageAdapter } from './storage-adapter.js';
import { containsPattern } from '../../search/search-text.js';

/**
 * Ends the search statement: the PostgreSQL driver runs statements so marked unprepared, so
 * that each is planned for its own patterns. A plan made once for any pattern (a generic
 * plan, after five calls) scanned the whole trigram index for a two-character term: 30 s.
 */
export const PLANNED_PER_CALL = '/* planned per call */';

/**
 * Messages whose search text contains every pattern and no excluded one, in the reader's
 * channels (all for the server), newest first, strictly after the cursor. Deleted messages
 * have no search text left; membership is read now, so a member removed from a channel
 * stops finding its messages at once. `db` runs the search (SQLite: its reader threads),
 * `members` reads the reader's channels when they are walked side by side.
 */
export async function searchMessages(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  search: MessageSearch,
  members: Kysely<Database> = db,
): Promise<SearchMatch[]> {
  const fromIndex = await adapter.searchIndex.newestMatches(db, search);
  if (fromIndex !== null) return fromIndex;
  return matchesOf(db, adapter, search, members, await adapter.searchIndex.contains(db, search));
}

/** The search's matches as `found` tells them apart (SearchIndex.contains). */
async function matchesOf(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  search: MessageSearch,
  members: Kysely<Database>,
  found: SearchCondition,
): Promise<SearchMatch[]> {
  const { condition, mergeChannels, sortMatches, planOnce, orElse } = found;
  // Only what ranking and paging need: the database sorts narrow rows, and the page's
  // messages are read whole afterwards (a relevance search ranks 500 and shows 20).
  let select = db
    .selectFrom('parley_messages as m')
    .select(['m.id', 'm.created_at', 'm.search_text'])
    .where(condition)
    .where('m.deleted_at', 'is', null);
  for (const term of search.excluded) {
    select = select.where(
      sql<boolean>`m.search_text NOT LIKE ${containsPattern(term)} ESCAPE '\\'`,
    );
  }
  if (search.cid !== undefined) select = select.where('m.cid', '=', search.cid);
  if (search.authorId !== undefined) select = select.where('m.user_id', '=', search.authorId);
  if (search.hasAttachments !== undefined) {
    select = select.where('m.attachments', search.hasAttachments ? '<>' : '=', '[]');
  }
  if (search.before !== undefined) select = select.where('m.created_at', '<', search.before);
  if (search.after !== undefined) select = select.where('m.created_at', '>', search.after);
  const cursor = search.cursor;
  if (cursor !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb('m.created_at', '<', cursor.createdAt),
        eb.and([eb('m.created_at', '=', cursor.createdAt), eb('m.id', '<', cursor.id)]),
      ]),
    );
  }
  const readerId = search.readerId;
  if (readerId !== null && mergeChannels === true && search.cid === undefined) {
    const merged = await adapter.searchIndex.mergedChannels(db, members, select, {
      ...search,
      readerId,
    });
    if (merged !== null) return merged.map(toMatch);
  }
  select = select
    .orderBy(sortMatches === true ? sql`m.created_at + 0` : 'm.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(search.limit);
  if (readerId !== null) {
    const inChannels = found.inChannels ?? adapter.searchIndex.inChannels;
    // A statement that keeps its plan names its reader where the planner cannot see who it
    // is (see unseen).
    const reader = planOnce === true ? unseen(readerId) : readerId;
    select = select.where(
      inChannels(db.selectFrom('parley_members').select('cid').where('user_id', '=', reader)),
    );
  }
  const rows: SearchRow[] = await select
    .modifyEnd(sql.raw(planOnce === true ? '' : ` ${PLANNED_PER_CALL}`))
    .execute();
  // Kept to the newest messages, it found the page there (all older ones are older than
  // every row found), or it looks again without that bound.
  if (orElse !== undefined && rows.length < search.limit) {
    return matchesOf(db, adapter, search, members, orElse());
  }
  return rows.map(toMatch);
}

/**
 * `value` as a subquery's: planned without it (an InitPlan's output, as a generic plan
 * sees a parameter). PostgreSQL keeps a prepared statement's generic plan only when its
 * estimated cost is below the custom plans' it made first; planned seeing the reader, a
 * custom plan counts their own channels, a generic one a user's average (510 on the bench,
 * where one author is in every channel), so the statement was planned anew at every call:
 * 1.0 ms of PostgreSQL's CPU, against 0.5 to run it ("zephyr", a user in 20 channels).
 * `type`: the SQL type it is cast to (a constant of the code, never input).
 */
export const unseen = <T = string>(value: unknown, type = 'text') =>
  sql<T>`(SELECT CAST(${value} AS ${sql.raw(type)}))`;

/** The search statement before its order and limit: the matches' rows, on `parley_messages as m`. */
export type SearchSelect = SelectQueryBuilder<Database & { m: MessagesTable }, 'm', SearchRow>;

/** A match as the search statements read it. */
export interface SearchRow {
  id: string;
  created_at: number | string;
  search_text: string;
}

export const toMatch = (row: SearchRow): SearchMatch => ({
  id: row.id,
  createdAt: Number(row.created_at),
  searchText: row.search_text,
});
