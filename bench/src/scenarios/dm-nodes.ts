import { startDeployment } from '../lib/deployment.js';
import { runDmOnParley } from '../lib/dm-run.js';
import { defineScenario, type ResultRow } from '../scenario.js';

export default defineScenario({
  name: 'dm-nodes',
  order: 15,
  description:
    'DM latency across nodes, on PostgreSQL: pairs on one node alone; on two nodes sharing Redis with each pair on one node; then with each pair split over the two (every message crosses Redis); send → message.new at the other end',
  params: {
    pairs: { quick: 20, full: 500, doc: 'DM pairs (two connections each)' },
    intervalMs: { quick: 2000, full: 2000, doc: 'time between two sends of one user' },
    warmupMs: { quick: 2000, full: 5000, doc: 'traffic before the measured phase' },
    durationMs: { quick: 5000, full: 30000, doc: 'length of the measured phase' },
  },
  async run(ctx) {
    const pairs = ctx.num('pairs');
    const sendEveryMs = ctx.num('intervalMs');
    const runs = [
      { nodes: 1, placement: 'across', label: `1 node (PostgreSQL), ${pairs} pairs` },
      {
        nodes: 2,
        placement: 'within',
        label: `2 nodes (PostgreSQL + Redis), ${pairs} pairs, each on one node`,
      },
      {
        nodes: 2,
        placement: 'across',
        label: `2 nodes (PostgreSQL + Redis), ${pairs} pairs, each across the nodes`,
      },
    ] as const;
    const rows: ResultRow[] = [];
    for (const run of runs) {
      const deployment = await startDeployment({ nodes: run.nodes });
      try {
        const [row] = await runDmOnParley({
          pairs,
          warmup: { sendEveryMs, durationMs: ctx.num('warmupMs') },
          phases: [{ sendEveryMs, durationMs: ctx.num('durationMs') }],
          workers: ctx.workers,
          log: (message) => ctx.log(`${run.label}: ${message}`),
          deployment,
          placement: run.placement,
          label: run.label,
        });
        rows.push(row!);
      } finally {
        await deployment.stop();
      }
    }
    const [one, within, across] = rows;
    const added = (a: ResultRow | undefined, b: ResultRow | undefined) => {
      const x = a?.metrics['p99_ms'];
      const y = b?.metrics['p99_ms'];
      return typeof x === 'number' && typeof y === 'number'
        ? Math.round((x - y) * 1000) / 1000
        : null;
    };
    rows.push(
      {
        label: 'across the nodes − one node alone',
        metrics: { p99_ms_added: added(across, one) },
        note: 'goal: p99 within 2 ms of a single node',
      },
      {
        label: 'across the nodes − each pair on one node (the Redis hop alone)',
        metrics: { p99_ms_added: added(across, within) },
      },
    );
    return rows;
  },
});
