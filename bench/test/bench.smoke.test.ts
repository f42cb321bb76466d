import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('../dist/run.js', import.meta.url));

// Checks that the bench runs end to end and writes its report; never how fast anything is.
describe('bench --quick on tiny sizes', () => {
  let out: string;
  let report: {
    mode: string;
    machine: Record<string, unknown>;
    scenarios: Record<
      string,
      { error?: string; rows: { label: string; metrics: Record<string, unknown> }[] }
    >;
  };

  beforeAll(async () => {
    if (!existsSync(RUN)) throw new Error(`${RUN} is missing: run \`npx tsc -b\` first`);
    out = await mkdtemp(join(tmpdir(), 'parley-bench-smoke-'));
    await promisify(execFile)(
      process.execPath,
      [
        RUN,
        '--quick',
        '--out',
        out,
        ...['dm-latency.pairs=2', 'dm-latency.durationMs=1000', 'dm-latency.intervalMs=200'],
        'dm-latency.warmupMs=200',
        'dm-latency.diskSyncs=20',
        ...['ingest.senders=2', 'ingest.durationMs=1000', 'ingest.storages=sqlite'],
        'ingest.warmupMs=100',
        ...['history.messages=200', 'history.durationMs=500', 'history.concurrency=1'],
        'history.warmupMs=100',
        'search.warmupMs=100',
        'history.storages=sqlite,postgres',
        ...['polling.pairs=2', 'polling.pollMs=200', 'polling.sendEveryMs=100'],
        ...['polling.quietSendEveryMs=300', 'polling.historyMessages=3'],
        ...['polling.durationMs=1000', 'polling.warmupMs=200'],
        // A limit no step misses: the ladder's numbers exist whatever the machine's load.
        ...['fan-out.members=10', 'fan-out.startRate=20', 'fan-out.maxRate=20'],
        ...['fan-out.refineSteps=0', 'fan-out.stepMs=200', 'fan-out.p99LimitMs=60000'],
        ...['connections.connections=50', 'connections.idleMs=300', 'connections.heartbeatMs=200'],
        'connections.settleMs=100',
        ...['client-apply.loaded=100', 'client-apply.events=200', 'client-apply.streamEvents=300'],
        'client-apply.warmup=100',
        ...['client-bursts.readers=2', 'client-bursts.bursts=2', 'client-bursts.burstSize=20'],
        ...['dm-nodes.pairs=2', 'dm-nodes.durationMs=1000', 'dm-nodes.intervalMs=200'],
        'dm-nodes.warmupMs=200',
        ...['fan-out-nodes.members=10', 'fan-out-nodes.startRate=20', 'fan-out-nodes.maxRate=20'],
        ...['fan-out-nodes.stepMs=200', 'fan-out-nodes.p99LimitMs=60000'],
        ...['connections-nodes.perNodeFiles=600', 'connections-nodes.settleMs=100'],
        ...[
          'reaction-storm.members=10',
          'reaction-storm.windowMs=300',
          'reaction-storm.drainMs=5000',
        ],
        ...['upload.sizeMb=0.1', 'upload.uploads=2', 'upload.concurrency=2'],
        ...['upload.inFlight=2', 'upload.images=1', 'upload.imageWidth=300'],
      ].flatMap((arg) => (arg.includes('=') ? ['--param', arg] : [arg])),
      // About 90 s alone (three scenarios start several nodes); a machine busy with other
      // test files can take twice that.
      { timeout: 240_000 },
    );
    report = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as typeof report;
  }, 270_000);

  afterAll(async () => {
    if (out !== undefined) await rm(out, { recursive: true, force: true });
  });

  it('writes latest.json and latest.md with every scenario', async () => {
    expect(report.mode).toBe('quick');
    expect(Object.keys(report.scenarios).sort()).toEqual([
      'client-apply',
      'client-bursts',
      'connections',
      'connections-nodes',
      'dm-latency',
      'dm-nodes',
      'fan-out',
      'fan-out-nodes',
      'history',
      'ingest',
      'polling',
      'reaction-storm',
      'search',
      'upload',
    ]);
    expect(await readFile(join(out, 'latest.md'), 'utf8')).toContain('## dm-latency');
  });

  it.each([
    [
      'dm-latency',
      [
        'p50_ms',
        'p99_ms',
        'p999_ms',
        'max_ms',
        'deliveries_per_s',
        'delivered',
        'server_cpu_s',
        'loop_delay_max_ms',
        'gc_ms',
        'gcs_over_10ms',
      ],
    ],
    [
      'ingest',
      [
        'messages_per_s',
        'acked',
        'stored',
        'ack_p99_ms',
        'server_cpu_s',
        'client_cpu_us_per_message',
      ],
    ],
    ['history', ['p50_ms', 'p99_ms', 'max_ms', 'requests_per_s', 'server_cpu_s']],
    ['polling', ['mean_ms', 'p99_ms', 'delivered', 'cpu_ms_per_user', 'server_cpu_s']],
    ['fan-out', ['max_msgs_per_s', 'max_deliveries_per_s', 'p99_ms_at_max']],
    ['connections', ['connections', 'still_open', 'kb_per_connection', 'idle_cpu_s']],
    ['reaction-storm', ['p50_ms', 'p99_ms', 'max_ms', 'delivered', 'counted', 'server_cpu_s']],
    ['search', ['p50_ms', 'p99_ms', 'requests_per_s', 'results_per_search', 'index_mb']],
  ])('%s reports numeric metrics', (name, keys) => {
    const scenario = report.scenarios[name]!;
    expect(scenario.error).toBeUndefined();
    // Rows labelled `a ÷ b` hold ratios of the measured rows, and storage and disk baselines
    // run no server; they are checked elsewhere.
    const measured = scenario.rows.filter(
      (row) =>
        !row.label.includes('÷') &&
        !row.label.includes(': storage ') &&
        !row.label.startsWith('the disk alone'),
    );
    expect(measured.length).toBeGreaterThan(0);
    for (const row of measured) {
      for (const key of [...keys, 'server_rss_mb']) {
        expect(typeof row.metrics[key], `${name} ${row.label} ${key}`).toBe('number');
      }
    }
  });

  it('dm-latency measures the disk’s own commit latency beside the deliveries', () => {
    const disk = report.scenarios['dm-latency']!.rows.find((row) =>
      row.label.startsWith('the disk alone'),
    );
    expect(disk?.metrics['count']).toBe(20);
    for (const key of ['p50_ms', 'p99_ms', 'max_ms']) {
      expect(typeof disk?.metrics[key], key).toBe('number');
    }
  });

  it('upload reports throughput, memory while files are in flight, and thumbnail time', () => {
    const scenario = report.scenarios['upload']!;
    expect(scenario.error).toBeUndefined();
    const [throughput, inFlight, photos] = scenario.rows;
    for (const key of ['p99_ms', 'mb_per_s', 'server_rss_mb']) {
      expect(typeof throughput!.metrics[key], key).toBe('number');
    }
    expect(throughput!.metrics['errors']).toBe(0);
    expect(typeof inFlight!.metrics['rss_growth_mb']).toBe('number');
    expect(inFlight!.metrics['errors']).toBe(0);
    expect(typeof photos!.metrics['thumbnail_ms']).toBe('number');
    expect(photos!.metrics['thumbnails']).toBe(1);
  });

  it.each([
    [
      'client-apply',
      ['us_per_event', 'parse_us_per_event', 'heap_loaded_mb', 'heap_end_mb', 'kept'],
    ],
    ['client-bursts', ['ms', 'ms_per_1000', 'loaded_per_reader', 'client_heap_mb']],
  ])('%s (the client SDK) reports numeric metrics', (name, keys) => {
    const scenario = report.scenarios[name]!;
    expect(scenario.error).toBeUndefined();
    expect(scenario.rows.length).toBeGreaterThan(0);
    for (const row of scenario.rows) {
      for (const key of keys) {
        expect(typeof row.metrics[key], `${name} ${row.label} ${key}`).toBe('number');
      }
    }
  });

  it.each([
    ['ingest', 'ceiling', 'messages_per_s'],
    ['history', 'floor', 'p99_ms'],
    ['polling', 'floor of a lone send', 'cpu_ms_per_message'],
  ])('%s measures its storage %s in the same run', (name, baseline, key) => {
    const rows = report.scenarios[name]!.rows;
    const storages = name === 'history' ? ['sqlite', 'postgres'] : ['sqlite'];
    for (const storage of storages) {
      const base = rows.find((row) => row.label.includes(`${storage}: storage ${baseline}`));
      expect(typeof base?.metrics[key], `${storage} ${baseline}`).toBe('number');
    }
  });

  it('on PostgreSQL, history and search measure the database’s CPU beside the server’s', () => {
    const history = report.scenarios['history']!.rows.filter(
      (row) => row.label.includes('postgres') && !row.label.includes('÷'),
    );
    expect(history.map((row) => row.label.includes('floor'))).toEqual([false, true]);
    for (const row of history) {
      for (const key of ['database_cpu_s', 'database_cpu_ms_per_page']) {
        expect(typeof row.metrics[key], `${row.label} ${key}`).toBe('number');
      }
    }
    expect(typeof history[0]!.metrics['server_cpu_ms_per_page']).toBe('number');
    const search = report.scenarios['search']!.rows;
    // As a user, as the server, and as the user while messages arrive, on each database.
    expect(search.length).toBe(6);
    for (const row of search) {
      expect(typeof row.metrics['cpu_ms_per_search'], row.label).toBe('number');
      if (row.label.includes('arrive')) {
        expect(row.metrics['arrivals_per_s'], row.label).toBeGreaterThan(0);
      }
      const database = row.metrics['database_cpu_s'];
      if (row.label.includes('postgres')) expect(typeof database, row.label).toBe('number');
      else expect(database, row.label).toBeNull();
    }
  });

  it.each([
    ['polling', ['mean_latency_ratio', 'cpu_per_user_ratio', 'cpu_per_user_ratio_at_floor']],
    ['fan-out', ['deliveries_ratio']],
    ['ingest', ['messages_ratio']],
    ['history', ['p99_ratio']],
  ])('%s reports its ratios', (name, keys) => {
    const ratios = report.scenarios[name]!.rows.filter((row) => row.label.includes('÷'));
    expect(ratios.length).toBeGreaterThan(0);
    for (const row of ratios) {
      for (const key of keys) expect(typeof row.metrics[key], `${row.label} ${key}`).toBe('number');
    }
  });

  it('compares one node with two: DM latency, fan-out, and twice the connections', () => {
    for (const name of ['dm-nodes', 'fan-out-nodes', 'connections-nodes']) {
      expect(report.scenarios[name]!.error, name).toBeUndefined();
    }
    const dm = report.scenarios['dm-nodes']!.rows;
    for (const row of dm.slice(0, 3)) {
      expect(typeof row.metrics['p99_ms'], row.label).toBe('number');
      expect(row.metrics['delivered'], row.label).toBe(row.metrics['sent']);
    }
    for (const row of dm.slice(3)) {
      expect(typeof row.metrics['p99_ms_added'], row.label).toBe('number');
    }
    const fanOut = report.scenarios['fan-out-nodes']!.rows;
    for (const row of fanOut.slice(0, 2)) {
      expect(typeof row.metrics['max_deliveries_per_s'], row.label).toBe('number');
    }
    expect(typeof fanOut[2]!.metrics['deliveries_ratio']).toBe('number');
    // Two nodes, each under the same open-file limit, hold twice what one can.
    const [held] = report.scenarios['connections-nodes']!.rows;
    expect(held!.metrics['still_open']).toBe(held!.metrics['connections']);
    expect(held!.metrics['times_one_node']).toBe(2);
    expect(Number(held!.metrics['held_by_node_1']) + Number(held!.metrics['held_by_node_2'])).toBe(
      held!.metrics['connections'],
    );
  });
});
