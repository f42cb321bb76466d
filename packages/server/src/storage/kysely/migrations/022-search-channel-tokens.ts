import type { Kysely, Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * A search in a few channels finds a term's matches there from the index, without testing
 * each of their messages (SQLite: the FTS5 tables rebuilt with each message's channel
 * token, the stored messages indexed again with progress on stderr; nothing on
 * PostgreSQL). See SearchIndex.addChannelTokens and sqlite-channel-tokens.ts.
 */
export function searchChannelTokensMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await adapter.searchIndex.addChannelTokens(db);
    },
  };
}
