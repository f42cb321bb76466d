import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParleyServer, type ParleyServer } from '../../server/src/index.js';
import { createStorage } from '../../server/src/storage/create-storage.js';
import { STORAGE_KINDS, createTestStorageConfig } from '../../server/test/helpers/storages.js';
import { TEST_SECRET } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient } from '../src/index.js';
import { expectChatError } from './helpers/expect-chat-error.js';
import { closedPort, startPlainHttp } from './helpers/plain-http-server.js';

// Failures the SDK reports: storage down behind a live server, and no server at all.
for (const kind of STORAGE_KINDS) {
  describe(`${kind}: server SDK health while the storage does not answer`, () => {
    // A real server whose storage stops answering pings: the HTTP side is untouched.
    let server: ParleyServer;
    let cleanup: () => Promise<void>;
    let storageDown = false;
    beforeAll(async () => {
      const config = await createTestStorageConfig(kind);
      cleanup = config.cleanup;
      const storage = createStorage(config);
      const ping = storage.ping.bind(storage);
      storage.ping = () => (storageDown ? Promise.reject(new Error('storage down')) : ping());
      server = createParleyServer(
        {
          port: 0,
          host: '127.0.0.1',
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          secret: TEST_SECRET,
          logLevel: false,
        },
        { storage },
      );
    });
    afterAll(async () => {
      await server?.close();
      await cleanup?.();
    });

    it('reports status unavailable (HTTP 503) instead of throwing', async () => {
      const { url } = await server.start();
      const parley = createParleyServerClient({ url, secret: TEST_SECRET });
      expect((await parley.health()).status).toBe('ok');
      storageDown = true;
      expect(await parley.health()).toMatchObject({ status: 'unavailable', storage: kind });
    });
  });
}

describe('server SDK: transport failures (no Parley server needed)', () => {
  it('fails with network_error when nothing listens on the port', async () => {
    const parley = createParleyServerClient({
      url: `http://127.0.0.1:${await closedPort()}`,
      secret: TEST_SECRET,
    });
    const error = await expectChatError(parley.health(), 'network_error');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
    await expectChatError(parley.getUser('alice'), 'network_error');
  });

  it('fails with network_error when the server does not answer within timeoutMs', async () => {
    const silent = await startPlainHttp(() => {
      // Never answers: a hung server or a dropped route.
    });
    try {
      const parley = createParleyServerClient({
        url: silent.url,
        secret: TEST_SECRET,
        timeoutMs: 200,
      });
      const started = Date.now();
      const error = await expectChatError(parley.getUser('alice'), 'network_error');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error.details).toEqual({ timeout_ms: 200 });
    } finally {
      await silent.stop();
    }
  });

  it('fails with network_error for answers that did not come from Parley (a proxy’s pages)', async () => {
    const pages: Record<string, [number, string]> = {
      '/users/gateway': [502, '<h1>Bad Gateway</h1>'],
      '/users/missing': [404, 'Not Found'],
      '/users/html': [200, '<!doctype html><title>Some app</title>'],
      '/health': [503, '{"message":"shutting down"}'],
    };
    const proxy = await startPlainHttp((req, res) => {
      const [status, body] = pages[req.url ?? ''] ?? [500, ''];
      res.writeHead(status, { 'content-type': 'text/html' }).end(body);
    });
    try {
      const parley = createParleyServerClient({ url: proxy.url, secret: TEST_SECRET });
      for (const [user, status] of [
        ['gateway', 502],
        ['missing', 404],
        ['html', 200],
      ] as const) {
        const error = await expectChatError(parley.getUser(user), 'network_error');
        expect(error.details).toEqual({ status });
      }
      await expectChatError(parley.health(), 'network_error');
    } finally {
      await proxy.stop();
    }
  });

  it('refuses options without a usable url, secret or timeout', () => {
    const options = { url: 'http://127.0.0.1:1', secret: TEST_SECRET };
    for (const wrong of [
      { ...options, url: 'chat.example.com' },
      { ...options, secret: '' },
      { ...options, secret: 'short' },
      { ...options, timeoutMs: 0 },
    ]) {
      expect(() => createParleyServerClient(wrong)).toThrow(
        expect.objectContaining({ name: 'ChatError', code: 'invalid_request' }),
      );
    }
  });
});
