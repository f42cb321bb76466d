import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LocalMessage } from '../../packages/client/src/index.js';
import { TcpProxy } from '../../packages/client/test/helpers/tcp-proxy.js';
import { waitUntil } from '../../packages/client/test/helpers/wait.js';
import { createTestStorageConfig } from '../../packages/server/test/helpers/storages.js';
import {
  dropRedisKeys,
  REDIS_URL,
  uniqueRedisPrefix,
} from '../../packages/server/test/helpers/redis.js';
import { Cluster, CLUSTER_AVAILABLE } from './helpers/cluster.js';
import { ParleyNode } from './helpers/parley-node.js';
import { RedisServerProcess } from './helpers/redis-server-process.js';
import { expectEachOnceInOrder, sendAll } from './helpers/traffic.js';

describe.skipIf(!CLUSTER_AVAILABLE)('two nodes whose Redis restarts', () => {
  let redis: RedisServerProcess;
  let cluster: Cluster;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    cluster = await Cluster.start(2, { redisUrl: redis.url, heartbeatMs: 500 });
    await cluster.createUsers('ann', 'bo');
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  it('report Redis down on /health, resubscribe when it is back, and their clients recover every message sent meanwhile', async () => {
    await cluster.createChannel('team', 'blip', ['ann', 'bo']);
    const ann = await cluster.connect('ann');
    const bo = await cluster.connect('bo');
    expect(ann.node).not.toBe(bo.node);
    const errors: unknown[] = [];
    bo.client.on('error', (e) => errors.push(e));
    const annChannel = ann.client.channel('team', 'blip');
    const boChannel = bo.client.channel('team', 'blip');
    await annChannel.watch();
    await boChannel.watch();
    const before = await sendAll(annChannel, 'before', 3);
    await waitUntil('bo to get the first three', () => boChannel.state.messages.length >= 3);

    await redis.stop();
    for (const node of cluster.nodes) {
      await waitUntil(`${node.name} to report Redis down`, async () => {
        const health = await node.health();
        return health.status === 503 && health.body.redis === 'unavailable';
      });
    }
    // Stored in PostgreSQL and acknowledged while the nodes cannot reach each other.
    const during = await sendAll(annChannel, 'during', 5);

    await redis.restart();
    for (const node of cluster.nodes) await node.waitHealthy();
    const after = await sendAll(annChannel, 'after', 3);
    const ids = [...before, ...during, ...after].map((m: LocalMessage) => m.id);
    await waitUntil(
      'bo to have every message',
      () => boChannel.state.messages.filter((m) => m.status === 'sent').length >= ids.length,
      15_000,
      () => boChannel.state.messages.map((m) => m.id),
    );
    expectEachOnceInOrder(boChannel.state.messages, ids);
    // The node told its clients to resync (4005); the client did so without an error.
    expect(bo.closeCodes).toContain(4005);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe.skipIf(!CLUSTER_AVAILABLE)(
  'a node started before its database or Redis is reachable',
  () => {
    let proxy: TcpProxy | undefined;
    let redis: RedisServerProcess | undefined;
    let node: ParleyNode | undefined;
    const prefix = uniqueRedisPrefix();
    let cleanupDatabase: () => Promise<void> = async () => {};

    afterEach(async () => {
      await node?.close();
      await proxy?.close();
      await redis?.stop();
      await cleanupDatabase();
      await dropRedisKeys(prefix);
    });

    it('answers 503 with redis unavailable while Redis is down, keeps running, and serves once it is up', async () => {
      const storage = await createTestStorageConfig('postgres');
      cleanupDatabase = storage.cleanup;
      redis = await RedisServerProcess.start();
      await redis.stop(); // nothing listens on its port now
      node = await ParleyNode.start(
        'no-redis-yet',
        {
          databaseUrl: storage.databaseUrl!,
          redisUrl: redis.url,
          redisKeyPrefix: prefix,
          secret: 'outage-test-secret-at-least-32-characters',
          apiKey: 'pk_outage',
          heartbeatMs: 500,
        },
        'spawned',
      );
      await waitUntil('the node to listen', async () => (await node!.health()).status !== 0);
      const waiting = await node.health();
      expect(waiting.status).toBe(503);
      expect(waiting.body).toMatchObject({ status: 'unavailable', redis: 'unavailable' });
      const socket = new WebSocket(`${node.url.replace('http', 'ws')}/connect`);
      socket.on('error', () => {}); // the refusal, looked at below
      const refused = await new Promise<number>((resolve) =>
        socket.once('unexpected-response', (request, response) => {
          request.destroy();
          resolve(response.statusCode ?? 0);
        }),
      );
      expect(refused).toBe(503);
      expect(node.running).toBe(true);

      await redis.restart();
      await node.waitHealthy();
      expect((await node.health()).body).toMatchObject({ status: 'ok', redis: 'ok' });
    }, 60_000);

    it('answers 503 while it waits, keeps running, and serves once the database appears', async () => {
      const storage = await createTestStorageConfig('postgres');
      cleanupDatabase = storage.cleanup;
      const database = new URL(storage.databaseUrl!);
      const proxied = await TcpProxy.start(Number(database.port || 5432));
      proxy = proxied;
      proxied.pause(); // connections are accepted and dropped: PostgreSQL is "unreachable"
      database.hostname = '127.0.0.1';
      database.port = String(proxy.port);
      node = await ParleyNode.start(
        'waiting',
        {
          databaseUrl: database.toString(),
          redisUrl: REDIS_URL,
          redisKeyPrefix: prefix,
          secret: 'outage-test-secret-at-least-32-characters',
          apiKey: 'pk_outage',
          heartbeatMs: 500,
        },
        'spawned',
      );
      await waitUntil('the node to listen', async () => (await node!.health()).status !== 0);
      await waitUntil('a few refused attempts', () => proxied.connectionAttempts >= 2);
      const waiting = await node.health();
      expect(waiting.status).toBe(503);
      expect(waiting.body).toMatchObject({ status: 'unavailable', storage: 'postgres' });
      const rest = await fetch(`${node.url}/users`, { headers: { authorization: 'Bearer x' } });
      expect(rest.status).toBe(503);
      expect((await rest.json()).error.code).toBe('storage_unavailable');
      expect(node.running).toBe(true);

      proxied.resume();
      await node.waitHealthy();
      expect((await node.health()).body).toMatchObject({ status: 'ok', redis: 'ok' });
    }, 60_000);
  },
);
