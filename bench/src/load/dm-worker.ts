import { performance } from 'node:perf_hooks';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import { workerMain } from '../lib/worker-side.js';
import { openMany, type ParleyConnection } from '../lib/ws-connection.js';
import type { BenchUser } from '../lib/setup.js';

/** One DM: its cid and its two users. Both ends live in one worker, so one clock times them. */
export interface DmPair {
  cid: string;
  users: [BenchUser, BenchUser];
}

export interface DmWorkerInput {
  wsUrl: string;
  pairs: DmPair[];
  intervalMs: number;
  durationMs: number;
  /** After the last send, wait at most this long for outstanding deliveries. */
  drainMs: number;
}

export interface DmWorkerResult {
  delivery: string;
  ack: string;
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
}

workerMain<DmWorkerInput, DmWorkerResult>(async (input) => {
  const users = input.pairs.flatMap((pair) => pair.users.map((u) => ({ ...u, cid: pair.cid })));
  const connections = await openMany(input.wsUrl, users);
  const close = () => Promise.all(connections.map((c) => c.close())).then(() => undefined);
  const delivery = createLatencyHistogram();
  const ack = createLatencyHistogram();
  const counts = { sent: 0, acked: 0, delivered: 0, errors: 0 };
  try {
    // Watching: the receiver gets `message.new`, the live path of an open conversation.
    await Promise.all(
      connections.map((c, i) =>
        c.request({ type: 'channel.watch', cid: users[i]!.cid, message_limit: 0 }),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }
  for (const c of connections) {
    c.onEvent = (frame) => {
      if (frame['type'] !== 'message.new') return;
      const message = frame['message'] as { user_id?: string; data?: { t?: number } };
      if (message.user_id === c.userId || typeof message.data?.t !== 'number') return;
      recordMs(delivery, performance.now() - message.data.t);
      counts.delivered++;
    };
  }
  return {
    close,
    async run() {
      const timers: NodeJS.Timeout[] = [];
      const sendFrom = (c: ParleyConnection, cid: string, n: number) => {
        const t = performance.now();
        counts.sent++;
        c.request({
          type: 'message.send',
          cid,
          message: { id: `${c.userId}-${n}`, text: 'hi', data: { t } },
        }).then(
          () => {
            recordMs(ack, performance.now() - t);
            counts.acked++;
          },
          () => counts.errors++,
        );
      };
      const end = performance.now() + input.durationMs;
      const maxPerUser = Math.ceil(input.durationMs / input.intervalMs) + 1;
      connections.forEach((c, i) => {
        const cid = users[i]!.cid;
        let n = 0;
        const tick = () => {
          if (performance.now() >= end || n >= maxPerUser) return;
          sendFrom(c, cid, n++);
          timers.push(setTimeout(tick, input.intervalMs));
        };
        // Spread first sends over one interval so users do not send in lockstep.
        timers.push(setTimeout(tick, Math.random() * input.intervalMs));
      });
      await sleep(input.durationMs);
      const drainEnd = performance.now() + input.drainMs;
      while (counts.delivered + counts.errors < counts.sent && performance.now() < drainEnd) {
        await sleep(20);
      }
      for (const timer of timers) clearTimeout(timer);
      return { delivery: encodeHistogram(delivery), ack: encodeHistogram(ack), ...counts };
    },
  };
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
