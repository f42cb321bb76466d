import { performance } from 'node:perf_hooks';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import { workerMain } from '../lib/worker-side.js';

export interface HistoryWorkerInput {
  /** `http://…/channels/<type>/<id>/messages` */
  messagesUrl: string;
  token: string;
  /** The channel holds `h-1` … `h-<total>`. */
  total: number;
  limit: number;
  concurrency: number;
  /** The same requests before `start`, not recorded: the server's JIT and caches are warm. */
  warmupMs: number;
  durationMs: number;
  maxRequests: number;
}

export interface HistoryWorkerResult {
  latency: string;
  requests: number;
  errors: number;
}

workerMain<HistoryWorkerInput, HistoryWorkerResult>(async (input) => {
  const latency = createLatencyHistogram();
  const headers = { authorization: `Bearer ${input.token}` };
  let requests = 0;
  let errors = 0;
  /** `concurrency` lanes of random pages for `ms`; recorded unless warming up. */
  const pages = async (ms: number, record: boolean) => {
    const end = performance.now() + ms;
    const lane = async () => {
      while (performance.now() < end && requests < input.maxRequests) {
        // A random page that has a full `limit` of older messages.
        const seq = input.limit + 1 + Math.floor(Math.random() * (input.total - input.limit));
        const t = performance.now();
        const res = await fetch(`${input.messagesUrl}?limit=${input.limit}&before=h-${seq}`, {
          headers,
        });
        const body = (await res.json()) as { messages?: unknown[] };
        if (!record) continue;
        requests++;
        recordMs(latency, performance.now() - t);
        if (res.status !== 200 || body.messages?.length !== input.limit) errors++;
      }
    };
    await Promise.all(Array.from({ length: input.concurrency }, lane));
  };
  await pages(input.warmupMs, false);
  return {
    close: () => Promise.resolve(),
    async run() {
      await pages(input.durationMs, true);
      return { latency: encodeHistogram(latency), requests, errors };
    },
  };
});
