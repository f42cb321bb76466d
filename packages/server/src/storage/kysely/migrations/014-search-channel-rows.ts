import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * Search in a few channels (a user's, or one) tests their rows when the term is common;
 * what the adapter's index needs to read those rows cheaply (SQLite: an index that carries
 * them, see sqlite-search.ts; nothing on PostgreSQL). Built from the messages already
 * stored, ~3 s a million.
 */
export function searchChannelRowsMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await adapter.searchIndex.createChannelRows(db);
    },
  };
}
