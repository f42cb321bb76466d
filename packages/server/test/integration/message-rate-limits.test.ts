import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

// A user's message budget: refused with 429 rate_limited and when to retry, on REST and
// the WebSocket alike, per user, and never in the way of a retry of a stored message.

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: message rate limits`, () => {
    let limited: TestServer;
    beforeAll(async () => {
      limited = await TestServer.start(kind, { limits: { messagesPerWindow: 3 } });
      await limited.createUsers('alice', 'bob');
      await limited.createChannel('team', 'busy', ['alice', 'bob']);
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('refuses the 4th message in a window with 429 rate_limited and says when to retry', async () => {
      const token = await limited.tokenFor('alice');
      const post = (text: string) =>
        limited.api('POST', '/channels/team/busy/messages', { token, body: { text } });
      for (const text of ['one', 'two', 'three']) expect((await post(text)).status).toBe(201);
      const before = await limited.api('GET', '/channels/team/busy/events?since_seq=0');

      const res = await post('four');
      expectError(res, 'rate_limited');
      const retryAfterMs = res.body.error.details.retry_after_ms as number;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(10_000);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      const alice = await limited.connect('alice');
      try {
        await expectFrameError(alice.sendMessage('team:busy', 'five'), 'rate_limited');
      } finally {
        await alice.close();
      }
      const after = await limited.api('GET', '/channels/team/busy/events?since_seq=0');
      expect(after.body.last_seq).toBe(before.body.last_seq);

      // The budget is per user: bob may still talk.
      const bob = await limited.api('POST', '/channels/team/busy/messages', {
        token: await limited.tokenFor('bob'),
        body: { text: 'bob here' },
      });
      expect(bob.status).toBe(201);
    });

    it('answers a retry of a stored message even when the budget is spent', async () => {
      const token = await limited.tokenFor('bob');
      const post = (id: string) =>
        limited.api('POST', '/channels/team/busy/messages', {
          token,
          body: { id, text: `retry ${id}` },
        });
      // bob sent one message in the test above; two more use up the window.
      expect((await post('bob-2')).status).toBe(201);
      expect((await post('bob-3')).status).toBe(201);
      expectError(await post('bob-4'), 'rate_limited');

      const retry = await post('bob-3');
      expect(retry.status).toBe(200);
      expect(retry.body.duplicate).toBe(true);
      expect(retry.body.message.id).toBe('bob-3');
    });
  });
}
