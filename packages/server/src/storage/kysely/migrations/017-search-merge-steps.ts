import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * The search index merges in small steps on the send path instead of all at once inside
 * the insert that fills one of its levels (SQLite's FTS5; nothing on PostgreSQL). See
 * SearchIndex.mergeInSteps.
 */
export function searchMergeStepsMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await adapter.searchIndex.mergeInSteps(db);
    },
  };
}
