import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AtasError } from '../atas-error.js';

/** A number of requests per window. */
export interface Limit {
  requests: number;
  windowSeconds: number;
}

/** How often anyone may sign up and ask for password reset emails. */
export interface RequestLimitsOptions {
  /** Sign-ups per client address. Default 5 per hour. */
  signupPerAddress: Limit;
  /** Password reset requests per client address. Default 10 per hour. */
  resetPerAddress: Limit;
  /**
   * Password reset requests per email, account or not (so the answer still tells nothing):
   * nobody floods one inbox with reset emails. Default 3 per hour.
   */
  resetPerEmail: Limit;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimitsOptions = {
  signupPerAddress: { requests: 5, windowSeconds: 3600 },
  resetPerAddress: { requests: 10, windowSeconds: 3600 },
  resetPerEmail: { requests: 3, windowSeconds: 3600 },
};

/**
 * Limits the requests that create accounts or send email to anyone who asks: past a limit
 * they get 429 `too_many_requests` (`details.retry_after_ms`, `Retry-After`) until the
 * window ends. Every well-formed request counts, refused ones (a taken email) too. In
 * memory: the counts are per API process.
 */
export class RequestLimits {
  private readonly signup: RateLimiterMemory;
  private readonly resetAddress: RateLimiterMemory;
  private readonly resetEmail: RateLimiterMemory;

  constructor(options: Partial<RequestLimitsOptions> = {}) {
    const limits = { ...DEFAULT_REQUEST_LIMITS, ...options };
    this.signup = limiter(limits.signupPerAddress);
    this.resetAddress = limiter(limits.resetPerAddress);
    this.resetEmail = limiter(limits.resetPerEmail);
  }

  /** Counts a sign-up from `address`; throws `too_many_requests` past the limit. */
  async signUp(address: string): Promise<void> {
    await take(this.signup, address, 'too many sign-ups from this address');
  }

  /** Counts a password reset request from `address` for `email` (normalized). */
  async passwordReset(address: string, email: string): Promise<void> {
    await take(this.resetAddress, address, 'too many password resets asked from this address');
    await take(this.resetEmail, email, 'too many password resets asked for this email');
  }
}

function limiter(limit: Limit): RateLimiterMemory {
  return new RateLimiterMemory({ points: limit.requests, duration: limit.windowSeconds });
}

async function take(limiter: RateLimiterMemory, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfterMs = Math.max(1_000, rejection.msBeforeNext);
    throw new AtasError(
      'too_many_requests',
      `${message}; try again in ${Math.ceil(retryAfterMs / 60_000)} min`,
      { retry_after_ms: retryAfterMs },
    );
  }
}
