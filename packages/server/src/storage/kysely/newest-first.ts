import type { SelectQueryBuilder } from 'kysely';
import type { NewestCursor } from '../moderation-records.js';
import type { Database } from './database.js';

/** Tables listed newest first by `(created_at, id)`, with a cursor of the last row seen. */
type NewestFirstTable = 'parley_flags' | 'parley_audit_log';

/**
 * One page of `query`, newest first: rows strictly older than `before` (the same
 * `created_at` breaks ties by id), at most `limit`.
 */
export function newestFirstPage<T extends NewestFirstTable, O>(
  query: SelectQueryBuilder<Database, T, O>,
  before: NewestCursor | undefined,
  limit: number,
): SelectQueryBuilder<Database, T, O> {
  // The columns both tables share, named through one of them for the type checker.
  let q = query as unknown as SelectQueryBuilder<Database, 'parley_flags', O>;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  q = q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
  return q as unknown as SelectQueryBuilder<Database, T, O>;
}
