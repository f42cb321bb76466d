import type { Kysely, Migration } from 'kysely';

/**
 * Moderation and permissions (issue 17): channel types' stored settings, bans and mutes,
 * flags, blocks, channel mutes, the audit log, and a channel's frozen flag.
 */
export const moderation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('parley_channels')
      .addColumn('frozen', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('parley_channel_types')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('parley_restrictions')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('by_user_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addPrimaryKeyConstraint('restrictions_pkey', ['user_id', 'scope', 'kind'])
      .execute();
    await db.schema
      .createTable('parley_flags')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('cid', 'text')
      .addColumn('message_id', 'text')
      .addColumn('target_user_id', 'text')
      .addColumn('flagged_by', 'text')
      .addColumn('reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('parley_flags_newest_idx')
      .on('parley_flags')
      .columns(['created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('parley_flags_cid_idx')
      .on('parley_flags')
      .columns(['cid', 'created_at'])
      .execute();
    await db.schema
      .createTable('parley_blocks')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('blocked_user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('blocks_pkey', ['user_id', 'blocked_user_id'])
      .execute();
    // Who blocked a user: checked when that user writes a direct message.
    await db.schema
      .createIndex('parley_blocks_blocked_idx')
      .on('parley_blocks')
      .column('blocked_user_id')
      .execute();
    await db.schema
      .createTable('parley_channel_mutes')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_mutes_pkey', ['user_id', 'cid'])
      .execute();
    await db.schema
      .createTable('parley_audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('target_user_id', 'text')
      .addColumn('cid', 'text')
      .addColumn('message_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('parley_audit_log_newest_idx')
      .on('parley_audit_log')
      .columns(['created_at', 'id'])
      .execute();

    // Analytics (issue 17): daily aggregates maintained with each send.
    await db.schema
      .createTable('parley_stats_daily')
      .addColumn('day', 'text', (c) => c.primaryKey())
      .addColumn('messages', 'integer', (c) => c.notNull())
      .addColumn('new_channels', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('parley_stats_channel_day')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('messages', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_channel_day_pkey', ['day', 'cid'])
      .execute();
    await db.schema
      .createTable('parley_stats_user_day')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_user_day_pkey', ['day', 'user_id'])
      .execute();
    await db.schema
      .createTable('parley_stats_first_response')
      .addColumn('cid', 'text', (c) => c.primaryKey())
      .addColumn('first_at', 'bigint', (c) => c.notNull())
      .addColumn('first_user_id', 'text', (c) => c.notNull())
      .addColumn('response_at', 'bigint')
      .addColumn('response_day', 'text')
      .execute();
    await db.schema
      .createIndex('parley_stats_first_response_day_idx')
      .on('parley_stats_first_response')
      .column('response_day')
      .execute();
  },
};
