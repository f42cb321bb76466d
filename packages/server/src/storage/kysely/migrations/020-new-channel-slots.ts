import type { Kysely, Migration } from 'kysely';

/**
 * Channels created per day were one row per day (`parley_stats_daily.new_channels`), which
 * every channel's creating transaction updated and held until it committed: on PostgreSQL,
 * channels created at once (an event's invitations sent in bulk, on one node or several)
 * waited for each other, one commit at a time (6.7–8.5 ms an update while the bench created
 * 200 channels 16 at a time). The count is now spread over 16 rows a day, a channel counted
 * in the row its cid hashes to; the old table keeps what older servers counted, and what
 * older nodes count during a rolling upgrade, and the day's figure is the sum of both.
 */
export const newChannelSlotsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('parley_stats_new_channels')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('slot', 'integer', (c) => c.notNull())
      .addColumn('new_channels', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_new_channels_pkey', ['day', 'slot'])
      .execute();
  },
};
