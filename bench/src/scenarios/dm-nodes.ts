import { startDeployment } from '../lib/deployment.js';
import { runDmOnParley } from '../lib/dm-run.js';
import { defineScenario, type ResultRow } from '../scenario.js';

/** The three deployments compared, each run once per round. */
const VARIANTS = [
  { nodes: 1, placement: 'across', label: '1 node (PostgreSQL)' },
  { nodes: 2, placement: 'within', label: '2 nodes (PostgreSQL + Redis), each pair on one node' },
  {
    nodes: 2,
    placement: 'across',
    label: '2 nodes (PostgreSQL + Redis), each pair across the nodes',
  },
] as const;

export default defineScenario({
  name: 'dm-nodes',
  order: 15,
  description:
    'DM latency across nodes, on PostgreSQL: pairs on one node alone; on two nodes sharing Redis with each pair on one node; then with each pair split over the two (every message crosses Redis); send → message.new at the other end. The three run in turn for several rounds (the order rotated each round); each figure is the median over the rounds, with the p99s’ range',
  params: {
    pairs: { quick: 20, full: 500, doc: 'DM pairs (two connections each)' },
    intervalMs: { quick: 2000, full: 2000, doc: 'time between two sends of one user' },
    warmupMs: { quick: 2000, full: 5000, doc: 'traffic before the measured phase' },
    durationMs: { quick: 5000, full: 20000, doc: 'length of each measured phase' },
    rounds: { quick: 1, full: 3, doc: 'runs of all three variants, in rotated order' },
  },
  async run(ctx) {
    const pairs = ctx.num('pairs');
    const rounds = ctx.num('rounds');
    const sendEveryMs = ctx.num('intervalMs');
    // rowsOf[variant][round]
    const rowsOf: ResultRow[][] = VARIANTS.map(() => []);
    for (let round = 0; round < rounds; round++) {
      // Rotated, so that no variant always runs first (on a colder machine) or last.
      for (let k = 0; k < VARIANTS.length; k++) {
        const v = (round + k) % VARIANTS.length;
        const variant = VARIANTS[v]!;
        const label = `${variant.label}, ${pairs} pairs`;
        const deployment = await startDeployment({ nodes: variant.nodes });
        try {
          const [row] = await runDmOnParley({
            pairs,
            warmup: { sendEveryMs, durationMs: ctx.num('warmupMs') },
            phases: [{ sendEveryMs, durationMs: ctx.num('durationMs') }],
            workers: ctx.workers,
            log: (message) => ctx.log(`round ${round + 1}, ${label}: ${message}`),
            deployment,
            placement: variant.placement,
            label,
          });
          rowsOf[v]![round] = row!;
          ctx.log(`round ${round + 1}, ${label}: p99 ${String(row!.metrics['p99_ms'])} ms`);
        } finally {
          await deployment.stop();
        }
      }
    }
    const [one, within, across] = rowsOf as [ResultRow[], ResultRow[], ResultRow[]];
    const p99 = (row: ResultRow) => row.metrics['p99_ms'] ?? null;
    /** Per round (the variants of one round ran minutes apart), then the median and range. */
    const added = (a: ResultRow[], b: ResultRow[]) =>
      spread(a.map((row, i) => difference(p99(row), p99(b[i]!))));
    const addedRow = (label: string, a: ResultRow[], b: ResultRow[], note?: string): ResultRow => {
      const { median, min, max } = added(a, b);
      return {
        label,
        metrics: { p99_ms_added: median, p99_ms_added_min: min, p99_ms_added_max: max },
        ...(note === undefined ? {} : { note }),
      };
    };
    return [
      ...rowsOf.map((variantRows) => medianRow(variantRows, rounds)),
      addedRow(
        'across the nodes − one node alone',
        across,
        one,
        'goal: p99 within 2 ms of a single node; the median of the rounds’ differences, and their range',
      ),
      addedRow('across the nodes − each pair on one node (the Redis hop alone)', across, within),
    ];
  },
});

/** One row whose every metric is the median over the rounds, with the p99s' range. */
function medianRow(rows: ResultRow[], rounds: number): ResultRow {
  const metrics: Record<string, number | null> = { rounds };
  for (const key of Object.keys(rows[0]!.metrics)) {
    metrics[key] = spread(rows.map((r) => r.metrics[key] ?? null)).median;
  }
  const { min, max } = spread(rows.map((r) => r.metrics['p99_ms'] ?? null));
  return { label: rows[0]!.label, metrics: { ...metrics, p99_ms_min: min, p99_ms_max: max } };
}

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.round((a - b) * 1000) / 1000;
}

/** Median (the mean of the middle two for an even count), lowest and highest; nulls skipped. */
function spread(values: (number | null)[]): {
  median: number | null;
  min: number | null;
  max: number | null;
} {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: null, min: null, max: null };
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    median: Math.round(median * 1000) / 1000,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}
