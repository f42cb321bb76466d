import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { AtasError } from '../atas-error.js';

/** How many wrong passwords an account takes before logins to it wait. */
export interface LoginThrottleOptions {
  /** Failed attempts per email within the window. Default 10. */
  failures: number;
  /** The window, in seconds. Default 15 minutes. */
  windowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = { failures: 10, windowSeconds: 900 };

/**
 * Slows password guessing: after `failures` wrong passwords for one email within the
 * window, every login to it (even a right one) gets 429 `too_many_attempts` until the
 * window ends. A successful login clears the count. Keyed by email, not by address: behind
 * the web app's proxy every visitor has the same one.
 */
export class LoginThrottle {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    this.limiter = new RateLimiterMemory({
      points: options.failures,
      duration: options.windowSeconds,
    });
  }

  /** Throws `too_many_attempts` while the email is locked. */
  async check(email: string): Promise<void> {
    const state = await this.limiter.get(email);
    if (state !== null && state.consumedPoints >= this.options.failures) throw locked(state);
  }

  async failed(email: string): Promise<void> {
    await this.limiter.consume(email).catch(() => undefined); // over the limit: still locked
  }

  async succeeded(email: string): Promise<void> {
    await this.limiter.delete(email);
  }
}

function locked(state: RateLimiterRes): AtasError {
  const retryAfterMs = Math.max(1_000, state.msBeforeNext);
  return new AtasError(
    'too_many_attempts',
    `too many failed logins for this account; try again in ${Math.ceil(retryAfterMs / 60_000)} min`,
    { retry_after_ms: retryAfterMs },
  );
}
