import { startDeployment } from '../lib/deployment.js';
import { runDmOnParley } from '../lib/dm-run.js';
import { defineScenario, type ResultRow } from '../scenario.js';

export default defineScenario({
  name: 'dm-nodes',
  order: 15,
  description:
    'DM latency across nodes, on PostgreSQL: pairs on one node alone, then each pair split over two nodes sharing Redis (every message crosses Redis); send → message.new at the other end',
  params: {
    pairs: { quick: 20, full: 500, doc: 'DM pairs (two connections each)' },
    intervalMs: { quick: 2000, full: 2000, doc: 'time between two sends of one user' },
    warmupMs: { quick: 2000, full: 5000, doc: 'traffic before the measured phase' },
    durationMs: { quick: 5000, full: 30000, doc: 'length of the measured phase' },
  },
  async run(ctx) {
    const pairs = ctx.num('pairs');
    const sendEveryMs = ctx.num('intervalMs');
    const rows: ResultRow[] = [];
    for (const nodes of [1, 2]) {
      const deployment = await startDeployment({ nodes });
      try {
        const [row] = await runDmOnParley({
          pairs,
          warmup: { sendEveryMs, durationMs: ctx.num('warmupMs') },
          phases: [{ sendEveryMs, durationMs: ctx.num('durationMs') }],
          workers: ctx.workers,
          log: (message) => ctx.log(`${nodes} node(s): ${message}`),
          deployment,
          label:
            nodes === 1
              ? `1 node (PostgreSQL), ${pairs} pairs`
              : `2 nodes (PostgreSQL + Redis), ${pairs} pairs, each across the nodes`,
        });
        rows.push(row!);
      } finally {
        await deployment.stop();
      }
    }
    const p99 = (row: ResultRow | undefined) => row?.metrics['p99_ms'];
    const [one, two] = rows;
    const a = p99(two);
    const b = p99(one);
    rows.push({
      label: 'cross-node − single node',
      metrics: {
        p99_ms_added:
          typeof a === 'number' && typeof b === 'number' ? Math.round((a - b) * 1000) / 1000 : null,
      },
      note: 'goal: p99 within 2 ms of a single node',
    });
    return rows;
  },
});
