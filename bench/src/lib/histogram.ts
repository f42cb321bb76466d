import hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Latency percentiles in milliseconds, as reported in the results. */
export interface LatencySummary {
  count: number;
  mean_ms: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p999_ms: number;
  max_ms: number;
}

/**
 * A latency histogram recording microseconds, 3 significant digits, from 1 µs to 10 min.
 * Values above the top are clamped so a stalled request still counts (as 10 min).
 */
export function createLatencyHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });
}

/** Records a duration given in milliseconds (e.g. a `performance.now()` difference). */
export function recordMs(histogram: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  histogram.recordValue(Math.min(Math.max(us, 1), 600_000_000));
}

/** Compact form to move a histogram from a worker thread to the runner. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Adds every encoded histogram into one fresh histogram. */
export function mergeHistograms(encoded: readonly string[]): Histogram {
  const total = createLatencyHistogram();
  for (const base64 of encoded) {
    const part = hdr.decodeFromCompressedBase64(base64);
    total.add(part);
    part.destroy();
  }
  return total;
}

export function summarize(histogram: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  const count = histogram.totalCount;
  return {
    count,
    mean_ms: count === 0 ? 0 : ms(histogram.mean),
    p50_ms: ms(histogram.getValueAtPercentile(50)),
    p90_ms: ms(histogram.getValueAtPercentile(90)),
    p99_ms: ms(histogram.getValueAtPercentile(99)),
    p999_ms: ms(histogram.getValueAtPercentile(99.9)),
    max_ms: ms(histogram.maxValue),
  };
}
