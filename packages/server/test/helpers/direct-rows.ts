import { Migrator, type Kysely } from 'kysely';
import { migrationsFor } from '../../src/storage/kysely/migrations.js';
import type { Database } from '../../src/storage/kysely/database.js';
import { cjkBigramsOf, searchTextOf } from '../../src/search/search-text.js';
import {
  createPostgresDatabase,
  postgresAdapter,
} from '../../src/storage/postgres/postgres-dialect.js';
import { createSqliteDatabase, sqliteAdapter } from '../../src/storage/sqlite/sqlite-dialect.js';
import type { createTestStorageConfig, StorageKind } from './storages.js';

type TestStorageConfig = Awaited<ReturnType<typeof createTestStorageConfig>>;

// Rows written straight into the tables — as an older server left them (migration tests)
// or in numbers no test could send one by one (search plans) — without the storage's code.
// Columns a later migration added are left to their defaults, so the same rows fit a
// database at any migration.

/** A Kysely handle on the test database itself. */
export function directDatabase(kind: StorageKind, config: TestStorageConfig): Kysely<Database> {
  return kind === 'sqlite'
    ? createSqliteDatabase(`${config.dataDir}/parley.db`)
    : createPostgresDatabase(config.databaseUrl!);
}

/** The test database migrated only up to `upTo`, as an older server left it. */
export async function migratedUpTo(
  kind: StorageKind,
  config: TestStorageConfig,
  upTo: string,
): Promise<Kysely<Database>> {
  const db = directDatabase(kind, config);
  const adapter = kind === 'sqlite' ? sqliteAdapter : postgresAdapter;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrationsFor(adapter) }) },
    migrationTableName: 'parley_migration',
    migrationLockTableName: 'parley_migration_lock',
  });
  const { error } = await migrator.migrateTo(upTo);
  if (error !== undefined) throw error;
  return db;
}

/** A user row. */
export async function insertUser(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db
    .insertInto('parley_users')
    .values({
      id,
      name: null,
      image: null,
      role: 'user',
      data: '{}',
      created_at: now,
      updated_at: now,
      last_active: null,
    } as never)
    .execute();
}

/** A channel row `type:id` of `owner`, with `lastSeq` events taken. */
export async function insertChannel(
  db: Kysely<Database>,
  channel: { cid: string; owner: string; now: number; lastSeq: number; lastMessageAt?: number },
): Promise<void> {
  const [type, id] = channel.cid.split(':') as [string, string];
  await db
    .insertInto('parley_channels')
    .values({
      cid: channel.cid,
      type,
      id,
      data: '{}',
      is_distinct: 0,
      created_by_id: channel.owner,
      created_at: channel.now,
      updated_at: channel.now,
      last_message_at: channel.lastMessageAt ?? null,
      activity_at: channel.now,
      member_count: 1,
      last_seq: channel.lastSeq,
    } as never)
    .execute();
}

/** A member row: `userId` in `cid` as `role`, having read up to `lastReadSeq`. */
export async function insertMember(
  db: Kysely<Database>,
  member: { cid: string; userId: string; role: string; now: number; lastReadSeq: number },
): Promise<void> {
  await db
    .insertInto('parley_members')
    .values({
      cid: member.cid,
      user_id: member.userId,
      role: member.role,
      created_at: member.now,
      last_read_seq: member.lastReadSeq,
      last_read_message_id: null,
      last_read_at: null,
    } as never)
    .execute();
}

/** A message as the search tests store it: by direct SQL, in numbers no test could send. */
export interface SearchMessageRow {
  id: string;
  cid: string;
  seq: number;
  text: string;
  createdAt: number;
}

/**
 * The ids of the `messages` that `keep` keeps, as a search answers them: newest first, ties
 * by id (descending), at most `limit`.
 */
export function newestIds(
  messages: readonly SearchMessageRow[],
  keep: (message: SearchMessageRow) => boolean,
  limit: number,
): string[] {
  return messages
    .filter(keep)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
    .slice(0, limit)
    .map((m) => m.id);
}

/** `messages` by `userId`, with the search columns a send would write, 500 a statement. */
export async function insertSearchMessages(
  db: Kysely<Database>,
  userId: string,
  messages: readonly SearchMessageRow[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += 500) {
    await db
      .insertInto('parley_messages')
      .values(
        messages.slice(start, start + 500).map((m) => ({
          id: m.id,
          cid: m.cid,
          seq: m.seq,
          type: 'regular',
          user_id: userId,
          text: m.text,
          data: '{}',
          created_at: m.createdAt,
          updated_at: m.createdAt,
          search_text: searchTextOf(m.text),
          search_bigrams: cjkBigramsOf(searchTextOf(m.text)),
        })) as never,
      )
      .execute();
  }
}
