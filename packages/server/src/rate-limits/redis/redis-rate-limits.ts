import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Limits } from '../../config.js';
import { LimiterRateLimits, type RateLimits } from '../rate-limits.js';

/** What Redis rate limits need. */
export interface RedisRateLimitsOptions {
  limits: Limits;
  /** A command connection without an offline queue, so a call never waits for Redis. */
  redis: Redis;
  /** Prefix of every key. Default `parley:`. */
  keyPrefix?: string;
}

/**
 * Budgets shared by every node: a user spends one budget wherever they connect. While
 * Redis is unreachable each node counts in its own memory instead (rate-limiter-flexible's
 * insurance limiter), so limits stay on, per node, rather than failing every request.
 */
export function createRedisRateLimits(options: RedisRateLimitsOptions): RateLimits {
  const prefix = options.keyPrefix ?? 'parley:';
  return new LimiterRateLimits(
    options.limits,
    (name, points, duration) =>
      new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: `${prefix}rate:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      }),
  );
}
