import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { join } from 'node:path';
import { databaseCpuMeter, msEach } from '../lib/database-cpu.js';
import { cpuSecondsSince } from '../lib/proc-stats.js';
import { mergeHistograms, summarize } from '../lib/histogram.js';
import { corpusText, searchIndexBytes, seedSearchCorpus } from '../lib/seed-search.js';
import { MAX_IN_FLIGHT, steadySends } from '../lib/steady-sends.js';
import { startServerProcess } from '../lib/server-process.js';
import { sdkFor } from '../lib/setup.js';
import { runPhasedWorkers } from '../lib/worker-pool.js';
import { STORAGES_PARAM, storagesOf, withStoragePlace, type Storage } from '../lib/storages.js';
import type { SearchWorkerInput, SearchWorkerResult } from '../load/search-worker.js';
import { defineScenario, serverMeter, type ResultRow, type ScenarioContext } from '../scenario.js';

/** What the searches ask, in turn: common and rare words, parts of words, CJK, phrases. */
const QUERIES = [
  'q=hotel',
  'q=hot',
  'q=flight%20delayed',
  'q=%22front%20desk%22',
  'q=cafe',
  'q=%E4%BC%9A%E8%AE%AE',
  'q=zephyr',
  'q=hotel%20-cancelled',
  'q=hotel&sort=newest',
  'q=speaker%20slides&sort=newest',
];

export default defineScenario({
  name: 'search',
  order: 65,
  description:
    'GET /search over `channels` × `perChannel` messages, `concurrency` searches in flight: as a user who is in `searcherChannels` of them, and as the server over all; a mix of common and rare words, parts of words, Chinese, phrases and exclusions',
  params: {
    channels: { quick: 100, full: 1000, doc: 'channels' },
    perChannel: { quick: 100, full: 1000, doc: 'messages per channel (seeded by direct SQL)' },
    searcherChannels: { quick: 20, full: 20, doc: 'channels the searching user is a member of' },
    concurrency: { quick: 10, full: 10, doc: 'searches in flight' },
    warmupMs: {
      quick: 500,
      full: 5000,
      doc: 'the same searches before each measured phase, not recorded: a server that has run a while',
    },
    durationMs: { quick: 3000, full: 15000, doc: 'length of each measured phase' },
    arrivalsPerS: {
      quick: 20,
      full: 200,
      doc: 'messages a second sent through the server during the last phase (its warm-up too), into every channel in turn: searches while messages arrive',
    },
    storages: STORAGES_PARAM,
  },
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const storage of storagesOf(ctx.str('storages')))
      rows.push(...(await searchOn(ctx, storage)));
    return rows;
  },
});

