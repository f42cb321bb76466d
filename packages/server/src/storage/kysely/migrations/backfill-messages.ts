import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { StorageAdapter } from '../storage-adapter.js';
import { ensureJsonRows } from './012-json-rows.js';

/** Messages read (and written back) per batch. */
const BACKFILL_BATCH = 5_000;

/**
 * Fills a column of every stored message from another, in batches by id, one UPDATE from a
 * JSON table per batch (on PostgreSQL the migration runs in a transaction already), with
 * progress on stderr. Messages whose new value is '' (the column's default) are skipped.
 */
export async function backfillMessages(
  db: Kysely<unknown>,
  adapter: StorageAdapter,
  fill: {
    from: 'text' | 'search_text';
    to: 'search_text' | 'search_bigrams';
    value(source: string): string;
    progress(done: number): string;
  },
): Promise<void> {
  // The JSON tables read through parley_json_rows on PostgreSQL: on a database older than
  // migration 012, this runs before it.
  await ensureJsonRows(db, adapter);
  const messages = db as unknown as Kysely<Database>;
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await messages
      .selectFrom('parley_messages')
      .select(['id', fill.from])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute();
    if (rows.length === 0) break;
    const filled = rows
      .map((row) => ({
        id: row.id,
        value: fill.value((row as Record<string, string>)[fill.from]!),
      }))
      .filter((row) => row.value !== '');
    if (filled.length > 0) {
      const table = adapter.jsonTable(filled, { id: 'text', value: 'text' }, 'r');
      await messages
        .updateTable('parley_messages')
        .from(table)
        .set((eb) => ({ [fill.to]: eb.ref('r.value') }))
        .whereRef('parley_messages.id', '=', 'r.id')
        .execute();
    }
    done += rows.length;
    after = rows.at(-1)!.id;
    process.stderr.write(`${fill.progress(done)}\n`);
  }
}
