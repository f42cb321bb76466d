import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * Search in a user's channels from an index that finds a term's matches within one
 * channel (PostgreSQL: GIN over channel and trigrams, replacing the trigram-only indexes;
 * nothing on SQLite, see SearchIndex.createChannelTerms). Built from the messages already
 * stored: ~15 s a million on PostgreSQL.
 */
export function searchChannelTermsMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await adapter.searchIndex.createChannelTerms(db);
    },
  };
}
