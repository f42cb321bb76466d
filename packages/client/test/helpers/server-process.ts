import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createTestStorageConfig,
  type StorageKind,
} from '../../../server/test/helpers/storages.js';
import { signToken } from './tokens.js';
import { sleep } from './wait.js';
import { freePort } from '../../../server/test/helpers/free-port.js';

const CLI = fileURLToPath(new URL('../../../server/dist/cli.js', import.meta.url));
const SECRET = 'process-test-secret-at-least-32-characters';
const API_KEY = 'pk_process_test';
const START_TIMEOUT_MS = 15_000;

/** Children still running, killed if the test process exits without closing them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ServerProcessOptions {
  /** `--max-message-length`. */
  maxMessageLength?: number;
  /** `--heartbeat-ms`. */
  heartbeatMs?: number;
  /** `--messages-per-window` (0 turns the per-user message limit off). */
  messagesPerWindow?: number;
}

/**
 * The Parley server as a child process (`node packages/server/dist/cli.js`), so a test can
 * SIGKILL it — no graceful close, no 4000 frame — and start it again on the same port,
 * data folder and database.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly kind: StorageKind,
    readonly port: number,
    private readonly args: string[],
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(
    kind: StorageKind,
    options: ServerProcessOptions = {},
  ): Promise<ServerProcess> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` first`);
    const storage = await createTestStorageConfig(kind);
    const port = await freePort();
    const args = [
      CLI,
      ...['--port', String(port), '--host', '127.0.0.1', '--data-dir', storage.dataDir],
      ...['--api-key', API_KEY, '--secret', SECRET, '--log-level', 'silent'],
    ];
    if (storage.databaseUrl !== undefined) args.push('--database-url', storage.databaseUrl);
    if (options.maxMessageLength !== undefined) {
      args.push('--max-message-length', String(options.maxMessageLength));
    }
    if (options.heartbeatMs !== undefined) args.push('--heartbeat-ms', String(options.heartbeatMs));
    if (options.messagesPerWindow !== undefined) {
      args.push('--messages-per-window', String(options.messagesPerWindow));
    }
    const server = new ServerProcess(kind, port, args, storage.cleanup);
    try {
      await server.spawn();
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiKey(): string {
    return API_KEY;
  }

  tokenFor(userId: string, expiresInSeconds?: number): string {
    return signToken(SECRET, { user_id: userId }, expiresInSeconds);
  }

  /** A REST call, as the server (default) or with the given token. Bounded by `timeoutMs`. */
  async api<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; timeoutMs?: number } = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token ?? signToken(SECRET, { server: true })}`,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }

  async createUsers(...ids: string[]): Promise<void> {
    const res = await this.api('POST', '/users', {
      body: { users: ids.map((id) => ({ id, name: id })) },
    });
    if (res.status !== 200)
      throw new Error(`createUsers: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async createChannel(type: string, id: string, members: string[]): Promise<string> {
    const res = await this.api('POST', `/channels/${type}/${id}`, { body: { members } });
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(`createChannel: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return `${type}:${id}`;
  }

  /** Kills the process (SIGKILL by default: no close frames, no flush) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server process ${child.pid} did not exit after ${signal}`)),
        5_000,
      );
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }

  /** Starts the server again on the same port, data folder and database. */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  /** Kills the process and drops its data folder and database. */
  async close(): Promise<void> {
    try {
      await this.kill();
    } finally {
      await this.cleanup();
    }
  }

  private async spawn(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', () => {
      running.delete(child);
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (this.child !== child) {
        throw new Error(`server process exited during start-up:\n${this.output}`);
      }
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1_000) });
        await res.text();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`server process not healthy after ${START_TIMEOUT_MS} ms:\n${this.output}`);
      }
      await sleep(50);
    }
  }
}
