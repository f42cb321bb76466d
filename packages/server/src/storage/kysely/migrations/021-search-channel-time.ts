import type { Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';
import { overStoredMessagesMigration } from './over-stored-messages.js';

/**
 * A search for common words in a user's channels, newest first, walks each channel newest
 * first and stops near the page's end, instead of testing every message of every channel
 * (see SearchIndex.mergedChannels). What the adapter needs for the walk (PostgreSQL: an
 * index on the channel's messages by time, ~1 s a million messages, with a line on stderr
 * before and after; SQLite has one since migration 014).
 */
export const searchChannelTimeMigration = (adapter: StorageAdapter): Migration =>
  overStoredMessagesMigration(
    { doing: 'indexing channels by time', done: 'channels indexed by time' },
    (db) => adapter.searchIndex.createChannelTimeOrder(db),
  );
