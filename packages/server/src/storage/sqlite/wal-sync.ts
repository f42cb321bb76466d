import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CompiledQuery } from 'kysely';
import { HandOff } from './hand-off.js';
import {
  SelectQueryNode,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';

/*
 * Durable SQLite commits that do not stop the event loop.
 *
 * With `synchronous = FULL` SQLite fsyncs the WAL inside COMMIT, and better-sqlite3 runs
 * COMMIT on the main thread: every commit stopped the whole server for one fsync (3–12 ms
 * on the bench machine's disk), during which no socket was written and no frame read. The
 * fan-out bench, one message at a time to 1,000 watchers, reached only 9 messages/s
 * within its 50 ms p99, and DM p99 was 24 ms.
 *
 * So SQLite runs with `synchronous = NORMAL` (in WAL mode: COMMIT writes the WAL but does
 * not sync it; checkpoints still sync the WAL before copying it and the database file
 * after), and each commit is followed by an fdatasync of the WAL file on libuv's thread
 * pool. The commit's promise resolves only once that sync is done, and the connection is
 * held until then, so nothing reads what is not yet durable: an acknowledged message is
 * on disk exactly as with FULL, and the event loop keeps serving sockets meanwhile.
 * Statements that write outside a transaction are synced the same way.
 */

/** The `-wal` file of a database in WAL mode, synced on demand. */
export class WalSync {
  private handle: FileHandle | undefined;
  private opening: Promise<FileHandle | undefined> | undefined;
  /** Told how long each fdatasync took, in seconds (the server's metrics). */
  onSynced: ((seconds: number) => void) | undefined;

  constructor(private readonly databaseFile: string) {}

  /** Flushes what the WAL holds to the disk (nothing to do before the WAL exists). */
  async sync(): Promise<void> {
    const handle = this.handle ?? (await (this.opening ??= this.open()));
    if (handle === undefined) return;
    const start = performance.now();
    await handle.datasync();
    this.onSynced?.((performance.now() - start) / 1_000);
  }

  async close(): Promise<void> {
    const handle = this.handle ?? (await this.opening);
    this.handle = undefined;
    this.opening = undefined;
    await handle?.close();
  }

  private async open(): Promise<FileHandle | undefined> {
    try {
      const handle = await open(`${this.databaseFile}-wal`, 'r+');
      // The WAL's own entry in its folder must be durable too, once.
      const folder = await open(path.dirname(this.databaseFile), 'r');
      try {
        await folder.datasync();
      } finally {
        await folder.close();
      }
      this.handle = handle;
      return handle;
    } catch (error) {
      this.opening = undefined;
      // SQLite creates the WAL with its first write: nothing to sync before that.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

/** Kysely's SQLite dialect, with each commit synced through `wal` (see above). */
export class WalSyncedSqliteDialect extends SqliteDialect {
  constructor(
    private readonly dialectConfig: SqliteDialectConfig & { inTransaction(): boolean },
    private readonly wal: WalSync,
    /** Runs before the connection closes (the checkpoint worker's own connection goes first). */
    private readonly beforeClose: () => Promise<void> | undefined = () => undefined,
  ) {
    super(dialectConfig);
  }

  override createDriver(): Driver {
    return new WalSyncedDriver(this.dialectConfig, this.wal, this.beforeClose);
  }
}

class WalSyncedDriver extends SqliteDriver {
  private readonly connections = new WeakMap<DatabaseConnection, DatabaseConnection>();
  /** Turns at the one connection (see HandOff). */
  private readonly turns = new HandOff([true]);

  constructor(
    private readonly driverConfig: SqliteDialectConfig & { inTransaction(): boolean },
    private readonly wal: WalSync,
    private readonly beforeClose: () => Promise<void> | undefined,
  ) {
    super(driverConfig);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely's own lock then never has a waiter (see HandOff).
    await this.turns.take();
    let connection: DatabaseConnection;
    try {
      connection = await super.acquireConnection();
    } catch (error) {
      this.turns.give(true);
      throw error;
    }
    let synced = this.connections.get(connection);
    if (synced === undefined) {
      synced = this.synced(connection);
      this.connections.set(connection, synced);
    }
    return synced;
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.turns.give(true);
  }

  override async destroy(): Promise<void> {
    await this.beforeClose();
    await super.destroy();
    await this.wal.close();
  }

  /** The connection, syncing the WAL after each statement that may have committed a write. */
  private synced(connection: DatabaseConnection): DatabaseConnection {
    const { wal, driverConfig } = this;
    // Whether a statement of the open transaction may have written: a transaction that only
    // read (the outbox loops' look for work, twice a second each at rest) commits nothing
    // to sync.
    let wrote = false;
    return {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        const wasOpen = driverConfig.inTransaction();
        const result = await connection.executeQuery<R>(query);
        const writes = mayWrite(query);
        if (driverConfig.inTransaction()) {
          wrote ||= writes;
          return result;
        }
        // The end of a transaction that wrote, or a write outside one; not BEGIN nor
        // anything inside a transaction.
        const sync = wasOpen ? wrote : writes;
        wrote = false;
        if (sync) await wal.sync();
        return result;
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }
}

function mayWrite(query: CompiledQuery): boolean {
  if (SelectQueryNode.is(query.query)) return false;
  return !/^\s*(select\b|begin\b|pragma\s+\w+\s*$)/i.test(query.sql);
}
