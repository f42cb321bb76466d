import type { Kysely } from 'kysely';
import type { MessageSearch } from '../storage.js';
import type { Database } from './database.js';
import { perDatabase } from './match-count-cache.js';

/** Each database's remembered scope sizes (one Kysely instance per storage). */
const scopeCacheOf = perDatabase<SearchScope>();

/** How many channels a search covers and at most how many messages they hold. */
export interface SearchScope {
  rows: number;
  channels: number;
}

/**
 * The search's channels (its `cid`, or the reader's): how many, and at most how many
 * messages they hold (their last seqs: every message takes one, as do other events), or
 * null for a search over every channel. Remembered a minute per reader or channel, like the
 * terms' counts: it only chooses how the matches are found, never which, and asking cost a
 * query per search (a round trip to SQLite's reader threads or to PostgreSQL).
 */
export async function scopeOf(
  db: Kysely<Database>,
  search: MessageSearch,
): Promise<SearchScope | null> {
  if (search.cid === undefined && search.readerId === null) return null;
  const key =
    search.cid !== undefined ? `channel\n${search.cid}` : `reader\n${search.readerId ?? ''}`;
  return scopeCacheOf(db).remember(key, () => countScope(db, search));
}

async function countScope(db: Kysely<Database>, search: MessageSearch): Promise<SearchScope> {
  if (search.cid !== undefined) {
    const row = await db
      .selectFrom('parley_channels')
      .select('last_seq')
      .where('cid', '=', search.cid)
      .executeTakeFirst();
    return { rows: Number(row?.last_seq ?? 0), channels: row === undefined ? 0 : 1 };
  }
  const row = await db
    .selectFrom('parley_members as r')
    .innerJoin('parley_channels as c', 'c.cid', 'r.cid')
    .select((eb) => [
      eb.fn.sum<number | null>('c.last_seq').as('n'),
      eb.fn.countAll<number | string>().as('channels'),
    ])
    .where('r.user_id', '=', search.readerId!)
    .executeTakeFirst();
  return { rows: Number(row?.n ?? 0), channels: Number(row?.channels ?? 0) };
}
