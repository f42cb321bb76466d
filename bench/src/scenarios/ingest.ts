import type { IngestSender, IngestWorkerInput, IngestWorkerResult } from '../load/ingest-worker.js';
import { mergeHistograms, summarize } from '../lib/histogram.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, mapLimit, sdkFor } from '../lib/setup.js';
import { STORAGES_PARAM, storagesOf, withStoragePlace, type Storage } from '../lib/storages.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import {
  defineScenario,
  serverMeter,
  split,
  type ResultRow,
  type ScenarioContext,
} from '../scenario.js';

export default defineScenario({
  name: 'ingest',
  order: 40,
  description:
    'Concurrent senders over WebSocket, each sending its next message when the last is acknowledged (= stored); messages stored per second and ack latency',
  params: {
    senders: { quick: 20, full: 200, doc: 'concurrent sending connections, one channel each' },
    durationMs: { quick: 5000, full: 20000, doc: 'length of the measured phase, per storage' },
    storages: STORAGES_PARAM,
  },
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const storage of storagesOf(ctx.str('storages'))) rows.push(await ingestOn(ctx, storage));
    return rows;
  },
});

function ingestOn(ctx: ScenarioContext, storage: Storage): Promise<ResultRow> {
  return withStoragePlace(storage, async (place) => {
    const server = await startServerProcess(place);
    try {
      const sdk = sdkFor(server);
      const count = ctx.num('senders');
      const users = await createUsers(
        sdk,
        Array.from({ length: count }, (_, i) => `ingest-${i}`),
      );
      const senders: IngestSender[] = await mapLimit(users, 16, async (user) => {
        await sdk.getOrCreateChannel('bench', user.userId, {
          members: [user.userId],
          createdById: user.userId,
        });
        return { ...user, cid: `bench:${user.userId}` };
      });
      const durationMs = ctx.num('durationMs');
      const meter = serverMeter(server);
      const started = { at: 0 };
      const results = await runPhasedWorkers<IngestWorkerInput, IngestWorkerResult>(
        new URL('../load/ingest-worker.js', import.meta.url),
        split(senders, ctx.workers).map((chunk) => ({
          wsUrl: server.wsUrl,
          senders: chunk,
          durationMs,
        })),
        {
          readyTimeoutMs: 60_000,
          runTimeoutMs: durationMs + 60_000,
          onStart: () => {
            started.at = performance.now();
            meter.start();
          },
        },
      );
      const elapsedS = (performance.now() - started.at) / 1000;
      const serverUse = meter.stop();
      // Count what the server says it stored: the sum of the channels' last seq.
      const stored = (
        await mapLimit(
          senders,
          16,
          async (s) =>
            (await sdk.getChannel('bench', s.userId, { messageLimit: 0 })).channel.last_seq,
        )
      ).reduce((a, b) => a + b, 0);
      const ack = mergeHistograms(results.map((r) => r.ack));
      const acked = results.reduce((total, r) => total + r.acked, 0);
      const row: ResultRow = {
        label: storage,
        metrics: {
          messages_per_s: Math.round(acked / elapsedS),
          acked,
          stored,
          errors: results.reduce((total, r) => total + r.errors, 0),
          ack_p50_ms: summarize(ack).p50_ms,
          ack_p99_ms: summarize(ack).p99_ms,
          ack_max_ms: summarize(ack).max_ms,
          ...serverUse,
        },
      };
      ack.destroy();
      if (stored < acked) row.note = `only ${stored} of ${acked} acknowledged messages are stored`;
      return row;
    } finally {
      await server.stop();
    }
  });
}
