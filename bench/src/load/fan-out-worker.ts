import { performance } from 'node:perf_hooks';
import { monotonicMs } from '../lib/clock.js';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import { openAll } from '../lib/open-all.js';
import type { BenchUser } from '../lib/setup.js';
import { sleep } from '../lib/sleep.js';
import { workerMain } from '../lib/worker-side.js';
import type {
  ConnectFanOut,
  FanOutClient,
  FanOutSystem,
  FanOutTarget,
} from './fan-out/fan-out-client.js';
import { connectParley } from './fan-out/parley-fan-out-client.js';
import { connectSocketIo } from './fan-out/socket-io-fan-out-client.js';
import { connectWs } from './fan-out/ws-fan-out-client.js';

const CONNECT: Record<FanOutSystem, ConnectFanOut> = {
  parley: connectParley,
  ws: connectWs,
  'socket.io': connectSocketIo,
};

export interface FanOutWorkerInput {
  system: FanOutSystem;
  target: FanOutTarget;
  receivers: BenchUser[];
  /** The one sender of the run lives in one worker; null in the others. */
  sender: BenchUser | null;
}

/** One step of the rate ladder, the same request to every worker. */
export interface FanOutStep {
  step: number;
  /** Messages per second the sender sends during the step. */
  rate: number;
  stepMs: number;
  /** After the step, wait until 200 ms pass without a receipt, at most this long. */
  drainMs: number;
}

export interface FanOutStepResult {
  /** Send → receipt at each receiver of this worker, for this step's messages. */
  latency: string;
  received: number;
  /** Only the sender's worker sends. */
  sent: number;
  /** Receivers the server had closed during the step (slow consumers), opened again after it. */
  reopened: number;
}

/** The step is over once no receipt at all (of any step) came for this long. */
const QUIET_MS = 200;

workerMain<FanOutWorkerInput, FanOutStepResult, FanOutStep>(async (input) => {
  const connect = CONNECT[input.system];
  const receivers = await openAll(input.receivers, (user) =>
    connect(input.target, user, 'receiver'),
  );
  let sender: FanOutClient | undefined;
  try {
    if (input.sender !== null) sender = await connect(input.target, input.sender, 'sender');
  } catch (error) {
    await Promise.all(receivers.map((r) => r.close()));
    throw error;
  }
  let current = { step: -1, latency: createLatencyHistogram(), received: 0 };
  let lastReceiptAt = 0;
  const listen = (receiver: FanOutClient) => {
    receiver.onReceive = (stamp) => {
      const now = monotonicMs();
      lastReceiptAt = now;
      if (stamp.s !== current.step) return;
      recordMs(current.latency, now - stamp.t);
      current.received++;
    };
  };
  receivers.forEach(listen);
  /** Opens again the receivers the server closed, so that every step has all of them. */
  const reopen = async () => {
    const closed = receivers.flatMap((r, i) => (r.isOpen() ? [] : [i]));
    const fresh = await openAll(closed, (i) =>
      connect(input.target, input.receivers[i]!, 'receiver'),
    );
    closed.forEach((i, j) => {
      receivers[i] = fresh[j]!;
      listen(fresh[j]!);
    });
    return closed.length;
  };
  let n = 0;
  return {
    async close() {
      await Promise.all(
        [...receivers, ...(sender === undefined ? [] : [sender])].map((c) => c.close()),
      );
    },
    async run(request) {
      current.latency.destroy();
      current = { step: request.step, latency: createLatencyHistogram(), received: 0 };
      let sent = 0;
      if (sender !== undefined) {
        // Paced on the clock, not by timers: each pass sends what is due by now. A failed
        // send shows as receipts missing at every receiver.
        const started = performance.now();
        for (let elapsed = 0; elapsed < request.stepMs; elapsed = performance.now() - started) {
          const due = Math.floor((elapsed / 1000) * request.rate);
          for (; sent < due; sent++) {
            sender.send({ t: monotonicMs(), s: request.step }, n++).catch(() => undefined);
          }
          await sleep(2);
        }
      } else {
        await sleep(request.stepMs);
      }
      // Drain: wait for the backlog of this step (and any earlier one) to clear.
      const drainEnd = monotonicMs() + request.drainMs;
      lastReceiptAt = Math.max(lastReceiptAt, monotonicMs());
      while (monotonicMs() < drainEnd && monotonicMs() - lastReceiptAt < QUIET_MS) await sleep(20);
      const received = current.received;
      return {
        latency: encodeHistogram(current.latency),
        received,
        sent,
        reopened: await reopen(),
      };
    },
  };
});
