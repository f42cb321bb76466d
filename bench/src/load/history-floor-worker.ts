import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createLatencyHistogram, encodeHistogram, recordMs } from '../lib/histogram.js';
import { workerMain } from '../lib/worker-side.js';

/*
 * The storage floor of history (issue 18): the page query Parley runs for
 * `GET …/messages?limit=N&before=<id>` (packages/server/src/storage/kysely/message-queries.ts),
 * run straight against the same database. One request in flight per worker, each worker
 * with its own connection, so N workers are N requests in flight, as the history workers
 * keep against the server.
 */

export interface HistoryFloorWorkerInput {
  sqlitePath?: string | undefined;
  databaseUrl?: string | undefined;
  cid: string;
  /** The channel holds `h-1` … `h-<total>`. */
  total: number;
  limit: number;
  /** The same queries before `start`, not recorded, as the server is warmed up. */
  warmupMs: number;
  durationMs: number;
}

export interface HistoryFloorWorkerResult {
  latency: string;
  requests: number;
  errors: number;
}

const PAGE = `SELECT * FROM parley_messages
  WHERE cid = $1 AND (parent_id IS NULL OR show_in_channel = 1)
    AND seq < (SELECT seq FROM parley_messages WHERE id = $2 AND cid = $1)
  ORDER BY seq DESC LIMIT $3`;

type Page = (beforeId: string) => Promise<unknown[]> | unknown[];

workerMain<HistoryFloorWorkerInput, HistoryFloorWorkerResult>(async (input) => {
  const { page, close } = await open(input);
  const latency = createLatencyHistogram();
  let requests = 0;
  let errors = 0;
  /** Random pages for `ms`; recorded unless warming up. */
  const pages = async (ms: number, record: boolean) => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const seq = input.limit + 1 + Math.floor(Math.random() * (input.total - input.limit));
      const t = performance.now();
      // Oldest first, as Parley answers.
      const rows = (await page(`h-${seq}`)).reverse();
      if (!record) continue;
      requests++;
      recordMs(latency, performance.now() - t);
      if (rows.length !== input.limit) errors++;
    }
  };
  // Before `start`: the connection is open, the statement prepared, the pages cached.
  await page(`h-${input.total}`);
  await pages(input.warmupMs, false);
  return {
    close,
    async run() {
      await pages(input.durationMs, true);
      return { latency: encodeHistogram(latency), requests, errors };
    },
  };
});

async function open(input: HistoryFloorWorkerInput): Promise<{
  page: Page;
  close: () => Promise<void>;
}> {
  if (input.sqlitePath !== undefined) {
    const db = new Database(input.sqlitePath, { readonly: true });
    // Parley's read settings (packages/server/src/storage/sqlite/sqlite-dialect.ts).
    db.pragma('cache_size = -65536');
    // The limit in the text, as Parley writes it (storage/sqlite/inline-values.ts): a bound
    // LIMIT makes SQLite compile the statement again at every run.
    const inText = ['', '@cid', '@before', String(input.limit)];
    const statement = db.prepare(PAGE.replaceAll(/\$(\d)/g, (_, n: string) => inText[Number(n)]!));
    return {
      page: (beforeId) => statement.all({ cid: input.cid, before: beforeId }),
      close: () => {
        db.close();
        return Promise.resolve();
      },
    };
  }
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  return {
    page: async (beforeId) =>
      (
        await client.query({
          name: 'history-floor',
          text: PAGE,
          values: [input.cid, beforeId, input.limit],
        })
      ).rows,
    close: () => client.end(),
  };
}
