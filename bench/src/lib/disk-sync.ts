import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLatencyHistogram, recordMs, summarize, type LatencySummary } from './histogram.js';
import { sleep } from './sleep.js';

/**
 * The disk's own commit latency, as a baseline for delivery latencies that include one:
 * `syncs` times, append 12 KB (three pages, a small batch's WAL frames) to a file in a
 * fresh folder of the bench's temporary directory (where SQLite servers keep their data)
 * and `datasync()` it on libuv's thread pool, as Parley's WAL sync does, `gapMs` apart.
 */
export async function diskSyncLatency(syncs: number, gapMs: number): Promise<LatencySummary> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-sync-'));
  const histogram = createLatencyHistogram();
  try {
    const file = await open(join(dir, 'probe'), 'w');
    try {
      const pages = Buffer.alloc(3 * 4096, 1);
      for (let i = 0; i < syncs; i++) {
        await file.write(pages);
        const start = performance.now();
        await file.datasync();
        recordMs(histogram, performance.now() - start);
        await sleep(gapMs);
      }
    } finally {
      await file.close();
    }
    return summarize(histogram);
  } finally {
    histogram.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
