import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { SQLITE_FILE_NAME, createStorage } from '../../src/storage/index.js';
import type {
  ChannelRecord,
  EventBuilder,
  MemberRecord,
  NewMessage,
  Storage,
  StorageOptions,
} from '../../src/storage/index.js';
import { T0, messageEvent } from './storage-fixtures.js';
import { createTestStorageConfig } from './storages.js';
import type { StorageKind } from './storages.js';

/*
 * The storage contract's set-up, shared by its test files: one database per dialect and
 * file, emptied before each test (creating a PostgreSQL database per test would cost far
 * more than the tests themselves), and the events and writes its tests build on.
 */

export const addedEvent: EventBuilder<MemberRecord> = (member, seq, at) => ({
  type: 'member.added',
  cid: member.cid,
  seq,
  created_at: at,
  member: { user_id: member.userId, role: member.role },
});
export const removedEvent: EventBuilder<string> = (userId, seq, at) => ({
  type: 'member.removed',
  seq,
  created_at: at,
  user_id: userId,
});
export const readEvent: EventBuilder<MemberRecord> = (member, seq, at) => ({
  type: 'message.read',
  cid: member.cid,
  seq,
  created_at: at,
  user_id: member.userId,
  last_read_seq: member.lastReadSeq,
});
export const updatedEvent: EventBuilder<ChannelRecord> = (channel, seq, at) => ({
  type: 'channel.updated',
  cid: channel.cid,
  seq,
  created_at: at,
  channel: { cid: channel.cid, data: channel.data },
});

const unreachableDirs: string[] = [];
afterAll(async () => {
  for (const dir of unreachableDirs) await rm(dir, { recursive: true, force: true });
});

/** Deletes every row but the migrations', through a connection of its own. */
async function emptyTables(kind: StorageKind, config: StorageOptions): Promise<void> {
  // The search indexes (SQLite's FTS5 tables and their shadow tables) empty with their
  // messages, through the triggers.
  const keep = (table: string) =>
    table.startsWith('parley_migration') ||
    table.startsWith('parley_messages_fts') ||
    table.startsWith('parley_messages_cjk');
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ tablename: string }>(
        'select tablename from pg_tables where schemaname = current_schema()',
      );
      const tables = rows.map((row) => row.tablename).filter((t) => !keep(t));
      if (tables.length > 0) await client.query(`truncate ${tables.map((t) => `"${t}"`).join()}`);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new BetterSqlite3(path.join(config.dataDir, SQLITE_FILE_NAME));
  try {
    // better-sqlite3 turns foreign keys on; off, the order of the deletes does not matter.
    db.pragma('foreign_keys = OFF');
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .pluck()
      .all() as string[];
    for (const table of tables.filter((t) => !keep(t))) db.exec(`delete from "${table}"`);
  } finally {
    db.close();
  }
}

/** Options under which the database cannot be reached at all. */
export async function unreachableOptions(kind: StorageKind): Promise<StorageOptions> {
  if (kind === 'postgres') {
    return { dataDir: os.tmpdir(), databaseUrl: 'postgres://postgres@127.0.0.1:1/parley' };
  }
  // A data folder that would have to live inside a regular file.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-unreachable-'));
  unreachableDirs.push(dir);
  await writeFile(path.join(dir, 'file'), '');
  return { dataDir: path.join(dir, 'file', 'data') };
}

/**
 * Registers the hooks of a storage of `kind` for the surrounding describe; answers the
 * storage under test and the writes most tests start from.
 */
export function useContractStorage(kind: StorageKind) {
  let config: Awaited<ReturnType<typeof createTestStorageConfig>>;
  let storage: Storage;
  beforeAll(async () => {
    config = await createTestStorageConfig(kind);
    storage = createStorage(config);
    await storage.migrate();
  });
  afterAll(async () => {
    await storage.close();
    await config.cleanup();
  });
  beforeEach(async () => {
    await emptyTables(kind, config);
    // A storage keeps what it knew of channels (ChannelStates), which a table emptied under
    // it would make wrong: the tests make channels again under the same cids, at the same
    // T0 and seqs, which a real database never shows (a cid made again is made later).
    await storage.close();
    storage = createStorage(config);
  });

  /** Creates the users and a channel `messaging:<id>` with them as members. */
  async function channelOf(id: string, userIds: string[], now = T0): Promise<ChannelRecord> {
    for (const userId of userIds) await storage.ensureUser(userId, now);
    const { channel } = await storage.getOrCreateChannel({
      cid: `messaging:${id}`,
      type: 'messaging',
      id,
      data: {},
      distinct: false,
      createdById: userIds[0] ?? null,
      members: userIds.map((userId) => ({ userId, role: 'member' })),
      now,
    });
    return channel;
  }

  function send(cid: string, userId: string | null, id: string, createdAt = T0, text = id) {
    const message: NewMessage = {
      id,
      cid,
      type: userId === null ? 'system' : 'regular',
      userId,
      text,
      data: {},
      createdAt,
    };
    return sendOne(message);
  }

  /** sendMessages with a batch of one, answered as the result or thrown as the error. */
  async function sendOne(message: NewMessage, buildEvent = messageEvent) {
    const [result] = await storage.sendMessages([message], buildEvent);
    if (result === undefined) throw new Error('sendMessages answered nothing');
    if (result.status === 'failed') throw result.error;
    return result.status === 'stored'
      ? { message: result.message, event: result.event, duplicate: false }
      : { message: result.message, event: null, duplicate: true };
  }

  return {
    get storage(): Storage {
      return storage;
    },
    get config(): StorageOptions {
      return config;
    },
    /** Closes the storage and opens it again on the same database. */
    async reopen(): Promise<Storage> {
      await storage.close();
      storage = createStorage(config);
      await storage.migrate();
      return storage;
    },
    channelOf,
    send,
    sendOne,
  };
}
