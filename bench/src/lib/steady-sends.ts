import type { ParleyServerClient } from '@parley/server-sdk';

/** Sends at a steady rate in the background until stopped. */
export interface SteadySends {
  /**
   * Waits for the sends in flight: how many the server answered, how many failed, and how
   * many were not made because MAX_IN_FLIGHT were waiting (the server was behind).
   */
  stop(): Promise<{ sent: number; errors: number; skipped: number; seconds: number }>;
}

/** Sends at most this many at once: a server slower than the rate is not buried. */
export const MAX_IN_FLIGHT = 64;
/** How often the sender wakes to send its share. */
const TICK_MS = 10;

/**
 * `perSecond` messages a second through the server's REST API, as `userId`, into
 * `channels` (`type:id`) in turn, message `n` saying `textOf(n)`: messages arriving while
 * something else is measured. Sends that would exceed MAX_IN_FLIGHT are skipped, so the
 * rate is an upper bound, and `sent` says what arrived.
 */
export function steadySends(
  sdk: ParleyServerClient,
  options: {
    perSecond: number;
    userId: string;
    channels: readonly { type: string; id: string }[];
    textOf: (n: number) => string;
  },
): SteadySends {
  const start = Date.now();
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  let sent = 0;
  let errors = 0;
  let skipped = 0;
  const timer = setInterval(() => {
    const due = ((Date.now() - start) / 1000) * options.perSecond;
    while (n < due) {
      const k = n++;
      if (inFlight.size >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      const channel = options.channels[k % options.channels.length]!;
      const send: Promise<void> = sdk
        .sendMessage(channel.type, channel.id, { userId: options.userId, text: options.textOf(k) })
        .then(
          () => void sent++,
          () => void errors++,
        )
        .finally(() => inFlight.delete(send));
      inFlight.add(send);
    }
  }, TICK_MS);
  return {
    async stop() {
      clearInterval(timer);
      const seconds = (Date.now() - start) / 1000;
      await Promise.all(inFlight);
      return { sent, errors, skipped, seconds };
    },
  };
}
