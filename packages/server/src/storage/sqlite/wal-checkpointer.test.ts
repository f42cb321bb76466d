import { closeSync, openSync, readSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandOff } from './hand-off.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** Frames the WAL holds (mxFrame of the wal-index header in `-shm`; little-endian here). */
function walFrames(file: string): number {
  const header = Buffer.alloc(20);
  const fd = openSync(`${file}-shm`, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32LE(16);
}

describe('SQLite checkpoints on a worker thread', () => {
  let dir: string;
  let file: string;
  let db: BetterSqlite3.Database;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-checkpoint-'));
    file = path.join(dir, 'db.sqlite');
    db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    // No automatic checkpoint: whatever reaches the file is the worker's doing.
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table t (id integer primary key, v text not null)');
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves a WAL shorter than its threshold alone', async () => {
    const insert = db.prepare('insert into t (v) values (?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run('x'.repeat(1_000));
    })();
    const before = (await stat(file)).size;
    const checkpointer = new WalCheckpointer(file, { intervalMs: 20, frames: 100_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await checkpointer.close();
    expect((await stat(file)).size).toBe(before);
  });

  it('copies committed pages from the WAL into the database file, and stops on close', async () => {
    const insert = db.prepare('insert into t (v) values (?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run('x'.repeat(1_000));
    })();
    const before = (await stat(file)).size;
    const checkpointer = new WalCheckpointer(file, { intervalMs: 20, frames: 100 });
    try {
      // Until the copy is complete: the file grows while the checkpoint writes it.
      let size = before;
      for (let waited = 0; size <= before + 1_000_000 && waited < 10_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        size = (await stat(file)).size;
      }
      // 2,000 rows of 1 kB are in the file itself now, not only in the WAL.
      expect(size).toBeGreaterThan(before + 1_000_000);
    } finally {
      await checkpointer.close();
    }
    // The worker's connection is closed: the last connection's close removes the WAL.
    db.close();
    await expect(stat(`${file}-wal`)).rejects.toThrow(/ENOENT/);
    db = new BetterSqlite3(file);
    expect((db.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(2_000);
  });

  it('starts the WAL again under steady writes, copying the last frames while the writer waits', async () => {
    // The server's one connection: the writer and the last copy each take a turn.
    const turns = new HandOff([true]);
    const checkpointer = new WalCheckpointer(file, {
      intervalMs: 10,
      frames: 200,
      quiet: async (finish) => {
        await turns.take();
        try {
          await finish();
        } finally {
          turns.give(true);
        }
      },
    });
    const insert = db.prepare('insert into t (v) values (?)');
    const write = db.transaction(() => insert.run('x'.repeat(2_000)));
    let restarts = 0;
    try {
      let frames = 0;
      for (const end = Date.now() + 1_500; Date.now() < end;) {
        await turns.take();
        write();
        turns.give(true);
        const now = walFrames(file);
        if (now < frames) restarts += 1;
        frames = now;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await checkpointer.close();
    }
    // Without the last copy the checkpoint never catches up with a writer that never
    // pauses, and the WAL grows for as long as it writes (0 restarts).
    expect(restarts).toBeGreaterThanOrEqual(2);
  });
});
