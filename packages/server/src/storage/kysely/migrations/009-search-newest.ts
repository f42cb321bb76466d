import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * Search, newest first, without sorting every match: an index on the messages' time (and
 * id, the tie-break), so that a search over every channel (a server token) walks the newest
 * messages and stops once it has enough, and a common term's page costs a few hundred rows
 * instead of a sort of all its matches (see message-search.ts). Then the database's
 * statistics for choosing between that walk and the substring index (the adapter's).
 */
export function searchNewestMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('parley_messages_newest_idx')
        .on('parley_messages')
        .columns(['created_at', 'id'])
        .execute();
      await adapter.searchIndex.refineEstimates(db);
    },
  };
}
