/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns something other than undefined/false, or fails after
 * `timeoutMs` with `what` and the last value seen, so a stuck test says why it stopped.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  /** What the test saw, added to the timeout error (e.g. the client's state). */
  seen?: () => unknown,
): Promise<T> {
  const intervalMs = 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const state = seen === undefined ? '' : `; seen: ${JSON.stringify(seen())}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}${state}`);
    }
    await sleep(intervalMs);
  }
}
