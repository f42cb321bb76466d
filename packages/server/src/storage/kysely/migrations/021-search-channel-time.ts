import { sql, type Kysely, type Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * A search for common words in a user's channels, newest first, walks each channel newest
 * first and stops near the page's end, instead of testing every message of every channel
 * (see SearchIndex.mergedChannels). What the adapter needs for the walk (PostgreSQL: an
 * index on the channel's messages by time, ~1 s a million messages, with a line on stderr
 * before and after; SQLite has one since migration 014).
 */
export function searchChannelTimeMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const { rows } = await sql`SELECT 1 FROM parley_messages LIMIT 1`.execute(db);
      const start = Date.now();
      if (rows.length > 0) process.stderr.write('parley: indexing channels by time…\n');
      await adapter.searchIndex.createChannelTimeOrder(db);
      if (rows.length > 0) {
        process.stderr.write(`parley: channels indexed by time in ${Date.now() - start} ms\n`);
      }
    },
  };
}
