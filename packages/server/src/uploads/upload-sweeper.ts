import type { FastifyBaseLogger } from 'fastify';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Storage } from '../storage/storage.js';
import { blobKeysOf } from './upload-blobs.js';

/** Uploads removed per transaction. */
const BATCH = 100;

/**
 * Removes uploads no message took within the retention time, with their blobs. Every node
 * runs one; on PostgreSQL only one of them sweeps at a time (a transaction lock).
 */
export class UploadSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly blobs: BlobStore,
    private readonly logger: FastifyBaseLogger,
    private readonly retentionMs: number,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn({ err }, 'upload sweep failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Removes what is due now; resolves with how many uploads were removed. */
  sweep(now = Date.now()): Promise<number> {
    this.running ??= this.sweepAll(now).finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  private async sweepAll(now: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const uploads = await this.storage.takeUnattachedUploads(now - this.retentionMs, BATCH);
      // The records go first: a blob left by a crash here is never served, only wasted.
      const keys = blobKeysOf(uploads);
      if (keys.length > 0) await this.blobs.delete(keys);
      removed += uploads.length;
      if (uploads.length < BATCH) break;
    }
    if (removed > 0) this.logger.info({ removed }, 'removed uploads no message took');
    return removed;
  }
}
