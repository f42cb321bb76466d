import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../packages/server/test/helpers/free-port.js';

const CLI = fileURLToPath(new URL('../../../packages/server/dist/cli.js', import.meta.url));

/** Children still running, killed if the test process exits without closing them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** How a node is run; the same for every node of a test deployment. */
export interface ParleyNodeOptions {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  secret: string;
  apiKey: string;
  /** `--heartbeat-ms`: short in tests, so presence expires in about a second. */
  heartbeatMs: number;
}

/**
 * One Parley node as operators run it: `parley-server` in a process of its own,
 * configured through PARLEY_* variables as the systemd units in deploy/ do, on a fixed
 * port (a restart comes back on the same one).
 */
export class ParleyNode {
  private child: ChildProcess | undefined;
  private output = '';
  private exited: Promise<number | null> = Promise.resolve(null);

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly dataDir: string,
    private readonly options: ParleyNodeOptions,
  ) {}

  /** Starts a node (see `spawn`); `databaseUrl` may be overridden (a proxy, say). */
  static async start(
    name: string,
    options: ParleyNodeOptions,
    wait: 'healthy' | 'spawned' = 'healthy',
  ): Promise<ParleyNode> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` first`);
    const dataDir = await mkdtemp(join(tmpdir(), `parley-${name}-`));
    const node = new ParleyNode(name, await freePort(), dataDir, options);
    node.spawn();
    try {
      if (wait === 'healthy') await node.waitHealthy();
    } catch (error) {
      // Not left running (and serving nobody) after the test run gave up on it.
      await node.close();
      throw error;
    }
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The node's last 8,000 characters of output, for failure messages. */
  get log(): string {
    return this.output;
  }

  /** Starts the process; a node that is already running is left alone. */
  spawn(): void {
    if (this.running) return;
    this.output = '';
    const o = this.options;
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARLEY_'))),
      PARLEY_PORT: String(this.port),
      PARLEY_HOST: '127.0.0.1',
      PARLEY_DATA_DIR: this.dataDir,
      PARLEY_DATABASE_URL: o.databaseUrl,
      PARLEY_REDIS_URL: o.redisUrl,
      PARLEY_REDIS_KEY_PREFIX: o.redisKeyPrefix,
      PARLEY_NODE_ID: this.name,
      PARLEY_SECRET: o.secret,
      PARLEY_API_KEY: o.apiKey,
      PARLEY_HEARTBEAT_MS: String(o.heartbeatMs),
      PARLEY_MESSAGES_PER_WINDOW: '0',
      PARLEY_SHUTDOWN_TIMEOUT_MS: '5000',
      PARLEY_LOG_LEVEL: process.env['PARLEY_TEST_LOG_LEVEL'] ?? 'warn',
    };
    const child = spawn(process.execPath, [CLI], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-8_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        running.delete(child);
        resolve(code);
      }),
    );
  }

  /** Waits until `/health` answers 200 (storage and Redis reachable). */
  async waitHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`node ${this.name} exited:\n${this.output}`);
      if ((await this.health()).status === 200) return;
      if (Date.now() > deadline) {
        throw new Error(`node ${this.name} not healthy after ${timeoutMs} ms:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** `GET /health` straight from the node (status 0: not listening). */
  async health(): Promise<{ status: number; body: any }> {
    try {
      const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(3_000) });
      return { status: res.status, body: await res.json() };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  /** Sends the signal and waits for the exit; resolves with the exit code. */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child!.kill(signal);
    return this.exited;
  }

  /** Kills the node (if running) and removes its data folder. */
  async close(): Promise<void> {
    await this.stop('SIGKILL');
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
