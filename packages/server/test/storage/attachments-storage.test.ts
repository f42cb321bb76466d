import path from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createStorage,
  SQLITE_FILE_NAME,
  type NewMessage,
  type Storage,
  type UploadRecord,
} from '../../src/storage/index.js';
import type { AttachmentRefusedError } from '../../src/storage/storage-errors.js';
import { migrationsFor } from '../../src/storage/kysely/migrations.js';
import {
  createPostgresDatabase,
  postgresAdapter,
} from '../../src/storage/postgres/postgres-dialect.js';
import { createSqliteDatabase, sqliteAdapter } from '../../src/storage/sqlite/sqlite-dialect.js';
import { messageEvent, T0 } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../helpers/storages.js';

type Config = Awaited<ReturnType<typeof createTestStorageConfig>>;

function upload(id: string, userId = 'ann', cid = 'team:talks'): UploadRecord {
  return {
    id,
    cid,
    userId,
    blobKey: `${id.slice(0, 2)}/${id}`,
    thumbKey: id.startsWith('img') ? `${id.slice(0, 2)}/${id}.thumb` : null,
    thumbSize: id.startsWith('img') ? 120 : null,
    mime: id.startsWith('img') ? 'image/png' : 'application/pdf',
    type: id.startsWith('img') ? 'image' : 'file',
    size: 2048,
    name: `${id}.bin`,
    width: id.startsWith('img') ? 800 : null,
    height: id.startsWith('img') ? 600 : null,
    createdAt: T0,
    messageId: null,
  };
}

function message(id: string, attachmentIds: string[], userId = 'ann'): NewMessage {
  const base = { cid: 'team:talks', type: 'regular', userId, text: id, data: {}, createdAt: T0 };
  return { ...base, id, type: 'regular', attachmentIds };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: attachments in storage`, () => {
    let config: Config;
    let storage: Storage;

    const open = async () => {
      storage = createStorage(config);
      await storage.migrate();
      for (const user of ['ann', 'ben']) await storage.ensureUser(user, T0);
      await storage.getOrCreateChannel({
        cid: 'team:talks',
        type: 'team',
        id: 'talks',
        data: {},
        distinct: false,
        createdById: 'ann',
        members: [
          { userId: 'ann', role: 'owner' },
          { userId: 'ben', role: 'member' },
        ],
        now: T0,
      });
    };

    afterEach(async () => {
      await storage?.close();
      await config?.cleanup();
    });

    it('takes the uploads a message names, in its transaction, and describes them on the message', async () => {
      config = await createTestStorageConfig(kind);
      await open();
      await storage.createUpload(upload('img-1'));
      await storage.createUpload(upload('doc-1'));
      const [result] = await storage.sendMessages(
        [message('m1', ['doc-1', 'img-1'])],
        messageEvent,
      );
      expect(result?.status).toBe('stored');
      const stored = await storage.getMessage('m1');
      expect(stored?.attachments).toEqual([
        {
          id: 'doc-1',
          type: 'file',
          mime: 'application/pdf',
          size: 2048,
          name: 'doc-1.bin',
          width: null,
          height: null,
          thumb: false,
        },
        {
          id: 'img-1',
          type: 'image',
          mime: 'image/png',
          size: 2048,
          name: 'img-1.bin',
          width: 800,
          height: 600,
          thumb: true,
        },
      ]);
      expect((await storage.getUpload('img-1'))?.messageId).toBe('m1');
    });

    it('refuses each message of a batch alone: unknown, not its author’s, another channel’s, taken', async () => {
      config = await createTestStorageConfig(kind);
      await open();
      await storage.createUpload(upload('bens', 'ben'));
      await storage.createUpload(upload('elsewhere', 'ann', 'team:other'));
      await storage.createUpload(upload('one'));
      const results = await storage.sendMessages(
        [
          message('a', ['missing']),
          message('b', ['bens']),
          message('c', ['elsewhere']),
          message('d', ['one']),
          message('e', ['one']),
          message('d', ['one']),
        ],
        messageEvent,
      );
      const reasons = results.map((r) =>
        r.status === 'failed' ? (r.error as AttachmentRefusedError).reason : r.status,
      );
      expect(reasons).toEqual([
        'not_found',
        'not_owned',
        'wrong_channel',
        'stored',
        'in_use',
        'duplicate',
      ]);
      expect(await storage.getMessage('e')).toBeNull();
    });

    it('hands back the uploads of deleted messages and channels, their rows gone', async () => {
      config = await createTestStorageConfig(kind);
      await open();
      for (const id of ['img-a', 'doc-b', 'doc-c', 'doc-free'])
        await storage.createUpload(upload(id));
      await storage.sendMessages(
        [message('m1', ['img-a', 'doc-b']), message('m2', ['doc-c'])],
        messageEvent,
      );
      const deleted = await storage.deleteMessage('m1', false, T0 + 1, messageEvent, (p) => p);
      expect(deleted.uploads.map((u) => u.id).sort()).toEqual(['doc-b', 'img-a']);
      expect(deleted.message.attachments).toEqual([]);
      expect((await storage.getMessage('m1'))?.attachments).toEqual([]);
      expect(await storage.getUpload('img-a')).toBeNull();
      const again = await storage.deleteMessage('m1', false, T0 + 2, messageEvent, (p) => p);
      expect(again.uploads).toEqual([]);
      const channel = await storage.deleteChannel('team:talks');
      expect(channel?.uploads.map((u) => u.id).sort()).toEqual(['doc-c', 'doc-free']);
      expect(await storage.getUpload('doc-free')).toBeNull();
    });

    it('reads messages an older server stored as having no attachments', async () => {
      config = await createTestStorageConfig(kind);
      const db =
        kind === 'sqlite'
          ? createSqliteDatabase(path.join(config.dataDir!, SQLITE_FILE_NAME))
          : createPostgresDatabase(config.databaseUrl!);
      try {
        const migrations = migrationsFor(kind === 'sqlite' ? sqliteAdapter : postgresAdapter);
        const migrator = new Migrator({
          db,
          provider: { getMigrations: async () => ({ ...migrations }) },
          migrationTableName: 'parley_migration',
          migrationLockTableName: 'parley_migration_lock',
        });
        expect((await migrator.migrateTo('004_uploads')).error).toBeUndefined();
        // A message as a server of 004 stored it: no attachments column yet.
        await db
          .insertInto('parley_channels')
          .values({
            cid: 'team:talks',
            type: 'team',
            id: 'talks',
            data: '{}',
            is_distinct: 0,
            created_by_id: null,
            created_at: T0,
            updated_at: T0,
            last_message_at: T0,
            activity_at: T0,
            member_count: 0,
            last_seq: 1,
          })
          .execute();
        await db
          .insertInto('parley_messages')
          .values({
            id: 'old',
            cid: 'team:talks',
            seq: 1,
            type: 'regular',
            user_id: 'ann',
            text: 'from before',
            data: '{}',
            created_at: T0,
            updated_at: T0,
            show_in_channel: 0,
            reply_count: 0,
            thread_participants: '[]',
            mentioned_users: '[]',
            reaction_counts: '{}',
            latest_reactions: '[]',
            search_text: 'from before',
          } as never)
          .execute();
      } finally {
        await db.destroy();
      }
      await open();
      expect(await storage.getMessage('old')).toMatchObject({
        text: 'from before',
        attachments: [],
      });
    });
  });
}
