import type { Kysely, Migration } from 'kysely';
import { searchTextOf } from '../../../search/search-text.js';
import type { Database } from '../database.js';
import type { StorageAdapter } from '../storage-adapter.js';
import { ensureJsonRows } from './012-json-rows.js';

/** Messages indexed per transaction by the search migration. */
const SEARCH_BACKFILL_BATCH = 5_000;

/**
 * Search: each message's text as search compares it (`search_text`, see search-text.ts),
 * the messages already stored indexed in batches with progress on stderr, then the
 * database's substring index over it (the adapter's: FTS5 trigram or pg_trgm).
 */
export function searchMigration(adapter: StorageAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // The JSON tables below read through parley_json_rows (012) on PostgreSQL.
      await ensureJsonRows(db, adapter);
      const messages = db as unknown as Kysely<Database>;
      await db.schema
        .alterTable('parley_messages')
        .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      const { total } = await messages
        .selectFrom('parley_messages')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      let done = 0;
      let after = '';
      for (;;) {
        const rows = await messages
          .selectFrom('parley_messages')
          .select(['id', 'text'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(SEARCH_BACKFILL_BATCH)
          .execute();
        if (rows.length === 0) break;
        // One statement per batch (on PostgreSQL the migration runs in a transaction already).
        const texts = adapter.jsonTable(
          rows.map((row) => ({ id: row.id, search_text: searchTextOf(row.text) })),
          { id: 'text', search_text: 'text' },
          'r',
        );
        await messages
          .updateTable('parley_messages')
          .from(texts)
          .set((eb) => ({ search_text: eb.ref('r.search_text') }))
          .whereRef('parley_messages.id', '=', 'r.id')
          .execute();
        done += rows.length;
        after = rows.at(-1)!.id;
        process.stderr.write(`parley: indexing messages for search: ${done}/${Number(total)}\n`);
      }
      await adapter.searchIndex.create(db);
    },
  };
}
