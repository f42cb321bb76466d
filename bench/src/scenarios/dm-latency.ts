import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DmPair, DmWorkerInput, DmWorkerResult } from '../load/dm-worker.js';
import { mergeHistograms, summarize } from '../lib/histogram.js';
import { createUsers, mapLimit, sdkFor } from '../lib/setup.js';
import { startServerProcess } from '../lib/server-process.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import { defineScenario, serverMeter, split } from '../scenario.js';

export default defineScenario({
  name: 'dm-latency',
  order: 10,
  description:
    'DM pairs over raw WebSocket; each user sends every interval; send → message.new at the other end (SQLite)',
  params: {
    pairs: { quick: 20, full: 500, doc: 'DM pairs (two connections each)' },
    intervalMs: { quick: 2000, full: 2000, doc: 'time between two sends of one user' },
    durationMs: { quick: 5000, full: 30000, doc: 'length of the measured phase' },
  },
  async run(ctx) {
    const pairs = ctx.num('pairs');
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
      ctx.log(`${pairs} DM pairs ready; connecting`);
      const durationMs = ctx.num('durationMs');
      const meter = serverMeter(server);
      const inputs: DmWorkerInput[] = split(dms, ctx.workers).map((chunk) => ({
        wsUrl: server.wsUrl,
        pairs: chunk,
        intervalMs: ctx.num('intervalMs'),
        durationMs,
        drainMs: 5_000,
      }));
      const results = await runPhasedWorkers<DmWorkerInput, DmWorkerResult>(
        new URL('../load/dm-worker.js', import.meta.url),
        inputs,
        {
          readyTimeoutMs: 120_000,
          runTimeoutMs: durationMs + 30_000,
          onStart: () => meter.start(),
        },
      );
      const serverUse = meter.stop();
      const delivery = mergeHistograms(results.map((r) => r.delivery));
      const ack = mergeHistograms(results.map((r) => r.ack));
      const sum = (key: 'sent' | 'acked' | 'delivered' | 'errors') =>
        results.reduce((total, r) => total + r[key], 0);
      const row = {
        label: `${pairs} pairs / ${pairs * 2} conns`,
        metrics: {
          ...summarize(delivery),
          ack_p99_ms: summarize(ack).p99_ms,
          sent: sum('sent'),
          acked: sum('acked'),
          delivered: sum('delivered'),
          errors: sum('errors'),
          deliveries_per_s: Math.round((sum('delivered') / durationMs) * 1000),
          ...serverUse,
        },
      };
      delivery.destroy();
      ack.destroy();
      return [row];
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});
