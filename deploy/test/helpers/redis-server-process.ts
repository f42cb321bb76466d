import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/** redis-server (Debian's package; CI starts it for the shared instance). */
const REDIS_SERVER = process.env['PARLEY_REDIS_SERVER'] ?? 'redis-server';

/**
 * A private redis-server on a free port, for a test that stops and restarts Redis: the
 * shared one (PARLEY_TEST_REDIS_URL) is never restarted. Nothing is persisted.
 */
export class RedisServerProcess {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServerProcess> {
    const redis = new RedisServerProcess(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port) and waits until it answers. */
  async restart(): Promise<void> {
    await this.stop();
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => {});
    const deadline = Date.now() + 10_000;
    try {
      for (;;) {
        try {
          await client.connect();
          await client.ping();
          return;
        } catch {
          if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
          if (Date.now() > deadline) throw new Error('redis-server did not answer');
          client.disconnect();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      client.disconnect();
    }
  }

  /** Kills it (SIGKILL: like a crash, and nothing to save anyway) and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
