import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';
import { overStoredMessages } from './over-stored-messages.js';

/**
 * A first page over every channel reads only the newest messages' matches from the index
 * (PostgreSQL: the GIN indexes over channel and trigrams, and over channel and CJK pairs,
 * rebuilt with the spans of time each message falls in as a third key; ~25 s per 1,000,000
 * messages, with a line on stderr before and after; nothing on SQLite). See
 * SearchIndex.createTimeKeys.
 */
export function searchTimeKeysMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await overStoredMessages(
        db,
        {
          start: 'parley: indexing search by time…',
          done: (ms) => `parley: search indexed by time in ${ms} ms`,
        },
        () => adapter.searchIndex.createTimeKeys(db),
      );
    },
  };
}
