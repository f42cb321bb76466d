import type { IdleUser, IdleWorkerInput } from '../load/idle-worker.js';
import { startDeployment } from '../lib/deployment.js';
import { openFileLimit } from '../lib/fd-limit.js';
import { createUsers, sdkFor } from '../lib/setup.js';
import { sleep } from '../lib/sleep.js';
import { startWorkers } from '../lib/worker-pool.js';
import { defineScenario, split, type ResultRow } from '../scenario.js';

/**
 * Files a node keeps for itself besides connections (database pool, Redis, pipes, …). At
 * start-up its module loader opens files in parallel: a limit much under 600 can fail there
 * (EMFILE) before any connection.
 */
const RESERVED_FILES = 100;
/** Client sockets per local address: 127.0.0.1 alone has only ~28,000 ephemeral ports. */
const PER_LOCAL_ADDRESS = 10_000;

export default defineScenario({
  name: 'connections-nodes',
  order: 55,
  description:
    'Idle connections held by two nodes sharing Redis, each under an open-file limit of perNodeFiles: together they hold twice what one node can',
  params: {
    perNodeFiles: {
      quick: 600,
      full: 8000,
      doc: 'open-file limit (ulimit -n) of each node; one node holds at most this many connections',
    },
    settleMs: { quick: 1000, full: 2000, doc: 'quiet time before the counts are read' },
  },
  async run(ctx) {
    const perNode = ctx.num('perNodeFiles');
    const room = perNode - RESERVED_FILES;
    const own = openFileLimit('self')?.soft ?? Infinity;
    const count = Math.min(2 * room, own - 200);
    const deployment = await startDeployment({ nodes: 2, openFiles: perNode });
    try {
      const { nodes } = deployment;
      const sdk = sdkFor(nodes[0]!);
      const ids = Array.from({ length: count }, (_, i) => `idle-${i}`);
      const users: IdleUser[] = (await createUsers(sdk, ids)).map((user, i) => ({
        ...user,
        localAddress: `127.0.0.${2 + Math.floor(i / PER_LOCAL_ADDRESS)}`,
      }));
      await sleep(ctx.num('settleMs'));
      const before = nodes.map((n) => n.stats()?.rssBytes ?? null);
      const opening = performance.now();
      // Two halves, each to its own node: worker i connects to node i mod 2.
      const halves = split(users, 2);
      const inputs: IdleWorkerInput[] = halves.map((half, i) => ({
        wsUrl: nodes[i % nodes.length]!.wsUrl,
        users: half,
      }));
      const group = await startWorkers<IdleWorkerInput, undefined, { open: number }>(
        new URL('../load/idle-worker.js', import.meta.url),
        inputs,
        120_000 + count * 10,
      );
      try {
        const openS = (performance.now() - opening) / 1000;
        await sleep(ctx.num('settleMs'));
        const held = await Promise.all(nodes.map((n) => connectionsOf(n.url)));
        const after = nodes.map((n) => n.stats()?.rssBytes ?? null);
        const open = (await group.round(undefined, 30_000)).reduce((n, r) => n + r.open, 0);
        const grown = after.map((a, i) =>
          a === null || before[i] === null ? null : a - before[i]!,
        );
        const kb =
          grown.every((g) => g !== null) && open > 0
            ? Math.round(grown.reduce((n, g) => n + g!, 0) / open / 102.4) / 10
            : null;
        const row: ResultRow = {
          label: `2 nodes (PostgreSQL + Redis), ulimit -n ${perNode} each`,
          metrics: {
            connections: count,
            still_open: open,
            one_node_max: room,
            held_by_node_1: held[0] ?? null,
            held_by_node_2: held[1] ?? null,
            times_one_node: Math.round((open / room) * 100) / 100,
            open_s: Math.round(openS * 10) / 10,
            kb_per_connection: kb,
          },
          note: 'goal: 2 × what one node holds under the same limit',
        };
        if (count < 2 * room) row.note = `capped at ${count} by the bench's own open-file limit`;
        return [row];
      } finally {
        await group.close();
      }
    } finally {
      await deployment.stop();
    }
  },
});

/** The node's `parley_connections` gauge. */
async function connectionsOf(url: string): Promise<number | null> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const match = /^parley_connections\{[^}]*\} (\d+)/m.exec(text);
  return match === null ? null : Number(match[1]);
}
