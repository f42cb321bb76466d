import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@parley/protocol';
import { expectError, expectFrameError } from '../helpers/expect-error.js';
import { nestedData, nestedDataJson } from '../helpers/nested-data.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

/** Deep enough to overflow the stack of any recursive JSON walk. */
const HOSTILE_DEPTH = 10_000;
const MAX_DEPTH = DEFAULT_LIMITS.maxDataDepth;

interface Issue {
  path: string;
  message: string;
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: deeply nested custom data`, () => {
    let server: TestServer;
    let aliceToken: string;
    const hostile = nestedDataJson(HOSTILE_DEPTH);

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob');
      await server.createChannel('team', 'deep', ['bob'], 'alice');
      aliceToken = await server.tokenFor('alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    /** A 400 invalid_request naming the data field, never a 5xx. */
    const expectTooDeep = (res: { status: number; body: any }, path: string) => {
      expectError(res, 'invalid_request');
      const issues = res.body.error.details.issues as Issue[];
      expect(issues).toContainEqual({ path, message: expect.stringMatching(/20 levels/) });
    };

    it('refuses a user whose data nests 10,000 levels with 400, and stores no user', async () => {
      const res = await server.api('POST', '/users', {
        rawBody: `{"users":[{"id":"deep-user","data":${hostile}}]}`,
      });
      expectTooDeep(res, 'users.0.data');
      expectError(await server.api('GET', '/users/deep-user'), 'user_not_found');
    });

    it('refuses such data on a new channel and on a channel update, and changes nothing', async () => {
      const created = await server.api('POST', '/channels/team/deeper', {
        rawBody: `{"created_by_id":"alice","data":${hostile}}`,
      });
      expectTooDeep(created, 'data');
      expectError(await server.api('GET', '/channels/team/deeper'), 'channel_not_found');

      const patched = await server.api('PATCH', '/channels/team/deep', {
        rawBody: `{"set":${hostile}}`,
      });
      expectTooDeep(patched, 'set');
      const channel = await server.api('GET', '/channels/team/deep');
      expect(channel.body.channel).toMatchObject({ data: {}, last_seq: 0 });
    });

    it('refuses such data on a message sent over REST and over the WebSocket', async () => {
      const rest = await server.api('POST', '/channels/team/deep/messages', {
        token: aliceToken,
        rawBody: `{"text":"hi","data":${hostile}}`,
      });
      expectTooDeep(rest, 'data');

      const alice = await server.connect('alice');
      try {
        alice.sendRaw(
          `{"type":"message.send","req_id":"deep-1","cid":"team:deep","message":{"text":"hi","data":${hostile}}}`,
        );
        const error = await alice.waitFor((f) => f.type === 'error' && f.req_id === 'deep-1');
        expect(error.error.code).toBe('invalid_request');
        expect((error.error.details.issues as Issue[]).map((i) => i.path)).toContain(
          'message.data',
        );
        // The socket still works, and nothing was stored.
        const state = await alice.watch('team:deep');
        expect(state.channel.last_seq).toBe(0);
      } finally {
        await alice.close();
      }
    });

    it(`accepts data exactly ${MAX_DEPTH} levels deep and refuses one level more`, async () => {
      const ok = await server.api('POST', '/channels/team/deep/messages', {
        token: aliceToken,
        body: { text: 'deep enough', data: nestedData(MAX_DEPTH) },
      });
      expect(ok.status).toBe(201);
      expect(ok.body.message.data).toEqual(nestedData(MAX_DEPTH));

      const alice = await server.connect('alice');
      try {
        await expectFrameError(
          alice.request({
            type: 'message.send',
            cid: 'team:deep',
            message: { text: 'too deep', data: nestedData(MAX_DEPTH + 1) },
          }),
          'invalid_request',
        );
      } finally {
        await alice.close();
      }
    });
  });
}
