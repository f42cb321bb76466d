import type { Kysely } from 'kysely';
import type { MessageSearch } from '../storage.js';
import type { Database } from './database.js';

/**
 * At most how many messages the search's channels hold (their last seqs: every message
 * takes one, as do other events), or null for a search over every channel.
 */
export async function scopeRowsOf(
  db: Kysely<Database>,
  search: MessageSearch,
): Promise<number | null> {
  if (search.cid !== undefined) {
    const row = await db
      .selectFrom('parley_channels')
      .select('last_seq')
      .where('cid', '=', search.cid)
      .executeTakeFirst();
    return Number(row?.last_seq ?? 0);
  }
  if (search.readerId === null) return null;
  const row = await db
    .selectFrom('parley_members as r')
    .innerJoin('parley_channels as c', 'c.cid', 'r.cid')
    .select((eb) => eb.fn.sum<number | null>('c.last_seq').as('n'))
    .where('r.user_id', '=', search.readerId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
