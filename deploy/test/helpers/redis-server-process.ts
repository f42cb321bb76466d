import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../../packages/server/test/helpers/free-port.js';

/** redis-server (Debian's package; CI starts it for the shared instance). */
const REDIS_SERVER = process.env['PARLEY_REDIS_SERVER'] ?? 'redis-server';

/**
 * A private redis-server on a free port, for a test that stops and restarts Redis: the
 * shared one (PARLEY_TEST_REDIS_URL) is never restarted. Nothing is persisted.
 */
export class RedisServerProcess {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  /**
   * Another process can take the free port between freePort() and redis-server's bind, so a
   * start that fails is tried again on a new port.
   */
  static async start(): Promise<RedisServerProcess> {
    for (let attempt = 1; ; attempt++) {
      const redis = new RedisServerProcess(await freePort());
      try {
        await redis.restart();
        return redis;
      } catch (error) {
        await redis.stop();
        if (attempt === 3) throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port) and waits until it answers; tries three times. */
  async restart(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  private async startOnce(): Promise<void> {
    await this.stop();
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
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
          if (child.exitCode !== null)
            throw new Error(`redis-server exited (${child.exitCode}): ${output}`);
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
