import type { Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';
import { overStoredMessagesMigration } from './over-stored-messages.js';

/**
 * A first page over every channel reads only the newest messages' matches from the index
 * (PostgreSQL: the GIN indexes over channel and trigrams, and over channel and CJK pairs,
 * rebuilt with the spans of time each message falls in as a third key; ~35 s per 1,000,000
 * messages, with a line on stderr before and after; nothing on SQLite). See
 * SearchIndex.createTimeKeys.
 */
export const searchTimeKeysMigration = (adapter: StorageAdapter): Migration =>
  overStoredMessagesMigration(
    { doing: 'indexing search by time', done: 'search indexed by time' },
    (db) => adapter.searchIndex.createTimeKeys(db),
  );
