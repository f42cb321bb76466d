import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, shouldReconnect } from '@parley/protocol';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

const HEARTBEAT_MS = 200;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: heartbeats and shutdown`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start(kind, { heartbeatIntervalMs: HEARTBEAT_MS });
      await server.createUsers('hana', 'ivan');
      await server.createChannel('team', 'pulse', ['hana', 'ivan']);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('announces its heartbeat interval and sends health.check events a browser can see', async () => {
      const client = await server.connect('hana');
      try {
        const ok = client.ofType('connection.ok')[0]!;
        expect(ok.heartbeat_interval_ms).toBe(HEARTBEAT_MS);
        const checks = await client.waitForCount('health.check', 2);
        expect(Date.parse(checks[1]!.created_at)).toBeGreaterThanOrEqual(
          Date.parse(checks[0]!.created_at),
        );
      } finally {
        await client.close();
      }
    });

    it('answers a ping frame with a pong carrying the same req_id', async () => {
      const client = await server.connect('hana');
      try {
        client.send({ type: 'ping', req_id: 'are-you-there' });
        const pong = await client.waitFor((f) => f.type === 'pong');
        expect(pong.req_id).toBe('are-you-there');
      } finally {
        await client.close();
      }
    });

    it('keeps a connection that answers pings open across many intervals', async () => {
      const client = await server.connect('hana');
      try {
        await client.waitForCount('health.check', 5);
        await client.ping();
        expect(client.socket.readyState).toBe(WebSocket.OPEN);
      } finally {
        await client.close();
      }
    });

    it('drops a connection that stops answering, and the user goes offline for others', async () => {
      const watcher = await server.connect('ivan');
      // A client whose network died: it never answers the server's pings.
      const dead = new WebSocket(`${server.wsUrl}?token=${await server.tokenFor('hana')}`, {
        autoPong: false,
      });
      const closed = new Promise<number>((resolve) => dead.on('close', (code) => resolve(code)));
      try {
        await watcher.waitFor(
          (f) => f.type === 'user.presence.changed' && f.user.id === 'hana' && f.user.online,
        );
        // 4001 if the peer still reads the close frame, 1006 if it is truly gone.
        const code = await closed;
        expect([CloseCode.HeartbeatTimeout, 1006]).toContain(code);
        expect(shouldReconnect(code)).toBe(true);
        const offline = await watcher.waitFor(
          (f) => f.type === 'user.presence.changed' && f.user.id === 'hana' && !f.user.online,
        );
        expect(offline.user.last_active).not.toBeNull();
        expect((await server.api('GET', '/users/hana')).body.user.online).toBe(false);
      } finally {
        dead.terminate();
        await watcher.close();
      }
    });
  });

  describe(`${kind}: heartbeats take turns`, () => {
    it('pings a share of the connections every quarter second, not all at once', async () => {
      // 1 s interval: four turns of 250 ms, two of these eight connections in each.
      const server = await TestServer.start(kind, { heartbeatIntervalMs: 1_000 });
      const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];
      await server.createUsers(...users);
      const clients = await Promise.all(users.map((id) => server.connect(id)));
      try {
        const firsts = await Promise.all(
          clients.map((c) => c.waitFor((f) => f.type === 'health.check')),
        );
        // Each of the four turns pings its two: at least 4 distinct times (5 if a turn came
        // between the first and the last connection). All at once would give 1, or 2 when
        // the connections straddled a sweep.
        const turns = new Set(firsts.map((check) => check.created_at));
        expect(turns.size).toBeGreaterThanOrEqual(4);
        // Each connection still hears one every interval.
        const seconds = await clients[0]!.waitForCount('health.check', 2);
        const gap = Date.parse(seconds[1]!.created_at) - Date.parse(seconds[0]!.created_at);
        expect(gap).toBeGreaterThanOrEqual(900);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        await server.close();
      }
    });
  });

  describe(`${kind}: shutdown`, () => {
    it('closes every socket with 4000 so clients reconnect, and stops serving', async () => {
      const server = await TestServer.start(kind);
      await server.createUsers('hana');
      const client = await server.connect('hana');
      const url = server.url;
      await server.close();
      const { code } = await client.closed;
      expect(code).toBe(CloseCode.ServerShutdown);
      expect(shouldReconnect(code)).toBe(true);
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    });
  });
}
