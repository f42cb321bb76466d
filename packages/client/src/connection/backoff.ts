/** Reconnect delays: exponential from `minDelayMs`, capped at `maxDelayMs`. */
export interface BackoffOptions {
  /** The ceiling of the first delay. Default 500 ms. */
  minDelayMs: number;
  /** The largest delay. Default 30,000 ms. */
  maxDelayMs: number;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first): a random value in
 * `[0, min(maxDelayMs, minDelayMs * 2^attempt))` — "full jitter", so that clients that
 * lost one server together do not all come back at the same moment.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  // 2^attempt overflows to Infinity for large attempts, which Math.min then caps.
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
