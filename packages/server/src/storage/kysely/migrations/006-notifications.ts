import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

/**
 * Notifications (issue 13): webhook endpoints and deliveries, the email schedule, users'
 * email settings, and the outbox cursor of each channel. Independent of any other
 * migration but the first two.
 */
export const notifications: Migration = {
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
