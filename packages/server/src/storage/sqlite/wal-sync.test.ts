import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalSync, WalSyncedSqliteDialect } from './wal-sync.js';

interface Tables {
  t: { id: Generated<number>; v: string };
}

/** A WalSync that records, at each sync, the rows a second connection reads from the file. */
class RecordingWalSync extends WalSync {
  readonly seen: number[] = [];
  constructor(
    file: string,
    private readonly count: () => number,
  ) {
    super(file);
  }
  override async sync(): Promise<void> {
    await super.sync();
    this.seen.push(this.count());
  }
}

describe('SQLite commits synced off the event loop', () => {
  let dir: string;
  let db: Kysely<Tables>;
  let wal: RecordingWalSync;
  let reader: BetterSqlite3.Database;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-wal-'));
    const file = path.join(dir, 'db.sqlite');
    let raw: BetterSqlite3.Database | undefined;
    reader = new BetterSqlite3(file);
    reader.pragma('journal_mode = WAL');
    reader.exec('create table t (id integer primary key, v text not null)');
    const count = () => (reader.prepare('select count(*) as n from t').get() as { n: number }).n;
    wal = new RecordingWalSync(file, count);
    db = new Kysely<Tables>({
      dialect: new WalSyncedSqliteDialect(
        {
          database: async () => {
            raw = new BetterSqlite3(file);
            raw.pragma('synchronous = NORMAL');
            return raw;
          },
          inTransaction: () => raw?.inTransaction === true,
        },
        wal,
      ),
    });
  });
  afterEach(async () => {
    await db.destroy();
    reader.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('syncs once per transaction, after its commit and before the transaction resolves', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ v: 'a' }).execute();
      await trx.insertInto('t').values({ v: 'b' }).execute();
      expect(wal.seen).toEqual([]);
    });
    // The sync saw the commit's two rows: it ran after COMMIT, and it was awaited.
    expect(wal.seen).toEqual([2]);
  });

  it('syncs a write made outside a transaction, and not a read', async () => {
    await db.insertInto('t').values({ v: 'a' }).execute();
    expect(wal.seen).toEqual([1]);
    await db.selectFrom('t').selectAll().execute();
    await sql`select count(*) from t`.execute(db);
    expect(wal.seen).toEqual([1]);
    await sql`update t set v = 'z'`.execute(db);
    expect(wal.seen).toEqual([1, 1]);
  });

  it('does not sync a transaction that only read, and syncs the next one that writes', async () => {
    await db.insertInto('t').values({ v: 'a' }).execute();
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('t').selectAll().execute();
    });
    expect(wal.seen).toEqual([1]);
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('t').selectAll().execute();
      await trx.insertInto('t').values({ v: 'b' }).execute();
    });
    expect(wal.seen).toEqual([1, 2]);
  });

  it('fails the commit when the WAL cannot be synced, so that nothing unsynced is acknowledged', async () => {
    wal.sync = () => Promise.reject(new Error('EIO'));
    await expect(db.insertInto('t').values({ v: 'a' }).execute()).rejects.toThrow('EIO');
  });
});
