import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage } from '../../src/storage/index.js';
import type { Storage } from '../../src/storage/index.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../helpers/storages.js';

const T0 = 1_700_000_000_000;

// PostgreSQL only: SQLite keeps its statements in-process, where a schema change simply
// re-prepares them.
describe.skipIf(!STORAGE_KINDS.includes('postgres'))('postgres: prepared statements', () => {
  let config: Awaited<ReturnType<typeof createTestStorageConfig>>;
  let storage: Storage;

  beforeAll(async () => {
    config = await createTestStorageConfig('postgres');
    storage = createStorage(config);
    await storage.migrate();
  });
  afterAll(async () => {
    await storage.close();
    await config.cleanup();
  });

  it('answers again after another node’s migration changed a table under a prepared query', async () => {
    await storage.ensureUser('alice', T0);
    expect((await storage.getUsers(['alice'])).map((u) => u.id)).toEqual(['alice']);

    // What a newer node's migration could do while this one serves.
    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    try {
      await admin.query('alter table parley_users add column nickname text');
    } finally {
      await admin.end();
    }

    // The connection that prepared the old shape may fail once; then it is replaced.
    await storage.getUsers(['alice']).catch(() => null);
    expect((await storage.getUsers(['alice'])).map((u) => u.id)).toEqual(['alice']);
    expect((await storage.getUsers(['alice'])).map((u) => u.id)).toEqual(['alice']);
  });
});
