import type { FastifyBaseLogger } from 'fastify';
import type { Storage } from './storage.js';
import { StorageUnavailableError } from './storage-errors.js';

/** The delay before retry `attempt` (0 first): full jitter up to 250 ms × 2^attempt, at most 10 s. */
export function storageRetryDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(10_000, 250 * 2 ** attempt)) + 100;
}

/**
 * Runs the migrations, retrying while the database is unreachable (a node may start
 * before its database does). Any other failure is thrown. Stops when `signal` aborts.
 */
export async function migrateWithRetry(
  storage: Storage,
  logger: FastifyBaseLogger,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await storage.migrate();
      if (attempt > 0) logger.info('storage reachable; migrations done');
      return;
    } catch (err) {
      if (!(err instanceof StorageUnavailableError) || signal.aborted) throw err;
      const delay = storageRetryDelay(attempt);
      logger.warn(
        { err: err.message, retryInMs: delay },
        'storage unreachable; /health answers 503 until it answers',
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (signal.aborted) {
        throw new Error('the server was closed before its storage answered', { cause: err });
      }
    }
  }
}
