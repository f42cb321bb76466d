import { Redis, type RedisOptions } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/** How a node reaches Redis. */
export interface RedisClientsOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. */
  url: string;
  logger: FastifyBaseLogger;
}

/**
 * A node's three Redis connections, each with its own job:
 * - `commands` (presence, typing, rate limits) fails fast while Redis is away
 *   (no offline queue), so a request never hangs on it; its callers fall back to what
 *   this node knows;
 * - `publisher` queues publishes while Redis is away and sends them once it is back
 *   (bounded by ioredis's retries per command), so a short blip loses no fan-out;
 * - `subscriber` is in subscribe mode, where Redis takes no other command.
 * All three reconnect by themselves with capped, jittered backoff.
 */
export class RedisClients {
  readonly commands: Redis;
  readonly publisher: Redis;
  readonly subscriber: Redis;
  private lastErrorLog = 0;

  constructor(private readonly options: RedisClientsOptions) {
    this.commands = this.create('commands', { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.publisher = this.create('publisher', { maxRetriesPerRequest: 20 });
    this.subscriber = this.create('subscriber', { autoResubscribe: false });
  }

  /** True while every connection is up. */
  get ready(): boolean {
    return (
      this.commands.status === 'ready' &&
      this.publisher.status === 'ready' &&
      this.subscriber.status === 'ready'
    );
  }

  /** Starts connecting; resolves at once (connections retry in the background). */
  connect(): void {
    for (const client of [this.commands, this.publisher, this.subscriber]) {
      // A failed first attempt is retried by ioredis itself; its error is logged by 'error'.
      client.connect().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      [this.commands, this.publisher, this.subscriber].map(async (client) => {
        try {
          await client.quit();
        } catch {
          client.disconnect();
        }
      }),
    );
  }

  private create(role: string, extra: RedisOptions): Redis {
    const client = new Redis(this.options.url, {
      lazyConnect: true,
      connectionName: `parley-${role}`,
      // Full jitter between 50 ms and a 2 s ceiling: nodes that lost Redis together do
      // not all knock at the same moment when it comes back.
      retryStrategy: (times) => Math.floor(Math.random() * Math.min(2_000, 50 * 2 ** times)) + 50,
      ...extra,
    });
    client.on('error', (err: Error) => {
      // ioredis reports every failed reconnect; one line per 5 s per node is enough.
      const now = Date.now();
      if (now - this.lastErrorLog < 5_000) return;
      this.lastErrorLog = now;
      this.options.logger.warn({ err: err.message, role }, 'Redis unavailable; retrying');
    });
    client.on('ready', () => this.options.logger.info({ role }, 'Redis connected'));
    return client;
  }
}
