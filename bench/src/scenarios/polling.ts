import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LegacyPair } from '../baselines/atas-legacy-log-server.js';
import type { PollWorkerInput, PollWorkerResult } from '../load/poll-worker.js';
import { startChildServer } from '../lib/child-server.js';
import { storageCeiling } from '../lib/storage-ceiling.js';
import { runDmOnParley } from '../lib/dm-run.js';
import { deliveryMetrics } from '../lib/delivery-metrics.js';
import type { TrafficPhase } from '../lib/phased-timer.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import {
  defineScenario,
  ratio,
  split,
  windowMeter,
  type ResultRow,
  type ScenarioContext,
} from '../scenario.js';

const ATAS_SERVER = fileURLToPath(
  new URL('../baselines/atas-legacy-log-server.js', import.meta.url),
);

/** What both systems run: a warm-up, then measured windows back to back. */
interface TrafficPlan {
  warmup: TrafficPhase;
  phases: TrafficPhase[];
}

export default defineScenario({
  name: 'polling',
  order: 20,
  description:
    "The same DM users on ATAS's legacy Communication Log (every poll returns the whole conversation, history included), then on Parley over WebSocket, at the issue's rate and at a conversational one; delivery = POST → first poll that returns it",
  params: {
    pairs: { quick: 20, full: 500, doc: 'organizer/speaker pairs, one conversation each' },
    historyMessages: {
      quick: 30,
      full: 30,
      doc: 'messages in each conversation before the warm-up, in both systems',
    },
    sendEveryMs: {
      quick: 2000,
      full: 2000,
      doc: "time between two posts of one user: the issue's workload",
    },
    quietSendEveryMs: {
      quick: 20000,
      full: 60000,
      doc: 'the same at a conversational rate (quick: shorter, so that its few users post)',
    },
    pollMs: {
      quick: 10000,
      full: 10000,
      doc: 'time between two polls of one user (old front end: 10 s)',
    },
    warmupMs: {
      quick: 2000,
      full: 5000,
      doc: 'both systems: sendEveryMs traffic before the measured windows, not recorded',
    },
    durationMs: {
      quick: 6000,
      full: 30000,
      doc: 'length of each measured window (quiet rate, then sendEveryMs), per system',
    },
    floorMs: {
      quick: 2000,
      full: 10000,
      doc: "the storage floor of a lone send: Parley's rows written one message per transaction",
    },
  },
  async run(ctx) {
    const durationMs = ctx.num('durationMs');
    const busy = { sendEveryMs: ctx.num('sendEveryMs'), durationMs };
    const quiet = { sendEveryMs: ctx.num('quietSendEveryMs'), durationMs };
    const plan: TrafficPlan = {
      warmup: { sendEveryMs: busy.sendEveryMs, durationMs: ctx.num('warmupMs') },
      // Quiet first: it adds the fewest messages to the conversations the busy window reads.
      phases: [quiet, busy],
    };
    const polling = await pollingRows(ctx, plan);
    let floor: LonesendFloor | undefined;
    const parley = await runDmOnParley({
      pairs: ctx.num('pairs'),
      historyMessages: ctx.num('historyMessages'),
      ...plan,
      workers: ctx.workers,
      log: (message) => ctx.log(message),
      afterStop: async (file, dms) => {
        floor = await lonesendFloor(
          file,
          dms.map((dm) => ({ cid: dm.cid, userId: dm.users[0].userId })),
          ctx.num('floorMs'),
        );
      },
    });
    if (floor === undefined) throw new Error('the storage floor did not run');
    const users = ctx.num('pairs') * 2;
    return [
      ...compare(
        polling[1]!,
        parley[1]!,
        busy,
        users,
        floor.cpuMsPerMessage,
        'goals: mean latency ratio ≥ 500, CPU per user ratio ≥ 10',
      ),
      ...compare(
        polling[0]!,
        parley[0]!,
        quiet,
        users,
        floor.cpuMsPerMessage,
        'the same users writing as organizers and speakers do',
      ),
      floor.row,
    ];
  },
});

/** The storage floor's row, and its CPU per message for the ratios. */
interface LonesendFloor {
  row: ResultRow;
  cpuMsPerMessage: number;
}

/**
 * What storing a message costs on its own: Parley's rows for each message (message, event,
 * channel bump, read position, statistics, with every index and trigger of its schema, the
 * search index's among them) written into the run's own database straight through
 * better-sqlite3, one transaction per message as a lone send commits, synced as Parley syncs
 * (storage-ceiling.ts). CPU per message is this process's, synchronous on its main thread
 * (the load threads have finished).
 */
