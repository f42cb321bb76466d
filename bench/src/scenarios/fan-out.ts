import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FanOutSystem, FanOutTarget } from '../load/fan-out/fan-out-client.js';
import type { FanOutStep, FanOutStepResult, FanOutWorkerInput } from '../load/fan-out-worker.js';
import { startChildServer, type ChildServer } from '../lib/child-server.js';
import { climbRates, type StepOutcome } from '../lib/rate-ladder.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, sdkFor, type BenchUser } from '../lib/setup.js';
import { startWorkers } from '../lib/worker-pool.js';
import {
  defineScenario,
  ratio,
  serverMeter,
  split,
  type ResultRow,
  type ScenarioContext,
} from '../scenario.js';

const CID = 'bench:fan-out';

/** A broadcast system started for one run, with the users its workers connect as. */
interface Started {
  server: ChildServer;
  target: FanOutTarget;
  receivers: BenchUser[];
  sender: BenchUser;
  cleanup(): Promise<void>;
}

const LABELS: Record<FanOutSystem, string> = {
  parley: 'Parley (stores every message)',
  ws: 'bare ws broadcast (no storage)',
  'socket.io': 'Socket.IO room (no storage)',
};

export default defineScenario({
  name: 'fan-out',
  order: 30,
  description:
    'One channel with `members` watching; the send rate steps up until p99 send → receipt (at every member) passes p99LimitMs; the same load on a bare ws broadcast server and a Socket.IO room',
  params: {
    members: { quick: 50, full: 1000, doc: 'watching members (receivers), plus one sender' },
    startRate: { quick: 200, full: 10, doc: 'messages/s of the first step; doubles each step' },
    minRate: { quick: 10, full: 1, doc: 'when the first step fails, the rate halves down to this' },
    maxRate: { quick: 20000, full: 5000, doc: 'the ladder stops here even if p99 holds' },
    refineSteps: { quick: 0, full: 3, doc: 'bisections between the last pass and the first fail' },
    stepMs: { quick: 1000, full: 3000, doc: 'length of each step' },
    p99LimitMs: { quick: 50, full: 50, doc: 'the step whose p99 passes this ends the ladder' },
    systems: {
      quick: 'parley,ws,socket.io',
      full: 'parley,ws,socket.io',
      doc: 'comma-separated: parley, ws, socket.io',
    },
  },
  async run(ctx) {
    const rows = new Map<FanOutSystem, ResultRow>();
    for (const system of ctx.str('systems').split(',').filter(Boolean)) {
      if (!(system in LABELS)) throw new Error(`unknown system ${system}`);
      rows.set(system as FanOutSystem, await fanOutOn(ctx, system as FanOutSystem));
    }
    const parley = rows.get('parley');
    const versus = (other: FanOutSystem, goal: string): ResultRow[] => {
      const base = rows.get(other);
      if (parley === undefined || base === undefined) return [];
      const key = 'max_deliveries_per_s';
      return [
        {
          label: `Parley ÷ ${other}`,
          metrics: { deliveries_ratio: ratio(parley.metrics[key], base.metrics[key]) },
          note: `goal ${goal}`,
        },
      ];
    };
    return [...rows.values(), ...versus('ws', '≥ 0.7'), ...versus('socket.io', '≥ 2')];
  },
});

async function fanOutOn(ctx: ScenarioContext, system: FanOutSystem): Promise<ResultRow> {
  const members = ctx.num('members');
  const started = await start(system, members);
  try {
    const meter = serverMeter(started.server);
    const inputs: FanOutWorkerInput[] = split(started.receivers, ctx.workers).map((chunk, i) => ({
      system,
      target: started.target,
      receivers: chunk,
      sender: i === 0 ? started.sender : null,
    }));
    const group = await startWorkers<FanOutWorkerInput, FanOutStep, FanOutStepResult>(
      new URL('../load/fan-out-worker.js', import.meta.url),
      inputs,
      120_000,
    );
    let steps: StepOutcome[];
    try {
      ctx.log(`${system}: ${members} members connected`);
      steps = await climbRates(group, {
        startRate: ctx.num('startRate'),
        minRate: ctx.num('minRate'),
        maxRate: ctx.num('maxRate'),
        refineSteps: ctx.num('refineSteps'),
        stepMs: ctx.num('stepMs'),
        drainMs: 10_000,
        receivers: members,
        p99LimitMs: ctx.num('p99LimitMs'),
        meter,
        log: (message) => ctx.log(`${system}: ${message}`),
      });
    } finally {
      await group.close();
    }
    return toRow(system, members, steps, ctx.num('p99LimitMs'), meter.stop());
  } finally {
    await started.cleanup();
  }
}

