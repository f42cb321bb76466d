import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LegacyPair } from '../baselines/atas-legacy-log-server.js';
import type { PollWorkerInput, PollWorkerResult } from '../load/poll-worker.js';
import { startChildServer } from '../lib/child-server.js';
import { runDmOnParley } from '../lib/dm-run.js';
import { deliveryMetrics } from '../lib/delivery-metrics.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import {
  defineScenario,
  ratio,
  serverMeter,
  split,
  type ResultRow,
  type ScenarioContext,
} from '../scenario.js';

const ATAS_SERVER = fileURLToPath(
  new URL('../baselines/atas-legacy-log-server.js', import.meta.url),
);

export default defineScenario({
  name: 'polling',
  order: 20,
  description:
    "The same DM users on ATAS's legacy Communication Log, each polling its conversation every pollMs, then on Parley over WebSocket; delivery = POST → first poll that returns it",
  params: {
    pairs: { quick: 20, full: 500, doc: 'organizer/speaker pairs, one conversation each' },
    intervalMs: { quick: 2000, full: 2000, doc: 'time between two posts of one user' },
    pollMs: {
      quick: 10000,
      full: 10000,
      doc: 'time between two polls of one user (old front end: 10 s)',
    },
    warmupMs: { quick: 2000, full: 5000, doc: 'Parley run: same traffic first, not recorded' },
    durationMs: { quick: 10000, full: 30000, doc: 'length of the measured phase, per system' },
  },
  async run(ctx) {
    const pairs = ctx.num('pairs');
    const polling = await pollingRow(ctx);
    const parley = await runDmOnParley({
      pairs,
      intervalMs: ctx.num('intervalMs'),
      warmupMs: ctx.num('warmupMs'),
      durationMs: ctx.num('durationMs'),
      workers: ctx.workers,
      log: (message) => ctx.log(message),
    });
    parley.label = `Parley WebSocket, ${pairs * 2} users`;
    const users = pairs * 2;
    const cpuPerUserMs = (row: ResultRow) => {
      const cpu = row.metrics['server_cpu_s'];
      return typeof cpu === 'number' ? Math.round((cpu * 1e6) / users) / 1000 : null;
    };
    polling.metrics['cpu_ms_per_user'] = cpuPerUserMs(polling);
    parley.metrics['cpu_ms_per_user'] = cpuPerUserMs(parley);
    const divide = (key: string) => ratio(polling.metrics[key], parley.metrics[key]);
    return [
      polling,
      parley,
      {
        label: 'polling ÷ Parley',
        metrics: {
          mean_latency_ratio: divide('mean_ms'),
          p99_latency_ratio: divide('p99_ms'),
          cpu_per_user_ratio: divide('cpu_ms_per_user'),
        },
        note: 'goals: mean latency ratio ≥ 500, CPU per user ratio ≥ 10',
      },
    ];
  },
});

/** The ATAS API in a child process, its legacy log polled and posted to by the workers. */
async function pollingRow(ctx: ScenarioContext): Promise<ResultRow> {
  const pairs = ctx.num('pairs');
  const durationMs = ctx.num('durationMs');
  const pollMs = ctx.num('pollMs');
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-atas-'));
  try {
    const atas = await startChildServer({
      name: 'ATAS API',
      args: [ATAS_SERVER, '--data-dir', dataDir, '--pairs', String(pairs)],
      readyPattern: /ATAS legacy log at (http:\/\/\S+)/,
      startTimeoutMs: 60_000 + pairs * 100,
    });
    try {
      const seeded = JSON.parse(await readFile(join(dataDir, 'seed.json'), 'utf8')) as LegacyPair[];
      ctx.log(`ATAS API seeded with ${pairs} conversations; polling every ${pollMs} ms`);
      const meter = serverMeter(atas);
      // CPU over the measured phase only, not the drain in which polls pick up the last posts.
      let window: ReturnType<typeof meter.stop> | undefined;
      let timer: NodeJS.Timeout | undefined;
      const drainMs = pollMs + 2_000;
      const results = await runPhasedWorkers<PollWorkerInput, PollWorkerResult>(
        new URL('../load/poll-worker.js', import.meta.url),
        split(seeded, ctx.workers).map((chunk) => ({
          url: atas.url,
          pairs: chunk,
          pollMs,
          intervalMs: ctx.num('intervalMs'),
          durationMs,
          drainMs,
        })),
        {
          readyTimeoutMs: 60_000,
          runTimeoutMs: durationMs + drainMs + 30_000,
          onStart: () => {
            meter.start();
            timer = setTimeout(() => (window = meter.stop()), durationMs);
          },
        },
      );
      clearTimeout(timer);
      const row: ResultRow = {
        label: `ATAS legacy log, ${pollMs / 1000} s polling, ${pairs * 2} users`,
        metrics: {
          ...deliveryMetrics(results, durationMs),
          polls: results.reduce((total, r) => total + r.polls, 0),
          ...(window ?? meter.stop()),
        },
      };
      return row;
    } finally {
      await atas.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
