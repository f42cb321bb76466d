import { performance } from 'node:perf_hooks';
import type { Histogram } from 'hdr-histogram-js';
import type { DeliveryResult } from '../lib/delivery-metrics.js';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import { everyInterval } from '../lib/phased-timer.js';
import { sleep } from '../lib/sleep.js';
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
  /** The same traffic before `ready`, not recorded: connections, JIT and caches are warm. */
  warmupMs: number;
  durationMs: number;
  /** After the last send, wait at most this long for outstanding deliveries. */
  drainMs: number;
}

export type DmWorkerResult = DeliveryResult;

/** Counts and latencies of one phase (the warm-up or the measured one). */
interface Phase {
  warm: boolean;
  delivery: Histogram;
  ack: Histogram;
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
}

function newPhase(warm: boolean): Phase {
  const [delivery, ack] = [createLatencyHistogram(), createLatencyHistogram()];
  return { warm, delivery, ack, sent: 0, acked: 0, delivered: 0, errors: 0 };
}

workerMain<DmWorkerInput, DmWorkerResult>(async (input) => {
  const users = input.pairs.flatMap((pair) => pair.users.map((u) => ({ ...u, cid: pair.cid })));
  const connections = await openMany(input.wsUrl, users);
  const close = () => Promise.all(connections.map((c) => c.close())).then(() => undefined);
  const warmup = newPhase(true);
  const measured = newPhase(false);
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
      const message = frame['message'] as {
        user_id?: string;
        data?: { t?: number; warm?: boolean };
      };
      if (message.user_id === c.userId || typeof message.data?.t !== 'number') return;
      const phase = message.data.warm === true ? warmup : measured;
      recordMs(phase.delivery, performance.now() - message.data.t);
      phase.delivered++;
    };
  }

  /** Each user sends every interval for `durationMs`, then outstanding deliveries drain. */
  const traffic = async (phase: Phase, durationMs: number) => {
    const sendFrom = (c: ParleyConnection, cid: string, n: number) => {
      const t = performance.now();
      phase.sent++;
      c.request({
        type: 'message.send',
        cid,
        message: {
          id: `${c.userId}-${phase.warm ? 'w' : ''}${n}`,
          text: 'hi',
          data: phase.warm ? { t, warm: true } : { t },
        },
      }).then(
        () => {
          recordMs(phase.ack, performance.now() - t);
          phase.acked++;
        },
        () => phase.errors++,
      );
    };
    const end = performance.now() + durationMs;
    const maxPerUser = Math.ceil(durationMs / input.intervalMs) + 1;
    const cancels = connections.map((c, i) =>
      everyInterval(input.intervalMs, end, maxPerUser, (n) => sendFrom(c, users[i]!.cid, n)),
    );
    await sleep(durationMs);
    const drainEnd = performance.now() + input.drainMs;
    while (phase.delivered + phase.errors < phase.sent && performance.now() < drainEnd) {
      await sleep(20);
    }
    for (const cancel of cancels) cancel();
  };

  if (input.warmupMs > 0) await traffic(warmup, input.warmupMs);
  return {
    close,
    async run() {
      await traffic(measured, input.durationMs);
      const { delivery, ack, sent, acked, delivered, errors } = measured;
      return {
        delivery: encodeHistogram(delivery),
        ack: encodeHistogram(ack),
        ...{ sent, acked, delivered, errors },
      };
    },
  };
});
