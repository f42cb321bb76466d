import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Limits } from '../../config.js';
import { LimiterRateLimits, type RateLimits } from '../rate-limits.js';

/** What in-process rate limits need. */
export interface MemoryRateLimitsOptions {
  limits: Limits;
}

/** Budgets counted in this process: each node has its own. */
export function createMemoryRateLimits(options: MemoryRateLimitsOptions): RateLimits {
  return new LimiterRateLimits(
    options.limits,
    (_name, points, duration) => new RateLimiterMemory({ points, duration }),
  );
}
