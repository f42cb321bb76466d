import type { Kysely, Migration } from 'kysely';

/*
 * Only portable schema-builder calls: the same migration runs on SQLite and PostgreSQL.
 * Tables are created without IF NOT EXISTS so that a database already holding a table of
 * the same name (another app's `users`) fails loudly instead of being reused.
 */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('parley_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('image', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('last_active', 'bigint')
      .execute();

    await db.schema
      .createTable('parley_channels')
      .addColumn('cid', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('is_distinct', 'integer', (c) => c.notNull())
      .addColumn('created_by_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('last_message_at', 'bigint')
      .addColumn('activity_at', 'bigint', (c) => c.notNull())
      .addColumn('member_count', 'integer', (c) => c.notNull())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .execute();
    // The channel list: a user's channels by activity desc, then cid desc.
    await db.schema
      .createIndex('parley_channels_activity_idx')
      .on('parley_channels')
      .columns(['activity_at', 'cid'])
      .execute();

    await db.schema
      .createTable('parley_members')
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_read_seq', 'integer', (c) => c.notNull())
      .addColumn('last_read_message_id', 'text')
      .addColumn('last_read_at', 'bigint')
      .addPrimaryKeyConstraint('members_pkey', ['cid', 'user_id'])
      .addForeignKeyConstraint('parley_members_cid_fkey', ['cid'], 'parley_channels', ['cid'])
      .addForeignKeyConstraint('parley_members_user_id_fkey', ['user_id'], 'parley_users', ['id'])
      .execute();
    await db.schema
      .createIndex('parley_members_user_id_idx')
      .on('parley_members')
      .column('user_id')
      .execute();

    await db.schema
      .createTable('parley_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      // No foreign key to users: system messages have no author.
      .addColumn('user_id', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('parley_messages_cid_seq_key', ['cid', 'seq'])
      .addForeignKeyConstraint('parley_messages_cid_fkey', ['cid'], 'parley_channels', ['cid'])
      .execute();

    await db.schema
      .createTable('parley_events')
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pkey', ['cid', 'seq'])
      .addForeignKeyConstraint('parley_events_cid_fkey', ['cid'], 'parley_channels', ['cid'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'parley_events',
      'parley_messages',
      'parley_members',
      'parley_channels',
      'parley_users',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