function searchOn(ctx: ScenarioContext, storage: Storage): Promise<ResultRow[]> {
  const shape = {
    channels: ctx.num('channels'),
    perChannel: ctx.num('perChannel'),
    searcherChannels: ctx.num('searcherChannels'),
  };
  const total = shape.channels * shape.perChannel;
  return withStoragePlace(storage, async (place) => {
    const options = { ...place, secret: randomBytes(32).toString('hex') };
    const where =
      place.databaseUrl === undefined
        ? { file: join(place.dataDir, 'parley.db') }
        : { url: place.databaseUrl };
    // A first start creates the schema; the corpus goes in while no server runs.
    await (await startServerProcess(options)).stop();
    const seedStart = Date.now();
    await seedSearchCorpus(where, shape);
    const bytes = await searchIndexBytes(where);
    ctx.log(`${storage}: seeded ${total} messages in ${(Date.now() - seedStart) / 1000} s`);
    const server = await startServerProcess(options);
    try {
      const database = await databaseCpuMeter(place.databaseUrl);
      const sdk = sdkFor(server);
      const rows: ResultRow[] = [];
      const asUser = {
        who: `a user in ${shape.searcherChannels} channels`,
        token: await sdk.createToken('searcher'),
        arrivalsPerS: 0,
      };
      const arrivalsPerS = ctx.num('arrivalsPerS');
      const callers = [
        asUser,
        {
          who: 'the server, every channel',
          token: await serverToken(server.secret),
          arrivalsPerS: 0,
        },
        // Last: the phases before search the corpus as seeded.
        {
          ...asUser,
          who: `${asUser.who}, while ${arrivalsPerS} messages a second arrive`,
          arrivalsPerS,
        },
      ];
      for (const { who, token, arrivalsPerS } of callers) {
        const arrivals =
          arrivalsPerS > 0
            ? steadySends(sdk, {
                perSecond: arrivalsPerS,
                userId: 'search-author',
                channels: Array.from({ length: shape.channels }, (_, c) => ({
                  type: 'bench',
                  id: `s${c}`,
                })),
                textOf: (n) => corpusText(total + n),
              })
            : null;
        const meter = serverMeter(server);
        const durationMs = ctx.num('durationMs');
        // The searches run on this process's threads, on the same cores as the server.
        let clientStart = process.cpuUsage();
        const [result] = await runPhasedWorkers<SearchWorkerInput, SearchWorkerResult>(
          new URL('../load/search-worker.js', import.meta.url),
          [
            {
              url: server.url,
              token,
              queries: QUERIES,
              concurrency: ctx.num('concurrency'),
              warmupMs: ctx.num('warmupMs'),
              durationMs,
            },
          ],
          {
            readyTimeoutMs: ctx.num('warmupMs') + 30_000,
            runTimeoutMs: durationMs + 60_000,
            onStart: () => {
              meter.start();
              database?.start();
              clientStart = process.cpuUsage();
            },
          },
        );
        const client_cpu_s = cpuSecondsSince(clientStart);
        const server_use = meter.stop();
        const database_cpu_s = database?.stop() ?? null;
        const arrived = await arrivals?.stop();
        if (result === undefined) throw new Error('no result from the search worker');
        const latency = mergeHistograms([result.latency]);
        logByQuery(ctx, `${storage} as ${who}`, result.byQuery);
        rows.push({
          label: `${total} messages in ${shape.channels} channels, ${storage}, as ${who}`,
          metrics: {
            ...summarize(latency),
            requests_per_s: Math.round((result.requests / durationMs) * 1000),
            results_per_search:
              Math.round((result.results / Math.max(1, result.requests)) * 10) / 10,
            errors: result.errors,
            ...(arrived === undefined
              ? {}
              : {
                  arrivals_per_s: Math.round(arrived.sent / arrived.seconds),
                  arrival_errors: arrived.errors,
                  arrivals_skipped: arrived.skipped,
                }),
            index_mb: Math.round((bytes.index / 1048576) * 10) / 10,
            index_overhead_pct: Math.round((bytes.index / Math.max(1, bytes.messages)) * 100),
            ...server_use,
            database_cpu_s,
            client_cpu_s,
            cpu_ms_per_search: cpuPerSearch(result.requests, [
              server_use.server_cpu_s,
              database === null ? 0 : database_cpu_s,
              client_cpu_s,
            ]),
          },
          note: `goal: p99 < 20 ms; index_overhead_pct: the search index over the messages table; database_cpu_s: PostgreSQL's processes (SQLite runs in the server); client_cpu_s: the load generator, on the same cores; cpu_ms_per_search: the three together, per search (10 in flight on 2 cores, p99 < 20 ms takes roughly 1,000 searches/s: 2 ms a search)${arrived === undefined ? '' : `; while messages arrive (arrivals_per_s, each message through the REST API; arrivals_skipped: not sent while ${MAX_IN_FLIGHT} were waiting, the server behind), the CPU columns include the sends'`}`,
        });
        latency.destroy();
      }
      return rows;
    } finally {
      await server.stop();
    }
  });
}

/** Each query's p50 and p99: which kinds of search make the tail. */
function logByQuery(ctx: ScenarioContext, variant: string, byQuery: readonly string[]): void {
  const parts = QUERIES.map((query, i) => {
    const histogram = mergeHistograms([byQuery[i]!]);
    const { count, p50_ms, p99_ms } = summarize(histogram);
    histogram.destroy();
    return `  ${decodeURIComponent(query).padEnd(34)} n=${String(count).padStart(5)}  p50 ${p50_ms} ms  p99 ${p99_ms} ms`;
  });
  ctx.log(`${variant}, by query:\n${parts.join('\n')}`);
}

/**
 * The CPU a search cost the machine, in ms: the server's, the database's (none apart on
 * SQLite) and the load generator's, over the searches answered. Null where one is unknown.
 */
function cpuPerSearch(requests: number, seconds: readonly (number | null)[]): number | null {
  if (seconds.some((s) => s === null)) return null;
  return msEach(
    seconds.reduce<number>((sum, s) => sum + (s ?? 0), 0),
    requests,
  );
}

/** A server token for the server's secret (what an app backend holds). */
function serverToken(secret: string): Promise<string> {
  return new SignJWT({ server: true })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}