function toRow(
  system: FanOutSystem,
  members: number,
  steps: StepOutcome[],
  limitMs: number,
  serverUse: ReturnType<ReturnType<typeof serverMeter>['stop']>,
): ResultRow {
  const best = steps
    .filter((s) => s.passed)
    .sort((a, b) => a.rate - b.rate)
    .at(-1);
  // The lowest rate that failed (both tries) above the best one.
  const broke = steps
    .filter((s) => !s.passed && s.rate > (best?.rate ?? 0))
    .sort((a, b) => a.rate - b.rate)[0];
  const ladder = steps
    .map((s) => {
      const p99 = s.p99Ms === null ? `${s.missing} missing` : `${s.p99Ms} ms`;
      return `${s.rate}/s: ${p99}${s.dropped > 0 ? ` (${s.dropped} slow receivers dropped)` : ''}`;
    })
    .join(' · ');
  return {
    label: `${LABELS[system]}, ${members} members`,
    metrics: {
      max_msgs_per_s: best?.messagesPerS ?? null,
      max_deliveries_per_s: best?.deliveriesPerS ?? null,
      p99_ms_at_max: best?.p99Ms ?? null,
      server_cpu_pct_at_max: best?.serverCpuPct ?? null,
      next_msgs_per_s: broke?.messagesPerS ?? null,
      p99_ms_at_next: broke?.p99Ms ?? null,
      server_rss_mb: serverUse.server_rss_mb,
      server_peak_rss_mb: serverUse.server_peak_rss_mb,
    },
    note:
      broke === undefined
        ? `p99 stayed under ${limitMs} ms up to maxRate (${ladder}): raise fan-out.maxRate`
        : `p99 per step: ${ladder}`,
  };
}

const BASELINES: Record<Exclude<FanOutSystem, 'parley'>, { script: string; ready: RegExp }> = {
  ws: { script: 'ws-broadcast-server.js', ready: /ws broadcast server at (ws:\/\/\S+)/ },
  'socket.io': {
    script: 'socket-io-room-server.js',
    ready: /Socket.IO room server at (http:\/\/\S+)/,
  },
};

async function start(system: FanOutSystem, members: number): Promise<Started> {
  if (system !== 'parley') {
    const baseline = BASELINES[system];
    const server = await startChildServer({
      name: `${system} baseline`,
      args: [fileURLToPath(new URL(`../baselines/${baseline.script}`, import.meta.url))],
      readyPattern: baseline.ready,
    });
    const user = (userId: string) => ({ userId, token: '' });
    return {
      server,
      target: { url: server.url, cid: CID },
      receivers: Array.from({ length: members }, (_, i) => user(`fan-out-${i}`)),
      sender: user('fan-out-sender'),
      cleanup: () => server.stop(),
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const cleanup = async (server?: ChildServer) => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const server = await startServerProcess({ dataDir }).catch(async (error: unknown) => {
    await cleanup();
    throw error;
  });
  try {
    const sdk = sdkFor(server);
    const ids = Array.from({ length: members }, (_, i) => `fan-out-${i}`);
    const [sender, ...receivers] = await createUsers(sdk, ['fan-out-sender', ...ids]);
    const [type, id] = CID.split(':') as [string, string];
    await sdk.getOrCreateChannel(type, id, {
      members: ids.slice(0, 99),
      createdById: sender!.userId,
    });
    for (let i = 99; i < ids.length; i += 100)
      await sdk.addMembers(type, id, ids.slice(i, i + 100));
    return {
      server,
      target: { url: server.wsUrl, cid: CID },
      receivers,
      sender: sender!,
      cleanup: () => cleanup(server),
    };
  } catch (error) {
    await cleanup(server);
    throw error;
  }
}
