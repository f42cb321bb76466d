import type { Kysely } from 'kysely';
import type { DispatchOptions, DispatchResult } from '../notification-store.js';
import { getAppEvents } from './app-event-writes.js';
import type { Database } from './database.js';
import { writeDeliveries } from './outbox-webhooks.js';
import type { StorageAdapter } from './storage-adapter.js';

/*
 * App events are dispatched as channel events are: the sequence row's outbox_seq says how
 * far the dispatcher went; events above it become webhook deliveries and the cursor moves,
 * in one transaction. Writers lock that row until they commit, so every event at or below
 * last_seq is committed when the dispatcher reads it.
 */
export function dispatchAppEvents(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  o: DispatchOptions,
): Promise<DispatchResult> {
  return db.transaction().execute(async (trx) => {
    // On PostgreSQL a row another node is dispatching (or a writer holds) is skipped.
    const cursor = await trx
      .selectFrom('parley_app_sequence')
      .select(['last_seq', 'outbox_seq'])
      .where('id', '=', 1)
      .$if(adapter.rowLocks, (q) => q.forUpdate().skipLocked())
      .executeTakeFirst();
    if (cursor === undefined || cursor.last_seq <= cursor.outbox_seq) {
      return { taken: 0, more: false };
    }
    const events = await getAppEvents(trx, cursor.outbox_seq, o.limit);
    await writeDeliveries(
      trx,
      events.map((e) => ({ ...e, cid: null })),
      o,
    );
    const upTo = events.at(-1)?.seq ?? cursor.last_seq;
    await trx
      .updateTable('parley_app_sequence')
      .set({ outbox_seq: upTo })
      .where('id', '=', 1)
      .execute();
    return { taken: events.length, more: events.length >= o.limit };
  });
}
