import type { Kysely, Migration } from 'kysely';

/**
 * Search, newest first, without sorting every match: an index on the messages' time (and
 * id, the tie-break), so that a search over every channel (a server token) walks the newest
 * messages and stops once it has enough, and a common term's page costs a few hundred rows
 * instead of a sort of all its matches (see message-search.ts).
 */
export const searchNewest: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('parley_messages_newest_idx')
      .on('parley_messages')
      .columns(['created_at', 'id'])
      .execute();
  },
};
