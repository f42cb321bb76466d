import type { Kysely } from 'kysely';
import type { MessageSearch } from '../storage.js';
import type { Database } from './database.js';
import { MatchCountCache } from './match-count-cache.js';

/** Each database's remembered scope sizes (one Kysely instance per storage). */
const scopeCaches = new WeakMap<object, MatchCountCache>();

/**
 * At most how many messages the search's channels hold (their last seqs: every message
 * takes one, as do other events), or null for a search over every channel. Remembered a
 * minute per reader or channel, like the terms' counts: it only chooses how the matches
 * are found, never which, and asking cost a query per search (a round trip to SQLite's
 * reader threads or to PostgreSQL).
 */
export async function scopeRowsOf(
  db: Kysely<Database>,
  search: MessageSearch,
): Promise<number | null> {
  if (search.cid === undefined && search.readerId === null) return null;
  let cache = scopeCaches.get(db);
  if (cache === undefined) scopeCaches.set(db, (cache = new MatchCountCache()));
  const key =
    search.cid !== undefined ? `channel\n${search.cid}` : `reader\n${search.readerId ?? ''}`;
  let rows = cache.get(key);
  if (rows === undefined) {
    rows = await countScopeRows(db, search);
    cache.set(key, rows);
  }
  return rows;
}

async function countScopeRows(db: Kysely<Database>, search: MessageSearch): Promise<number> {
  if (search.cid !== undefined) {
    const row = await db
      .selectFrom('parley_channels')
      .select('last_seq')
      .where('cid', '=', search.cid)
      .executeTakeFirst();
    return Number(row?.last_seq ?? 0);
  }
  const row = await db
    .selectFrom('parley_members as r')
    .innerJoin('parley_channels as c', 'c.cid', 'r.cid')
    .select((eb) => eb.fn.sum<number | null>('c.last_seq').as('n'))
    .where('r.user_id', '=', search.readerId!)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
