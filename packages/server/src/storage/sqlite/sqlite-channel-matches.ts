import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../kysely/database.js';
import type { SearchScope } from '../kysely/search-scope.js';
import type { MessageSearch } from '../storage.js';
import { channelTokenOf, channelTokenSql } from './sqlite-channel-tokens.js';
import { ftsString } from './sqlite-fts-tables.js';
import { rareIndexQueryOf } from './sqlite-rare-tokens.js';

/** Channels whose tokens one search lists at most (one OR'd token each). */
const MAX_CHANNELS = 64;

/*
 * Costs in µs, measured on the bench's 1,000,000 messages (a user in 20 channels of
 * 1,000, messages of each channel spread among the others' as they arrive): a row of the
 * search's channels tested on the spot (its covering index entry read, GLOB); an entry of
 * a channel token's list and of a term token's list, read by FTS5 intersecting them; a
 * message the intersection lists, read by rowid and tested; a match of the term in any
 * channel, read by rowid (in rowid order) and tested. "hotel" (1 % of the messages) in 20
 * channels: rows tested 2.37 ms, from the index 1.47 ms; "cafe" (1,946 matches in all)
 * 1.05 ms from all its matches.
 */
const TESTED_ROW = 0.115;
const CHANNEL_ENTRY = 0.03;
const TOKEN_ENTRY = 0.02;
const LISTED_MATCH = 2.5;
const FETCHED_MATCH = 0.55;

/** What testing every row of the search's channels costs, in µs. */
export const testingRows = (scope: SearchScope) => TESTED_ROW * scope.rows;

/** What reading all `matches` of a term (in every channel) costs, in µs. */
export const fetchingMatches = (matches: number) => FETCHED_MATCH * matches;

/**
 * A condition on `parley_messages as m` that reads the search's candidates from the FTS5
 * index, its terms' rarest tokens (rareIndexQueryOf) intersected there with the tokens of the search's
 * channels (sqlite-channel-tokens.ts), then tests them exactly (`exact`); null when that
 * should cost `otherwise` µs or more (testingRows, fetchingMatches), or when the channels
 * are too many. The reader's channels are read in the statement, never remembered: one
 * joined a moment ago is searched. `messages`: about how many are stored.
 */
export async function channelMatches(
  db: Kysely<Database>,
  search: MessageSearch,
  scope: SearchScope,
  messages: number,
  exact: RawBuilder<SqlBool>,
  otherwise: number,
): Promise<RawBuilder<SqlBool> | null> {
  if (scope.channels === 0 || scope.channels > MAX_CHANNELS) return null;
  // Reading the channels' lists alone would cost more: the tokens are not counted.
  if (CHANNEL_ENTRY * scope.rows >= otherwise) return null;
  const query = await rareIndexQueryOf(db, search.terms);
  if (query === null) return null;
  const { rare } = query;
  const rarest = rare[0];
  if (rarest === undefined) return null;
  const listed = rare.reduce((sum, c) => sum + c.count, 0);
  const inScope = (rarest.count / Math.max(1, messages)) * scope.rows;
  const cost = CHANNEL_ENTRY * scope.rows + TOKEN_ENTRY * listed + LISTED_MATCH * inScope;
  if (cost >= otherwise) return null;
  const table = sql.table(query.table);
  const terms = `${query.match} AND (`;
  const channels =
    search.cid !== undefined
      ? sql`${ftsString(channelTokenOf(search.cid))}`
      : sql`ifnull((SELECT group_concat('"' || ${sql.raw(channelTokenSql('r.cid'))} || '"', ' OR ')
          FROM parley_members r WHERE r.user_id = ${search.readerId}), ${ftsString(channelTokenOf(''))})`;
  return sql<SqlBool>`m.rowid IN (SELECT rowid FROM ${table}
    WHERE ${table} MATCH ${terms} || ${channels} || ')') AND ${exact}`;
}
