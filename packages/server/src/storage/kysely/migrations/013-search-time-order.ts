import type { Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';
import { overStoredMessagesMigration } from './over-stored-messages.js';

/**
 * Search over every channel reads its matches newest first from the index and stops at the
 * page's end, instead of fetching every match (SQLite: 12 ms for a word in 1 % of a million
 * messages; see sqlite-newest-matches.ts). What the adapter's index needs for it, built from
 * the messages already stored (one pass over them, ~2 s a million, with a line on stderr
 * before and after).
 */
export const searchTimeOrderMigration = (adapter: StorageAdapter): Migration =>
  overStoredMessagesMigration(
    { doing: 'ordering the search index by time', done: 'search index ordered' },
    (db) => adapter.searchIndex.createTimeOrder(db),
  );
