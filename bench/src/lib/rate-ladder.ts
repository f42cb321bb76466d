import { performance } from 'node:perf_hooks';
import type { FanOutStep, FanOutStepResult } from '../load/fan-out-worker.js';
import type { serverMeter } from '../scenario.js';
import { mergeHistograms } from './histogram.js';
import type { WorkerGroup } from './worker-pool.js';

/** One step (a rate held for `stepMs`) as measured. */
export interface StepOutcome {
  rate: number;
  /** Messages sent per second, as sent. */
  messagesPerS: number;
  /** Receipts expected per second: messages/s × receivers. */
  deliveriesPerS: number;
  /** p99 over every expected receipt, a missing one counting as slower than any; null past 1% missing. */
  p99Ms: number | null;
  missing: number;
  /** Receivers the server closed as slow consumers during the step. */
  dropped: number;
  serverCpuPct: number | null;
  passed: boolean;
}

export interface LadderOptions {
  startRate: number;
  /** When the start rate fails, the rate halves down to this before giving up. */
  minRate: number;
  maxRate: number;
  /** Bisections between the last rate that passed and the first that failed. */
  refineSteps: number;
  stepMs: number;
  drainMs: number;
  receivers: number;
  p99LimitMs: number;
  meter: ReturnType<typeof serverMeter>;
  log(message: string): void;
}

/**
 * Finds the highest send rate whose p99 delivery stays under the limit: the rate doubles
 * from `startRate` until a step fails (or halves until one passes, when the first fails),
 * then `refineSteps` bisections narrow the gap between the two. A
 * failing step is tried once more (one stall of a shared machine can sink a short step);
 * it fails only if both tries do. A first step at the start rate warms up, unrecorded.
 * Returns every step measured, in order.
 */
export async function climbRates(
  group: WorkerGroup<FanOutStep, FanOutStepResult>,
  options: LadderOptions,
): Promise<StepOutcome[]> {
  const steps: StepOutcome[] = [];
  let step = 0;
  const measure = async (rate: number): Promise<StepOutcome> => {
    const outcome = await measureStep(group, options, ++step, rate);
    steps.push(outcome);
    const p99 = outcome.p99Ms === null ? `∞ (${outcome.missing} missing)` : `${outcome.p99Ms} ms`;
    const dropped = outcome.dropped > 0 ? `, ${outcome.dropped} slow receivers dropped` : '';
    options.log(`${rate} msg/s → ${outcome.deliveriesPerS} deliveries/s, p99 ${p99}${dropped}`);
    return outcome;
  };
  const attempt = async (rate: number) => {
    const first = await measure(rate);
    return first.passed ? first : measure(rate);
  };

  await group.round(
    { step: 0, rate: options.startRate, stepMs: options.stepMs, drainMs: options.drainMs },
    options.stepMs + options.drainMs + 30_000,
  );
  let best: StepOutcome | undefined;
  let failedAt: number | undefined;
  const first = await attempt(options.startRate);
  if (first.passed) {
    best = first;
    for (let rate = options.startRate * 2; rate <= options.maxRate; rate *= 2) {
      const outcome = await attempt(rate);
      if (!outcome.passed) {
        failedAt = rate;
        break;
      }
      best = outcome;
    }
  } else {
    failedAt = options.startRate;
    for (let rate = roundRate(failedAt / 2); rate >= options.minRate; rate = roundRate(rate / 2)) {
      const outcome = await attempt(rate);
      if (outcome.passed) {
        best = outcome;
        break;
      }
      failedAt = rate;
    }
  }
  for (let i = 0; i < options.refineSteps && best !== undefined && failedAt !== undefined; i++) {
    const rate = roundRate((best.rate + failedAt) / 2);
    if (rate === best.rate || rate === failedAt) break;
    const outcome = await attempt(rate);
    if (outcome.passed) best = outcome;
    else failedAt = rate;
  }
  return steps;
}

async function measureStep(
  group: WorkerGroup<FanOutStep, FanOutStepResult>,
  options: LadderOptions,
  step: number,
  rate: number,
): Promise<StepOutcome> {
  const { stepMs, drainMs } = options;
  options.meter.start();
  const began = performance.now();
  const results = await group.round({ step, rate, stepMs, drainMs }, stepMs + drainMs + 30_000);
  const elapsedMs = performance.now() - began;
  const cpu = options.meter.stop().server_cpu_s;
  const sent = results.reduce((total, r) => total + r.sent, 0);
  const received = results.reduce((total, r) => total + r.received, 0);
  // A send that failed is a receipt missing at every receiver.
  const expected = sent * options.receivers;
  const latency = mergeHistograms(results.map((r) => r.latency));
  // The rank of p99 among all expected receipts, looked up among those that came.
  const rank = 0.99 * expected;
  const p99Ms =
    expected === 0 || rank > received
      ? null
      : latency.getValueAtPercentile(Math.min(100, (100 * rank) / received)) / 1000;
  latency.destroy();
  return {
    rate,
    messagesPerS: Math.round((sent / stepMs) * 10_000) / 10,
    deliveriesPerS: Math.round((expected / stepMs) * 1000),
    p99Ms,
    missing: expected - received,
    dropped: results.reduce((total, r) => total + r.reopened, 0),
    serverCpuPct: cpu === null ? null : Math.round((cpu / elapsedMs) * 100_000),
    passed: p99Ms !== null && p99Ms <= options.p99LimitMs,
  };
}

/** Whole messages/s from 10 up, tenths below. */
function roundRate(rate: number): number {
  return rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10;
}
