import type { Kysely, Migration } from 'kysely';

/**
 * Threads, quotes, mentions, reactions, pins, edits and deletes. Columns are added one
 * ALTER at a time (SQLite takes one ADD COLUMN per statement), each with a default, so
 * existing rows read as plain, unreacted, unpinned messages.
 */
export const richMessages: Migration = {
  async up(db: Kysely<unknown>) {
    const columns: [string, 'text' | 'integer' | 'bigint', string | number | null][] = [
      ['parent_id', 'text', null],
      ['show_in_channel', 'integer', 0],
      ['reply_count', 'integer', 0],
      ['thread_participants', 'text', '[]'],
      ['quoted_message_id', 'text', null],
      ['mentioned_users', 'text', '[]'],
      ['reaction_counts', 'text', '{}'],
      ['latest_reactions', 'text', '[]'],
      ['pinned_at', 'bigint', null],
      ['pinned_by', 'text', null],
      ['edited_at', 'bigint', null],
      ['deleted_at', 'bigint', null],
    ];
    for (const [name, type, fallback] of columns) {
      await db.schema
        .alterTable('parley_messages')
        .addColumn(name, type, (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
        .execute();
    }
    // A thread's replies in order; the channel's pins; who quotes a message (scrubbed on delete).
    await db.schema
      .createIndex('parley_messages_parent_idx')
      .on('parley_messages')
      .columns(['parent_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('parley_messages_pinned_idx')
      .on('parley_messages')
      .columns(['cid', 'pinned_at'])
      .execute();
    await db.schema
      .createIndex('parley_messages_quoted_idx')
      .on('parley_messages')
      .column('quoted_message_id')
      .execute();

    // The message an event is about, so that deleting it can scrub its earlier events.
    await db.schema.alterTable('parley_events').addColumn('message_id', 'text').execute();
    await db.schema
      .createIndex('parley_events_message_idx')
      .on('parley_events')
      .column('message_id')
      .execute();

    await db.schema
      .createTable('parley_reactions')
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      // One reaction per user and type: a retried reaction is a no-op.
      .addPrimaryKeyConstraint('reactions_pkey', ['message_id', 'user_id', 'type'])
      .addForeignKeyConstraint('parley_reactions_message_fkey', ['message_id'], 'parley_messages', [
        'id',
      ])
      .execute();
    await db.schema
      .createIndex('parley_reactions_newest_idx')
      .on('parley_reactions')
      .columns(['message_id', 'created_at'])
      .execute();

    // Who a message mentions, by user: unread mention counts without parsing JSON.
    await db.schema
      .createTable('parley_mentions')
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('mentions_pkey', ['message_id', 'user_id'])
      .addForeignKeyConstraint('parley_mentions_message_fkey', ['message_id'], 'parley_messages', [
        'id',
      ])
      .execute();
    await db.schema
      .createIndex('parley_mentions_user_idx')
      .on('parley_mentions')
      .columns(['user_id', 'cid', 'seq'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('parley_mentions').execute();
    await db.schema.dropTable('parley_reactions').execute();
  },
};