async function lonesendFloor(
  file: string,
  channels: { cid: string; userId: string }[],
  durationMs: number,
): Promise<LonesendFloor> {
  const start = process.cpuUsage();
  const written = await storageCeiling({ sqlitePath: file, channels, batchSize: 1, durationMs });
  const cpu = process.cpuUsage(start);
  const cpuMsPerMessage = Math.round((cpu.user + cpu.system) / written.messages) / 1000;
  const row: ResultRow = {
    label: "sqlite: storage floor of a lone send (Parley's rows, one message per transaction)",
    metrics: {
      messages_per_s: written.messagesPerS,
      cpu_ms_per_message: cpuMsPerMessage,
    },
    note: 'cpu_per_user_ratio_at_floor above: polling ÷ this CPU for each message Parley stored in the window, as if storing were all a server did',
  };
  return { row, cpuMsPerMessage };
}

/** The two systems' rows of one rate, labelled, with CPU per user and their ratios. */
function compare(
  polling: ResultRow,
  parley: ResultRow,
  phase: TrafficPhase,
  users: number,
  floorCpuMs: number,
  note: string,
): ResultRow[] {
  const rate = `a post every ${phase.sendEveryMs / 1000} s`;
  for (const row of [polling, parley]) {
    const cpu = row.metrics['server_cpu_s'];
    row.metrics['cpu_ms_per_user'] =
      typeof cpu === 'number' ? Math.round((cpu * 1e6) / users) / 1000 : null;
  }
  polling.label = `${polling.label}, ${users} users, ${rate}`;
  parley.label = `Parley WebSocket, ${users} users, ${rate}`;
  const divide = (key: string) => ratio(polling.metrics[key], parley.metrics[key]);
  const sent = parley.metrics['sent'];
  parley.metrics['cpu_ms_per_message'] =
    typeof parley.metrics['server_cpu_s'] === 'number' && typeof sent === 'number' && sent > 0
      ? Math.round((parley.metrics['server_cpu_s'] * 1e6) / sent) / 1000
      : null;
  const atFloor =
    typeof sent === 'number'
      ? ratio(polling.metrics['server_cpu_s'], (floorCpuMs * sent) / 1000)
      : null;
  return [
    polling,
    parley,
    {
      label: `polling ÷ Parley, ${rate}`,
      metrics: {
        mean_latency_ratio: divide('mean_ms'),
        p99_latency_ratio: divide('p99_ms'),
        cpu_per_user_ratio: divide('cpu_ms_per_user'),
        cpu_per_user_ratio_at_floor: atFloor,
      },
      note,
    },
  ];
}

/** The ATAS API in a child process, its legacy log polled and posted to by the workers. */
async function pollingRows(ctx: ScenarioContext, plan: TrafficPlan): Promise<ResultRow[]> {
  const pairs = ctx.num('pairs');
  const pollMs = ctx.num('pollMs');
  const history = ctx.num('historyMessages');
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-atas-'));
  try {
    const atas = await startChildServer({
      name: 'ATAS API',
      args: [
        ATAS_SERVER,
        '--data-dir',
        dataDir,
        '--pairs',
        String(pairs),
        '--history',
        String(history),
      ],
      readyPattern: /ATAS legacy log at (http:\/\/\S+)/,
      startTimeoutMs: 60_000 + pairs * 100,
    });
    try {
      const seeded = JSON.parse(await readFile(join(dataDir, 'seed.json'), 'utf8')) as LegacyPair[];
      ctx.log(
        `ATAS API: ${pairs} conversations of ${history} messages; polling every ${pollMs} ms`,
      );
      // Each window's CPU is read by a timer at its end: the polls that go on afterwards only
      // pick up the last posts for the latency.
      const meter = windowMeter(
        atas,
        plan.phases.map((p) => p.durationMs),
      );
      const drainMs = pollMs + 2_000;
      const results = await runPhasedWorkers<PollWorkerInput, PollWorkerResult[]>(
        new URL('../load/poll-worker.js', import.meta.url),
        split(seeded, ctx.workers).map((chunk) => ({
          url: atas.url,
          pairs: chunk,
          pollMs,
          ...plan,
          drainMs,
        })),
        {
          readyTimeoutMs: 60_000 + plan.warmup.durationMs,
          runTimeoutMs: plan.phases.reduce((total, p) => total + p.durationMs, drainMs + 30_000),
          onStart: () => meter.start(),
        },
      );
      const serverUse = meter.stop();
      return plan.phases.map((phase, i) => {
        const phaseResults = results.map((r) => r[i]!);
        const sum = (key: 'polls' | 'pollBytes' | 'sent') =>
          phaseResults.reduce((n, r) => n + r[key], 0);
        return {
          label: `ATAS legacy log, ${pollMs / 1000} s polling`,
          metrics: {
            ...deliveryMetrics(phaseResults, phase.durationMs),
            // GETs and POSTs started in the window, each answered by one response.
            requests_per_s: Math.round(((sum('polls') + sum('sent')) / phase.durationMs) * 1000),
            kb_per_poll:
              sum('polls') === 0 ? null : Math.round(sum('pollBytes') / sum('polls')) / 1000,
            ...serverUse[i]!,
          },
        };
      });
    } finally {
      await atas.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
