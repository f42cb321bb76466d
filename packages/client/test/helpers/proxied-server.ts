import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ServerOptions } from '../../../server/src/index.js';
import type { StorageKind } from '../../../server/test/helpers/storages.js';
import { TestServer } from '../../../server/test/helpers/test-server.js';
import { ClientPool } from './chat-harness.js';
import { TcpProxy } from './tcp-proxy.js';

/**
 * For the surrounding describe: a real server with these users, a TcpProxy in front of it
 * (clients that connect through `proxy.url` can be cut off and delayed) and a pool of
 * clients. After each test the clients disconnect and the proxy passes everything again.
 */
export function useProxiedServer(kind: StorageKind, userIds: string[], options?: ServerOptions) {
  const world = {
    pool: new ClientPool(),
    server: undefined as unknown as TestServer,
    proxy: undefined as unknown as TcpProxy,
  };
  beforeAll(async () => {
    world.server = await TestServer.start(kind, options);
    await world.server.createUsers(...userIds);
    world.proxy = await TcpProxy.start(Number(new URL(world.server.url).port));
  });
  afterEach(async () => {
    await world.pool.disconnectAll();
    world.proxy.resume();
    world.proxy.delayServer(0);
  });
  afterAll(async () => {
    await world.proxy?.close();
    await world.server?.close();
  });
  return world;
}
