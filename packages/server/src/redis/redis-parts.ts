import type { FastifyBaseLogger } from 'fastify';
import { createRedisBus, type RedisBus } from '../bus/redis/redis-bus.js';
import type { ResolvedConfig } from '../config.js';
import { createRedisPresence } from '../presence/redis/redis-presence.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import { createRedisRateLimits } from '../rate-limits/redis/redis-rate-limits.js';
import type { RateLimits } from '../rate-limits/rate-limits.js';
import type { RedisState } from '../readiness.js';
import { createRedisTyping } from '../typing/redis/redis-typing.js';
import type { TypingTracker } from '../typing/typing-tracker.js';
import { RedisClients } from './redis-clients.js';

/** Everything a node shares with the others through Redis. */
export interface RedisParts {
  bus: RedisBus;
  presence: PresenceTracker;
  typing: TypingTracker;
  rateLimits: RateLimits;
  /** Whether the links are up (and the bus subscribed). */
  state(): RedisState;
  /** Starts connecting, in the background: a node starts even while Redis is away. */
  connect(): void;
  /** Closes the connections; close the parts first. */
  close(): Promise<void>;
}

/** The Redis implementations of the bus, presence, typing and rate limits, on one set of connections. */
export function createRedisParts(config: ResolvedConfig, logger: FastifyBaseLogger): RedisParts {
  const clients = new RedisClients({ url: config.redisUrl!, logger });
  const keyPrefix = config.redisKeyPrefix;
  const bus = createRedisBus({
    publisher: clients.publisher,
    subscriber: clients.subscriber,
    keyPrefix,
    logger,
  });
  return {
    bus,
    presence: createRedisPresence({
      redis: clients.commands,
      keyPrefix,
      heartbeatMs: config.heartbeatIntervalMs,
      logger,
    }),
    typing: createRedisTyping({
      redis: clients.commands,
      keyPrefix,
      timeoutMs: config.typingTimeoutMs,
      logger,
    }),
    rateLimits: createRedisRateLimits({
      limits: config.limits,
      redis: clients.commands,
      keyPrefix,
    }),
    state: () => (clients.ready && bus.subscribed ? 'ok' : 'unavailable'),
    connect: () => clients.connect(),
    close: () => clients.close(),
  };
}
