import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/storage/kysely/database.js';
import type { Storage } from '../../src/storage/storage.js';
import { directDatabase } from './direct-rows.js';
import type { StorageKind } from './storages.js';
import { openTestStorage, type TestStorage } from './test-storage.js';

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
  let opened: TestStorage | undefined;
  beforeAll(async () => {
    opened = await openTestStorage(kind);
    const db = directDatabase(kind, opened.config);
    try {
      await fill(db);
    } finally {
      await db.destroy();
    }
  }, timeoutMs);
  afterAll(() => opened?.close());
  return () => opened!.storage;
}
