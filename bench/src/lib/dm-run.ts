import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DmPair, DmWorkerInput, DmWorkerResult } from '../load/dm-worker.js';
import { split, windowMeter, type ResultRow, type ServerUse } from '../scenario.js';
import { conversationHistory } from './conversation-history.js';
import { deliveryMetrics } from './delivery-metrics.js';
import type { TrafficPhase } from './phased-timer.js';
import type { Deployment } from './deployment.js';
import { startServerProcess } from './server-process.js';
import { createUsers, mapLimit, sdkFor } from './setup.js';
import { pauseMeter } from './server-pauses.js';
import { runPhasedWorkers } from './worker-pool.js';

/** The DM workload of `dm-latency` (and of `polling`, which compares with it). */
export interface DmRunOptions {
  pairs: number;
  /**
   * Messages each DM holds before the warm-up (`conversationHistory`, sent through the
   * server SDK, not measured). Default 0.
   */
  historyMessages?: number;
  /** Traffic before the measured phases, not recorded. */
  warmup: TrafficPhase;
  /** Measured back to back on the same connections: one row each. */
  phases: TrafficPhase[];
  workers: number;
  log(message: string): void;
  /** Run on these nodes instead of a fresh SQLite server. The caller stops it. */
  deployment?: Deployment;
  /**
   * With several nodes: `across` puts the first user of each pair on the first node and
   * the second on the second; `within` keeps each pair on one node, worker i's pairs on
   * node i mod n. Default `across`.
   */
  placement?: 'across' | 'within';
  /** The row's label; default `<pairs> pairs / <connections> conns`. */
  label?: string;
  /**
   * Runs once the run's own SQLite server has stopped, before its folder is removed: the
   * database file and each DM with its first user (the polling scenario's storage floor).
   */
  afterStop?: (databaseFile: string, dms: readonly DmPair[]) => Promise<void> | void;
}

/**
 * Starts a Parley server on SQLite, makes `pairs` DMs and runs the DM workers: each user
 * sends every `sendEveryMs` and the other end times the `message.new`. One row a phase,
 * the server's CPU read over exactly that phase's time.
 */
export async function runDmOnParley(options: DmRunOptions): Promise<ResultRow[]> {
  const { pairs, phases } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const own = options.deployment === undefined;
  const nodes = options.deployment?.nodes ?? [await startServerProcess({ dataDir })];
  const server = nodes[0]!;
  let dms: DmPair[] = [];
  let ran = false;
  try {
    const sdk = sdkFor(server);
    const ids = Array.from({ length: pairs * 2 }, (_, i) => `dm-${i}`);
    const users = await createUsers(sdk, ids);
    const history = conversationHistory(options.historyMessages ?? 0);
    dms = await mapLimit(
      Array.from({ length: pairs }, (_, i) => i),
      16,
      async (i) => {
        const pair: DmPair['users'] = [users[2 * i]!, users[2 * i + 1]!];
        const { channel } = await sdk.getOrCreateDirectChannel('messaging', [
          pair[0].userId,
          pair[1].userId,
        ]);
        for (const { author, text, createdAt } of history) {
          await sdk.sendMessage(channel.type, channel.id, {
            userId: pair[author].userId,
            text,
            createdAt,
          });
        }
        return { cid: channel.cid, users: pair };
      },
    );
    options.log(`${pairs} DM pairs ready (${history.length} messages each); warming up`);
    // Every node's CPU: on several nodes the first one's alone is half the work.
    const meters = nodes.map((node) =>
      windowMeter(
        node,
        phases.map((p) => p.durationMs),
      ),
    );
    // The first node's event-loop stalls and GC over each phase: what a tail is made of.
    const pauses = pauseMeter(
      server.url,
      phases.map((p) => p.durationMs),
    );
    const within = options.placement === 'within';
    const inputs: DmWorkerInput[] = split(dms, options.workers).map((chunk, i) => ({
      wsUrl: within ? nodes[i % nodes.length]!.wsUrl : server.wsUrl,
      peerWsUrl: within ? nodes[i % nodes.length]!.wsUrl : nodes[1]?.wsUrl,
      pairs: chunk,
      warmup: options.warmup,
      phases,
      drainMs: 5_000,
    }));
    const results = await runPhasedWorkers<DmWorkerInput, DmWorkerResult[]>(
      new URL('../load/dm-worker.js', import.meta.url),
      inputs,
      {
        readyTimeoutMs: 120_000 + options.warmup.durationMs,
        runTimeoutMs: phases.reduce((total, p) => total + p.durationMs, 30_000),
        onStart: () => {
          meters.forEach((m) => m.start());
          pauses.start();
        },
      },
    );
    const [serverUse, ...otherUse] = meters.map((m) => m.stop()) as [ServerUse[], ...ServerUse[][]];
    const serverPauses = await pauses.stop();
    const rows = phases.map((phase, i): ResultRow => {
      const phaseResults = results.map((r) => r[i]!);
      const perSecond = (count: number) => Math.round((count / phase.durationMs) * 1000);
      const sum = (key: 'sent' | 'framesOut') => phaseResults.reduce((n, r) => n + r[key], 0);
      return {
        label: options.label ?? `${pairs} pairs / ${pairs * 2} conns`,
        metrics: {
          ...deliveryMetrics(phaseResults, phase.durationMs),
          // In: the message.send frames; out: their answers and every event.
          frames_in_per_s: perSecond(sum('sent')),
          frames_out_per_s: perSecond(sum('framesOut')),
          ...serverUse[i]!,
          ...serverPauses[i]!,
          ...(otherUse.length === 0
            ? {}
            : {
                all_nodes_cpu_s: allNodesCpu(
                  serverUse[i]!,
                  otherUse.map((u) => u[i]!),
                ),
              }),
        },
      };
    });
    ran = true;
    return rows;
  } finally {
    try {
      if (own) await server.stop();
      if (own && ran) await options.afterStop?.(join(dataDir, 'parley.db'), dms);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
}

/** The CPU seconds of every node over one phase; null when a node's could not be read. */
function allNodesCpu(first: ServerUse, others: ServerUse[]): number | null {
  let total = 0;
  for (const use of [first, ...others]) {
    if (use.server_cpu_s === null) return null;
    total += use.server_cpu_s;
  }
  return Math.round(total * 100) / 100;
}
