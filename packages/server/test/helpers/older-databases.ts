import { sql, type Kysely } from 'kysely';
import { afterEach } from 'vitest';
import type { Database } from '../../src/storage/kysely/database.js';
import { createStorage } from '../../src/storage/create-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { insertChannel, insertUser, migratedUpTo } from './direct-rows.js';
import { createTestStorageConfig, type StorageKind } from './storages.js';

/** When the older servers stored their rows. */
export const NOW = Date.parse('2026-01-01T00:00:00Z');

type TestStorageConfig = Awaited<ReturnType<typeof createTestStorageConfig>>;
type OlderDatabase = Awaited<ReturnType<typeof migratedUpTo>>;

/**
 * Databases of `kind` as older servers left them, for the enclosing describe block's tests
 * of the migrations since: each dropped (and what `onCleanup` was given, closed) after its
 * test.
 */
export function olderDatabases(kind: StorageKind) {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  /** Runs `cleanup` after the test, before the databases are dropped. */
  const onCleanup = (cleanup: () => Promise<void>) => cleanups.unshift(cleanup);
  return {
    onCleanup,
    /** A database migrated only up to `upTo`, as an older server left it. */
    async older(upTo: string): Promise<{ config: TestStorageConfig; db: OlderDatabase }> {
      const config = await createTestStorageConfig(kind);
      cleanups.push(() => config.cleanup());
      return { config, db: await migratedUpTo(kind, config, upTo) };
    },
    /** Ana's team channel as an older server stored it, `lastSeq` events in. */
    async olderTeam(db: OlderDatabase, lastSeq: number): Promise<void> {
      await insertUser(db, 'ana', NOW);
      await insertChannel(db, {
        ...{ cid: 'team:old', owner: 'ana', now: NOW, lastSeq, lastMessageAt: NOW },
      });
    },
    /** This version's storage on `config`'s database, migrated; closed after the test. */
    async upgraded(config: TestStorageConfig): Promise<Storage> {
      const storage = createStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      onCleanup(() => storage.close());
      await storage.migrate();
      return storage;
    },
  };
}

/** How the database defines the indexes `names` (their CREATE INDEX texts), by name. */
export async function indexDefinitions(
  kind: StorageKind,
  db: Kysely<Database>,
  ...names: string[]
): Promise<string[]> {
  const { rows } =
    kind === 'sqlite'
      ? await sql<{ text: string }>`SELECT sql AS text FROM sqlite_master
          WHERE name IN (${sql.join(names)}) ORDER BY name`.execute(db)
      : await sql<{ text: string }>`SELECT indexdef AS text FROM pg_indexes
          WHERE indexname IN (${sql.join(names)}) ORDER BY indexname`.execute(db);
  return rows.map((r) => r.text);
}
