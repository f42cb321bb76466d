import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Database } from '../../src/storage/kysely/database.js';
import type { Storage } from '../../src/storage/storage.js';
import { directDatabase } from './direct-rows.js';
import { createTestStorageConfig, type StorageKind } from './storages.js';

/**
 * A migrated storage of `kind` for the enclosing describe block, its rows first written by
 * `fill` straight into the tables (direct-rows.ts), closed and removed after the block.
 * Returns a getter: the storage exists once the block's tests run.
 */
export function filledStorage(
  kind: StorageKind,
  fill: (db: Kysely<Database>) => Promise<void>,
  timeoutMs = 120_000,
): () => Storage {
  let storage: Storage | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const config = await createTestStorageConfig(kind);
    cleanup = config.cleanup;
    storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    await storage.migrate();
    const db = directDatabase(kind, config);
    try {
      await fill(db);
    } finally {
      await db.destroy();
    }
  }, timeoutMs);
  afterAll(async () => {
    await storage?.close();
    await cleanup?.();
  });
  return () => storage!;
}
