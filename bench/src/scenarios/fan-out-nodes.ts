import type { FanOutStep, FanOutStepResult, FanOutWorkerInput } from '../load/fan-out-worker.js';
import { startDeployment, type Deployment } from '../lib/deployment.js';
import { climbRates, type StepOutcome } from '../lib/rate-ladder.js';
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

const CID = 'bench:fan-out-nodes';

export default defineScenario({
  name: 'fan-out-nodes',
  order: 35,
  description:
    'One channel with `members` watching, on PostgreSQL: one node alone, then two nodes sharing Redis with the watchers split between them (the sender on the first); the send rate steps up until p99 send → receipt passes p99LimitMs',
  params: {
    members: { quick: 50, full: 1000, doc: 'watching members (receivers), plus one sender' },
    startRate: { quick: 200, full: 10, doc: 'messages/s of the first step; doubles each step' },
    minRate: { quick: 10, full: 1, doc: 'when the first step fails, the rate halves down to this' },
    maxRate: { quick: 20000, full: 5000, doc: 'the ladder stops here even if p99 holds' },
    refineSteps: { quick: 0, full: 3, doc: 'bisections between the last pass and the first fail' },
    stepMs: { quick: 1000, full: 3000, doc: 'length of each step' },
    p99LimitMs: { quick: 50, full: 50, doc: 'the step whose p99 passes this ends the ladder' },
  },
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const nodes of [1, 2]) {
      const deployment = await startDeployment({ nodes });
      try {
        rows.push(await ladderOn(deployment, ctx));
      } finally {
        await deployment.stop();
      }
    }
    const [one, two] = rows;
    const key = 'max_deliveries_per_s';
    rows.push({
      label: '2 nodes ÷ 1 node',
      metrics: { deliveries_ratio: ratio(two?.metrics[key], one?.metrics[key]) },
      note: 'goal ≥ 0.8 on the 2-core machine (both nodes and the load share its cores)',
    });
    return rows;
  },
});

async function ladderOn(deployment: Deployment, ctx: ScenarioContext): Promise<ResultRow> {
  const members = ctx.num('members');
  const { nodes } = deployment;
  const { sender, receivers } = await prepareChannel(deployment, members);
  const meter = serverMeter(nodes[0]!);
  // Worker i connects its receivers to node i mod n: with two workers and two nodes, half
  // the watchers are on the node the sender is not on.
  const inputs: FanOutWorkerInput[] = split(receivers, ctx.workers).map((chunk, i) => ({
    system: 'parley',
    target: { url: nodes[i % nodes.length]!.wsUrl, cid: CID },
    receivers: chunk,
    sender: i === 0 ? sender : null,
  }));
  const group = await startWorkers<FanOutWorkerInput, FanOutStep, FanOutStepResult>(
    new URL('../load/fan-out-worker.js', import.meta.url),
    inputs,
    120_000,
  );
  let steps: StepOutcome[];
  const name = `${nodes.length} node${nodes.length > 1 ? 's' : ''}`;
  try {
    ctx.log(`${name}: ${members} members connected`);
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
      log: (message) => ctx.log(`${name}: ${message}`),
    });
  } finally {
    await group.close();
  }
  const best = steps
    .filter((s) => s.passed)
    .sort((a, b) => a.rate - b.rate)
    .at(-1);
  const ladder = steps
    .map((s) => `${s.rate}/s: ${s.p99Ms === null ? `${s.missing} missing` : `${s.p99Ms} ms`}`)
    .join(' · ');
  return {
    label:
      nodes.length === 1
        ? `1 node (PostgreSQL), ${members} members`
        : `${nodes.length} nodes (PostgreSQL + Redis), ${members} members split`,
    metrics: {
      max_msgs_per_s: best?.messagesPerS ?? null,
      max_deliveries_per_s: best?.deliveriesPerS ?? null,
      p99_ms_at_max: best?.p99Ms ?? null,
      first_node_cpu_pct_at_max: best?.serverCpuPct ?? null,
    },
    note: `p99 per step: ${ladder}`,
  };
}

async function prepareChannel(
  deployment: Deployment,
  members: number,
): Promise<{ sender: BenchUser; receivers: BenchUser[] }> {
  const sdk = sdkFor(deployment.nodes[0]!);
  const ids = Array.from({ length: members }, (_, i) => `fan-out-${i}`);
  const [sender, ...receivers] = await createUsers(sdk, ['fan-out-sender', ...ids]);
  const [type, id] = CID.split(':') as [string, string];
  await sdk.getOrCreateChannel(type, id, {
    members: ids.slice(0, 99),
    createdById: sender!.userId,
  });
  for (let i = 99; i < ids.length; i += 100) await sdk.addMembers(type, id, ids.slice(i, i + 100));
  return { sender: sender!, receivers };
}
