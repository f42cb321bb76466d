import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type Selectable } from 'kysely';
import type { ChannelsTable, Database } from '../kysely/database.js';
import { errorCode } from '../kysely/storage-adapter.js';
import type { SendBatchRows, StorageAdapter } from '../kysely/storage-adapter.js';
import { InlineLimitPlugin } from './inline-values.js';
import { createSqliteReaders } from './sqlite-readers.js';
import { sqliteSearchIndex } from './sqlite-search.js';
import { sqliteSendWriter } from './sqlite-send.js';
import { withStatementCache } from './statement-cache.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { WalSync, WalSyncedSqliteDialect } from './wal-sync.js';

/** Prepared statements kept: every query shape the server uses, IN lists of each length included. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely over one SQLite file through better-sqlite3 (v12: v13 needs Node 22). The file and
 * its folder are created at the first query, not here, so that constructing never fails.
 * Kysely's SqliteDialect runs everything, transactions included, on this one connection,
 * one at a time; each commit is synced to disk off the event loop (see wal-sync.ts).
 */
export function createSqliteDatabase(file: string): Kysely<Database> {
  let db: BetterSqlite3.Database | undefined;
  let checkpointer: WalCheckpointer | undefined;
  const wal = new WalSync(file);
  // Searches read on threads of their own (sqlite-readers.ts), started at the first search.
  const readers = createSqliteReaders(file);
  const dialect = new WalSyncedSqliteDialect(
    {
      database: async () => {
        await mkdir(path.dirname(file), { recursive: true });
        db = new BetterSqlite3(file);
        try {
          db.pragma('journal_mode = WAL');
          // COMMIT writes the WAL without syncing it; the driver syncs it after every commit,
          // off the event loop, before the commit's promise resolves: an acknowledged
          // message is as durable as with FULL (see wal-sync.ts).
          db.pragma('synchronous = NORMAL');
          // Checkpoints run on a worker thread once ~40 MB of WAL wait (wal-checkpointer.ts):
          // the pages every batch rewrites (the channels, the indexes) are copied once per
          // checkpoint, not ten times as with SQLite's default of ~4 MB. The automatic
          // checkpoint, inside a COMMIT on this thread, stays as a backstop at ~200 MB.
          db.pragma('wal_autocheckpoint = 50000');
          // 64 MiB of page cache instead of SQLite's 2 MiB: a page of history from a long
          // channel otherwise reads its index and table pages from the file again.
          db.pragma('cache_size = -65536');
          db.pragma('foreign_keys = ON');
          db.pragma('busy_timeout = 5000');
        } catch (error) {
          db.close();
          throw error;
        }
        // After the connection above put the file in WAL mode.
        // Its last copy of each round runs while this connection is held (no write).
        checkpointer = new WalCheckpointer(file, {
          quiet: (finish) => kysely.connection().execute(finish),
        });
        return withStatementCache(db, STATEMENT_CACHE_SIZE);
      },
      inTransaction: () => db?.inTransaction === true,
    },
    wal,
    async () => {
      await readers.destroy();
      await checkpointer?.close();
    },
  );
  const kysely = new Kysely<Database>({ dialect, plugins: [new InlineLimitPlugin()] });
  let writeSendBatch: ReturnType<typeof sqliteSendWriter> | undefined;
  natives.set(kysely, {
    readers,
    wal,
    // Holding Kysely's one connection, as its own statements do, and synced as they are.
    writeSendBatch: (rows) =>
      kysely.connection().execute(async () => {
        const channels = (writeSendBatch ??= sqliteSendWriter(db!))(rows);
        await wal.sync();
        return channels;
      }),
  });
  return kysely;
}

/** What runs on a database's better-sqlite3 connection directly, not through Kysely. */
interface NativeSqlite {
  /** Reader threads on the same file, for searches. */
  readers: Kysely<Database>;
  /** Syncs each commit's WAL; reports how long each sync took. */
  wal: WalSync;
  writeSendBatch(rows: SendBatchRows): Promise<Selectable<ChannelsTable>[]>;
}

/** The native side of each database made by createSqliteDatabase. */
const natives = new WeakMap<Kysely<Database>, NativeSqlite>();

function nativeOf(db: Kysely<Database>): NativeSqlite {
  const native = natives.get(db);
  if (native === undefined) throw new Error('not a database made by createSqliteDatabase');
  return native;
}

/** Result codes (and their extended forms, e.g. SQLITE_IOERR_WRITE) that mean the file cannot be used. */
const UNAVAILABLE_CODES = [
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_PERM',
  'SQLITE_NOMEM',
];

export const sqliteAdapter: StorageAdapter = {
  dialect: 'sqlite',
  rowLocks: false,
  searchIndex: sqliteSearchIndex,
  isUnavailable(error) {
    const code = errorCode(error);
    if (code === undefined) return false;
    // Node system errors (EACCES, ENOSPC, EROFS…) come from creating the data folder.
    if (/^E[A-Z]+$/.test(code)) return true;
    return UNAVAILABLE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
  },
  jsonTable(rows, columns, alias) {
    // Rows go as arrays, read by position: SQLite finds an array element faster than an
    // object key. JSON numbers come out as INTEGER and strings as TEXT, as the columns hold.
    const names = Object.keys(columns);
    const select = names.map((column, i) => sql`value ->> ${sql.lit(i)} as ${sql.id(column)}`);
    const json = sqliteAdapter.jsonParameter(rows, columns);
    return sql<(typeof rows)[number]>`(select ${sql.join(select)} from json_each(${json}))`.as(
      alias,
    );
  },
  async tryTransactionLock() {
    return true;
  },
  writeSendBatch: (db, rows) => nativeOf(db).writeSendBatch(rows),
  // A database not made by createSqliteDatabase (none in the server) searches on itself.
  searchDatabase: (db) => natives.get(db)?.readers ?? db,
  onDiskSync(db, observer) {
    const native = natives.get(db);
    if (native !== undefined) native.wal.onSynced = observer;
  },
  jsonParameter(rows, columns) {
    const names = Object.keys(columns) as (keyof (typeof rows)[number] & string)[];
    return JSON.stringify(rows.map((row) => names.map((column) => row[column])));
  },
};
