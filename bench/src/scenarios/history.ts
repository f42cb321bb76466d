import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type {
  HistoryFloorWorkerInput,
  HistoryFloorWorkerResult,
} from '../load/history-floor-worker.js';
import type { HistoryWorkerInput, HistoryWorkerResult } from '../load/history-worker.js';
import { databaseCpuMeter, msEach, type DatabaseCpuMeter } from '../lib/database-cpu.js';
import { mergeHistograms, summarize } from '../lib/histogram.js';
import { postgresHistorySeeder, sqliteHistorySeeder } from '../lib/seed-history.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, sdkFor } from '../lib/setup.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import { STORAGES_PARAM, storagesOf, withStoragePlace, type Storage } from '../lib/storages.js';
import {
  defineScenario,
  ratio,
  serverMeter,
  type ResultRow,
  type ScenarioContext,
} from '../scenario.js';

export default defineScenario({
  name: 'history',
  order: 60,
  description:
    'GET /channels/:type/:id/messages?limit=50&before=<id> at random positions of one channel holding `messages`; then the same page query straight against the database (the storage floor, one connection per request in flight) and the ratio of the p99s (goal ≤ 2)',
  params: {
    messages: {
      quick: 10000,
      full: 1000000,
      doc: 'messages in the channel (seeded by direct SQL)',
    },
    limit: { quick: 50, full: 50, doc: 'page size' },
    concurrency: { quick: 4, full: 4, doc: 'requests in flight' },
    warmupMs: {
      quick: 500,
      full: 5000,
      doc: 'the same requests before the measured phase, not recorded (server and floor alike): a server that has run a while',
    },
    durationMs: { quick: 3000, full: 15000, doc: 'length of the measured phase, per storage' },
    storages: STORAGES_PARAM,
  },
  async run(ctx) {
    if (ctx.num('messages') <= ctx.num('limit'))
      throw new Error('history.messages must be larger than history.limit');
    const rows: ResultRow[] = [];
    for (const storage of storagesOf(ctx.str('storages')))
      rows.push(...(await historyOn(ctx, storage)));
    return rows;
  },
});

function historyOn(ctx: ScenarioContext, storage: Storage): Promise<ResultRow[]> {
  const total = ctx.num('messages');
  const limit = ctx.num('limit');
  return withStoragePlace(storage, async (place) => {
    const { dataDir, databaseUrl } = place;
    const options = { ...place, secret: randomBytes(32).toString('hex') };
    let server = await startServerProcess(options);
    let token: string;
    try {
      const sdk = sdkFor(server);
      token = (await createUsers(sdk, ['history-author']))[0]!.token;
      await sdk.getOrCreateChannel('bench', 'history', { members: ['history-author'] });
      await sdk.sendMessage('bench', 'history', {
        id: 'h-1',
        userId: 'history-author',
        text: 'first',
      });
    } finally {
      await server.stop();
    }
    const seedStart = Date.now();
    const seed =
      databaseUrl === undefined
        ? sqliteHistorySeeder(join(dataDir, 'parley.db'))
        : postgresHistorySeeder(databaseUrl);
    await seed('bench:history', total);
    ctx.log(`${storage}: seeded ${total} messages in ${(Date.now() - seedStart) / 1000} s`);
    server = await startServerProcess(options);
    // One meter for the server's phase and the floor's.
    const database = await databaseCpuMeter(databaseUrl);
    let parley: ResultRow;
    try {
      const meter = serverMeter(server);
      const durationMs = ctx.num('durationMs');
      const [result] = await runPhasedWorkers<HistoryWorkerInput, HistoryWorkerResult>(
        new URL('../load/history-worker.js', import.meta.url),
        [
          {
            messagesUrl: `${server.url}/channels/bench/history/messages`,
            token,
            total,
            limit,
            concurrency: ctx.num('concurrency'),
            warmupMs: ctx.num('warmupMs'),
            durationMs,
            maxRequests: 1_000_000,
          },
        ],
        {
          readyTimeoutMs: ctx.num('warmupMs') + 30_000,
          runTimeoutMs: durationMs + 60_000,
          onStart: () => {
            meter.start();
            database?.start();
          },
        },
      );
      const use = meter.stop();
      const database_cpu_s = database?.stop() ?? null;
      if (result === undefined) throw new Error('no result from the history worker');
      const latency = mergeHistograms([result.latency]);
      const row = {
        label: `${total} messages, ${storage}`,
        metrics: {
          ...summarize(latency),
          requests_per_s: Math.round((result.requests / durationMs) * 1000),
          errors: result.errors,
          ...use,
          server_cpu_ms_per_page: msEach(use.server_cpu_s, result.requests),
          database_cpu_s,
          database_cpu_ms_per_page: msEach(database_cpu_s, result.requests),
        },
      };
      latency.destroy();
      parley = row;
    } finally {
      await server.stop();
    }
    const floor = await historyFloor(
      ctx,
      {
        sqlitePath: databaseUrl === undefined ? join(dataDir, 'parley.db') : undefined,
        databaseUrl,
        cid: 'bench:history',
        total,
        limit,
        warmupMs: ctx.num('warmupMs'),
        durationMs: ctx.num('durationMs'),
      },
      database,
    );
    floor.label = `${total} messages, ${storage}: storage floor (direct query)`;
    const p99 = ratio(parley.metrics['p99_ms'], floor.metrics['p99_ms']);
    return [parley, floor, { label: `${storage}: Parley ÷ floor`, metrics: { p99_ratio: p99 } }];
  });
}

/** The page query run straight against the database, `concurrency` connections at once. */
async function historyFloor(
  ctx: ScenarioContext,
  input: HistoryFloorWorkerInput,
  database: DatabaseCpuMeter | null,
): Promise<ResultRow> {
  const results = await runPhasedWorkers<HistoryFloorWorkerInput, HistoryFloorWorkerResult>(
    new URL('../load/history-floor-worker.js', import.meta.url),
    Array.from({ length: ctx.num('concurrency') }, () => input),
    {
      readyTimeoutMs: input.warmupMs + 30_000,
      runTimeoutMs: input.durationMs + 60_000,
      onStart: () => database?.start(),
    },
  );
  const database_cpu_s = database?.stop() ?? null;
  const latency = mergeHistograms(results.map((r) => r.latency));
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const row: ResultRow = {
    label: 'direct query',
    metrics: {
      ...summarize(latency),
      requests_per_s: Math.round((requests / input.durationMs) * 1000),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      database_cpu_s,
      database_cpu_ms_per_page: msEach(database_cpu_s, requests),
    },
  };
  latency.destroy();
  return row;
}
