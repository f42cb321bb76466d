import type { Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';
import { overStoredMessagesMigration } from './over-stored-messages.js';

/**
 * A user's search looks up a term in all of the user's channels at once from the index
 * instead of once per channel (PostgreSQL: the GIN indexes over channel and trigrams, and
 * over channel and CJK pairs, rebuilt to key the channel as a one-element array, which a
 * set of channels is matched against in one scan; ~25 s per 1,000,000 messages, with a line
 * on stderr before and after; nothing on SQLite). See SearchIndex.createChannelSets.
 */
export const searchChannelSetsMigration = (adapter: StorageAdapter): Migration =>
  overStoredMessagesMigration(
    { doing: 'indexing search by sets of channels', done: 'search indexed by sets of channels' },
    (db) => adapter.searchIndex.createChannelSets(db),
  );
