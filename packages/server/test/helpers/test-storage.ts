import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { createTestStorageConfig, type StorageKind } from './storages.js';

/** A migrated storage on a fresh database of its own. */
export interface TestStorage {
  storage: Storage;
  config: Awaited<ReturnType<typeof createTestStorageConfig>>;
  /** Closes the storage and drops its database. */
  close(): Promise<void>;
}

export async function openTestStorage(kind: StorageKind): Promise<TestStorage> {
  const config = await createTestStorageConfig(kind);
  const storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await storage.migrate();
  return {
    storage,
    config,
    async close() {
      await storage.close();
      await config.cleanup();
    },
  };
}
