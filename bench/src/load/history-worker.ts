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
  // One request before `start`: the connection is open and the first-query cost is paid.
  await fetch(`${input.messagesUrl}?limit=1`, { headers }).then((r) => r.arrayBuffer());
  return {
    close: () => Promise.resolve(),
    async run() {
      const end = performance.now() + input.durationMs;
      const lane = async () => {
        while (performance.now() < end && requests < input.maxRequests) {
          requests++;
          // A random page that has a full `limit` of older messages.
          const seq = input.limit + 1 + Math.floor(Math.random() * (input.total - input.limit));
          const t = performance.now();
          const res = await fetch(`${input.messagesUrl}?limit=${input.limit}&before=h-${seq}`, {
            headers,
          });
          const body = (await res.json()) as { messages?: unknown[] };
          recordMs(latency, performance.now() - t);
          if (res.status !== 200 || body.messages?.length !== input.limit) errors++;
        }
      };
      await Promise.all(Array.from({ length: input.concurrency }, lane));
      return { latency: encodeHistogram(latency), requests, errors };
    },
  };
});
