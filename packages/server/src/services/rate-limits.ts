import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ChatError } from '@parley/protocol';
import type { Limits } from '../config.js';

/** Per-user budgets for messages and requests, in fixed windows. */
export class RateLimits {
  private readonly messages: RateLimiterMemory | null;
  private readonly requests: RateLimiterMemory | null;

  constructor(limits: Limits) {
    const duration = Math.max(1, Math.ceil(limits.rateWindowMs / 1000));
    this.messages =
      limits.messagesPerWindow > 0
        ? new RateLimiterMemory({ points: limits.messagesPerWindow, duration })
        : null;
    this.requests =
      limits.requestsPerWindow > 0
        ? new RateLimiterMemory({ points: limits.requestsPerWindow, duration })
        : null;
  }

  /** Spends one message of the user's budget, or throws `rate_limited`. */
  consumeMessage(userId: string): Promise<void> {
    return consume(this.messages, userId, 'messages');
  }

  /** Gives back one message of the user's budget (the send stored nothing). */
  async refundMessage(userId: string): Promise<void> {
    await this.messages?.reward(userId, 1);
  }

  /** Spends one request of the key's budget (a user id, or an address before auth). */
  consumeRequest(key: string): Promise<void> {
    return consume(this.requests, key, 'requests');
  }
}

async function consume(limiter: RateLimiterMemory | null, key: string, what: string) {
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
