import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/expect-error.js';
import { rawHttp } from '../helpers/raw-http.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

/** Short, so that a request left unfinished times out quickly. */
const REQUEST_TIMEOUT_MS = 400;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: errors raised before any route runs`, () => {
    let server: TestServer;
    let auth: string;
    let host: string;

    beforeAll(async () => {
      server = await TestServer.start(kind, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
      auth = `Authorization: Bearer ${server.serverToken}`;
      host = `Host: ${new URL(server.url).host}`;
    });
    afterAll(async () => {
      await server?.close();
    });

    const expectStillServing = async () => {
      expect((await server.api('GET', '/health')).status).toBe(200);
    };

    it('answers a 10 kB path segment with 414 uri_too_long in Parley’s shape', async () => {
      const res = await server.api('GET', `/channels/messaging/${'x'.repeat(10_000)}`);
      expectError(res, 'uri_too_long');
      await expectStillServing();
    });

    it('answers a bad percent-encoding with 400 invalid_request in Parley’s shape', async () => {
      expectError(await server.api('GET', '/channels/messaging/%E0%A4%A'), 'invalid_request');
      expectError(await server.api('GET', '/users/%E0%A4%A'), 'invalid_request');
      await expectStillServing();
    });

    it('answers an unknown route with 404 not_found, and an unknown method alike', async () => {
      expectError(await server.api('GET', '/no/such/route'), 'not_found');
      expectError(await server.api('PUT', '/channels/messaging/general'), 'not_found');
      // Without a token too: a mistyped path is not a missing credential.
      expectError(await server.api('GET', '/no/such/route', { token: null }), 'not_found');
      expectError(await server.api('GET', '/channels', { token: null }), 'auth_missing');
    });

    it('answers an oversized or mistyped body with 413 and 415 in Parley’s shape', async () => {
      const big = await server.api('POST', '/users', {
        rawBody: JSON.stringify({ users: [{ id: 'a', name: 'x'.repeat(300_000) }] }),
      });
      expectError(big, 'payload_too_large');
      const typed = await server.api('POST', '/users', {
        rawBody: 'users=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectError(typed, 'unsupported_media_type');
      await expectStillServing();
    });

    it('answers headers over 16 KiB with 431 headers_too_large and closes the connection', async () => {
      const res = await rawHttp(
        server.url,
        `GET /me HTTP/1.1\r\n${host}\r\n${auth}\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`,
      );
      expectError(res, 'headers_too_large');
      expect(res.headers.connection).toBe('close');
      await expectStillServing();
    });

    it('answers a request that is not HTTP with 400 invalid_request', async () => {
      const res = await rawHttp(server.url, 'HELLO THERE\r\n\r\n');
      expectError(res, 'invalid_request');
      await expectStillServing();
    });

    it('answers a request whose body never completes with 408 request_timeout', async () => {
      const res = await rawHttp(
        server.url,
        `POST /users HTTP/1.1\r\n${host}\r\n${auth}\r\nContent-Type: application/json\r\n` +
          `Content-Length: 100\r\n\r\n{"users":`,
      );
      expectError(res, 'request_timeout');
      await expectStillServing();
    });

    it('answers a WebSocket upgrade on another path with 404 not_found in Parley’s shape', async () => {
      const res = await rawHttp(
        server.url,
        `GET /socket HTTP/1.1\r\n${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      expectError(res, 'not_found');
    });

    it('answers a broken WebSocket handshake with 400 invalid_request in Parley’s shape', async () => {
      const res = await rawHttp(
        server.url,
        `GET /connect HTTP/1.1\r\n${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      expectError(res, 'invalid_request');
      const version = await rawHttp(
        server.url,
        `GET /connect HTTP/1.1\r\n${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n`,
      );
      expectError(version, 'invalid_request');
      expect(version.headers['sec-websocket-version']).toBe('13, 8');
      await expectStillServing();
    });
  });
}
