import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, shouldReconnect } from '@parley/protocol';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

/** Small, so that a client that stops reading is a slow consumer after a few messages. */
const MAX_BUFFERED_BYTES = 64 * 1024;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: a client that stops reading`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start(kind, {
        maxBufferedBytes: MAX_BUFFERED_BYTES,
        limits: { messagesPerWindow: 0 },
      });
      await server.createUsers('sam', 'tess', 'uma');
      await server.createChannel('team', 'flood', ['sam', 'tess', 'uma']);
    });
    afterAll(async () => {
      await server?.close();
    });

    const openConnections = (): Promise<number> => server.metric('parley_connections');

    it('is closed as a slow consumer, counted closed and shown offline at once, not after 30 s', async () => {
      const watcher = await server.connect('uma');
      const sender = await server.connect('sam');
      const slow = await server.connect('tess');
      try {
        await slow.watch('team:flood');
        expect(await openConnections()).toBe(3);
        // The slow client stops reading from its TCP socket; the server's queue for it grows.
        const tcp = (slow.socket as unknown as { _socket: Socket })._socket;
        tcp.pause();
        const text = 'x'.repeat(4_000);
        let sent = 0;
        while ((await openConnections()) === 3 && sent < 5_000) {
          await Promise.all(
            Array.from({ length: 50 }, () => sender.sendMessage('team:flood', text)),
          );
          sent += 50;
        }
        // The gauge dropped while the slow peer has still not read its close frame: the
        // loop above ends as soon as the server gave up on it.
        expect(await openConnections()).toBe(2);
        const offline = await watcher.waitFor(
          (f) => f.type === 'user.presence.changed' && f.user.id === 'tess' && !f.user.online,
        );
        expect(offline.user.online).toBe(false);
        // Once it reads again it learns it was closed: 4002, or 1006 if its buffers were
        // too full to take the close frame in time. Either way it reconnects and recovers.
        tcp.resume();
        const { code } = await slow.closed;
        expect([CloseCode.SlowConsumer, 1006]).toContain(code);
        expect(shouldReconnect(code)).toBe(true);
        expect(await openConnections()).toBe(2);
      } finally {
        await Promise.all([watcher.close(), sender.close(), slow.close()]);
      }
    });
  });
}
