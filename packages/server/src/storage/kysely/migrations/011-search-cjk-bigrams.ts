import type { Kysely, Migration } from 'kysely';
import { cjkBigramsOf } from '../../../search/search-text.js';
import type { Database } from '../database.js';
import type { StorageAdapter } from '../storage-adapter.js';
import { ensureJsonRows } from './012-json-rows.js';

/** Messages read per batch by the backfill. */
const BIGRAM_BACKFILL_BATCH = 5_000;

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
      // The JSON tables below read through parley_json_rows (012) on PostgreSQL.
      await ensureJsonRows(db, adapter);
      const messages = db as unknown as Kysely<Database>;
      await db.schema
        .alterTable('parley_messages')
        .addColumn('search_bigrams', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      let done = 0;
      let after = '';
      for (;;) {
        const rows = await messages
          .selectFrom('parley_messages')
          .select(['id', 'search_text'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(BIGRAM_BACKFILL_BATCH)
          .execute();
        if (rows.length === 0) break;
        const filled = rows
          .map((row) => ({ id: row.id, search_bigrams: cjkBigramsOf(row.search_text) }))
          .filter((row) => row.search_bigrams !== '');
        if (filled.length > 0) {
          const pairs = adapter.jsonTable(filled, { id: 'text', search_bigrams: 'text' }, 'r');
          await messages
            .updateTable('parley_messages')
            .from(pairs)
            .set((eb) => ({ search_bigrams: eb.ref('r.search_bigrams') }))
            .whereRef('parley_messages.id', '=', 'r.id')
            .execute();
        }
        done += rows.length;
        after = rows.at(-1)!.id;
        process.stderr.write(`parley: indexing CJK text for search: ${done} messages read\n`);
      }
      await adapter.searchIndex.createBigramIndex(db);
    },
  };
}
