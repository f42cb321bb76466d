import type { Histogram } from 'hdr-histogram-js';
import { recordMs } from './histogram.js';
import { mapLimit } from './setup.js';

/** One file to upload, and where. */
export interface UploadJob {
  url: string;
  token: string;
  cid: string;
  bytes: Uint8Array;
  name: string;
}

/** What a batch of uploads did. */
export interface UploadOutcome {
  ok: number;
  errors: number;
  bytes: number;
  elapsedMs: number;
}

/**
 * Sends `count` uploads of the job, `concurrency` at a time, each a multipart POST as a
 * browser's FormData makes it, recording each one's time to the answer.
 */
export async function runUploads(
  job: UploadJob,
  count: number,
  concurrency: number,
  latency: Histogram,
): Promise<UploadOutcome> {
  const blob = new Blob([job.bytes as Uint8Array<ArrayBuffer>]);
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async () => {
      const form = new FormData();
      form.append('cid', job.cid);
      form.append('file', blob, job.name);
      const sent = performance.now();
      const res = await fetch(`${job.url}/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${job.token}` },
        body: form,
      });
      await res.arrayBuffer();
      recordMs(latency, performance.now() - sent);
      if (res.status === 201) ok++;
      else errors++;
    },
  );
  return { ok, errors, bytes: ok * job.bytes.length, elapsedMs: performance.now() - started };
}

/** Samples a value every `everyMs` until stopped; answers the highest seen. */
export function sampleMax(read: () => number | null, everyMs = 20): { stop(): number | null } {
  let max: number | null = read();
  const timer = setInterval(() => {
    const value = read();
    if (value !== null && (max === null || value > max)) max = value;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const value = read();
      if (value !== null && (max === null || value > max)) max = value;
      return max;
    },
  };
}

/** A Prometheus histogram's `_sum` and `_count` from the text format. */
export function histogramTotals(metrics: string, name: string): { sum: number; count: number } {
  const value = (suffix: string) => {
    const line = metrics.split('\n').find((l) => l.startsWith(`${name}_${suffix}`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };
  return { sum: value('sum'), count: value('count') };
}
