import type { Kysely, Migration } from 'kysely';
import { searchTextOf } from '../../../search/search-text.js';
import type { Database } from '../database.js';
import type { StorageAdapter } from '../storage-adapter.js';
import { backfillMessages } from './backfill-messages.js';

/**
 * Search: each message's text as search compares it (`search_text`, see search-text.ts),
 * the messages already stored indexed in batches with progress on stderr, then the
 * database's substring index over it (the adapter's: FTS5 trigram or pg_trgm).
 */
export function searchMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const messages = db as unknown as Kysely<Database>;
      await db.schema
        .alterTable('parley_messages')
        .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      const { total } = await messages
        .selectFrom('parley_messages')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      await backfillMessages(db, adapter, {
        from: 'text',
        to: 'search_text',
        value: searchTextOf,
        progress: (done) => `parley: indexing messages for search: ${done}/${Number(total)}`,
      });
      await adapter.searchIndex.create(db);
    },
  };
}
