import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IdleUser, IdleWorkerInput } from '../load/idle-worker.js';
import { openFileLimit } from '../lib/fd-limit.js';
import { startServerProcess } from '../lib/server-process.js';
import { createUsers, sdkFor } from '../lib/setup.js';
import { sleep } from '../lib/sleep.js';
import { startWorkers } from '../lib/worker-pool.js';
import { defineScenario, serverMeter, split, type ResultRow } from '../scenario.js';

/** Files either process keeps for itself besides the connections (database, pipes, …). */
const RESERVED_FILES = 200;
/** Client sockets per local address: 127.0.0.1 alone has only ~28,000 ephemeral ports. */
const PER_LOCAL_ADDRESS = 10_000;

export default defineScenario({
  name: 'connections',
  order: 50,
  description:
    'Idle authenticated WebSocket connections held open: server RSS per connection, and server CPU over an idle interval (heartbeats)',
  params: {
    connections: { quick: 500, full: 20000, doc: 'connections to open (up to 50,000)' },
    idleMs: { quick: 5000, full: 30000, doc: 'idle interval over which CPU is measured' },
    heartbeatMs: {
      quick: 2500,
      full: 25000,
      doc: "the server's heartbeat interval (default 25 s)",
    },
    settleMs: { quick: 2000, full: 2000, doc: 'quiet time before each RSS reading' },
  },
  async run(ctx) {
    const wanted = ctx.num('connections');
    const idleMs = ctx.num('idleMs');
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
    const server = await startServerProcess({
      dataDir,
      openFiles: wanted + RESERVED_FILES * 2,
      extraArgs: ['--heartbeat-ms', String(ctx.num('heartbeatMs'))],
    });
    try {
      // Both ends hold one socket per connection: the lower open-file limit caps the count.
      const limits = [openFileLimit('self'), openFileLimit(server.pid)];
      const room = Math.min(...limits.map((l) => l?.soft ?? Infinity)) - RESERVED_FILES;
      const count = Math.min(wanted, room);
      const note =
        count < wanted
          ? `capped at ${count} of ${wanted}: open-file limit ${Math.min(...limits.map((l) => l?.hard ?? Infinity))} (ulimit -Hn); raise the hard limit to open more`
          : undefined;
      if (note !== undefined) ctx.log(note);
      const sdk = sdkFor(server);
      const ids = Array.from({ length: count }, (_, i) => `idle-${i}`);
      const users: IdleUser[] = (await createUsers(sdk, ids)).map((user, i) => ({
        ...user,
        localAddress: `127.0.0.${2 + Math.floor(i / PER_LOCAL_ADDRESS)}`,
      }));
      await sleep(ctx.num('settleMs'));
      const before = server.stats();
      ctx.log(`${count} users ready; opening connections`);
      const opening = performance.now();
      const group = await startWorkers<IdleWorkerInput, undefined, { open: number }>(
        new URL('../load/idle-worker.js', import.meta.url),
        split(users, ctx.workers).map((chunk) => ({ wsUrl: server.wsUrl, users: chunk })),
        120_000 + count * 10,
      );
      try {
        const openS = (performance.now() - opening) / 1000;
        await sleep(ctx.num('settleMs'));
        const held = server.stats();
        const meter = serverMeter(server);
        meter.start();
        await sleep(idleMs);
        const idle = meter.stop();
        const open = (await group.round(undefined, 30_000)).reduce((n, r) => n + r.open, 0);
        const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
        const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
        const row: ResultRow = {
          label: `${count} idle connections`,
          metrics: {
            connections: count,
            still_open: open,
            open_s: Math.round(openS * 10) / 10,
            connections_per_s: Math.round(count / openS),
            rss_before_mb: before === null ? null : mb(before.rssBytes),
            rss_after_mb: held === null ? null : mb(held.rssBytes),
            kb_per_connection:
              before === null || held === null
                ? null
                : kb((held.rssBytes - before.rssBytes) / count),
            idle_s: idleMs / 1000,
            idle_cpu_s: idle.server_cpu_s,
            idle_cpu_pct:
              idle.server_cpu_s === null
                ? null
                : Math.round((idle.server_cpu_s / idleMs) * 1_000_000) / 10,
            server_rss_mb: idle.server_rss_mb,
            server_peak_rss_mb: idle.server_peak_rss_mb,
          },
        };
        if (note !== undefined) row.note = note;
        return [row];
      } finally {
        await group.close();
      }
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});
