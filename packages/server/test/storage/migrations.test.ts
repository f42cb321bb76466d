import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationsFor } from '../../src/storage/kysely/migrations.js';
import {
  createPostgresDatabase,
  postgresAdapter,
} from '../../src/storage/postgres/postgres-dialect.js';
import { createSqliteDatabase, sqliteAdapter } from '../../src/storage/sqlite/sqlite-dialect.js';
import { createStorage } from '../../src/storage/create-storage.js';
import { STORAGE_KINDS, createTestStorageConfig, type StorageKind } from '../helpers/storages.js';

/** A database migrated only up to `upTo`, as an older server left it. */
async function olderDatabase(kind: StorageKind, upTo: string) {
  const config = await createTestStorageConfig(kind);
  const db =
    kind === 'sqlite'
      ? createSqliteDatabase(`${config.dataDir}/parley.db`)
      : createPostgresDatabase(config.databaseUrl!);
  const adapter = kind === 'sqlite' ? sqliteAdapter : postgresAdapter;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrationsFor(adapter) }) },
    migrationTableName: 'parley_migration',
    migrationLockTableName: 'parley_migration_lock',
  });
  const { error } = await migrator.migrateTo(upTo);
  if (error !== undefined) throw error;
  return { config, db };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: migrations`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('indexes the messages an older server stored, so that search finds them after the upgrade', async () => {
      const { config, db } = await olderDatabase(kind, '002_rich_messages');
      cleanups.push(() => config.cleanup());
      const now = Date.parse('2026-01-01T00:00:00Z');
      await db
        .insertInto('parley_users')
        .values({
          id: 'ana',
          name: null,
          image: null,
          role: 'user',
          data: '{}',
          created_at: now,
          updated_at: now,
          last_active: null,
        })
        .execute();
      await db
        .insertInto('parley_channels')
        .values({
          cid: 'team:old',
          type: 'team',
          id: 'old',
          data: '{}',
          is_distinct: 0,
          created_by_id: 'ana',
          created_at: now,
          updated_at: now,
          last_message_at: now,
          activity_at: now,
          member_count: 1,
          last_seq: 2,
        })
        .execute();
      await db
        .insertInto('parley_members')
        .values({
          cid: 'team:old',
          user_id: 'ana',
          role: 'owner',
          created_at: now,
          last_read_seq: 2,
          last_read_message_id: null,
          last_read_at: null,
        })
        .execute();
      // Rows as 002 wrote them: no search_text column yet.
      for (const [seq, text] of [
        [1, 'Réunion au Café'],
        [2, '会议室在三楼'],
      ] as const) {
        await db
          .insertInto('parley_messages')
          .values({
            id: `old-${seq}`,
            cid: 'team:old',
            seq,
            type: 'regular',
            user_id: 'ana',
            text,
            data: '{}',
            created_at: now + seq,
            updated_at: now + seq,
          } as never)
          .execute();
      }
      await db.destroy();

      const storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      cleanups.unshift(() => storage.close());
      await storage.migrate();
      const search = (pattern: string) =>
        storage.searchMessages({ terms: [pattern], excluded: [], readerId: 'ana', limit: 10 });
      expect((await search('cafe')).map((m) => m.message.id)).toEqual(['old-1']);
      expect((await search('三楼')).map((m) => m.message.id)).toEqual(['old-2']);
      // A second start finds nothing left to do.
      await storage.migrate();
    });

    it('leaves the events an older server stored undispatched, so no endpoint gets history after the upgrade', async () => {
      const { config, db } = await olderDatabase(kind, '004_uploads');
      cleanups.push(() => config.cleanup());
      const now = Date.parse('2026-01-01T00:00:00Z');
      await db
        .insertInto('parley_users')
        .values({
          id: 'ana',
          name: null,
          image: null,
          role: 'user',
          data: '{}',
          created_at: now,
          updated_at: now,
          last_active: null,
        } as never)
        .execute();
      await db
        .insertInto('parley_channels')
        .values({
          cid: 'team:old',
          type: 'team',
          id: 'old',
          data: '{}',
          is_distinct: 0,
          created_by_id: 'ana',
          created_at: now,
          updated_at: now,
          last_message_at: null,
          activity_at: now,
          member_count: 1,
          last_seq: 1,
        } as never)
        .execute();
      await db
        .insertInto('parley_members')
        .values({
          cid: 'team:old',
          user_id: 'ana',
          role: 'owner',
          created_at: now,
          last_read_seq: 1,
          last_read_message_id: null,
          last_read_at: null,
        } as never)
        .execute();
      await db
        .insertInto('parley_events')
        .values({
          cid: 'team:old',
          seq: 1,
          type: 'channel.updated',
          created_at: now,
          payload: '{}',
          message_id: null,
        })
        .execute();
      await db.destroy();

      const storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      cleanups.unshift(() => storage.close());
      await storage.migrate();
      const dispatch = () =>
        storage.notifications.dispatch({
          now,
          limit: 100,
          newEventId: () => 'e',
          webhookBody: () => '{}',
          wants: () => true,
          retryForMs: 1000,
          emailAfterMs: 0,
          mentionEmailAfterMs: 0,
        });
      await storage.notifications.createWebhook({
        id: 'w',
        url: 'http://x.example',
        events: ['*'],
        secret: null,
        source: 'api',
        createdAt: now,
      });
      expect((await dispatch()).taken).toBe(0);
      expect(await storage.notifications.getNotificationSettings('ana')).toEqual({
        email: null,
        emailEnabled: true,
        mutedCids: [],
      });
      // A change after the upgrade is dispatched: one delivery for the endpoint.
      await storage.updateChannelData('team:old', { set: { a: 1 }, unset: [] }, now, () => ({}));
      expect((await dispatch()).taken).toBe(1);
      expect(await storage.notifications.countDeliveries()).toEqual({ pending: 1, failed: 0 });
    });
  });
}
