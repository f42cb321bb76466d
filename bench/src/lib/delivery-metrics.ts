import { performance } from 'node:perf_hooks';
import type { Histogram } from 'hdr-histogram-js';
import {
  createLatencyHistogram,
  encodeHistogram,
  mergeHistograms,
  recordMs,
  summarize,
} from './histogram.js';

/** What a worker that sends and times deliveries (DMs, polled log) reports. */
export interface DeliveryResult {
  /** Encoded histogram of send → receipt at the other user. */
  delivery: string;
  /** Encoded histogram of send → the server's answer. */
  ack: string;
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
}

/** A worker's running counts and histograms for the messages of one phase. */
export interface DeliveryTally {
  delivery: Histogram;
  ack: Histogram;
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
}

export function createDeliveryTally(): DeliveryTally {
  const [delivery, ack] = [createLatencyHistogram(), createLatencyHistogram()];
  return { delivery, ack, sent: 0, acked: 0, delivered: 0, errors: 0 };
}

/** Counts a send and times its answer: `answered` is the server's answer to it. */
export function tallySend(tally: DeliveryTally, answered: Promise<unknown>): void {
  const t = performance.now();
  tally.sent++;
  answered.then(
    () => {
      recordMs(tally.ack, performance.now() - t);
      tally.acked++;
    },
    () => tally.errors++,
  );
}

/** Counts a delivery of a message sent at `sentAt` (`performance.now()` of the same thread). */
export function tallyDelivery(tally: DeliveryTally, sentAt: number, now = performance.now()): void {
  recordMs(tally.delivery, now - sentAt);
  tally.delivered++;
}

/** True while a message of `tallies` has neither reached the other end nor failed. */
export function undelivered(tallies: readonly DeliveryTally[]): boolean {
  return tallies.some((t) => t.delivered + t.errors < t.sent);
}

/** The tally as the worker posts it. */
export function encodeTally(tally: DeliveryTally): DeliveryResult {
  const { delivery, ack, sent, acked, delivered, errors } = tally;
  return {
    delivery: encodeHistogram(delivery),
    ack: encodeHistogram(ack),
    ...{ sent, acked, delivered, errors },
  };
}

/** Delivery percentiles, ack p99, counts and deliveries/s over all workers' results. */
export function deliveryMetrics(
  results: readonly DeliveryResult[],
  durationMs: number,
): Record<string, number> {
  const delivery = mergeHistograms(results.map((r) => r.delivery));
  const ack = mergeHistograms(results.map((r) => r.ack));
  const sum = (key: 'sent' | 'acked' | 'delivered' | 'errors') =>
    results.reduce((total, r) => total + r[key], 0);
  const metrics = {
    ...summarize(delivery),
    ack_p99_ms: summarize(ack).p99_ms,
    sent: sum('sent'),
    acked: sum('acked'),
    delivered: sum('delivered'),
    errors: sum('errors'),
    deliveries_per_s: Math.round((sum('delivered') / durationMs) * 1000),
  };
  delivery.destroy();
  ack.destroy();
  return metrics;
}
