import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS, type StorageKind } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';
import { freePort } from '../helpers/free-port.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

/** The CLI as an operator runs it, with no PARLEY_* settings leaking in from this shell. */
class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: string | null }>;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  static start(args: string[]): CliProcess {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('PARLEY_')),
    );
    return new CliProcess(spawn(process.execPath, [CLI, ...args], { env }));
  }

  /** Resolves once stdout matches; fails if the process exits or nothing comes in time. */
  async waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (!pattern.test(this.stdout)) {
      if (exited || Date.now() > deadline) {
        throw new Error(`no ${pattern} in output; stdout: ${this.stdout}\nstderr: ${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends the signal, then waits for the exit. */
  stop(signal: NodeJS.Signals, timeoutMs = 10_000) {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit(timeoutMs);
  }

  /** Waits for the exit; kills the process if it does not come in time. */
  async exit(timeoutMs = 10_000) {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

describe('system', () => {
  const servers = new Map<StorageKind, TestServer>();
  beforeAll(async () => {
    await Promise.all(
      STORAGE_KINDS.map(async (kind) => servers.set(kind, await TestServer.start(kind))),
    );
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.close()));
  });

  for (const kind of STORAGE_KINDS) {
    it(`${kind}: GET /health answers 200 with status ok and the storage kind, without a token`, async () => {
      const res = await servers.get(kind)!.api('GET', '/health', { token: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', storage: kind, redis: 'off' });
      expect(typeof res.body.node_id).toBe('string');
    });
  }

  describe('CORS', () => {
    it('answers a browser preflight from another origin without a token', async () => {
      const server = servers.get(STORAGE_KINDS[0]!)!;
      const res = await fetch(`${server.url}/channels/team/x/messages`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    });

    it('lets a page on another origin read answers, errors included', async () => {
      const server = servers.get(STORAGE_KINDS[0]!)!;
      const res = await server.api('GET', '/users/nobody', {
        headers: { origin: 'http://app.example' },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('allows only the configured origins when a list is given', async () => {
      const strict = await TestServer.start('sqlite', { corsOrigins: ['http://atas.test'] });
      try {
        const preflight = (origin: string) =>
          fetch(`${strict.url}/channels`, {
            method: 'OPTIONS',
            headers: { origin, 'access-control-request-method': 'GET' },
          });
        const allowed = await preflight('http://atas.test');
        expect(allowed.headers.get('access-control-allow-origin')).toBe('http://atas.test');
        const other = await preflight('http://evil.test');
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await strict.close();
      }
    });
  });

  describe('GET /metrics', () => {
    it('labels every sample with the node id, as /health reports it', async () => {
      const server = servers.get('sqlite')!;
      const health = await server.api('GET', '/health', { token: null });
      const res = await server.api('GET', '/metrics', { token: null });
      const samples = (res.body as string).split('\n').filter((l) => /^parley_/.test(l));
      expect(samples.length).toBeGreaterThan(10);
      const label = `node="${health.body.node_id}"`;
      expect(samples.filter((l) => !l.includes(label))).toEqual([]);
    });

    it('serves Prometheus text with the connection, message, fan-out and latency metrics', async () => {
      const server = servers.get('sqlite')!;
      const res = await server.api('GET', '/metrics', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      for (const name of [
        'parley_connections',
        'parley_messages_total',
        'parley_events_fanned_out_total',
        'parley_http_request_duration_seconds',
        'parley_send_batch_size',
      ]) {
        expect(res.body).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
      }
      // Process metrics stay, but none that lists every socket at each scrape (metrics.ts).
      expect(res.body).toMatch(/^# TYPE parley_process_open_fds /m);
      expect(res.body).toMatch(/^# TYPE parley_nodejs_eventloop_lag_max_seconds /m);
      expect(res.body).not.toMatch(/^parley_nodejs_active_(handles|requests|resources)/m);
    });

    it('counts connections, stored messages, fanned-out events and request latencies', async () => {
      const server = servers.get('sqlite')!;
      await server.createUsers('mia', 'max');
      await server.createChannel('team', 'metrics', ['mia', 'max']);
      const messagesBefore = await server.metric('parley_messages_total');
      expect(messagesBefore).toBe(0);
      const batchesBefore = await server.metric('parley_send_batch_size_count');
      const batchedBefore = await server.metric('parley_send_batch_size_sum');

      const max = await server.connect('max');
      try {
        await max.watch('team:metrics');
        expect(await server.metric('parley_connections')).toBe(1);
        const sent = await server.api('POST', '/channels/team/metrics/messages', {
          token: await server.tokenFor('mia'),
          body: { id: 'metric-1', text: 'count me' },
        });
        expect(sent.status).toBe(201);
        await max.waitFor((f) => f.type === 'message.new' && f.message.id === 'metric-1');
        // A retry of the same id stores nothing and is not counted.
        await server.api('POST', '/channels/team/metrics/messages', {
          body: { id: 'metric-1', text: 'count me', user_id: 'mia' },
        });
      } finally {
        await max.close();
      }
      expect(await server.metric('parley_messages_total')).toBe(messagesBefore + 1);
      // Two sends one after the other: two transactions of one each (the retry is checked
      // in a transaction too, where it turns out a duplicate).
      expect(await server.metric('parley_send_batch_size_count')).toBe(batchesBefore + 2);
      expect(await server.metric('parley_send_batch_size_sum')).toBe(batchedBefore + 2);
      expect(
        await server.metric('parley_events_fanned_out_total', 'type="message.new"'),
      ).toBeGreaterThanOrEqual(1);
      expect(
        await server.metric(
          'parley_http_request_duration_seconds_count',
          'method="POST"',
          'route="/channels/:type/:id/messages"',
          'status="201"',
        ),
      ).toBe(1);
    });

    it("times each SQLite commit's sync to disk, which PostgreSQL does on its own server", async () => {
      const sqlite = servers.get('sqlite')!;
      await sqlite.createUsers('syd');
      await sqlite.createChannel('team', 'syncs', ['syd']);
      const syncsBefore = await sqlite.metric('parley_storage_sync_seconds_count');
      const sent = await sqlite.api('POST', '/channels/team/syncs/messages', {
        body: { text: 'on disk', user_id: 'syd' },
      });
      expect(sent.status).toBe(201);
      const scraped = await sqlite.api('GET', '/metrics', { token: null });
      const text = withoutNodeLabel(scraped.body as string);
      expect(Number(/^parley_storage_sync_seconds_count (\d+)/m.exec(text)?.[1])).toBeGreaterThan(
        syncsBefore,
      );
      // The longest since the last scrape: this send's sync, at least.
      expect(Number(/^parley_storage_sync_max_seconds (\S+)/m.exec(text)?.[1])).toBeGreaterThan(0);

      const postgres = servers.get('postgres');
      if (postgres === undefined) return;
      await postgres.createUsers('syd');
      await postgres.createChannel('team', 'syncs', ['syd']);
      await postgres.api('POST', '/channels/team/syncs/messages', {
        body: { text: 'on disk', user_id: 'syd' },
      });
      expect(await postgres.metric('parley_storage_sync_seconds_count')).toBe(0);
    });
  });

  describe('the CLI', () => {
    let dataDir: string;
    const running: CliProcess[] = [];
    const startCli = async (port: number) => {
      const cli = CliProcess.start([
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--data-dir',
        dataDir,
        '--log-level',
        'silent',
      ]);
      running.push(cli);
      await cli.waitForOutput(/Parley is running/);
      return cli;
    };

    beforeAll(async () => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx tsc -b" first`);
      dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    });
    afterAll(async () => {
      await Promise.all(running.map((cli) => cli.stop('SIGKILL')));
      await rm(dataDir, { recursive: true, force: true });
    });

    it('lists every option in --help', async () => {
      const cli = CliProcess.start(['--help']);
      running.push(cli);
      expect((await cli.exit()).code).toBe(0);
      for (const option of [
        '--port',
        '--host',
        '--data-dir',
        '--database-url',
        '--api-key',
        '--secret',
        '--max-message-length',
        '--max-body-bytes',
        '--max-frame-bytes',
        '--messages-per-window',
        '--requests-per-window',
        '--rate-window-ms',
        '--heartbeat-ms',
        '--search-concurrency',
        '--log-level',
        '--webhook-url',
        '--webhook-secret',
        '--smtp-url',
        '--email-from',
        '--email-after-ms',
        '--email-link-template',
        '--public-url',
        '--help',
      ]) {
        expect(cli.stdout).toContain(option);
      }
      expect(cli.stdout).toContain('PARLEY_DATABASE_URL');
    });

    it('exits with code 2 and points to --help on an unknown option or a bad number', async () => {
      const clis = [['--no-such-option'], ['--port', 'eighty']].map((args) =>
        CliProcess.start(args),
      );
      running.push(...clis);
      for (const cli of clis) {
        expect((await cli.exit()).code).toBe(2);
        expect(cli.stderr).toContain('--help');
      }
    });

    it('generates credentials on first start, serves, stops on SIGTERM and reuses them', async () => {
      const port = await freePort();
      const first = await startCli(port);
      const credentialsPath = join(dataDir, 'credentials.json');
      const credentials = JSON.parse(await readFile(credentialsPath, 'utf8')) as {
        api_key: string;
        secret: string;
      };
      expect((await stat(credentialsPath)).mode & 0o777).toBe(0o600);
      expect(first.stdout).toContain(`api key: ${credentials.api_key}`);
      expect(first.stdout).toContain(`kept in ${credentialsPath} (generated now)`);
      expect(first.stdout).not.toContain(credentials.secret);

      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', storage: 'sqlite' });

      expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(first.stdout).toContain('SIGTERM');

      const second = await startCli(port);
      expect(second.stdout).toContain(`api key: ${credentials.api_key}`);
      expect(second.stdout).toContain(`kept in ${credentialsPath}`);
      expect(second.stdout).not.toContain('generated now');
      expect(JSON.parse(await readFile(credentialsPath, 'utf8'))).toEqual(credentials);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    });
  });
});

/** Prometheus text without the `node` label, so a sample reads as on a single node. */
function withoutNodeLabel(text: string): string {
  return text
    .replace(/\{node="[^"]*"\}/g, '')
    .replace(/,node="[^"]*"/g, '')
    .replace(/\{node="[^"]*",/g, '{');
}
