import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * Checkpoints of the WAL, off the event loop.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint,
 * and better-sqlite3 runs COMMIT on the main thread: the copy of the WAL into the
 * database file and its two fsyncs stopped the whole server. With 1,000 DM users posting
 * every 2 s (issue 18, goal 4) that was one stall of 10–70 ms every few seconds, the
 * messages' p99.9 and max. A worker thread with its own connection to the same file now
 * runs the PASSIVE checkpoints (they wait for no reader nor writer), and the server's
 * connection keeps an automatic checkpoint only as a far backstop, should the worker
 * ever fall behind. Durability is unchanged: every commit still syncs the WAL
 * before it is acknowledged (wal-sync.ts), and a checkpoint syncs the WAL before it
 * copies and the database file after.
 */

/**
 * The worker's code, run with `eval` so that it loads the same from src/ (tests) and dist/.
 * It reads how many WAL frames wait for a checkpoint from the wal-index header in the
 * `-shm` file (https://www.sqlite.org/walformat.html#the_wal_index_header: mxFrame, a u32
 * in native byte order at byte 16; nBackfill, at byte 96), a read of 100 bytes, and
 * checkpoints once `frames` wait: as often as SQLite's own autocheckpoint did, so the
 * pages rewritten by every batch are copied no more often than before.
 *
 * The WAL starts again from its first frame only when a write finds every frame of it
 * copied. Under a steady load the server commits while the checkpoint copies (every few
 * milliseconds with 1,000 DM users), so the copy never caught up: the WAL grew to SQLite's
 * backstop (50,000 frames, ~5 s at that load) and that checkpoint ran inside a COMMIT on
 * the event loop, 10–20 ms, the slowest sends of the DM bench. So after its copy the worker
 * asks the server (`catch-up`) for a moment without writes, copies the few frames left
 * (`finish`), and the next write starts the WAL again.
 */
const WORKER_SOURCE = `
const { openSync, readSync, closeSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const header = Buffer.alloc(100);
let shm;
const waiting = () => {
  try {
    shm ??= openSync(workerData.file + '-shm', 'r');
    if (readSync(shm, header, 0, 100, 0) < 100) return 0;
    const le = require('node:os').endianness() === 'LE';
    const max = le ? header.readUInt32LE(16) : header.readUInt32BE(16);
    const backfilled = le ? header.readUInt32LE(96) : header.readUInt32BE(96);
    return max - backfilled;
  } catch (error) {
    // No -shm yet, or unreadable: checkpoint anyway, as the interval passed.
    return Infinity;
  }
};
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // A busy or failed checkpoint is tried again at the next tick; the backstop remains.
  }
};
// Asked the server for a moment without writes to copy the frames committed meanwhile.
let asked = false;
const tick = () => {
  if (asked || waiting() < workerData.frames) return;
  checkpoint();
  if (workerData.catchUp && waiting() > 0) {
    asked = true;
    parentPort.postMessage('catch-up');
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'finish') {
    checkpoint();
    asked = false;
    parentPort.postMessage('finished');
    return;
  }
  if (message !== 'close') return;
  clearInterval(timer);
  if (shm !== undefined) closeSync(shm);
  db.close();
  parentPort.close();
});
`;

/** When the worker checkpoints. */
export interface WalCheckpointerOptions {
  /** How often it looks at the WAL. Default 200 ms. */
  intervalMs?: number;
  /** Frames (pages) waiting in the WAL that start a checkpoint. Default 10,000 (~40 MB). */
  frames?: number;
  /**
   * Runs `finish` while nothing writes to the file (holding the server's connection), for
   * the worker to copy the last frames so that the WAL can start again. Without it the
   * WAL starts again only when a checkpoint happens to end with no commit during it.
   */
  quiet?: (finish: () => Promise<void>) => Promise<void>;
}

/** How long the server waits, holding its connection, for the worker's last copy. */
const FINISH_TIMEOUT_MS = 1_000;

/** A worker thread checkpointing one SQLite file's WAL once enough of it waits. */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;
  private finished: (() => void) | undefined;

  constructor(
    file: string,
    private readonly options: WalCheckpointerOptions = {},
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const intervalMs = options.intervalMs ?? 200;
    const frames = options.frames ?? 10_000;
    const catchUp = options.quiet !== undefined;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver, intervalMs, frames, catchUp },
    });
    // A worker that fails leaves the checkpoints to SQLite's backstop: nothing to crash for.
    this.worker.on('error', () => {});
    this.worker.on('message', (message) => {
      if (message === 'catch-up') void this.catchUp();
      else if (message === 'finished') this.finished?.();
    });
    this.exited = once(this.worker, 'exit').catch(() => undefined);
    // The thread never keeps the process alive; the server's sockets do while it serves.
    this.worker.unref();
  }

  /** Stops the checkpoints and closes the worker's connection. */
  async close(): Promise<void> {
    this.worker.postMessage('close');
    await this.exited;
  }

  /** Lets the worker copy the WAL's last frames while the server writes nothing. */
  private async catchUp(): Promise<void> {
    let asked = false;
    try {
      await this.options.quiet!(async () => {
        asked = true;
        const done = new Promise<void>((resolve) => (this.finished = resolve));
        this.worker.postMessage('finish');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          done,
          this.exited,
          new Promise((resolve) => (timer = setTimeout(resolve, FINISH_TIMEOUT_MS))),
        ]);
        clearTimeout(timer);
        this.finished = undefined;
      });
    } catch {
      // The database is closing: nothing left to catch up with.
    }
    // The worker waits for its `finish` before it checkpoints again: never leave it waiting.
    if (!asked) this.worker.postMessage('finish');
  }
}
