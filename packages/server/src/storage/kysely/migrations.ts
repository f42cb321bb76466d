import { Migrator } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { Database } from './database.js';
import { initial } from './migrations/001-initial.js';
import { richMessages } from './migrations/002-rich-messages.js';
import { searchMigration } from './migrations/003-search.js';
import { uploads } from './migrations/004-uploads.js';
import { attachments } from './migrations/005-attachments.js';
import { notifications } from './migrations/006-notifications.js';
import { moderation } from './migrations/007-moderation.js';
import { flagResolution } from './migrations/008-flag-resolution.js';
import { searchNewestMigration } from './migrations/009-search-newest.js';
import { appEvents } from './migrations/010-app-events.js';
import { searchCjkBigramsMigration } from './migrations/011-search-cjk-bigrams.js';
import { jsonRowsMigration } from './migrations/012-json-rows.js';
import { searchTimeOrderMigration } from './migrations/013-search-time-order.js';
import { searchChannelRowsMigration } from './migrations/014-search-channel-rows.js';
import { searchChannelTermsMigration } from './migrations/015-search-channel-terms.js';
import { partialMessageIndexesMigration } from './migrations/016-partial-message-indexes.js';
import { searchMergeStepsMigration } from './migrations/017-search-merge-steps.js';
import { searchWithoutPositionsMigration } from './migrations/018-search-without-positions.js';
import { partialEventMessageIndexMigration } from './migrations/019-partial-event-message-index.js';
import { newChannelSlotsMigration } from './migrations/020-new-channel-slots.js';
import { searchChannelTimeMigration } from './migrations/021-search-channel-time.js';
import { searchChannelTokensMigration } from './migrations/022-search-channel-tokens.js';
import { searchChannelSetsMigration } from './migrations/023-search-channel-sets.js';
import { searchPendingBoundMigration } from './migrations/024-search-pending-bound.js';
import { searchTimeKeysMigration } from './migrations/025-search-time-keys.js';
import type { StorageAdapter } from './storage-adapter.js';

/** Where Kysely records which migrations ran (and its lock), next to Parley's tables. */
const MIGRATION_TABLE = 'parley_migration';
const MIGRATION_LOCK_TABLE = 'parley_migration_lock';

/*
 * One file per migration in migrations/, each with only portable schema-builder calls (the
 * same migration runs on SQLite and PostgreSQL; database differences go through the adapter).
 */

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
    '008_flag_resolution': flagResolution,
    '009_search_newest': searchNewestMigration(adapter),
    '010_app_events': appEvents,
    '011_search_cjk_bigrams': searchCjkBigramsMigration(adapter),
    '012_json_rows': jsonRowsMigration(adapter),
    '013_search_time_order': searchTimeOrderMigration(adapter),
    '014_search_channel_rows': searchChannelRowsMigration(adapter),
    '015_search_channel_terms': searchChannelTermsMigration(adapter),
    '016_partial_message_indexes': partialMessageIndexesMigration,
    '017_search_merge_steps': searchMergeStepsMigration(adapter),
    '018_search_without_positions': searchWithoutPositionsMigration(adapter),
    '019_partial_event_message_index': partialEventMessageIndexMigration,
    '020_new_channel_slots': newChannelSlotsMigration,
    '021_search_channel_time': searchChannelTimeMigration(adapter),
    '022_search_channel_tokens': searchChannelTokensMigration(adapter),
    '023_search_channel_sets': searchChannelSetsMigration(adapter),
    '024_search_pending_bound': searchPendingBoundMigration(adapter),
    '025_search_time_keys': searchTimeKeysMigration(adapter),
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
