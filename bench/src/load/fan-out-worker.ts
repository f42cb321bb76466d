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
  sendErrors: number;
}

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
  let current = { step: -1, latency: createLatencyHistogram(), received: 0, lastAt: 0 };
  for (const receiver of receivers) {
    receiver.onReceive = (stamp) => {
      if (stamp.s !== current.step) return;
      const now = monotonicMs();
      recordMs(current.latency, now - stamp.t);
      current.received++;
      current.lastAt = now;
    };
  }
  let n = 0;
  return {
    async close() {
      await Promise.all(
        [...receivers, ...(sender === undefined ? [] : [sender])].map((c) => c.close()),
      );
    },
    async run(request) {
      current.latency.destroy();
      current = { step: request.step, latency: createLatencyHistogram(), received: 0, lastAt: 0 };
      let sent = 0;
      let sendErrors = 0;
      if (sender !== undefined) {
        // Paced on the clock, not by timers: each pass sends what is due by now.
        const started = performance.now();
        for (let elapsed = 0; elapsed < request.stepMs; elapsed = performance.now() - started) {
          const due = Math.floor((elapsed / 1000) * request.rate);
          for (; sent < due; sent++) {
            sender.send({ t: monotonicMs(), s: request.step }, n++).catch(() => sendErrors++);
          }
          await sleep(2);
        }
      } else {
        await sleep(request.stepMs);
      }
      const drainEnd = monotonicMs() + request.drainMs;
      current.lastAt = Math.max(current.lastAt, monotonicMs());
      while (monotonicMs() < drainEnd && monotonicMs() - current.lastAt < QUIET_MS) await sleep(20);
      return {
        latency: encodeHistogram(current.latency),
        received: current.received,
        sent,
        sendErrors,
      };
    },
  };
});
