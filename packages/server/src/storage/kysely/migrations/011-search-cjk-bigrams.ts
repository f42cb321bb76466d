import type { Kysely, Migration } from 'kysely';
import { cjkBigramsOf } from '../../../search/search-text.js';
import type { StorageAdapter } from '../storage-adapter.js';
import { backfillMessages } from './backfill-messages.js';

/**
 * Search for two-character CJK terms (`会议`) from an index (issue 16): the trigram index
 * cannot look them up, so a search for one as the server read every message back to its
 * 500th match. Each message's CJK character pairs (`search_bigrams`, see cjkBigramsOf),
 * filled for the messages already stored (only those with CJK text get any) with progress
 * on stderr, then the adapter's index over them.
 */
export function searchCjkBigramsMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('parley_messages')
        .addColumn('search_bigrams', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await backfillMessages(db, adapter, {
        from: 'search_text',
        to: 'search_bigrams',
        value: cjkBigramsOf,
        progress: (done) => `parley: indexing CJK text for search: ${done} messages read`,
      });
      await adapter.searchIndex.createBigramIndex(db);
    },
  };
}
