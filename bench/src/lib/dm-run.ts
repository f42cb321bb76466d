import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DmPair, DmWorkerInput, DmWorkerResult } from '../load/dm-worker.js';
import { serverMeter, split, type ResultRow } from '../scenario.js';
import { deliveryMetrics } from './delivery-metrics.js';
import { startServerProcess } from './server-process.js';
import { createUsers, mapLimit, sdkFor } from './setup.js';
import { runPhasedWorkers } from './worker-pool.js';

/** The DM workload of `dm-latency` (and of `polling`, which compares with it). */
export interface DmRunOptions {
  pairs: number;
  /** Time between two sends of one user. */
  intervalMs: number;
  /** Same traffic before the measured phase, not recorded. */
  warmupMs: number;
  durationMs: number;
  workers: number;
  log(message: string): void;
}

/**
 * Starts a Parley server on SQLite, makes `pairs` DMs and runs the DM workers: each user
 * sends every interval and the other end times the `message.new`. One row of metrics.
 */
export async function runDmOnParley(options: DmRunOptions): Promise<ResultRow> {
  const { pairs, durationMs } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const server = await startServerProcess({ dataDir });
  try {
    const sdk = sdkFor(server);
    const ids = Array.from({ length: pairs * 2 }, (_, i) => `dm-${i}`);
    const users = await createUsers(sdk, ids);
    const dms: DmPair[] = await mapLimit(
      Array.from({ length: pairs }, (_, i) => i),
      16,
      async (i) => {
        const a = users[2 * i]!;
        const b = users[2 * i + 1]!;
        const { channel } = await sdk.getOrCreateDirectChannel('messaging', [a.userId, b.userId]);
        return { cid: channel.cid, users: [a, b] };
      },
    );
    options.log(`${pairs} DM pairs ready; connecting and warming up`);
    const meter = serverMeter(server);
    const inputs: DmWorkerInput[] = split(dms, options.workers).map((chunk) => ({
      wsUrl: server.wsUrl,
      pairs: chunk,
      intervalMs: options.intervalMs,
      warmupMs: options.warmupMs,
      durationMs,
      drainMs: 5_000,
    }));
    const results = await runPhasedWorkers<DmWorkerInput, DmWorkerResult>(
      new URL('../load/dm-worker.js', import.meta.url),
      inputs,
      {
        readyTimeoutMs: 120_000 + options.warmupMs,
        runTimeoutMs: durationMs + 30_000,
        onStart: () => meter.start(),
      },
    );
    const serverUse = meter.stop();
    return {
      label: `${pairs} pairs / ${pairs * 2} conns`,
      metrics: { ...deliveryMetrics(results, durationMs), ...serverUse },
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
