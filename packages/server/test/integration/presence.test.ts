import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { Frame, TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

const presenceOf = (userId: string) => (f: Frame) =>
  f.type === 'user.presence.changed' && f.user.id === userId;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: presence`, () => {
    let server: TestServer;
    const open: TestClient[] = [];

    beforeAll(async () => {
      server = await TestServer.start(kind);
    });

    afterAll(async () => {
      await Promise.all(open.map((c) => c.close()));
      await server?.close();
    });

    async function connect(userId: string): Promise<TestClient> {
      const client = await server.connect(userId);
      open.push(client);
      return client;
    }

    async function getUser(id: string) {
      const res = await server.api('GET', `/users/${id}`);
      expect(res.status).toBe(200);
      return res.body.user as { online: boolean; last_active: string | null };
    }

    /** Waits until the server has handled the close of a connection (it has no event for it). */
    async function closeAndSettle(client: TestClient): Promise<void> {
      const before = await openConnections(server);
      await client.close();
      await eventually(
        async () => (await openConnections(server)) < before,
        'the close is handled',
      );
    }

    it('keeps a user online until the last of their connections closes', async () => {
      await server.createUsers('amy', 'bea');
      await server.createChannel('team', 'two-tabs', ['amy', 'bea']);
      const bea = await connect('bea');

      const firstTab = await connect('amy');
      const online = await bea.waitFor(presenceOf('amy'));
      expect(online.user.online).toBe(true);
      expect((await getUser('amy')).online).toBe(true);

      const secondTab = await connect('amy');
      await closeAndSettle(firstTab);
      // One tab is still open: Amy is online, and nobody was told otherwise.
      expect((await getUser('amy')).online).toBe(true);
      await bea.ping();
      expect(bea.frames.filter(presenceOf('amy'))).toHaveLength(1);

      await secondTab.close();
      const offline = await bea.waitFor((f) => presenceOf('amy')(f) && f !== online);
      expect(offline.user.online).toBe(false);
      expect((await getUser('amy')).online).toBe(false);
      await bea.ping();
      expect(bea.frames.filter(presenceOf('amy')).map((f) => f.user.online)).toEqual([true, false]);
    });

    it('keeps last_active from the user’s connections', async () => {
      await server.createUsers('cal', 'dot');
      await server.createChannel('team', 'last-active', ['cal', 'dot']);
      const before = await getUser('cal');
      expect(before.online).toBe(false);
      expect(before.last_active).toBeNull();
      const dot = await connect('dot');

      const connectedAt = Date.now();
      const cal = await connect('cal');
      const online = await dot.waitFor(presenceOf('cal'));
      expect(online.user.last_active).not.toBeNull();
      // Clocks: the server and the test run on one machine.
      expect(Date.parse(online.user.last_active)).toBeGreaterThanOrEqual(connectedAt);

      const closedAt = Date.now();
      await cal.close();
      const offline = await dot.waitFor((f) => presenceOf('cal')(f) && !f.user.online);
      expect(Date.parse(offline.user.last_active)).toBeGreaterThanOrEqual(closedAt);
      const after = await getUser('cal');
      expect(after.online).toBe(false);
      expect(after.last_active).toBe(offline.user.last_active);
    });

    it('tells only users who share a channel', async () => {
      await server.createUsers('eve', 'fin', 'gia', 'hal');
      await server.createChannel('team', 'shared', ['eve', 'fin']);
      await server.createChannel('team', 'elsewhere', ['gia', 'hal']);
      const fin = await connect('fin');
      const gia = await connect('gia');

      await connect('eve');
      await fin.waitFor(presenceOf('eve'));
      // One publish reaches every receiver at once; Gia's pong comes after it.
      await gia.ping();
      expect(gia.frames.filter(presenceOf('eve'))).toEqual([]);
      expect(gia.ofType('user.presence.changed')).toEqual([]);
    });
  });
}

/** Polls `check` until it holds (for server state that has no event to wait for). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The server's count of open WebSocket connections, from `/metrics`. */
async function openConnections(server: TestServer): Promise<number> {
  const count = await server.metric('parley_connections');
  if (Number.isNaN(count)) throw new Error('parley_connections is missing from /metrics');
  return count;
}
