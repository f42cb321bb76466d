import { Migrator, sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { searchTextOf } from '../../search/search-text.js';
import type { Database } from './database.js';
import type { StorageAdapter } from './storage-adapter.js';

/** Where Kysely records which migrations ran (and its lock), next to Parley's tables. */
const MIGRATION_TABLE = 'parley_migration';
const MIGRATION_LOCK_TABLE = 'parley_migration_lock';

/*
 * Only portable schema-builder calls: the same migration runs on SQLite and PostgreSQL.
 * Tables are created without IF NOT EXISTS so that a database already holding a table of
 * the same name (another app's `users`) fails loudly instead of being reused.
 */
const initial: Migration = {
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

/**
 * Threads, quotes, mentions, reactions, pins, edits and deletes. Columns are added one
 * ALTER at a time (SQLite takes one ADD COLUMN per statement), each with a default, so
 * existing rows read as plain, unreacted, unpinned messages.
 */
const richMessages: Migration = {
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

/**
 * Search: each message's text as search compares it (`search_text`, see search-text.ts),
 * the messages already stored indexed in batches with progress on stderr, then the
 * database's substring index over it (the adapter's: FTS5 trigram or pg_trgm).
 */
function searchMigration(adapter: StorageAdapter): Migration {
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

/** Uploaded files (issue 12): one row per upload; the bytes are in the blob store. */
const uploads: Migration = {
  async up(db: Kysely<unknown>) {
    // No foreign keys: an upload outlives nothing it names (its channel's deletion and the
    // sweeper remove it), and rows are checked by the service before they are written.
    await db.schema
      .createTable('parley_uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('blob_key', 'text', (c) => c.notNull())
      .addColumn('thumb_key', 'text')
      .addColumn('thumb_size', 'bigint')
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('width', 'integer')
      .addColumn('height', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .execute();
    // The sweeper's scan: unattached uploads, oldest first.
    await db.schema
      .createIndex('parley_uploads_unattached_idx')
      .on('parley_uploads')
      .column('created_at')
      .where(sql.ref('message_id'), 'is', null)
      .execute();
    // A message's (and a channel's) files, for phase 2's deletes.
    await db.schema
      .createIndex('parley_uploads_message_id_idx')
      .on('parley_uploads')
      .column('message_id')
      .execute();
    await db.schema
      .createIndex('parley_uploads_cid_idx')
      .on('parley_uploads')
      .column('cid')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('parley_uploads').execute();
  },
};

/**
 * Notifications (issue 13): webhook endpoints and deliveries, the email schedule, users'
 * email settings, and the outbox cursor of each channel. Independent of any other
 * migration but the first two.
 */
const notifications: Migration = {
  async up(db: Kysely<unknown>) {
    // The event log is the outbox: events above outbox_seq are committed but not yet
    // dispatched. Nothing before this migration is dispatched (no webhook existed).
    await db.schema
      .alterTable('parley_channels')
      .addColumn('outbox_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update parley_channels set outbox_seq = last_seq`.execute(db);
    // Holds only the channels with undispatched events: the dispatcher's scan.
    await db.schema
      .createIndex('parley_channels_outbox_idx')
      .on('parley_channels')
      .column('cid')
      .where(sql.ref('last_seq'), '>', sql.ref('outbox_seq'))
      .execute();

    await db.schema.alterTable('parley_users').addColumn('email', 'text').execute();
    await db.schema
      .alterTable('parley_users')
      .addColumn('email_enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .alterTable('parley_members')
      .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('parley_webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('secret', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('parley_webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('locked_until', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    // Per endpoint and channel in seq order: only the first pending one is attempted.
    await db.schema
      .createIndex('parley_webhook_deliveries_order_idx')
      .on('parley_webhook_deliveries')
      .columns(['webhook_id', 'cid', 'seq'])
      .execute();
    await db.schema
      .createIndex('parley_webhook_deliveries_due_idx')
      .on('parley_webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();

    await db.schema
      .createTable('parley_email_schedule')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('cid', 'text', (c) => c.notNull())
      .addColumn('first_seq', 'integer', (c) => c.notNull())
      .addColumn('first_at', 'bigint', (c) => c.notNull())
      .addColumn('due_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addColumn('locked_until', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('email_schedule_pkey', ['user_id', 'cid'])
      .execute();
    await db.schema
      .createIndex('parley_email_schedule_due_idx')
      .on('parley_email_schedule')
      .column('due_at')
      .where(sql.ref('sent_at'), 'is', null)
      .execute();
  },
};

/**
 * Moderation and permissions (issue 17): channel types' stored settings, bans and mutes,
 * flags, blocks, channel mutes, the audit log, and a channel's frozen flag.
 */
const moderation: Migration = {
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

/**
 * Attachments on messages (issue 12, phase 2): each message keeps its files' descriptions
 * (a JSON array, `[]` for none, so that older rows need no backfill); the uploads' rows say
 * which message took them.
 */
const attachments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('parley_messages')
      .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('parley_messages').dropColumn('attachments').execute();
  },
};

/** Messages indexed per transaction by the search migration. */
const SEARCH_BACKFILL_BATCH = 5_000;

/** Every migration, by name; names sort in the order they run. Never edit a released one. */
export function migrationsFor(adapter: StorageAdapter): Readonly<Record<string, Migration>> {
  return {
    '001_initial': initial,
    '002_rich_messages': richMessages,
    '003_search': searchMigration(adapter),
    '004_uploads': uploads,
    '005_attachments': attachments,
    '006_notifications': notifications,
    '007_moderation': moderation,
  };
}

/** Runs the migrations that have not run yet; a no-op when the schema is current. */
export async function migrateToLatest(
  db: Kysely<Database>,
  adapter: StorageAdapter,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrationsFor(adapter) }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}
