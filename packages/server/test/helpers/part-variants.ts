import type { RedisClients } from '../../src/redis/redis-clients.js';
import { connectedClients, dropRedisKeys, REDIS_AVAILABLE, uniqueRedisPrefix } from './redis.js';

/** One implementation of a part, seen from `count` nodes of one deployment. */
export interface PartNodes<T> {
  /** The part on each node; in process, every node holds the same instance (one process). */
  nodes: T[];
  /** Node `i`'s Redis connections (Redis variants only). */
  clients?: RedisClients[];
  /** The key prefix every node uses (Redis variants only). */
  keyPrefix?: string;
  /** Closes everything and drops what the test stored. */
  close(): Promise<void>;
}

/** How a contract suite gets an implementation; the variant's name comes first in test names. */
export interface PartVariant<T, O> {
  name: 'memory' | 'redis';
  /** Several nodes really are separate (Redis); in process there is one. */
  separateNodes: boolean;
  start(count: number, options: O): Promise<PartNodes<T>>;
}

/** The in-process variant: one instance stands for every node. */
export function memoryVariant<T extends { close(): Promise<void> }, O>(
  create: (options: O) => T,
): PartVariant<T, O> {
  return {
    name: 'memory',
    separateNodes: false,
    async start(count, options) {
      const part = create(options);
      return { nodes: Array.from({ length: count }, () => part), close: () => part.close() };
    },
  };
}

/** The Redis variant: each node has its own connections, all under one fresh key prefix. */
export function redisVariant<T extends { close(): Promise<void> }, O>(
  create: (clients: RedisClients, keyPrefix: string, options: O) => T,
  /** When a node's part can be used (a bus must have subscribed). */
  isReady: (part: T) => boolean = () => true,
): PartVariant<T, O> {
  return {
    name: 'redis',
    separateNodes: true,
    async start(count, options) {
      const prefix = uniqueRedisPrefix();
      const clients = await Promise.all(Array.from({ length: count }, () => connectedClients()));
      const nodes = clients.map((c) => create(c, prefix, options));
      await eventually('every node ready', () => nodes.every(isReady));
      return {
        nodes,
        clients,
        keyPrefix: prefix,
        async close() {
          await Promise.all(nodes.map((n) => n.close()));
          await Promise.all(clients.map((c) => c.close()));
          await dropRedisKeys(prefix);
        },
      };
    },
  };
}

/** The variants to run: in process always, Redis when reachable (see helpers/redis.ts). */
export function variants<T, O>(
  memory: PartVariant<T, O>,
  redis: PartVariant<T, O>,
): PartVariant<T, O>[] {
  return REDIS_AVAILABLE ? [memory, redis] : [memory];
}

/** Polls `check` until it holds (for effects that travel through Redis). */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
