import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * Keeps small what the search index holds unmerged, which every search reads whole
 * (PostgreSQL: the GIN indexes' pending lists, 256 kB instead of 4 MB; a setting, nothing
 * rebuilt; nothing on SQLite). See SearchIndex.boundPending.
 */
export function searchPendingBoundMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await adapter.searchIndex.boundPending(db);
    },
  };
}
