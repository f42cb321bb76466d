import type { Kysely, Migration } from 'kysely';

/** The message column each index finds rows by, its name and its columns. */
const INDEXES = [
  { name: 'parley_messages_parent_idx', key: 'parent_id', columns: ['parent_id', 'seq'] },
  { name: 'parley_messages_pinned_idx', key: 'pinned_at', columns: ['cid', 'pinned_at'] },
  { name: 'parley_messages_quoted_idx', key: 'quoted_message_id', columns: ['quoted_message_id'] },
] as const;

/**
 * A thread's replies, a channel's pins and a message's quoters are looked up by a value
 * (`parent_id = ?`, `pinned_at IS NOT NULL`, `quoted_message_id = ?`), never by a null, yet
 * their indexes held every message: each plain message wrote an entry into all three, two of
 * them at a place of their own (by seq, by channel), a page more in the WAL each. They now
 * hold only the messages that have the value (both databases use a partial index for a query
 * whose condition implies its own). Rebuilt from the rows: they are mostly null, so small.
 */
export const partialMessageIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const { name, key, columns } of INDEXES) {
      await db.schema.dropIndex(name).execute();
      await db.schema
        .createIndex(name)
        .on('parley_messages')
        .columns([...columns])
        .where(key, 'is not', null)
        .execute();
    }
  },
};
