import { mergeHistograms, summarize } from './histogram.js';

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
