import type { IngestSender, IngestWorkerInput, IngestWorkerResult } from '../load/ingest-worker.js';
import { databaseCpuMeter, usEach } from '../lib/database-cpu.js';
import { cpuSecondsSince } from '../lib/proc-stats.js';
import { mergeHistograms, summarize } from '../lib/histogram.js';
import { storageCeiling } from '../lib/storage-ceiling.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, mapLimit, sdkFor } from '../lib/setup.js';
import { join } from 'node:path';
import { STORAGES_PARAM, storagesOf, withStoragePlace, type Storage } from '../lib/storages.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import {
  defineScenario,
  ratio,
  serverMeter,
  split,
  type ResultRow,
  type ScenarioContext,
} from '../scenario.js';

export default defineScenario({
  name: 'ingest',
  order: 40,
  description:
    'Concurrent senders over WebSocket, each sending its next message when the last is acknowledged (= stored); messages stored per second and ack latency; then the storage ceiling: the same rows written straight through the driver in transactions of the mean batch Parley reached, and the ratio',
  params: {
    senders: { quick: 20, full: 200, doc: 'concurrent sending connections, one channel each' },
    warmupMs: {
      quick: 500,
      full: 5000,
      doc: 'the same sends before the measured phase, not recorded: a server that has run a while',
    },
    durationMs: { quick: 5000, full: 20000, doc: 'length of the measured phase, per storage' },
    storages: STORAGES_PARAM,
  },
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const storage of storagesOf(ctx.str('storages')))
      rows.push(...(await ingestOn(ctx, storage)));
    return rows;
  },
});

function ingestOn(ctx: ScenarioContext, storage: Storage): Promise<ResultRow[]> {
  return withStoragePlace(storage, async (place) => {
    const server = await startServerProcess(place);
    // One meter for Parley's phase and the ceiling's.
    const database = await databaseCpuMeter(place.databaseUrl);
    let parley: ResultRow;
    let senders: IngestSender[];
    let batchSize: number;
    try {
      const sdk = sdkFor(server);
      const count = ctx.num('senders');
      const users = await createUsers(
        sdk,
        Array.from({ length: count }, (_, i) => `ingest-${i}`),
      );
      senders = await mapLimit(users, 16, async (user) => {
        await sdk.getOrCreateChannel('bench', user.userId, {
          members: [user.userId],
          createdById: user.userId,
        });
        return { ...user, cid: `bench:${user.userId}` };
      });
      const durationMs = ctx.num('durationMs');
      let batchesBefore = { sum: 0, count: 0 };
      const meter = serverMeter(server);
      const started = { at: 0, client: process.cpuUsage() };
      const results = await runPhasedWorkers<IngestWorkerInput, IngestWorkerResult>(
        new URL('../load/ingest-worker.js', import.meta.url),
        split(senders, ctx.workers).map((chunk) => ({
          wsUrl: server.wsUrl,
          senders: chunk,
          warmupMs: ctx.num('warmupMs'),
          durationMs,
        })),
        {
          readyTimeoutMs: ctx.num('warmupMs') + 60_000,
          runTimeoutMs: durationMs + 60_000,
          onStart: async () => {
            // After the warm-up: its batches are not the measured phase's.
            batchesBefore = await sendBatches(server.url);
            started.at = performance.now();
            started.client = process.cpuUsage();
            meter.start();
            database?.start();
          },
        },
      );
      const elapsedS = (performance.now() - started.at) / 1000;
      const serverUse = meter.stop();
      const database_cpu_s = database?.stop() ?? null;
      const client_cpu_s = cpuSecondsSince(started.client);
      const batches = await sendBatches(server.url);
      // The transactions of the measured phase: the mean is what the ceiling writes.
      batchSize = (batches.sum - batchesBefore.sum) / (batches.count - batchesBefore.count);
      // Count what the server says it stored: the sum of the channels' last seq, less the
      // warm-up's messages (all acknowledged, so stored, before the measured phase).
      const warmupAcked = results.reduce((total, r) => total + r.warmupAcked, 0);
      const stored =
        (
          await mapLimit(
            senders,
            16,
            async (s) =>
              (await sdk.getChannel('bench', s.userId, { messageLimit: 0 })).channel.last_seq,
          )
        ).reduce((a, b) => a + b, 0) - warmupAcked;
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
          mean_batch: Math.round(batchSize * 10) / 10,
          ...serverUse,
          server_cpu_us_per_message: usEach(serverUse.server_cpu_s, acked),
          database_cpu_s,
          database_cpu_us_per_message: usEach(database_cpu_s, acked),
          client_cpu_s,
          client_cpu_us_per_message: usEach(client_cpu_s, acked),
        },
      };
      ack.destroy();
      if (stored < acked) row.note = `only ${stored} of ${acked} acknowledged messages are stored`;
      parley = row;
    } finally {
      await server.stop();
    }
    const ceilingBatch = Math.max(1, Math.round(batchSize));
    database?.start();
    const client = process.cpuUsage();
    const ceiling = await storageCeiling({
      sqlitePath: place.databaseUrl === undefined ? join(place.dataDir, 'parley.db') : undefined,
      databaseUrl: place.databaseUrl,
      channels: senders.map(({ cid, userId }) => ({ cid, userId })),
      batchSize: ceilingBatch,
      durationMs: ctx.num('durationMs'),
    });
    const database_cpu_s = database?.stop() ?? null;
    const client_cpu_s = cpuSecondsSince(client);
    const label = `${storage}: storage ceiling (direct writes, batches of ${ceilingBatch})`;
    const messages = ratio(parley.metrics['messages_per_s'], ceiling.messagesPerS);
    return [
      parley,
      {
        label,
        metrics: {
          messages_per_s: ceiling.messagesPerS,
          transactions: ceiling.transactions,
          database_cpu_s,
          database_cpu_us_per_message: usEach(database_cpu_s, ceiling.messages),
          client_cpu_s,
          client_cpu_us_per_message: usEach(client_cpu_s, ceiling.messages),
        },
      },
      { label: `${storage}: Parley ÷ ceiling`, metrics: { messages_ratio: messages } },
    ];
  });
}

/** The server's `parley_send_batch_size` histogram: transactions and messages in them. */
async function sendBatches(url: string): Promise<{ count: number; sum: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sample = (name: string) =>
    Number(
      new RegExp(`^parley_send_batch_size_${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1],
    );
  return { count: sample('count'), sum: sample('sum') };
}
