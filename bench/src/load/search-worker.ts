import { performance } from 'node:perf_hooks';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import { createHttpGetter } from '../lib/http-get.js';
import { workerMain } from '../lib/worker-side.js';

export interface SearchWorkerInput {
  url: string;
  token: string;
  /** Queries asked in turn (with `&` parameters of their own, if any). */
  queries: string[];
  concurrency: number;
  /** The same searches before `start`, not recorded: the server's JIT and caches are warm. */
  warmupMs: number;
  durationMs: number;
}

export interface SearchWorkerResult {
  latency: string;
  /** Each query's own latencies (same order as `queries`): which kinds make the tail. */
  byQuery: string[];
  requests: number;
  errors: number;
  /** Results answered, summed: a query that finds nothing would be a cheap query. */
  results: number;
}

/** `concurrency` searches in flight for `durationMs`, the queries taken in turn. */
workerMain<SearchWorkerInput, SearchWorkerResult>(async (input) => {
  const latency = createLatencyHistogram();
  const byQuery = input.queries.map(() => createLatencyHistogram());
  const headers = { authorization: `Bearer ${input.token}` };
  let requests = 0;
  let errors = 0;
  let results = 0;
  // node:http, not fetch: the client runs on the server's cores (see createHttpGetter).
  const http = createHttpGetter(input.concurrency);
  /** `concurrency` lanes asking the queries in turn for `ms`; recorded unless warming up. */
  const searches = async (ms: number, record: boolean) => {
    const end = performance.now() + ms;
    const lane = async (lane: number) => {
      for (let i = lane; performance.now() < end; i += input.concurrency) {
        const index = i % input.queries.length;
        const t = performance.now();
        const res = await http.get(`${input.url}/search?${input.queries[index]!}`, headers);
        const body = JSON.parse(res.body.toString()) as { results?: unknown[] };
        const ms = performance.now() - t;
        if (!record) continue;
        requests++;
        recordMs(latency, ms);
        recordMs(byQuery[index]!, ms);
        if (res.status !== 200) errors++;
        else results += body.results?.length ?? 0;
      }
    };
    await Promise.all(Array.from({ length: input.concurrency }, (_, i) => lane(i)));
  };
  await http.get(`${input.url}/search?q=warmup`, headers);
  await searches(input.warmupMs, false);
  return {
    close: () => {
      http.close();
      return Promise.resolve();
    },
    async run() {
      await searches(input.durationMs, true);
      return {
        latency: encodeHistogram(latency),
        byQuery: byQuery.map(encodeHistogram),
        requests,
        errors,
        results,
      };
    },
  };
});
