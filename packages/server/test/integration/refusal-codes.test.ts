import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@parley/protocol';
import { expectError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

/** A small budget, so that spending it on failed authentications is cheap. */
const REQUESTS_PER_WINDOW = 4;

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: what a non-member gets for changing a channel`, () => {
    let server: TestServer;
    let carol: string;
    const path = '/channels/messaging/closed';

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob', 'carol');
      await server.createChannel('messaging', 'closed', ['bob'], 'alice');
      carol = await server.tokenFor('carol');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('is 403 not_member for PATCH, DELETE and member changes, and nothing changes', async () => {
      const as = { token: carol };
      expectError(
        await server.api('PATCH', path, { ...as, body: { set: { x: 1 } } }),
        'not_member',
      );
      expectError(await server.api('DELETE', path, as), 'not_member');
      expectError(
        await server.api('POST', `${path}/members`, { ...as, body: { user_ids: ['carol'] } }),
        'not_member',
      );
      expectError(
        await server.api('DELETE', `${path}/members`, { ...as, body: { user_ids: ['bob'] } }),
        'not_member',
      );
      const state = await server.api('GET', path);
      expect(state.body.channel).toMatchObject({ data: {}, member_count: 2, last_seq: 0 });
    });

    it('is 403 forbidden, not not_member, for a member without the role', async () => {
      const bob = { token: await server.tokenFor('bob') };
      expectError(
        await server.api('PATCH', path, { ...bob, body: { set: { x: 1 } } }),
        'forbidden',
      );
      expectError(await server.api('DELETE', path, bob), 'forbidden');
    });
  });

  describe(`${kind}: the failed-authentication budget of a client address`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start(kind, {
        limits: { requestsPerWindow: REQUESTS_PER_WINDOW, rateWindowMs: 60_000 },
      });
      await server.createUsers('alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('is the per-user request budget; once spent, failures are 429 and valid tokens still work', async () => {
      for (let i = 0; i < REQUESTS_PER_WINDOW; i++) {
        expectError(await server.api('GET', '/me', { token: 'forged' }), 'token_invalid');
      }
      const limited = await server.api('GET', '/me', { token: 'forged' });
      expectError(limited, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expectError(await server.api('GET', '/me', { token: null }), 'rate_limited');

      // A WebSocket whose token is refused spends the same budget.
      const socket = await TestClient.open(`${server.wsUrl}?token=forged`);
      const { code } = await socket.closed;
      expect(socket.frames.map((f) => f.error?.code)).toEqual(['rate_limited']);
      expect(code).toBe(CloseCode.AuthFailed);

      // Someone with a valid token behind the same address is not held back.
      const me = await server.api('GET', '/me', { token: await server.tokenFor('alice') });
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe('alice');
    });
  });
}
