import path from 'node:path';
import { Migrator, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createStorage,
  SQLITE_FILE_NAME,
  type Storage,
  type UploadRecord,
} from '../../src/storage/index.js';
import type { Database } from '../../src/storage/kysely/database.js';
import { migrationsFor } from '../../src/storage/kysely/migrations.js';
import {
  createPostgresDatabase,
  postgresAdapter,
} from '../../src/storage/postgres/postgres-dialect.js';
import { createSqliteDatabase, sqliteAdapter } from '../../src/storage/sqlite/sqlite-dialect.js';
import { T0 } from '../helpers/storage-fixtures.js';
import { STORAGE_KINDS, createTestStorageConfig, type StorageKind } from '../helpers/storages.js';

type Config = Awaited<ReturnType<typeof createTestStorageConfig>>;

function upload(id: string, createdAt: number, messageId: string | null = null): UploadRecord {
  return {
    id,
    cid: 'team:talks',
    userId: 'ann',
    blobKey: `files/${id}`,
    thumbKey: id.startsWith('img') ? `files/${id}.thumb` : null,
    thumbSize: id.startsWith('img') ? 1234 : null,
    mime: id.startsWith('img') ? 'image/png' : 'application/pdf',
    type: id.startsWith('img') ? 'image' : 'file',
    size: 25 * 1024 * 1024,
    name: 'slides — final.pdf',
    width: id.startsWith('img') ? 800 : null,
    height: id.startsWith('img') ? 600 : null,
    createdAt,
    messageId,
  };
}

function kyselyOf(kind: StorageKind, config: Config): Kysely<Database> {
  return kind === 'postgres'
    ? createPostgresDatabase(config.databaseUrl!)
    : createSqliteDatabase(path.join(config.dataDir, SQLITE_FILE_NAME));
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: uploads in storage`, () => {
    let config: Config;
    const open: Storage[] = [];
    const storageOf = async () => {
      const storage = createStorage(config);
      open.push(storage);
      await storage.migrate();
      return storage;
    };

    afterEach(async () => {
      for (const storage of open.splice(0)) await storage.close();
      await config?.cleanup();
    });

    it('keeps every field of an upload', async () => {
      config = await createTestStorageConfig(kind);
      const storage = await storageOf();
      await storage.createUpload(upload('img-1', T0));
      await storage.createUpload(upload('doc-1', T0 + 1));
      expect(await storage.getUpload('img-1')).toEqual(upload('img-1', T0));
      expect(await storage.getUpload('doc-1')).toEqual(upload('doc-1', T0 + 1));
      expect(await storage.getUpload('none')).toBeNull();
    });

    it('takes only unattached uploads older than the cut-off, oldest first, a batch at a time', async () => {
      config = await createTestStorageConfig(kind);
      const storage = await storageOf();
      await storage.createUpload(upload('c', T0 + 3));
      await storage.createUpload(upload('a', T0 + 1));
      await storage.createUpload(upload('b', T0 + 2));
      await storage.createUpload(upload('attached', T0, 'message-1'));
      await storage.createUpload(upload('recent', T0 + 100));
      const first = await storage.takeUnattachedUploads(T0 + 50, 2);
      expect(first.map((u) => u.id)).toEqual(['a', 'b']);
      expect((await storage.takeUnattachedUploads(T0 + 50, 2)).map((u) => u.id)).toEqual(['c']);
      expect(await storage.takeUnattachedUploads(T0 + 50, 2)).toEqual([]);
      expect(await storage.getUpload('a')).toBeNull();
      expect(await storage.getUpload('attached')).not.toBeNull();
      expect(await storage.getUpload('recent')).not.toBeNull();
    });

    // Several nodes share one database only on PostgreSQL; a SQLite file has one server.
    it.skipIf(kind === 'sqlite')(
      'hands each due upload to exactly one of several nodes sweeping at once',
      async () => {
        config = await createTestStorageConfig(kind);
        const nodes = [await storageOf(), await storageOf(), await storageOf()];
        const ids = Array.from({ length: 120 }, (_, i) => `u-${String(i).padStart(3, '0')}`);
        for (const id of ids) await nodes[0]!.createUpload(upload(id, T0));
        const taken: string[] = [];
        await Promise.all(
          nodes.map(async (node) => {
            // A node the lock turns away gets [] and tries again, as its timer would.
            for (let round = 0; round < 1000 && taken.length < ids.length; round++) {
              const batch = await node.takeUnattachedUploads(T0 + 1, 7);
              taken.push(...batch.map((u) => u.id));
            }
          }),
        );
        expect(taken.sort()).toEqual(ids);
        expect(await nodes[1]!.takeUnattachedUploads(T0 + 1, 1000)).toEqual([]);
      },
    );

    it('migrates a database of the previous version forward, keeping its data', async () => {
      config = await createTestStorageConfig(kind);
      const db = kyselyOf(kind, config);
      try {
        // The schema as the release before uploads left it.
        const previous = new Migrator({
          db,
          provider: {
            getMigrations: async () => ({
              '001_initial': migrationsFor(kind === 'sqlite' ? sqliteAdapter : postgresAdapter)[
                '001_initial'
              ]!,
            }),
          },
          migrationTableName: 'parley_migration',
          migrationLockTableName: 'parley_migration_lock',
        });
        expect((await previous.migrateToLatest()).error).toBeUndefined();
      } finally {
        await db.destroy();
      }
      const before = createStorage(config);
      await before.ensureUser('ann', T0).finally(() => before.close());
      const storage = await storageOf();
      expect((await storage.getUsers(['ann'])).map((u) => u.id)).toEqual(['ann']);
      await storage.createUpload(upload('after', T0));
      expect(await storage.getUpload('after')).toEqual(upload('after', T0));
      // Running the migrations again changes nothing.
      await storage.migrate();
      expect(await storage.getUpload('after')).not.toBeNull();
    });
  });
}
