import { Migrator } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { AtasDatabase } from './database.js';
import { organizersMigration } from './migration-002-organizers.js';

/** ATAS's own migration bookkeeping, so a database shared with Parley stays apart. */
const MIGRATION_TABLE = 'atas_migration';
const MIGRATION_LOCK_TABLE = 'atas_migration_lock';

/* Portable schema-builder calls only: the same migration runs on SQLite and PostgreSQL. */
const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('atas_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('avatar_url', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('atas_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organizer_id', 'text', (c) => c.notNull().references('atas_users.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('location', 'text')
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('atas_invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().references('atas_events.id'))
      .addColumn('organizer_id', 'text', (c) => c.notNull().references('atas_users.id'))
      .addColumn('speaker_id', 'text', (c) => c.notNull().references('atas_users.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('conversation_uuid', 'text', (c) => c.notNull().unique())
      .addColumn('message', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      // One invitation per speaker and event.
      .addUniqueConstraint('atas_invitations_event_speaker_key', ['event_id', 'speaker_id'])
      .execute();
    await db.schema
      .createIndex('atas_invitations_speaker_idx')
      .on('atas_invitations')
      .column('speaker_id')
      .execute();
    await db.schema
      .createIndex('atas_invitations_organizer_idx')
      .on('atas_invitations')
      .column('organizer_id')
      .execute();

    await db.schema
      .createTable('atas_legacy_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_uuid', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull().references('atas_users.id'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('atas_legacy_messages_conversation_idx')
      .on('atas_legacy_messages')
      .columns(['conversation_uuid', 'created_at'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['atas_legacy_messages', 'atas_invitations', 'atas_events', 'atas_users']) {
      await db.schema.dropTable(table).execute();
    }
  },
};

/** Every migration, by name; names sort in the order they run. Never edit a released one. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': initial,
  '002_organizers': organizersMigration,
};

/** Runs the migrations that have not run yet; a no-op when the schema is current. */
export async function migrateToLatest(db: Kysely<AtasDatabase>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}
