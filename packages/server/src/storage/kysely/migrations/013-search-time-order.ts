import { sql, type Kysely, type Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * Search over every channel reads its matches newest first from the index and stops at the
 * page's end, instead of fetching every match (SQLite: 12 ms for a word in 1 % of a million
 * messages; see sqlite-newest-matches.ts). What the adapter's index needs for it, built from
 * the messages already stored (one pass over them, ~2 s a million, with a line on stderr
 * before and after).
 */
export function searchTimeOrderMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const { rows } = await sql`SELECT 1 FROM parley_messages LIMIT 1`.execute(db);
      const start = Date.now();
      if (rows.length > 0) process.stderr.write('parley: ordering the search index by time…\n');
      await adapter.searchIndex.createTimeOrder(db);
      if (rows.length > 0) {
        process.stderr.write(`parley: search index ordered in ${Date.now() - start} ms\n`);
      }
    },
  };
}
