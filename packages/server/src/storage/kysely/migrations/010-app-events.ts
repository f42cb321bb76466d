import type { Kysely, Migration } from 'kysely';

/**
 * App events (issue 17): moderation that concerns no one channel — flags, app-wide bans,
 * app roles — stored in the transaction of the action and numbered by the app's own seq,
 * an outbox the webhook dispatcher reads as it reads channels' event logs.
 */
export const appEvents: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('parley_app_events')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    // One row: the last seq given and the last dispatched. A writer's update holds its lock
    // to the commit, so seqs commit in order and the dispatcher never passes over one.
    await db.schema
      .createTable('parley_app_sequence')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .addColumn('outbox_seq', 'integer', (c) => c.notNull())
      .execute();
    await db
      .insertInto('parley_app_sequence' as never)
      .values({ id: 1, last_seq: 0, outbox_seq: 0 } as never)
      .execute();
  },
};
