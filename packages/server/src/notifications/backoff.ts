/**
 * The wait before attempt `attempt + 1`: exponential from `baseMs`, capped at `maxMs`,
 * with full jitter (uniform in [0, cap]) so that endpoints coming back are not hit by
 * every delivery at once.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.max(1, Math.round(random() * cap));
}
