import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * The search index without token positions (SQLite's FTS5 tables rebuilt, the stored
 * messages indexed again with progress on stderr; nothing on PostgreSQL). See
 * SearchIndex.dropPositions and sqlite-fts-tables.ts.
 */
export function searchWithoutPositionsMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await adapter.searchIndex.dropPositions(db);
    },
  };
}
