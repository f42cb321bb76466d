import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { deferCleanup } from './cleanup.js';
import { createBenchDatabase } from './postgres-database.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** The Redis several nodes share; each run uses a key prefix of its own and deletes it. */
export const REDIS_URL = process.env['PARLEY_BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Parley nodes on one fresh PostgreSQL database, sharing Redis when there are several. */
export interface Deployment {
  nodes: ServerProcess[];
  stop(): Promise<void>;
}

export interface DeploymentOptions {
  nodes: number;
  /** Extra CLI flags for every node. */
  extraArgs?: string[];
  /** Open-file limit of each node (see startServerProcess). */
  openFiles?: number;
}

/**
 * Starts `nodes` Parley processes on a fresh PostgreSQL database. One node runs alone (no
 * Redis), as a single-node deployment does; several share `REDIS_URL` under a fresh prefix.
 */
export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const database = await createBenchDatabase();
  const secret = randomBytes(32).toString('hex');
  const prefix = `parley-bench:${randomBytes(6).toString('hex')}:`;
  const dirs: string[] = [];
  const nodes: ServerProcess[] = [];
  const stop = deferCleanup(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    if (options.nodes > 1) await dropKeys(prefix);
    await database.drop();
  });
  try {
    for (let i = 0; i < options.nodes; i++) {
      const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
      dirs.push(dataDir);
      const redis =
        options.nodes > 1 ? ['--redis-url', REDIS_URL, '--redis-key-prefix', prefix] : [];
      nodes.push(
        await startServerProcess({
          dataDir,
          databaseUrl: database.url,
          secret,
          openFiles: options.openFiles,
          extraArgs: [...redis, '--node-id', `bench-${i + 1}`, ...(options.extraArgs ?? [])],
        }),
      );
    }
    // Started means migrated; healthy also means subscribed to Redis.
    await Promise.all(nodes.map((n) => untilHealthy(n.url)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, stop };
}

async function untilHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (
    (await fetch(`${url}/health`)
      .then((r) => r.status)
      .catch(() => 0)) !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`${url} is not healthy`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function dropKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
