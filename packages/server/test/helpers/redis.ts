import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { RedisClients } from '../../src/redis/redis-clients.js';

/** The Redis the tests use; each test works under a key prefix of its own. */
export const REDIS_URL = process.env['PARLEY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A logger that says nothing unless PARLEY_TEST_LOG_LEVEL asks. */
export const testLogger = pino({ level: process.env['PARLEY_TEST_LOG_LEVEL'] ?? 'silent' });

async function redisReachable(): Promise<unknown> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return error;
  } finally {
    client.disconnect();
  }
}

const redisError = await redisReachable();
if (redisError !== null) {
  const reason = redisError instanceof Error ? redisError.message : String(redisError);
  if (process.env['CI'] === 'true') {
    throw new Error(`Redis at ${REDIS_URL} is unreachable (${reason}); CI must run its suites`);
  }
  console.warn(
    [
      '',
      '************************************************************************',
      '*  Redis test suites are SKIPPED: the bus, presence, typing and rate-limit',
      '*  contracts run in process only, and the multi-node tests do not run.',
      `*  ${REDIS_URL} is unreachable: ${reason}`,
      '*  To run them, start Redis (6.2+) or set PARLEY_TEST_REDIS_URL.',
      '*  In CI (CI=true) an unreachable Redis fails the run instead.',
      '************************************************************************',
      '',
    ].join('\n'),
  );
}

/** True when the Redis suites run. */
export const REDIS_AVAILABLE = redisError === null;

/** A fresh key prefix, so tests sharing one Redis never see each other's keys. */
export function uniqueRedisPrefix(): string {
  return `parley-test:${randomBytes(6).toString('hex')}:`;
}

/** A node's Redis connections, connected. */
export async function connectedClients(): Promise<RedisClients> {
  const clients = new RedisClients({ url: REDIS_URL, logger: testLogger });
  clients.connect();
  const deadline = Date.now() + 5_000;
  while (!clients.ready) {
    if (Date.now() > deadline) throw new Error(`Redis at ${REDIS_URL} did not get ready`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return clients;
}

/** Deletes every key under `prefix`. */
export async function dropRedisKeys(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
