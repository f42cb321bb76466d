import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ChatError } from '@parley/protocol';
import type { Limits } from '../config.js';

/** Per-user budgets for messages and requests, in fixed windows. */
export interface RateLimits {
  /** Spends one message of the user's budget, or throws `rate_limited`. */
  consumeMessage(userId: string): Promise<void>;
  /** Gives back one message of the user's budget (the send stored nothing). */
  refundMessage(userId: string): Promise<void>;
  /** Spends one request of the key's budget (a user id, or an address before auth). */
  consumeRequest(key: string): Promise<void>;
  /** Spends one upload of the user's budget, or throws `rate_limited`. */
  consumeUpload(userId: string): Promise<void>;
  /**
   * Slow mode: one message per `seconds` for the key (a user in a channel), or throws
   * `slow_mode` with `retry_after_ms`.
   */
  consumeSlowMode(key: string, seconds: number): Promise<void>;
}

/** Makes the limiter of one budget (`name`: `messages`, `requests` or `uploads`). */
export type CreateLimiter = (
  name: string,
  points: number,
  durationS: number,
) => RateLimiterAbstract;

/**
 * The budgets over rate-limiter-flexible limiters; an implementation only says where the
 * counters live. A budget of 0 is off.
 */
export class LimiterRateLimits implements RateLimits {
  private readonly messages: RateLimiterAbstract | null;
  private readonly requests: RateLimiterAbstract | null;
  private readonly uploads: RateLimiterAbstract | null;
  /** Slow-mode limiters by their interval, made when a type first uses one. */
  private readonly slowModes = new Map<number, RateLimiterAbstract>();

  constructor(
    limits: Limits,
    private readonly create: CreateLimiter,
  ) {
    // The window is rounded up to whole seconds, as the limiters count in seconds.
    const duration = Math.max(1, Math.ceil(limits.rateWindowMs / 1000));
    this.messages =
      limits.messagesPerWindow > 0 ? create('messages', limits.messagesPerWindow, duration) : null;
    this.requests =
      limits.requestsPerWindow > 0 ? create('requests', limits.requestsPerWindow, duration) : null;
    this.uploads =
      limits.uploadsPerWindow > 0 ? create('uploads', limits.uploadsPerWindow, duration) : null;
  }

  consumeMessage(userId: string): Promise<void> {
    return consume(this.messages, userId, 'messages');
  }

  async refundMessage(userId: string): Promise<void> {
    await this.messages?.reward(userId, 1);
  }

  consumeRequest(key: string): Promise<void> {
    return consume(this.requests, key, 'requests');
  }

  consumeUpload(userId: string): Promise<void> {
    return consume(this.uploads, userId, 'uploads');
  }

  async consumeSlowMode(key: string, seconds: number): Promise<void> {
    let limiter = this.slowModes.get(seconds);
    if (limiter === undefined) {
      limiter = this.create(`slow-${seconds}`, 1, seconds);
      this.slowModes.set(seconds, limiter);
    }
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        throw new ChatError(
          'slow_mode',
          `slow mode: one message every ${seconds} s; retry in ${err.msBeforeNext} ms`,
          { slow_mode_s: seconds, retry_after_ms: err.msBeforeNext },
        );
      }
      throw err;
    }
  }
}

async function consume(limiter: RateLimiterAbstract | null, key: string, what: string) {
  if (limiter === null) return;
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      throw new ChatError('rate_limited', `too many ${what}; retry in ${err.msBeforeNext} ms`, {
        retry_after_ms: err.msBeforeNext,
      });
    }
    throw err;
  }
}
